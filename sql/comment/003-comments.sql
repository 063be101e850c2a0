-- 003-comments.sql -- the posts this service has heard of, and their comments.
--
-- posts is a copy of the board's posts (v1.event.post-created / -updated / -deleted, kept
-- by somoim-comment-events, moving only to a newer version) and at the same time the
-- per-post counters row: comment_count and seq belong to this service alone.  Every
-- comment write locks its post's row first (SELECT ... FOR UPDATE), so the count a
-- comment event carries is exact under any concurrency and seq is a true order.  A
-- deleted post keeps its row as a tombstone (deleted = 1, counters back to 0) so a late
-- created/updated event cannot bring it back; its comments are deleted with it.
--
-- comments are listed oldest first by id (the cursor is the last id shown); body is at
-- most 2,000 characters (checked by the service).

CREATE TABLE posts (
  id            BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  community_id  BIGINT UNSIGNED NOT NULL,
  author_id     BIGINT UNSIGNED NOT NULL,
  title         VARCHAR(500)    NOT NULL DEFAULT '',
  version       BIGINT          NOT NULL,
  deleted       TINYINT(1)      NOT NULL DEFAULT 0,
  comment_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  seq           BIGINT UNSIGNED NOT NULL DEFAULT 0,
  KEY ix_posts_community (community_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE comments (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  post_id      BIGINT UNSIGNED NOT NULL,
  community_id BIGINT UNSIGNED NOT NULL,
  author_id    BIGINT UNSIGNED NOT NULL,
  body         TEXT            NOT NULL,
  created_at   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_comments_post (post_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
