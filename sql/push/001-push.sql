-- 001-push.sql -- the push daemon's schema (somoim-push, the seed's PUSH server): the
-- browsers' push subscriptions it alone owns (written only through the request-reply of
-- v1.event.subscription.request), the Web Push deliveries it still owes, the meetup
-- reminders it will raise, and its consumer inbox.
-- @include common/processed-events.sql

CREATE TABLE subscriptions (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT UNSIGNED NOT NULL,
  endpoint      VARCHAR(2048)   NOT NULL,
  endpoint_hash CHAR(64)        NOT NULL,   -- sha256 hex of endpoint: the unique key
  p256dh        VARCHAR(100)    NOT NULL,   -- base64url, 65-byte P-256 point
  auth          VARCHAR(40)     NOT NULL,   -- base64url, 16 bytes
  created_at    DATETIME        NOT NULL,
  UNIQUE KEY ux_subscriptions_endpoint (endpoint_hash),
  KEY ix_subscriptions_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- One row per (notification, subscription): the key that makes a push at most once.
-- state: pending (due_at says when), sent, dropped (400/413/401/403, or refused
-- endpoint), failed (gave up after the retries).
CREATE TABLE deliveries (
  notification_id BIGINT UNSIGNED NOT NULL,
  subscription_id BIGINT UNSIGNED NOT NULL,
  payload         VARBINARY(4000) NOT NULL,  -- the JSON plaintext, <= 3993 bytes
  ttl             INT UNSIGNED    NOT NULL,
  urgency         VARCHAR(8)      NOT NULL,
  state           ENUM('pending','sent','dropped','failed') NOT NULL DEFAULT 'pending',
  attempts        INT UNSIGNED    NOT NULL DEFAULT 0,
  last_status     INT             NULL,
  due_at          DATETIME(3)     NOT NULL,
  created_at      DATETIME(3)     NOT NULL,
  sent_at         DATETIME(3)     NULL,
  PRIMARY KEY (notification_id, subscription_id),
  KEY ix_deliveries_due (state, due_at),
  KEY ix_deliveries_subscription (subscription_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- Reminders of an attended schedule, 24 h and 1 h before it starts; due_at is on the
-- daemon's clock (UTC, plus [push] clock_offset_s in tests).
CREATE TABLE reminders (
  schedule_id BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  kind        ENUM('24h','1h') NOT NULL,
  starts_at   DATETIME        NOT NULL,
  due_at      DATETIME        NOT NULL,
  title       VARCHAR(400)    NOT NULL,
  community_id BIGINT UNSIGNED NOT NULL,
  state       ENUM('pending','sent') NOT NULL DEFAULT 'pending',
  PRIMARY KEY (schedule_id, user_id, kind),
  KEY ix_reminders_due (state, due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
