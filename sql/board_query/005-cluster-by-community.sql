-- 005-cluster-by-community.sql -- posts_view is clustered by (community_id, id): a list page
-- is then one range of consecutive records of the primary key, instead of a range of the
-- secondary index plus one primary-key lookup per post (measured: about 30% less server
-- time per page).  id stays unique, and every upsert and lookup by post id goes through
-- uq_posts_view_id.  (A placeholder row has community_id 0; its post-created moves it.)

ALTER TABLE posts_view
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (community_id, id),
  ADD UNIQUE KEY uq_posts_view_id (id),
  DROP KEY ix_posts_view_list;
