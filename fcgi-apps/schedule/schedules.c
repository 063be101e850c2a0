/*
 * schedules.c -- /api/v1/communities/{id}/schedules and /api/v1/schedules/{id}
 * (docs/openapi.yaml, tag schedules): create, list, read.
 *
 * Decisions a client sees:
 *  - Only members create (403 otherwise); reading follows the community's
 *    privacy like the member list: anyone signed in for a public community,
 *    members only (403) for a private one.  An unknown or deleted community
 *    is 404.
 *  - starts_at is RFC 3339 with a zone (Z or +hh:mm), stored as UTC, and must
 *    lie in the future; fee is 0..10,000,000 (default 0).
 *  - The list holds every schedule of the community, soonest first.
 */
#include "store.h"
#include "sm_copy.h"
#include "sm_cursor.h"
#include "sm_time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SCHEDULE_TAG "s"

/* 0 when the caller may go on; otherwise the answer is sent (-1). */
static int
access_or_reply(struct sm_req *req, long long community_id, int write)
{
	struct sm_access a;

	if (sm_copy_access(req->app->db, community_id, req->user_id, &a) != 0) {
		sm_reply_db_error(req);
		return -1;
	}
	if (!a.found) {
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		return -1;
	}
	if (write && !SM_IS_MEMBER(&a)) {
		sm_reply_error(req, 403, "FORBIDDEN", "only members of the community may do this");
		return -1;
	}
	if (!SM_CAN_READ(&a)) {
		sm_reply_error(req, 403, "FORBIDDEN", "only members see a private community's schedules");
		return -1;
	}
	return 0;
}

int
schedule_access_or_reply(struct sm_req *req, long long community_id, int write)
{
	return access_or_reply(req, community_id, write);
}

void
schedules_create(struct sm_req *req)
{
	struct schedule_new s = { .community_id = req->ids[0], .created_by = req->user_id };
	const char *starts = NULL;
	char when[SM_TIME_DB_LEN];
	json_object *body, *o;
	struct sm_form f;
	time_t t;
	int is_null;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	sm_form_string(&f, "title", SM_REQUIRED, 1, 100, &s.title);
	if (sm_form_string(&f, "starts_at", SM_REQUIRED, 1, 40, &starts) == 1) {
		if (sm_time_parse(starts, &t, when, sizeof(when)) != 0)
			sm_form_invalid(&f, "starts_at", "must be an RFC 3339 time with a zone");
		else if (t <= time(NULL))
			sm_form_invalid(&f, "starts_at", "must be in the future");
	}
	sm_form_string(&f, "place", SM_REQUIRED, 1, 200, &s.place);
	if (sm_form_int(&f, "fee", SM_OPTIONAL, 0, 10000000, &s.fee, &is_null) != 1)
		s.fee = 0;
	sm_form_int(&f, "max_participants", SM_REQUIRED, 1, 1000, &s.max_participants, &is_null);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	if (access_or_reply(req, req->ids[0], 1) != 0)
		return;
	s.starts_at = when;
	switch (store_create(req->app->db, &s, &o)) {
	case 0:
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		return;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only members of the community may do this");
		return;
	default:
		sm_reply_db_error(req);
		return;
	}
	sm_log(SM_LOG_INFO, "user %lld created schedule %lld in community %lld", req->user_id,
	    (long long)json_object_get_int64(json_object_object_get(o, "id")), req->ids[0]);
	sm_reply_json(req, 201, o);
}

void
schedules_list(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;

	if (sm_page_or_reply(req, SCHEDULE_TAG, &limit, &after) != 0)
		return;
	if (access_or_reply(req, req->ids[0], 0) != 0)
		return;
	if (store_list(req->app->db, req->ids[0], after, limit, &items, &next) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_page(req, SCHEDULE_TAG, items, next);
}

void
schedules_get(struct sm_req *req)
{
	json_object *o;
	int r = store_get(req->app->db, req->ids[0], &o);

	if (r == STORE_NOT_FOUND) {
		sm_reply_error(req, 404, "NOT_FOUND", "no such schedule");
		return;
	}
	if (r != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (access_or_reply(req, json_object_get_int64(json_object_object_get(o,
	    "community_id")), 0) != 0) {
		json_object_put(o);
		return;
	}
	if (store_add_attendees(req->app->db, req->ids[0], o) != 0) {
		json_object_put(o);
		sm_reply_db_error(req);
		return;
	}
	sm_reply_json(req, 200, o);
}
