/*
 * posts.c -- v1.event.post-created / post-updated / post-deleted into
 * posts_view.
 *
 * A post event lands only over an older version; a placeholder row (version
 * 0, left by a comment or like event that came first) takes the post and
 * keeps its counters.  A deletion turns the row into a tombstone: content,
 * author and counters blanked, deleted = 1, so no read shows it, a late
 * created/updated event cannot bring it back, and later counter events are
 * ignored.  The author's name and image come from this schema's
 * copy_profiles (profiles.c keeps them current afterwards).
 */
#include "projector.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_log.h"

#include <stdio.h>
#include <string.h>

/*
 * The row of post id, locked: 1 with *version and *deleted, 0 when there is
 * none, -1 on error.
 */
static int
lock_row(struct sm_db *db, long long id, long long *version, int *deleted)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT version, deleted FROM posts_view WHERE id = ? FOR UPDATE",
	    "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*version = sm_rows_int(rows, 0);
		*deleted = sm_rows_int(rows, 1) != 0;
	}
	sm_rows_free(rows);
	return r;
}

/* The positive integers every post event carries; -1 with the reason in err. */
static int
post_keys(const struct sm_event *ev, long long *id, long long *community_id,
    long long *author_id, long long *version, char *err, size_t errlen)
{
	return sm_event_ids(ev, err, errlen, "id", id, "community_id", community_id,
	    "author_id", author_id, "version", version, (char *)NULL);
}

int
post_upsert(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id, community_id, author_id, version, have = 0;
	const char *title, *body, *created_at, *updated_at;
	char name[256], image[1024];
	int r, deleted = 0;

	(void)m;
	if (post_keys(ev, &id, &community_id, &author_id, &version, err, errlen) != 0)
		return -1;
	if ((title = sm_event_str(ev->data, "title")) == NULL)
		return sm_event_bad(ev, "title", err, errlen);
	if ((body = sm_event_str(ev->data, "body")) == NULL)
		return sm_event_bad(ev, "body", err, errlen);
	if ((created_at = sm_event_str(ev->data, "created_at")) == NULL || strlen(created_at) > 20)
		return sm_event_bad(ev, "created_at", err, errlen);
	if ((updated_at = sm_event_str(ev->data, "updated_at")) == NULL || strlen(updated_at) > 20)
		return sm_event_bad(ev, "updated_at", err, errlen);

	if (projector_gate(db) != 0 || (r = lock_row(db, id, &have, &deleted)) < 0)
		return -1;
	if (r == 1 && (deleted || have >= version))
		return 0;               /* a newer state or a tombstone is there */
	if (sm_copy_profile(db, author_id, name, sizeof(name), image, sizeof(image)) < 0)
		return -1;
	if (sm_db_exec(db, NULL, "INSERT INTO posts_view (id, community_id, author_id,"
	    " author_name, author_image, title, body, created_at, updated_at, version)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " community_id = VALUES(community_id), author_id = VALUES(author_id),"
	    " author_name = VALUES(author_name), author_image = VALUES(author_image),"
	    " title = VALUES(title), body = VALUES(body), created_at = VALUES(created_at),"
	    " updated_at = VALUES(updated_at), version = VALUES(version)", "iiissssssi",
	    id, community_id, author_id, name, image[0] != '\0' ? image : NULL, title, body,
	    created_at, updated_at, version) != 0)
		return -1;
	return projector_doc(db, id);
}

int
post_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id, community_id, author_id, version, have = 0;
	int r, deleted = 0;

	(void)m;
	if (post_keys(ev, &id, &community_id, &author_id, &version, err, errlen) != 0)
		return -1;

	if (projector_gate(db) != 0 || (r = lock_row(db, id, &have, &deleted)) < 0)
		return -1;
	if (r == 1 && deleted)
		return 0;
	/* The tombstone: what the rebuild makes of a deleted source row. */
	if (sm_db_exec(db, NULL, "INSERT INTO posts_view (id, community_id, author_id, body,"
	    " version, deleted) VALUES (?, ?, ?, '', ?, 1) ON DUPLICATE KEY UPDATE"
	    " community_id = VALUES(community_id), author_id = VALUES(author_id),"
	    " author_name = '', author_image = NULL, title = '', body = '', created_at = '',"
	    " updated_at = '', version = GREATEST(version, VALUES(version)), deleted = 1,"
	    " like_count = 0, like_seq = 0, comment_count = 0, comment_seq = 0", "iiii",
	    id, community_id, author_id, version) != 0)
		return -1;
	return projector_doc(db, id);
}
