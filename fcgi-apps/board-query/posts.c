/*
 * posts.c -- GET /api/v1/communities/{id}/posts and GET /api/v1/posts/{id}
 * (docs/openapi.yaml, tag board), from the read model.
 *
 * Decisions a client sees:
 *  - The list of a private community is 403 FORBIDDEN to a non-member (as
 *    the member list is); an unknown community is 404.
 *  - One post of a private community is 404 NOT_FOUND to a non-member (as
 *    the community itself is): non-members see nothing, not even that it
 *    exists.  A deleted post is 404.
 *  - Newest first; the cursor is the last id shown, so posts written while a
 *    client pages do not shift its pages.
 * The answers are the read model's JSON text as stored (query.h).
 */
#include "query.h"
#include "sm_cursor.h"
#include "sm_pool.h"

#include <string.h>

#define POST_TAG "p"

void
posts_list(struct sm_req *req)
{
	long long limit, after, next;
	const char *json, *cursor;
	size_t len, clen;
	char *out;
	int r;

	if (sm_page_or_reply(req, POST_TAG, &limit, &after) != 0)
		return;
	r = query_list(req->app->db, req->pool, req->ids[0], req->user_id, after, limit, &json,
	    &len, &next);
	switch (r) {
	case 0:
		cursor = next < 0 ? "null}" : sm_pool_printf(req->pool, "\"%s\"}",
		    sm_cursor_encode(req->pool, POST_TAG, next));
		clen = strlen(cursor);
		out = sm_pool_alloc(req->pool, len + clen + 1);
		memcpy(out, json, len);
		memcpy(out + len, cursor, clen + 1);
		sm_reply(req, 200, "application/json; charset=utf-8", out, len + clen);
		break;
	case QUERY_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case QUERY_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only members see a private community's posts");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
posts_get(struct sm_req *req)
{
	const char *json;
	size_t len;
	int r = query_get(req->app->db, req->pool, req->ids[0], req->user_id, &json, &len);

	if (r < 0)
		sm_reply_db_error(req);
	else if (r == QUERY_NOT_FOUND)
		sm_reply_error(req, 404, "NOT_FOUND", "no such post");
	else
		sm_reply(req, 200, "application/json; charset=utf-8", json, len);
}
