-- 003-posts-view.sql -- the board's read model (CQRS): one denormalized row per post,
-- everything GET /communities/{id}/posts and GET /posts/{id} answer with, so the list is
-- one range scan of ix_posts_view_list and no join (docs/board.md).
--
-- Built by somoim-board-projector from v1.event.post-*, comment-*, like-changed and
-- user-signed-up/-updated; rebuilt from the source tables by `somoim-board-projector
-- rebuild`, which is why this schema's account may read the board, comment and like
-- schemas (the @reads line below; dev/migrate grants SELECT on them).
--
-- Each part of a row moves only forward: the post by the board's version, comment_count
-- by the comment service's per-post seq, like_count by the like service's per-target
-- seq.  A comment or like event that arrives before its post-created (different topics
-- are not ordered) leaves a placeholder row (version 0), which no read shows.  A deleted
-- post stays as a tombstone (deleted = 1, counters and their seqs 0, later counter
-- events ignored).  author_name/author_image follow copy_profiles.
--
-- projection_gate: the rebuild holds its one row FOR UPDATE while it replaces the rows;
-- every projector transaction takes it shared first, so no event is applied to rows the
-- rebuild is about to replace.
-- @reads board comment like

CREATE TABLE posts_view (
  id            BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  community_id  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  author_id     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  author_name   VARCHAR(50)     NOT NULL DEFAULT '',
  author_image  VARCHAR(500)    NULL,
  title         VARCHAR(200)    NOT NULL DEFAULT '',
  body          MEDIUMTEXT      NOT NULL,
  created_at    CHAR(20) CHARACTER SET ascii NOT NULL DEFAULT '',
  updated_at    CHAR(20) CHARACTER SET ascii NOT NULL DEFAULT '',
  version       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  deleted       TINYINT(1)      NOT NULL DEFAULT 0,
  like_count    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  like_seq      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  comment_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  comment_seq   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  KEY ix_posts_view_list (community_id, deleted, id),
  KEY ix_posts_view_author (author_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE projection_gate (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB;
INSERT INTO projection_gate (id) VALUES (1);
