-- 003-copies.sql -- what this service knows about other services' data, kept by events.
--
-- user_interests mirrors the user service's (v1.event.user-signed-up / user-updated);
-- memberships mirrors the member service's (v1.event.member-joined / member-left and
-- role changes).  The consumer daemon writes them; this service only reads them, except
-- that creating a community writes its owner's row at once, so the owner is a member
-- here before the member side's event comes back (the consumer upserts, so that is safe).
-- No foreign keys: events of different aggregates arrive in any order.

CREATE TABLE user_interests (
  user_id BIGINT UNSIGNED NOT NULL,
  code    VARCHAR(32) NOT NULL,
  PRIMARY KEY (user_id, code),
  KEY ix_user_interests_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE memberships (
  community_id BIGINT UNSIGNED NOT NULL,
  user_id      BIGINT UNSIGNED NOT NULL,
  role         ENUM('owner', 'admin', 'member') NOT NULL DEFAULT 'member',
  joined_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (community_id, user_id),
  KEY ix_memberships_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
