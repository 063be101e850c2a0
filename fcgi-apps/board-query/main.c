/*
 * main.c -- somoim-board-query: reading posts (the seed's Board query server).
 *
 * nginx sends GET and HEAD of /api/v1/communities/{id}/posts and
 * /api/v1/posts/{id} here; the other methods of those paths go to
 * somoim-board.  Served from the read model only (query.h).
 */
#include "query.h"

static const struct sm_route routes[] = {
	{ "GET", "/api/v1/communities/{id}/posts", posts_list, 0 },
	{ "GET", "/api/v1/posts/{id}",             posts_get,  0 },
	/* somoim-board's methods of the same paths, for Allow. */
	{ "POST",   "/api/v1/communities/{id}/posts", NULL, SM_ELSEWHERE },
	{ "PATCH",  "/api/v1/posts/{id}",             NULL, SM_ELSEWHERE },
	{ "DELETE", "/api/v1/posts/{id}",             NULL, SM_ELSEWHERE },
};

static const struct sm_service service = {
	.name = "board_query",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,   /* Redis: the revocation marks (sm_app.c) */
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
