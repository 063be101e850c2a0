/*
 * main.c -- somoim-like-events: keeps the like schema's copies -- of
 * communities and memberships (lib/sm_copy.c: who may like what) and of the
 * things that can be liked (posts.c: the board's posts; photos.c: the
 * album's photos).  A deleted post's or photo's likes go with it.  The
 * loop, retries, dead letters and shutdown are lib/sm_consumer.c; this is
 * only the table.
 *
 * No profile handlers: the like service shows no names, so it does not
 * subscribe to the user topics at all (its copy_profiles table, from the
 * shared copies DDL, stays empty).
 */
#include "photos.h"
#include "posts.h"
#include "sm_consumer.h"
#include "sm_copy.h"

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_MEMBER_HANDLERS,         /* copy_members: lib/sm_copy.c */
	SM_COPY_COMMUNITY_HANDLERS,      /* copy_communities */
	{ "v1.event.community-deleted", sm_copy_community_deleted, NULL },
	{ "v1.event.post-created", like_post_upsert, NULL },
	{ "v1.event.post-updated", like_post_upsert, NULL },
	{ "v1.event.post-deleted", like_post_deleted, NULL },
	{ "v1.event.user-deleted", like_user_deleted, NULL },
	{ "v1.event.photo-created", like_photo_created, NULL },
	{ "v1.event.photo-deleted", like_photo_deleted, NULL },
};

static const struct sm_consumer like_events = {
	.name = "like-events",
	.group = "like",
	.schema = "like",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&like_events);
}
