-- 006-copy-versions.sql -- how far each copy of 003-copies.sql has been brought, so a late,
-- older event (a relay retry, a re-driven dead letter) changes nothing.
--
-- user_versions: the user's version (data.version of user-signed-up / user-updated) whose
-- interest list user_interests holds; a user without interests has no rows to carry it.
-- communities.member_seq: the member service's per-community counter (data.seq of
-- member-joined / -left / -updated) whose member_count the row holds; 0 = none yet.
-- member_seqs: the seq whose fact about one member memberships holds (its row, its role, or
-- its absence after a leave -- kept as a tombstone, so a late join cannot resurrect it).
-- Per member as well as per community: a late event about member A must still land after a
-- newer one about member B.

CREATE TABLE user_versions (
  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

ALTER TABLE communities ADD COLUMN member_seq BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER member_count;

CREATE TABLE member_seqs (
  community_id BIGINT UNSIGNED NOT NULL,
  user_id      BIGINT UNSIGNED NOT NULL,
  seq          BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (community_id, user_id)
) ENGINE=InnoDB;
