-- common/copies.sql -- a schema's copies of the communities, memberships and profiles
-- other services own, kept by events through lib/sm_copy.c (SM_COPY_HANDLERS in the
-- schema's daemon) and read by sm_copy_access() / sm_copy_profile().
--
-- Each row moves only forward: copy_communities and copy_profiles by the owner's
-- version, copy_members by the member service's per-community seq.  A left member keeps
-- the row with role NULL and a deleted community keeps its row with deleted = 1, so an
-- older event arriving late (different topics are not ordered) cannot bring them back.

CREATE TABLE copy_communities (
  id         BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  owner_id   BIGINT UNSIGNED NOT NULL,
  name       VARCHAR(50)     NOT NULL,
  is_private TINYINT(1)      NOT NULL DEFAULT 0,
  version    BIGINT          NOT NULL,
  deleted    TINYINT(1)      NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE copy_members (
  community_id BIGINT UNSIGNED NOT NULL,
  user_id      BIGINT UNSIGNED NOT NULL,
  role         ENUM('owner', 'admin', 'member') NULL,
  seq          BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (community_id, user_id),
  KEY ix_copy_members_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE copy_profiles (
  user_id       BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  name          VARCHAR(50)  NOT NULL,
  profile_image VARCHAR(500) NULL,
  version       BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
