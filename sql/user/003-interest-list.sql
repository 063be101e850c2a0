-- 003-interest-list.sql -- the user's interest codes, in order, on the user row.
--
-- Reading a profile is the hottest query of the service; a correlated GROUP_CONCAT
-- over user_interests halved its throughput.  user_interests stays the relational
-- truth (foreign keys, "who likes hiking"); this column is its copy for reads,
-- written in the same transaction.

ALTER TABLE users ADD COLUMN interests VARCHAR(400) NOT NULL DEFAULT '' AFTER profile_image;

UPDATE users u SET interests = COALESCE((SELECT GROUP_CONCAT(i.code ORDER BY i.position SEPARATOR ',')
  FROM user_interests i WHERE i.user_id = u.id), '');
