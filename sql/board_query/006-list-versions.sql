-- 006-list-versions.sql -- a version per community's post list, +1 (by the projector, in
-- the same transaction) whenever any post row of that community changes, and for every
-- community on a rebuild.  somoim-board-query keeps recent list pages in each worker's
-- memory and serves one again only while its community's version is unchanged: a read
-- then costs the access check and this row, not the page's range scan.

CREATE TABLE list_versions (
  community_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  version      BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;
