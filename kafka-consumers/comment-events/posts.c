/*
 * posts.c -- the comment schema's copy of the board's posts, from
 * v1.event.post-created / -updated / -deleted.
 *
 * The one design decision: the three events come on three topics, which Kafka
 * does not order against each other, so each handler is right in any order.
 * created and updated upsert the copy and move it only to a newer version;
 * deleted leaves a tombstone (deleted = 1, comment_count 0) that a late
 * created or updated never revives, and removes the post's comments.  The
 * upsert takes the post row's lock, which every comment write holds while it
 * runs, so no comment can slip in after the post's comments were removed.
 * comment_count and seq are this service's own, never the board's.
 */
#include "posts.h"
#include "sm_db.h"
#include "sm_kafka.h"

#include <stdio.h>

/* The SET list runs left to right: version is assigned last. */
static const char UPSERT[] =
    "INSERT INTO posts (id, community_id, author_id, title, version) VALUES (?, ?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE "
    "title = IF(deleted = 0 AND VALUES(version) > version, VALUES(title), title), "
    "version = IF(deleted = 0, GREATEST(version, VALUES(version)), version)";

static const char TOMBSTONE[] =
    "INSERT INTO posts (id, community_id, author_id, version, deleted) VALUES (?, ?, ?, ?, 1) "
    "ON DUPLICATE KEY UPDATE deleted = 1, comment_count = 0, "
    "version = GREATEST(version, VALUES(version))";

struct post {
	long long id, community_id, author_id, version;
	const char *title;
};

/* Reads the post event's data; -1 after writing what is wrong into err. */
static int
parse(const struct sm_event *ev, int with_title, struct post *p, char *err, size_t errlen)
{
	p->title = NULL;
	if (sm_event_ids(ev, err, errlen, "id", &p->id, "community_id", &p->community_id,
	    "author_id", &p->author_id, "version", &p->version, (char *)NULL) != 0)
		return -1;
	if (with_title && (p->title = sm_event_str(ev->data, "title")) == NULL)
		return sm_event_bad(ev, "title", err, errlen);
	return 0;
}

int
comment_post_upsert(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct post p;

	(void)m;
	if (parse(ev, 1, &p, err, errlen) != 0)
		return -1;
	return sm_db_exec(db, NULL, UPSERT, "iiisi", p.id, p.community_id, p.author_id, p.title,
	    p.version);
}

int
comment_post_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct post p;

	(void)m;
	if (parse(ev, 0, &p, err, errlen) != 0)
		return -1;
	if (sm_db_exec(db, NULL, TOMBSTONE, "iiii", p.id, p.community_id, p.author_id,
	    p.version) != 0)
		return -1;
	return sm_db_exec(db, NULL, "DELETE FROM comments WHERE post_id = ?", "i", p.id);
}
