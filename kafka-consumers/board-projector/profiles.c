/*
 * profiles.c -- v1.event.user-signed-up / user-updated: this schema's
 * copy_profiles (lib/sm_copy.c), then the author name and image of every
 * live post by that user, from the copy as it now stands.  user-deleted is
 * the same with the copy turned into the neutral author ("탈퇴한 회원", no
 * image), which the rebuild then joins with too.
 *
 * Copying from copy_profiles rather than from the event keeps the posts on
 * the newest profile even when an older event arrives late (the copy moves
 * only to a newer version), and it is exactly what the rebuild joins with.
 * One UPDATE per event over ix_posts_view_author.
 */
#include "projector.h"
#include "sm_copy.h"
#include "sm_db.h"

static const char AUTHOR_UPDATE[] =
    "UPDATE posts_view v JOIN copy_profiles p ON p.user_id = v.author_id"
    " SET v.author_name = p.name, v.author_image = p.profile_image"
    " WHERE v.author_id = ? AND v.deleted = 0 AND v.version > 0";

static int
update_posts(struct sm_db *db, const struct sm_event *ev)
{
	long long user_id;

	if (sm_event_int(ev->data, "user_id", &user_id) != 0 || user_id <= 0)
		return -1;
	if (sm_db_exec(db, NULL, AUTHOR_UPDATE, "i", user_id) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return 0;
	if (sm_db_exec(db, NULL, "UPDATE posts_view SET doc = " DOC_EXPR
	    " WHERE author_id = ? AND deleted = 0 AND version > 0", "i", user_id) != 0)
		return -1;
	return sm_db_exec(db, NULL, "INSERT INTO list_versions (community_id, version)"
	    " SELECT DISTINCT community_id, 1 FROM posts_view"
	    " WHERE author_id = ? AND deleted = 0 AND version > 0"
	    " ON DUPLICATE KEY UPDATE version = list_versions.version + 1", "i", user_id);
}

int
profile_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	if (projector_gate(db) != 0 || sm_copy_profile_apply(db, ev, m, err, errlen) != 0)
		return -1;
	return update_posts(db, ev);
}

int
profile_batch(struct sm_db *db, const struct sm_event *evs, size_t n)
{
	size_t i;

	if (projector_gate(db) != 0 || sm_copy_profile_batch(db, evs, n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (update_posts(db, &evs[i]) != 0)
			return -1;
	return 0;
}

int
profile_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	if (projector_gate(db) != 0 || sm_copy_profile_deleted(db, ev, m, err, errlen) != 0)
		return -1;
	return update_posts(db, ev);
}
