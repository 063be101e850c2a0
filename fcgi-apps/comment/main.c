/*
 * main.c -- somoim-comment: comments on board posts (docs/openapi.yaml, tag
 * comments): write one, list a post's comments oldest first, delete
 * one (its author or the community's owner/admin).
 *
 * nginx sends ^/api/v1/posts/{id}/comments$ and /api/v1/comments/ here; the
 * rest of /api/v1/posts/ is the board's.
 */
#include "comment.h"

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/posts/{id}/comments", comments_create, 0 },
	{ "GET",    "/api/v1/posts/{id}/comments", comments_list,   0 },
	{ "DELETE", "/api/v1/comments/{id}",       comments_delete, 0 },
};

static const struct sm_service service = {
	.name = "comment",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
