-- 003-processed-commands.sql -- the kafka strategy's command inbox: each attendance
-- command somoim-schedule-attendance applied, by the command_id its producer gave it,
-- with the outcome it answered.
--
-- The one design decision: the row goes in as the last statement of the transaction
-- that changes the seat (fcgi-apps/schedule/seats.h, the hook), so a command is either
-- applied and recorded or neither.  A redelivered command (a consumer crash before its
-- offset was committed; the member-left give-back sent again) finds its row and is
-- answered from it -- the recorded status, promoted member and changed flag, with the
-- schedule as it is now -- instead of being applied again.  Rows are pruned after a day
-- (the consumer, in chunks): no command lives that long, since every command carries a
-- deadline (the HTTP side's is seconds away, the give-back's twelve hours) after which
-- the consumer drops it unread.

CREATE TABLE processed_commands (
  command_id       CHAR(36)                 NOT NULL,
  op               ENUM('attend', 'cancel') NOT NULL,
  schedule_id      BIGINT UNSIGNED          NOT NULL,
  user_id          BIGINT UNSIGNED          NOT NULL,
  status           ENUM('attending', 'waitlisted', 'none') NOT NULL,
  promoted_user_id BIGINT UNSIGNED          NULL,
  changed          BOOLEAN                  NOT NULL,
  processed_at     DATETIME(3)              NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (command_id),
  KEY ix_processed_commands_at (processed_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
