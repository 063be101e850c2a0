/*
 * main.c -- somoim-comment-events: keeps the comment schema's copies -- of
 * communities, memberships and profiles (lib/sm_copy.c: who may comment, and
 * the authors' names) and of the board's posts (posts.c: which posts exist,
 * their title and author for comment-created; a deleted post's comments go).
 * The loop, retries, dead letters and shutdown are lib/sm_consumer.c; this
 * is only the table.
 */
#include "posts.h"
#include "sm_consumer.h"
#include "sm_copy.h"

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_PROFILE_HANDLERS, SM_COPY_MEMBER_HANDLERS, SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", sm_copy_community_deleted, NULL },
	{ "v1.event.user-deleted", comment_user_deleted, NULL },
	{ "v1.event.post-created", comment_post_upsert, NULL },
	{ "v1.event.post-updated", comment_post_upsert, NULL },
	{ "v1.event.post-deleted", comment_post_deleted, NULL },
};

static const struct sm_consumer comment_events = {
	.name = "comment-events",
	.group = "comment",
	.schema = "comment",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&comment_events);
}
