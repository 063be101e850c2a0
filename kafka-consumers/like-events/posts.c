/*
 * posts.c -- the like schema's targets of type "post", from the board's
 * v1.event.post-created / -updated / -deleted.
 *
 * The one design decision: as in somoim-comment-events, each handler is right
 * in any arrival order -- the copy moves only to a newer version, and a
 * deleted post stays a tombstone (deleted = 1, like_count 0) that no late
 * event revives.  The tombstone write takes the target row's lock, which every
 * like write holds while it runs, so no like slips in after the post's likes
 * were removed.  like_count and seq are this service's own.
 */
#include "posts.h"
#include "sm_db.h"
#include "sm_kafka.h"

#include <stdio.h>

static const char UPSERT[] =
    "INSERT INTO targets (target_type, target_id, community_id, owner_id, version)"
    " VALUES ('post', ?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE "
    "version = IF(deleted = 0, GREATEST(version, VALUES(version)), version)";

static const char TOMBSTONE[] =
    "INSERT INTO targets (target_type, target_id, community_id, owner_id, version, deleted)"
    " VALUES ('post', ?, ?, ?, ?, 1) "
    "ON DUPLICATE KEY UPDATE deleted = 1, like_count = 0, "
    "version = GREATEST(version, VALUES(version))";

struct post {
	long long id, community_id, author_id, version;
};

/* Reads the post event's data; -1 after writing what is wrong into err. */
static int
parse(const struct sm_event *ev, struct post *p, char *err, size_t errlen)
{
	return sm_event_ids(ev, err, errlen, "id", &p->id, "community_id", &p->community_id,
	    "author_id", &p->author_id, "version", &p->version, (char *)NULL);
}

int
like_post_upsert(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct post p;

	(void)m;
	if (parse(ev, &p, err, errlen) != 0)
		return -1;
	return sm_db_exec(db, NULL, UPSERT, "iiii", p.id, p.community_id, p.author_id,
	    p.version);
}

int
like_post_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct post p;

	(void)m;
	if (parse(ev, &p, err, errlen) != 0)
		return -1;
	if (sm_db_exec(db, NULL, TOMBSTONE, "iiii", p.id, p.community_id, p.author_id,
	    p.version) != 0)
		return -1;
	return sm_db_exec(db, NULL, "DELETE FROM likes WHERE target_type = 'post'"
	    " AND target_id = ?", "i", p.id);
}
