-- 001-feed.sql -- the notification service's schema: the in-app feed and each user's
-- settings.  somoim-notification reads and marks the feed; somoim-push's feed writer
-- adds rows as this schema's own DB user (the daemon holds both accounts, each on its
-- own schema).  A row's id is the notification's id everywhere: the Web Push Topic and
-- the service worker's tag.
CREATE TABLE notifications (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id    BIGINT UNSIGNED NOT NULL,
  type       VARCHAR(16)     NOT NULL,
  event_id   VARCHAR(64)     NOT NULL,   -- what caused it: an event id, or a reminder's key
  title      VARCHAR(200)    NOT NULL,
  body       VARCHAR(1000)   NOT NULL,
  link       VARCHAR(300)    NOT NULL,
  in_feed    TINYINT         NOT NULL DEFAULT 1,   -- 0: the user turned the feed off for the type
  read_at    DATETIME        NULL,
  created_at DATETIME        NOT NULL,
  UNIQUE KEY ux_notifications_once (event_id, user_id, type),
  KEY ix_notifications_feed (user_id, in_feed, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per type on/off for each channel; no row = both on.
CREATE TABLE settings (
  user_id BIGINT UNSIGNED NOT NULL,
  type    VARCHAR(16)     NOT NULL,
  push    TINYINT         NOT NULL,
  feed    TINYINT         NOT NULL,
  PRIMARY KEY (user_id, type)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
