-- 003-likes.sql -- what can be liked, and who likes it.
--
-- targets is keyed by (target_type, target_id): posts come from the board's events
-- (somoim-like-events keeps them, moving only to a newer version); photos plug in the
-- same way once the album service emits its events.  The row is also the per-target
-- counter: like_count and seq change in the same transaction as the like row, under the
-- target row's lock, and only when a like row really was inserted or deleted -- so
-- like_count is exact whatever the concurrency and a repeated PUT changes nothing.  A
-- deleted target stays as a tombstone (deleted = 1, counters 0), its likes deleted.

CREATE TABLE targets (
  target_type  ENUM('post', 'photo') NOT NULL,
  target_id    BIGINT UNSIGNED NOT NULL,
  community_id BIGINT UNSIGNED NOT NULL,
  owner_id     BIGINT UNSIGNED NOT NULL,
  version      BIGINT          NOT NULL,
  deleted      TINYINT(1)      NOT NULL DEFAULT 0,
  like_count   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  seq          BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (target_type, target_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE likes (
  target_type ENUM('post', 'photo') NOT NULL,
  target_id   BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (target_type, target_id, user_id),
  KEY ix_likes_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
