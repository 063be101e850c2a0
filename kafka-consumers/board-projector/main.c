/*
 * main.c -- somoim-board-projector: the board's read model (posts_view) from
 * v1.event.post-*, comment-*, like-changed and the profile events, plus the
 * schema's own copies of communities and memberships for the read side's
 * access checks.  The loop, retries, dead letters and shutdown are
 * lib/sm_consumer.c; this is the table.
 *
 *   somoim-board-projector            run as a daemon
 *   somoim-board-projector rebuild    replace posts_view from the source
 *                                     tables (board, comment, like), then exit
 */
#include "projector.h"
#include "sm_copy.h"

#include <stdio.h>
#include <string.h>

static const struct sm_consumer_handler handlers[] = {
	{ "v1.event.post-created", post_upsert, NULL },
	{ "v1.event.post-updated", post_upsert, NULL },
	{ "v1.event.post-deleted", post_deleted, NULL },
	{ "v1.event.comment-created", comment_changed, NULL },
	{ "v1.event.comment-deleted", comment_changed, NULL },
	{ "v1.event.like-changed", like_changed, NULL },
	{ "v1.event.user-signed-up", profile_apply, profile_batch },
	{ "v1.event.user-updated", profile_apply, profile_batch },
	{ "v1.event.user-deleted", profile_deleted, NULL },
	SM_COPY_MEMBER_HANDLERS,
	SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", sm_copy_community_deleted, NULL },
};

static const struct sm_consumer projector = {
	.name = "board-projector",
	.group = "board-projector",
	.schema = "board_query",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "rebuild") == 0)
		return projector_rebuild();
	if (argc != 1) {
		fprintf(stderr, "usage: somoim-board-projector [rebuild]\n");
		return 2;
	}
	return sm_consumer_main(&projector);
}
