-- 001-copies.sql -- the schedule service's copies of the communities, memberships and
-- profiles (lib/sm_copy.h, kept by somoim-schedule-events), its inbox for exactly-once
-- event handling, and its outbox (lib/sm_outbox.h) for v1.event.attendance-changed.

-- @include common/copies.sql
-- @include common/processed-events.sql
-- @include common/outbox.sql
