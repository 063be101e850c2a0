/*
 * counters.c -- comment_count from v1.event.comment-created / -deleted and
 * like_count from v1.event.like-changed (posts only) into posts_view.
 *
 * The events carry the owner's exact count after the change and its
 * per-post seq; a count lands only with a seq above the one the row holds,
 * so duplicates, reorderings and a replay after a rebuild change nothing.
 * A counter that comes before its post leaves a placeholder row (version 0,
 * community_id 0: no read shows it) that post-created then fills.  A
 * tombstone (deleted post) takes no counts.
 *
 * MariaDB evaluates the SET list left to right, each assignment seeing the
 * ones before it: the count is assigned first, while the seq is still the
 * old one.  doc is set again only when the row changed (affected rows: 0
 * for an upsert that changed nothing).
 */
#include "projector.h"
#include "sm_db.h"

#include <stdio.h>
#include <string.h>

int
comment_changed(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long post_id, count, seq;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "post_id", &post_id, "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "comment_count", &count) != 0 || count < 0)
		return sm_event_bad(ev, "comment_count", err, errlen);
	if (projector_gate(db) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "INSERT INTO posts_view (id, body, comment_count, comment_seq)"
	    " VALUES (?, '', ?, ?) ON DUPLICATE KEY UPDATE"
	    " comment_count = IF(deleted = 0 AND VALUES(comment_seq) > comment_seq,"
	    "   VALUES(comment_count), comment_count),"
	    " comment_seq = IF(deleted = 0, GREATEST(comment_seq, VALUES(comment_seq)), comment_seq)",
	    "iii", post_id, count, seq) != 0)
		return -1;
	return sm_db_affected(db) > 0 ? projector_doc(db, post_id) : 0;
}

int
like_changed(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long target_id, count, seq;
	const char *type;

	(void)m;
	if ((type = sm_event_str(ev->data, "target_type")) == NULL)
		return sm_event_bad(ev, "target_type", err, errlen);
	if (strcmp(type, "post") != 0)
		return 0;               /* photos: the album's business */
	if (sm_event_ids(ev, err, errlen, "target_id", &target_id, "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "like_count", &count) != 0 || count < 0)
		return sm_event_bad(ev, "like_count", err, errlen);
	if (projector_gate(db) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "INSERT INTO posts_view (id, body, like_count, like_seq)"
	    " VALUES (?, '', ?, ?) ON DUPLICATE KEY UPDATE"
	    " like_count = IF(deleted = 0 AND VALUES(like_seq) > like_seq, VALUES(like_count),"
	    "   like_count),"
	    " like_seq = IF(deleted = 0, GREATEST(like_seq, VALUES(like_seq)), like_seq)",
	    "iii", target_id, count, seq) != 0)
		return -1;
	return sm_db_affected(db) > 0 ? projector_doc(db, target_id) : 0;
}
