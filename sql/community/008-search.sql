-- 008-search.sql -- the search index: communities_search (Mroonga) and its gates.
-- @plugin ha_mroonga
--
-- communities_search is a projection of communities for full-text search, in
-- Mroonga's storage mode: a TokenBigram index over name and description (Hangul
-- in bigrams, so 등산 is found inside 주말등산모임 and 등산을), plus the filter and
-- ranking columns.  A private community's description is stored empty: it is
-- found by its name only.  Mroonga has no transactions, so InnoDB stays the
-- truth: the index is written only by somoim-community-search, after the fact,
-- from the community and member events (docs/search.md), and a page's rows are
-- read back from communities.
--
-- search_gates (InnoDB) says which version of each community and which member
-- seq the index holds, so a redelivered or late event cannot move it back, and a
-- deleted community stays deleted (a tombstone).  Its row is locked by every
-- index write, which is also what serialises the rebuild with the daemon.

CREATE TABLE communities_search (
  id           BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  name         VARCHAR(50)   NOT NULL,
  description  VARCHAR(2000) NOT NULL,
  region       VARCHAR(50)   NOT NULL,
  interest     VARCHAR(32)   NOT NULL,
  member_count INT UNSIGNED  NOT NULL,
  FULLTEXT INDEX ft_all (name, description),
  FULLTEXT INDEX ft_name (name),
  KEY k_interest (interest),
  KEY k_region (region),
  KEY k_members (member_count)
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE search_gates (
  community_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  version      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  member_seq   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  member_count INT UNSIGNED    NOT NULL DEFAULT 0,
  deleted      TINYINT(1)      NOT NULL DEFAULT 0
) ENGINE=InnoDB;

-- Communities made before this migration: indexed now, as the rebuild would.
INSERT INTO communities_search (id, name, description, region, interest, member_count)
  SELECT id, name, IF(is_private, '', description), region, interest, member_count
  FROM communities;
INSERT INTO search_gates (community_id, version, member_seq, member_count)
  SELECT id, version, member_seq, member_count FROM communities;
