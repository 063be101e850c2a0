-- 003-schedule-states.sql -- the newest state somoim-push has heard of each schedule:
-- its version, start, title, and whether it was cancelled.
--
-- The one design decision: a schedule's events come on three topics (attendance-changed,
-- schedule-updated, schedule-cancelled), ordered within each but not across them, and
-- each carries the schedule's version.  A row here changes only for a higher version (a
-- cancel, the last change, is final), and the reminders are made from this row rather than
-- from the event at hand, so a late or redelivered older event cannot move them back or
-- bring back those of a cancelled schedule (kafka-consumers/push/schedules.c).  Rows of
-- schedules that started more than a day ago are pruned as events come.
CREATE TABLE schedule_states (
  schedule_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  version     BIGINT UNSIGNED NOT NULL,
  starts_at   DATETIME        NOT NULL,
  title       VARCHAR(400)    NOT NULL,
  cancelled   TINYINT         NOT NULL DEFAULT 0,
  KEY ix_schedule_states_starts (starts_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
