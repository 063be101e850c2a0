-- 007-departed-users.sql -- accounts that were deleted (v1.event.user-deleted), kept by
-- somoim-community-events.  Creating a community share-locks its owner's entry here and
-- the user-deleted handler inserts the entry before it deletes the communities the account
-- still owns, so a community created while the account was being deleted is either seen
-- and deleted, or not created: no community is ever left without its owner.

CREATE TABLE departed_users (
  user_id    BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  deleted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;
