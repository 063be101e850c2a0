-- 003-posts.sql -- the posts: the write side of the board (somoim-board).  The read side is
-- the denormalized sql/board_query/ posts_view, fed by events.
--
-- version is +1 per change (1 at creation) and travels in every post event, so a consumer
-- moves its copy only forward.  A deleted post keeps its row as a tombstone (deleted = 1,
-- title and body kept): the read model's rebuild (somoim-board-projector rebuild) reads
-- this table, and a tombstone with its version is what makes a late post-created or
-- post-updated event harmless after a rebuild too.  title: 1..200 characters, body:
-- 1..20,000 (checked by the service; MEDIUMTEXT because 20,000 utf8mb4 characters can
-- pass TEXT's 64 KiB).

CREATE TABLE posts (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  community_id BIGINT UNSIGNED NOT NULL,
  author_id    BIGINT UNSIGNED NOT NULL,
  title        VARCHAR(200)    NOT NULL,
  body         MEDIUMTEXT      NOT NULL,
  created_at   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  version      BIGINT UNSIGNED NOT NULL DEFAULT 1,
  deleted      TINYINT(1)      NOT NULL DEFAULT 0,
  KEY ix_posts_community (community_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
