/*
 * main.c -- somoim-board-events: keeps the board schema's copies of
 * communities, memberships and profiles (lib/sm_copy.h), from which
 * somoim-board decides who may post, edit and delete and names a new post's
 * author.  The loop, retries, dead letters and shutdown are lib/sm_consumer.c;
 * the copy handlers are lib/sm_copy.c.
 *
 * The one handler of its own: a deleted community's posts are deleted, each
 * with its v1.event.post-deleted (fcgi-apps/board/store.c, the board's SQL in
 * one place), in the transaction that records the event.  The comments, likes
 * and read-model rows of those posts then go through the handlers that already
 * remove one deleted post's, and none of those services needs to know about
 * communities being deleted.
 *
 * And the board's copy of each post's comment and like counts (sql/board/004),
 * which a PATCH answers with: somoim-board reads no other schema.
 */
#include "fcgi-apps/board/libboard.h"
#include "sm_consumer.h"
#include "sm_copy.h"
#include "sm_kafka.h"

#include <string.h>

static int
community_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id;
	char rid[128];

	if (sm_copy_community_deleted(db, ev, m, err, errlen) != 0 ||
	    sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	return store_community_deleted(db, id,
	    sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0 ? rid : NULL);
}

/* The owners' counts (comment-created/-deleted, like-changed) into the board's copy. */
static int
counter_changed(struct sm_db *db, const struct sm_event *ev, const char *count_key,
    char *err, size_t errlen)
{
	long long id, count, seq;

	if (sm_event_post_counter(ev, count_key, &id, &count, &seq, err, errlen) != 0)
		return -1;
	if (id == 0)
		return 0;
	return strcmp(count_key, "like_count") == 0 ? store_like_count(db, id, count, seq) :
	    store_comment_count(db, id, count, seq);
}

static int
comment_changed(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	(void)m;
	return counter_changed(db, ev, "comment_count", err, errlen);
}

static int
like_changed(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	(void)m;
	return counter_changed(db, ev, "like_count", err, errlen);
}

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_PROFILE_HANDLERS,
	SM_COPY_MEMBER_HANDLERS,
	SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", community_deleted, NULL },
	SM_COPY_USER_DELETED_HANDLER,   /* posts stay; their author becomes the neutral one */
	{ "v1.event.comment-created", comment_changed, NULL },
	{ "v1.event.comment-deleted", comment_changed, NULL },
	{ "v1.event.like-changed", like_changed, NULL },
};

static const struct sm_consumer board_events = {
	.name = "board-events",
	.group = "board",
	.schema = "board",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&board_events);
}
