/*
 * mine.c -- GET /api/v1/users/me/communities: the communities the caller
 * belongs to, in any role, newest join first, as `community` cards from this
 * service's copy (member_count is this service's own, hence exact).
 *
 * A community the caller just created shows once its community-created
 * event has reached somoim-member-events (normally well under a second).
 */
#include "store.h"
#include "sm_cursor.h"

#define MINE_TAG "j"            /* ordered by join id, newest first */

void
my_communities(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;

	if (sm_page_or_reply(req, MINE_TAG, &limit, &after) != 0)
		return;
	if (store_my_communities(req->app->db, req->user_id, after, limit, &items, &next) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_page(req, MINE_TAG, items, next);
}
