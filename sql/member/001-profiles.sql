-- 001-profiles.sql -- the member service's copy of every user's public profile, kept
-- by somoim-member-events from v1.event.user-signed-up / v1.event.user-updated, and
-- the inbox that makes those events apply exactly once.
--
-- version is the user's own version from the event: a row only moves forward, so a
-- duplicate or an older event that arrives late (relay retry) changes nothing.

CREATE TABLE member_profiles (
  user_id       BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  name          VARCHAR(50)  NOT NULL,
  profile_image VARCHAR(500) NULL,
  version       BIGINT       NOT NULL,
  updated_at    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE processed_events (
  consumer_group VARCHAR(100) NOT NULL,
  event_id       CHAR(36)     NOT NULL,
  processed_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, event_id),
  KEY ix_processed_events_at (processed_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
