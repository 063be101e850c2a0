-- 002-communities.sql -- the member service's own data: who belongs to which community
-- with which role, its copy of the communities (kept by somoim-member-events from
-- v1.event.community-*), and its outbox (lib/sm_outbox.h).
--
-- The one design decision: the member cap is enforced here, on this schema's copy.
-- communities.member_count is this service's count (the community service's copy of it is
-- fed back by v1.event.member-*); a join increments it with "... WHERE member_count <
-- max_members" in the transaction that inserts the member row, so it can never pass
-- max_members whatever the concurrency.  version is the community service's (a copy
-- moves only to a newer one); seq is ours, +1 on every join, leave and role change, and
-- travels in the member events so a consumer applies member_count/role only when newer.
--
-- members.join_id only orders: the member list is owner, admins, then members by join
-- order, and "users/me/communities" newest join first; both page on it (sm_cursor).
-- community_tombstones remembers deleted ids, so a community-created or -updated that
-- arrives after the community-deleted (different topics) cannot bring the copy back.

CREATE TABLE communities (
  id           BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  name         VARCHAR(50)   NOT NULL,
  description  VARCHAR(2000) NOT NULL DEFAULT '',
  region       VARCHAR(50)   NOT NULL,
  interest     VARCHAR(32)   NOT NULL,
  max_members  INT UNSIGNED  NOT NULL,
  member_count INT UNSIGNED  NOT NULL DEFAULT 0,
  owner_id     BIGINT UNSIGNED NOT NULL,
  is_private   TINYINT(1)    NOT NULL DEFAULT 0,
  created_at   DATETIME(3)   NOT NULL,
  version      BIGINT UNSIGNED NOT NULL,
  seq          BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE members (
  community_id BIGINT UNSIGNED NOT NULL,
  user_id      BIGINT UNSIGNED NOT NULL,
  role         ENUM('owner', 'admin', 'member') NOT NULL DEFAULT 'member',
  joined_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  join_id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (community_id, user_id),
  UNIQUE KEY uq_members_join (join_id),
  KEY ix_members_list (community_id, role, join_id),
  KEY ix_members_user (user_id, join_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE community_tombstones (
  id         BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  deleted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

CREATE TABLE outbox (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id     CHAR(36) CHARACTER SET ascii NOT NULL,
  topic        VARCHAR(200) CHARACTER SET ascii NOT NULL,
  msg_key      VARCHAR(200) NOT NULL,
  payload      MEDIUMTEXT NOT NULL,
  request_id   VARCHAR(64) CHARACTER SET ascii NULL,
  created_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  published_at DATETIME(3) NULL,
  UNIQUE KEY uq_outbox_event (event_id),
  KEY ix_outbox_unpublished (published_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
