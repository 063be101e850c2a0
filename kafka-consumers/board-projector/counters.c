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
	if (sm_event_post_counter(ev, "comment_count", &post_id, &count, &seq, err, errlen) != 0)
		return -1;
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

	(void)m;
	if (sm_event_post_counter(ev, "like_count", &target_id, &count, &seq, err, errlen) != 0)
		return -1;
	if (target_id == 0)
		return 0;               /* photos: the album's business */
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
