/*
 * main.c -- somoim-board: writing posts (the seed's Board command server).
 *
 * nginx sends POST /api/v1/communities/{id}/posts and PATCH/DELETE
 * /api/v1/posts/{id} here; GET and HEAD of the same paths go to
 * somoim-board-query (one path, two programs, chosen by method).
 */
#include "board.h"

#include <stdio.h>
#include <string.h>

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities/{id}/posts", posts_create, 0 },
	{ "PATCH",  "/api/v1/posts/{id}",             posts_patch,  0 },
	{ "DELETE", "/api/v1/posts/{id}",             posts_delete, 0 },
	/* somoim-board-query's method of the same paths, for Allow. */
	{ "GET",    "/api/v1/communities/{id}/posts", NULL, SM_ELSEWHERE },
	{ "GET",    "/api/v1/posts/{id}",             NULL, SM_ELSEWHERE },
};

/* The read model's schema name comes from its own config section. */
static int
board_init(struct sm_app *app)
{
	static struct board b;
	const char *db = sm_conf_get(app->conf, "board_query", "db_name", "somoim_board_query");

	if (db[0] == '\0' || strspn(db, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(db) ||
	    strlen(db) > 64) {
		sm_log(SM_LOG_ERROR, "[board_query] db_name \"%s\" is not a schema name", db);
		return -1;
	}
	snprintf(b.counts_sql, sizeof(b.counts_sql), "SELECT like_count, comment_count FROM"
	    " `%s`.posts_view WHERE id = ?", db);
	app->data = &b;
	return 0;
}

static const struct sm_service service = {
	.name = "board",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
	.init = board_init,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
