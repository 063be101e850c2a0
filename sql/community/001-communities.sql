-- 001-communities.sql -- communities, and this schema's copy of the interest catalogue.
--
-- The catalogue is the user service's (sql/user/002-interests.sql); a service owns its
-- schema alone, so the codes a community may carry are seeded here too (002) and a new
-- code needs a migration in both.  Text columns are utf8mb4_unicode_ci: search is a LIKE
-- over name and description (see store.c), which finds Korean substrings under it.
-- member_count starts at 1 (the owner) and is kept by the member side's events later.
-- version is +1 on every change and travels in the community events (data.version), so a
-- consumer can drop an event older than the copy it holds.

CREATE TABLE interests (
  code     VARCHAR(32) NOT NULL PRIMARY KEY,
  name     VARCHAR(50) NOT NULL,
  position INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE communities (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name         VARCHAR(50)   NOT NULL,
  description  VARCHAR(2000) NOT NULL DEFAULT '',
  region       VARCHAR(50)   NOT NULL,
  interest     VARCHAR(32)   NOT NULL,
  max_members  INT UNSIGNED  NOT NULL,
  member_count INT UNSIGNED  NOT NULL DEFAULT 1,
  owner_id     BIGINT UNSIGNED NOT NULL,
  is_private   TINYINT(1)    NOT NULL DEFAULT 0,
  version      BIGINT UNSIGNED NOT NULL DEFAULT 1,
  created_at   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_communities_interest (interest, id),
  KEY ix_communities_region (region, id),
  KEY ix_communities_owner (owner_id),
  KEY ix_communities_rank (interest, member_count, updated_at),
  CONSTRAINT fk_communities_interest FOREIGN KEY (interest) REFERENCES interests (code),
  CONSTRAINT ck_communities_max CHECK (max_members BETWEEN 2 AND 1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The wishlist (찜): id orders it newest first and is its cursor; a community that goes
-- takes its wishes with it.
CREATE TABLE wishlist (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id      BIGINT UNSIGNED NOT NULL,
  community_id BIGINT UNSIGNED NOT NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_wishlist_user_community (user_id, community_id),
  KEY ix_wishlist_user (user_id, id),
  CONSTRAINT fk_wishlist_community FOREIGN KEY (community_id) REFERENCES communities (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
