-- 002-schedules.sql -- meetups (정모) and who attends them.
--
-- The one design decision: schedules.participant_count and waitlist_count are the
-- service's own counters, changed only in the transaction that inserts, deletes or
-- promotes an attendance row, so they always equal the rows (the tests check it).  How
-- that transaction is kept from racing is the [schedule] strategy (fcgi-apps/schedule/
-- seats.c): a guarded UPDATE (conditional-update), the version column (optimistic),
-- SELECT ... FOR UPDATE (pessimistic), a Redis lock (redis-lock) or one Kafka partition
-- per schedule (kafka).  seq is +1 per attendance change and travels in the event, so a
-- consumer can order them.
--
-- attendances has one row per (schedule, member): the primary key makes a repeated PUT
-- a no-op.  queue_id is a global AUTO_INCREMENT that orders the waitlist first come,
-- first served; a promotion keeps it.

CREATE TABLE schedules (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  community_id      BIGINT UNSIGNED NOT NULL,
  title             VARCHAR(100)    NOT NULL,
  starts_at         DATETIME(3)     NOT NULL,
  place             VARCHAR(200)    NOT NULL,
  fee               INT UNSIGNED    NOT NULL DEFAULT 0,
  max_participants  INT UNSIGNED    NOT NULL,
  participant_count INT UNSIGNED    NOT NULL DEFAULT 0,
  waitlist_count    INT UNSIGNED    NOT NULL DEFAULT 0,
  version           BIGINT UNSIGNED NOT NULL DEFAULT 0,
  seq               BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_by        BIGINT UNSIGNED NOT NULL,
  created_at        DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_schedules_list (community_id, starts_at, id),
  CONSTRAINT ck_schedules_cap CHECK (participant_count <= max_participants)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE attendances (
  schedule_id BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  status      ENUM('attending', 'waitlisted') NOT NULL,
  queue_id    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  created_at  DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (schedule_id, user_id),
  UNIQUE KEY uq_attendances_queue (queue_id),
  KEY ix_attendances_status (schedule_id, status, queue_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
