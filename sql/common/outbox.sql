-- common/outbox.sql -- the transactional outbox (lib/sm_outbox.h), included by each
-- schema that emits events.
--
-- A row is written in the same transaction as the change it announces; the relay
-- (kafka-consumers/outbox-relay) reads unpublished rows in id order, publishes them
-- and sets published_at; published rows are deleted after [outbox-relay]
-- retention_seconds.  ix_outbox_unpublished serves both "published_at IS NULL ORDER
-- BY id" and the retention sweep on published_at.

CREATE TABLE outbox (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id     CHAR(36) CHARACTER SET ascii NOT NULL,
  topic        VARCHAR(200) CHARACTER SET ascii NOT NULL,
  msg_key      VARCHAR(200) NOT NULL,
  payload      MEDIUMTEXT NOT NULL,
  request_id   VARCHAR(64) CHARACTER SET ascii NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  published_at DATETIME(3) NULL,
  UNIQUE KEY uq_outbox_event (event_id),
  KEY ix_outbox_unpublished (published_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
