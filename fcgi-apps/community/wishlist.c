/*
 * wishlist.c -- the caller's wishlist of communities (찜): PUT and DELETE
 * /api/v1/users/me/wishlist/{community_id}, GET /api/v1/users/me/wishlist.
 *
 * It lives with the communities, not the users, because a wish is worth
 * nothing without the community card it lists and dies with the community
 * (a foreign key with ON DELETE CASCADE in one schema).  PUT and DELETE are
 * idempotent: a second PUT keeps the first wish's place in the list.
 */
#include "store.h"
#include "sm_cursor.h"

#define WISH_TAG "w"            /* ordered by wish id */

void
wishlist_put(struct sm_req *req)
{
	int r = store_wish_add(req->app->db, req->user_id, req->ids[0]);

	if (r < 0)
		sm_reply_db_error(req);
	else if (r == STORE_NOT_FOUND)
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
	else
		sm_reply_empty(req, 204);
}

void
wishlist_delete(struct sm_req *req)
{
	if (store_wish_remove(req->app->db, req->user_id, req->ids[0]) != 0)
		sm_reply_db_error(req);
	else
		sm_reply_empty(req, 204);
}

void
wishlist_list(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;

	if (sm_page_or_reply(req, WISH_TAG, &limit, &after) != 0)
		return;
	if (store_wishlist(req->app->db, req->user_id, after, limit, &items, &next) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_page(req, WISH_TAG, items, next);
}
