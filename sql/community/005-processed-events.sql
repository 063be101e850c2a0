-- 005-processed-events.sql -- the inbox that makes the events somoim-community-events
-- consumes (kafka-consumers/community-events) apply exactly once: each event runs in one
-- transaction with INSERT IGNORE INTO processed_events, and 0 rows means a redelivery.
-- Same shape as sql/member/001-profiles.sql's (lib/sm_consumer.h).

CREATE TABLE processed_events (
  consumer_group VARCHAR(100) NOT NULL,
  event_id       CHAR(36)     NOT NULL,
  processed_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, event_id),
  KEY ix_processed_events_at (processed_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
