-- 005-user-version.sql -- a per-user version, +1 on every profile change.
--
-- Events about a user carry it (data.version), so a consumer that sees an older
-- event after a newer one (a re-driven dead letter, a replay) can ignore it:
-- apply only when the event's version is greater than the one it stored.

ALTER TABLE users ADD COLUMN version BIGINT UNSIGNED NOT NULL DEFAULT 1 AFTER interests;
