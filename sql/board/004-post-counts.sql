-- 004-post-counts.sql -- the board's own copy of each post's like and comment counts, so
-- somoim-board answers a PATCH with them without reading the read model's schema (each
-- program's DB user reads only its own schema).  Kept by somoim-board-events from
-- v1.event.comment-created / -deleted and v1.event.like-changed: the owners' exact counts
-- with their per-post seqs, a count landing only with a seq above the one the row holds
-- (the read model's rule, kafka-consumers/board-projector/counters.c).

ALTER TABLE posts
  ADD COLUMN like_count    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN like_seq      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN comment_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN comment_seq   BIGINT UNSIGNED NOT NULL DEFAULT 0;
