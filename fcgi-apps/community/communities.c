/*
 * communities.c -- /api/v1/communities: create, list/search, recommended,
 * read, edit, delete (docs/openapi.yaml, tag communities).
 *
 * Who may do what is decided in the transaction that does it (store.c), from
 * owner_id and the memberships copy: owner or admin edits, only the owner
 * deletes.  Lowering max_members below the current member_count is refused
 * with 409 CONFLICT, not a 400: the body is well formed, the community's
 * state is what says no (and it is checked under the row lock).  Every change
 * adds its v1.event.community-* to the outbox in the same transaction.
 */
#include "search.h"
#include "store.h"
#include "sm_cursor.h"
#include "sm_outbox.h"

#include <string.h>

#define CURSOR_TAG "c"          /* lists ordered by community id */
#define RANK_TAG "r"            /* the recommendations' offset */
#define MAX_QUERY_CHARS 100

/* After a commit that added an event: tell the relay (best effort). */
static void
wake_relay(struct sm_req *req)
{
	sm_outbox_wake(req->app->redis, "community");
}

void
communities_create(struct sm_req *req)
{
	struct community_input in;
	json_object *body, *c;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (community_form(&f, 1, &in) != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (sm_form_done_or_reply(&f) != 0)
		return;
	if ((r = store_create(req->app->db, &in, req->user_id, req->request_id, &c)) != 0) {
		if (r == STORE_BAD_INTEREST) {
			sm_form_invalid(&f, "interest", "must be an interest code from /api/v1/interests");
			sm_form_done_or_reply(&f);
		} else if (r == STORE_DEPARTED) {
			sm_reply_error(req, 401, "UNAUTHORIZED", "this account has been deleted");
		} else {
			sm_reply_db_error(req);
		}
		return;
	}
	wake_relay(req);
	sm_log(SM_LOG_INFO, "community %lld created by user %lld",
	    (long long)json_object_get_int64(json_object_object_get(c, "id")), req->user_id);
	sm_reply_json(req, 201, c);
}

/*
 * A query filter of 1..max characters without control characters, or NULL when
 * absent or (but for q, which must say something) empty; -1 after recording why not.
 */
static int
query_filter(struct sm_req *req, json_object **fields, const char *name, size_t max,
    const char **out)
{
	const char *v = sm_req_query(req, name);
	size_t n;

	const char *why = NULL;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (*(v = sm_pool_strtrim(req->pool, v)) == '\0') {
		if (strcmp(name, "q") != 0)
			return 0;
		why = "must not be empty";
	} else if ((n = sm_utf8_chars(v, strlen(v))) == (size_t)-1) {
		why = "must be valid UTF-8";
	} else if (n > max) {
		why = "is too long";
	} else {
		for (const char *p = v; *p && why == NULL; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				why = "must not contain control characters";
	}
	if (why != NULL) {
		if (*fields == NULL)
			*fields = json_object_new_object();
		json_object_object_add(*fields, name, json_object_new_string(why));
		return -1;
	}
	*out = v;
	return 0;
}

void
communities_list(struct sm_req *req)
{
	struct community_filter flt = { 0 };
	json_object *fields = NULL, *items;
	long long limit, after, next;
	const char *q;

	flt.caller = req->user_id;
	query_filter(req, &fields, "interest", 32, &flt.interest);
	query_filter(req, &fields, "region", 50, &flt.region);
	query_filter(req, &fields, "q", MAX_QUERY_CHARS, &q);
	if (fields != NULL) {
		sm_reply_invalid(req, fields);
		return;
	}
	if (q != NULL) {
		search_list(req, &flt, q);
		return;
	}
	if (sm_page_or_reply(req, CURSOR_TAG, &limit, &after) != 0)
		return;
	if (store_list(req->app->db, &flt, after, limit, &items, &next) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_page(req, CURSOR_TAG, items, next);
}

void
communities_recommended(struct sm_req *req)
{
	long long limit, offset, next;
	json_object *items;

	if (sm_page_or_reply(req, RANK_TAG, &limit, &offset) != 0)
		return;
	if (store_recommended(req->app->db, req->user_id, offset < 0 ? 0 : offset, limit, &items,
	    &next) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_page(req, RANK_TAG, items, next);
}

void
communities_get(struct sm_req *req)
{
	json_object *c;
	int r;

	if ((r = store_get(req->app->db, req->ids[0], req->user_id, &c)) < 0)
		sm_reply_db_error(req);
	else if (r == STORE_NOT_FOUND)
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
	else
		sm_reply_json(req, 200, c);
}

void
communities_patch(struct sm_req *req)
{
	struct community_input in;
	json_object *body, *c;
	struct sm_form f;
	long long count;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (community_form(&f, 0, &in) != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (sm_form_done_or_reply(&f) != 0)
		return;
	r = store_update(req->app->db, req->ids[0], req->user_id, &in, req->request_id, &count,
	    &c);
	switch (r) {
	case 0:
		wake_relay(req);
		sm_reply_json(req, 200, c);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the owner or an admin edits a community");
		break;
	case STORE_TOO_SMALL:
		sm_reply_error(req, 409, "CONFLICT",
		    "max_members cannot be below the current member_count (%lld)", count);
		break;
	case STORE_BAD_INTEREST:
		sm_form_invalid(&f, "interest", "must be an interest code from /api/v1/interests");
		sm_form_done_or_reply(&f);
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
communities_delete(struct sm_req *req)
{
	int r = store_delete(req->app->db, req->ids[0], req->user_id, req->request_id);

	switch (r) {
	case 0:
		wake_relay(req);
		sm_log(SM_LOG_INFO, "community %lld deleted by user %lld", req->ids[0],
		    req->user_id);
		sm_reply_empty(req, 204);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the owner deletes a community");
		break;
	default:
		sm_reply_db_error(req);
	}
}
