-- 002-deleted-communities.sql -- the communities somoim-chat-events has purged.  Their
-- documents are dropped from the document store, tombstone included, so this row is what
-- keeps a late community-updated, member-* or user-updated event from bringing any of
-- them back (FerretDB even creates a collection for an update that matches nothing).

CREATE TABLE deleted_communities (
  community_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  deleted_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;
