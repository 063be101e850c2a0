/*
 * main.c -- somoim-board: writing posts (the seed's Board command server).
 *
 * nginx sends POST /api/v1/communities/{id}/posts and PATCH/DELETE
 * /api/v1/posts/{id} here; GET and HEAD of the same paths go to
 * somoim-board-query (one path, two programs, chosen by method).
 */
#include "board.h"

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities/{id}/posts", posts_create, 0 },
	{ "PATCH",  "/api/v1/posts/{id}",             posts_patch,  0 },
	{ "DELETE", "/api/v1/posts/{id}",             posts_delete, 0 },
	/* somoim-board-query's method of the same paths, for Allow. */
	{ "GET",    "/api/v1/communities/{id}/posts", NULL, SM_ELSEWHERE },
	{ "GET",    "/api/v1/posts/{id}",             NULL, SM_ELSEWHERE },
};

static const struct sm_service service = {
	.name = "board",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
