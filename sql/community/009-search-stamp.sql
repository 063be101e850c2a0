-- 009-search-stamp.sql -- the search index's stamp: one row, bumped by every index write.
--
-- somoim-community-search raises `stamp` in the same transaction as each write to
-- communities_search (after the Mroonga write, so a reader that sees the new stamp also
-- sees the write), and keeps `max_id`, the newest id indexed, which pins a search's pages.
-- The community program keeps search answers per worker for one stamp
-- (fcgi-apps/community/search_cache.c): anything that writes communities_search by hand
-- must bump the stamp too, or workers keep answering from what they read before.

CREATE TABLE search_stamp (
  id     TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  stamp  BIGINT UNSIGNED  NOT NULL,
  max_id BIGINT UNSIGNED  NOT NULL
) ENGINE=InnoDB;

INSERT INTO search_stamp (id, stamp, max_id)
  SELECT 1, 1, COALESCE(MAX(id), 0) FROM communities_search;
