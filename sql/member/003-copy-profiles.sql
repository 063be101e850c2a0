-- 003-copy-profiles.sql -- the profile copy takes the name every schema's copy has
-- (sql/common/copies.sql), so somoim-member-events keeps it with lib/sm_copy.c's
-- handlers like every other service's daemon does.

RENAME TABLE member_profiles TO copy_profiles;
