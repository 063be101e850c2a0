-- common/processed-events.sql -- the inbox that makes a consumer daemon's events apply
-- exactly once (lib/sm_consumer.h): each event runs in one transaction with the insert
-- of its id here, and a duplicate key means a redelivery.  Included by each schema a
-- daemon writes to.

CREATE TABLE processed_events (
  consumer_group VARCHAR(100) NOT NULL,
  event_id       CHAR(36)     NOT NULL,
  processed_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, event_id),
  KEY ix_processed_events_at (processed_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
