/*
 * members.c -- /api/v1/communities/{id}/members: join, leave, the member
 * list, role changes (docs/openapi.yaml, tag members).
 *
 * Decisions a client sees:
 *  - Anyone signed in may join, a private community too (there is no
 *    approval step in the contract); private only hides the member list
 *    from outsiders (403).
 *  - Leaving when not a member is 204, like a repeated DELETE: the state
 *    the client asked for holds.  An unknown community is still 404.
 *  - The owner's own role cannot change: 409 CONFLICT (the body is well
 *    formed, the community's state says no); "owner" is not a role the
 *    body may carry (400), ownership is not transferred here.
 *  - A role set to the role the member already has is 200 and no event.
 * Every change wakes the outbox relay after its commit.
 */
#include "store.h"
#include "sm_cursor.h"
#include "sm_outbox.h"

#include <string.h>

#define MEMBER_TAG "m"          /* the member list: role, then join order */

static void
wake_relay(struct sm_req *req)
{
	sm_outbox_wake(req->app->redis, "member");
}

void
members_join(struct sm_req *req)
{
	json_object *m;
	int r = store_join(req->app->db, req->ids[0], req->user_id, req->request_id, &m);

	switch (r) {
	case 0:
		wake_relay(req);
		sm_log(SM_LOG_INFO, "user %lld joined community %lld", req->user_id, req->ids[0]);
		sm_reply_json(req, 201, m);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_ALREADY:
		sm_reply_error(req, 409, "ALREADY_MEMBER", "you are already a member");
		break;
	case STORE_FULL:
		sm_reply_error(req, 409, "COMMUNITY_FULL", "the community has no free place");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
members_leave(struct sm_req *req)
{
	int left;
	int r = store_leave(req->app->db, req->ids[0], req->user_id, req->request_id, &left);

	switch (r) {
	case 0:
		if (left) {
			wake_relay(req);
			sm_log(SM_LOG_INFO, "user %lld left community %lld", req->user_id,
			    req->ids[0]);
		}
		sm_reply_empty(req, 204);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_OWNER:
		sm_reply_error(req, 409, "OWNER_CANNOT_LEAVE", "the owner cannot leave the community");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
members_list(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;
	int r;

	if (sm_page_or_reply(req, MEMBER_TAG, &limit, &after) != 0)
		return;
	r = store_members(req->app->db, req->ids[0], req->user_id, after, limit, &items, &next);
	switch (r) {
	case 0:
		sm_reply_page(req, MEMBER_TAG, items, next);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only members see a private community's members");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
members_patch(struct sm_req *req)
{
	json_object *body, *m;
	const char *role = NULL;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (sm_form_string(&f, "role", SM_REQUIRED, 1, 16, &role) == 1 &&
	    strcmp(role, "admin") != 0 && strcmp(role, "member") != 0)
		sm_form_invalid(&f, "role", "must be \"admin\" or \"member\"");
	if (sm_form_done_or_reply(&f) != 0)
		return;
	r = store_set_role(req->app->db, req->ids[0], req->user_id, req->ids[1], role,
	    req->request_id, &m);
	switch (r) {
	case 0:
		wake_relay(req);
		sm_reply_json(req, 200, m);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_NO_MEMBER:
		sm_reply_error(req, 404, "NOT_FOUND", "no such member");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the owner changes roles");
		break;
	case STORE_OWNER:
		sm_reply_error(req, 409, "CONFLICT", "the owner's role cannot change");
		break;
	default:
		sm_reply_db_error(req);
	}
}
