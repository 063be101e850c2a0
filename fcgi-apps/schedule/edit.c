/*
 * edit.c -- PATCH and DELETE /api/v1/schedules/{id}: the schedule's creator
 * (while a member) or an owner or admin of the community moves, edits or
 * cancels a schedule (docs/schedules.md, "Editing and cancelling").
 *
 * Decisions a client sees:
 *  - Any of {title, starts_at, place, fee, max_participants}, validated as
 *    for POST (starts_at in the future, 1..1000 seats); an empty body changes
 *    nothing and answers the schedule.  A plain member is 403, so is a
 *    stranger (as attendance answers them); an unknown schedule 404; a
 *    schedule that has started 409 SCHEDULE_STARTED (history is not edited).
 *  - max_participants below participant_count is 409 TOO_MANY_ATTENDEES:
 *    nobody loses a seat they hold; raising it seats the first in line.
 *  - DELETE cancels: 204, and the schedule is gone (GET, lists, attendance:
 *    404).  Attendees hear of it from the push daemon.
 * The one design decision: the transaction locks the schedule row the
 * attendance strategies lock (store_edit.c); under redis-lock it also runs
 * under the schedule's Redis lock, like the strategy's own transactions.
 */
#include "store.h"
#include "lock.h"
#include "sm_outbox.h"
#include "sm_time.h"

#include <time.h>

/* Under the redis-lock strategy, the schedule's lock first (0 held, else answered). */
static int
lock_or_reply(struct sm_req *req, struct seat_lock *l, int *held)
{
	struct schedule_app *sa = req->app->data;
	int r;

	*held = 0;
	if (sa->set.strategy != STRATEGY_REDIS_LOCK)
		return 0;
	r = lock_acquire(req->app->redis, req->ids[0], sa->set.lock_global,
	    sa->set.lock_lease_ms, sa->set.lock_wait_ms, l);
	if (r != 0) {
		sm_reply_error(req, 503, "UNAVAILABLE", "too busy right now; nothing was changed");
		return -1;
	}
	*held = 1;
	return 0;
}

/* The answer for a STORE_* outcome other than 0. */
static void
reply_failure(struct sm_req *req, int r, long long count)
{
	switch (r) {
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such schedule");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN",
		    "only the schedule's creator or the community's owner or admins may do this");
		break;
	case STORE_PAST:
		sm_reply_error(req, 409, "SCHEDULE_STARTED", "the schedule has already started");
		break;
	case STORE_TOO_FEW:
		sm_reply_error(req, 409, "TOO_MANY_ATTENDEES",
		    "max_participants cannot be below the current participant_count (%lld)", count);
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
schedules_patch(struct sm_req *req)
{
	struct schedule_edit e = { 0 };
	struct seat_lock l;
	const char *starts = NULL;
	char when[SM_TIME_DB_LEN];
	json_object *body, *o = NULL;
	struct sm_form f;
	long long count = 0;
	time_t t;
	int is_null, held, r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	e.has_title = sm_form_string(&f, "title", SM_OPTIONAL, 1, 100, &e.title) == 1;
	if (sm_form_string(&f, "starts_at", SM_OPTIONAL, 1, 40, &starts) == 1) {
		if (sm_time_parse(starts, &t, when, sizeof(when)) != 0)
			sm_form_invalid(&f, "starts_at", "must be an RFC 3339 time with a zone");
		else if (t <= time(NULL))
			sm_form_invalid(&f, "starts_at", "must be in the future");
		else
			e.has_starts_at = 1;
	}
	e.starts_at = when;
	e.has_place = sm_form_string(&f, "place", SM_OPTIONAL, 1, 200, &e.place) == 1;
	e.has_fee = sm_form_int(&f, "fee", SM_OPTIONAL, 0, 10000000, &e.fee, &is_null) == 1;
	e.has_max = sm_form_int(&f, "max_participants", SM_OPTIONAL, 1, 1000,
	    &e.max_participants, &is_null) == 1;
	if (sm_form_done_or_reply(&f) != 0)
		return;
	if (lock_or_reply(req, &l, &held) != 0)
		return;
	r = store_update(req->app->db, req->ids[0], req->user_id, &e, req->request_id, &count,
	    &o);
	if (held)
		lock_release(req->app->redis, &l);
	if (r != 0) {
		reply_failure(req, r, count);
		return;
	}
	sm_outbox_wake(req->app->redis, "schedule");
	sm_log(SM_LOG_INFO, "user %lld edited schedule %lld", req->user_id, req->ids[0]);
	sm_reply_json(req, 200, o);
}

void
schedules_delete(struct sm_req *req)
{
	struct seat_lock l;
	int held, r;

	if (lock_or_reply(req, &l, &held) != 0)
		return;
	r = store_cancel(req->app->db, req->ids[0], req->user_id, req->request_id);
	if (held)
		lock_release(req->app->redis, &l);
	if (r != 0) {
		reply_failure(req, r, 0);
		return;
	}
	sm_outbox_wake(req->app->redis, "schedule");
	sm_log(SM_LOG_INFO, "user %lld cancelled schedule %lld", req->user_id, req->ids[0]);
	sm_reply_empty(req, 204);
}
