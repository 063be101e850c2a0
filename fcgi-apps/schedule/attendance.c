/*
 * attendance.c -- PUT/DELETE /api/v1/schedules/{id}/attendance: a seat, a
 * place on the waitlist, or neither, by the configured strategy.
 *
 * Decisions a client sees:
 *  - Members only, both ways (403); an unknown schedule or community is 404;
 *    a schedule that has started is 409 SCHEDULE_STARTED (attendance of a
 *    past meetup is history).
 *  - PUT by someone already attending or waitlisted keeps what they have
 *    (200, same status); DELETE by someone without a place is 200 "none".
 *  - A strategy that gives up waiting (lock wait, optimistic retries, the
 *    Kafka reply) answers 503 UNAVAILABLE: nothing was taken.
 * The HTTP side checks access itself in every strategy, so the Kafka
 * consumer only ever applies commands of members.
 */
#include "seats.h"
#include "lock.h"
#include "sm_outbox.h"
#include "sm_reqreply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The answer for a finished seats_* call (r its return). */
static void
reply(struct sm_req *req, int r, struct seat_result *res)
{
	json_object *o;

	switch (r) {
	case 0:
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_string(res->status));
		if (res->promoted > 0)
			json_object_object_add(o, "promoted_user_id",
			    json_object_new_int64(res->promoted));
		json_object_object_add(o, "schedule", res->schedule);
		res->schedule = NULL;
		sm_reply_json(req, 200, o);
		return;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such schedule");
		break;
	case STORE_PAST:
		sm_reply_error(req, 409, "SCHEDULE_STARTED", "the schedule has already started");
		break;
	case STORE_BUSY:
		sm_reply_error(req, 503, "UNAVAILABLE", "too busy right now; nothing was taken");
		break;
	default:
		sm_reply_db_error(req);
	}
	json_object_put(res->schedule);
	res->schedule = NULL;
}

/* The redis-lock strategy: the serial transaction under the schedule's lock. */
static int
with_lock(struct sm_req *req, int attend, struct seat_result *res)
{
	struct schedule_app *sa = req->app->data;
	struct seat_lock l;
	int r = lock_acquire(req->app->redis, req->ids[0], sa->set.lock_global,
	    sa->set.lock_lease_ms, sa->set.lock_wait_ms, &l);

	if (r != 0) {
		sm_log(SM_LOG_WARN, "schedule %lld: lock %s", req->ids[0],
		    r > 0 ? "wait ran out" : "unavailable (Redis down)");
		return STORE_BUSY;
	}
	r = (attend ? seats_attend : seats_cancel)(req->app->db, SEATS_SERIAL, req->ids[0],
	    req->user_id, req->request_id, NULL, res);
	lock_release(req->app->redis, &l);
	return r;
}

/*
 * The kafka strategy: the command goes to v1.command.attendance.request keyed
 * by the schedule, somoim-schedule-attendance applies it and replies.  The
 * command carries a deadline so the consumer drops one we stopped waiting for,
 * and a unique command_id so it applies a redelivered one only once.
 */
static int
via_kafka(struct sm_req *req, int attend, struct seat_result *res)
{
	struct schedule_app *sa = req->app->data;
	json_object *cmd = json_object_new_object(), *rep, *v;
	char key[24], command_id[37], *text = NULL;
	const char *s, *result;
	size_t len;
	int r;

	sm_uuid_v7(command_id);
	json_object_object_add(cmd, "op", json_object_new_string(attend ? "attend" : "cancel"));
	json_object_object_add(cmd, "command_id", json_object_new_string(command_id));
	json_object_object_add(cmd, "schedule_id", json_object_new_int64(req->ids[0]));
	json_object_object_add(cmd, "user_id", json_object_new_int64(req->user_id));
	json_object_object_add(cmd, "request_id", json_object_new_string(req->request_id));
	json_object_object_add(cmd, "deadline_ms",
	    json_object_new_int64(seats_wall_ms() + sa->set.kafka_timeout_ms - 1000));
	snprintf(key, sizeof(key), "%lld", req->ids[0]);
	s = json_object_to_json_string_length(cmd, JSON_C_TO_STRING_PLAIN, &len);
	r = sm_reqreply_call(sa->rr, key, s, len, (int)sa->set.kafka_timeout_ms, &text, &len);
	json_object_put(cmd);
	if (r != 0)
		return STORE_BUSY;
	rep = sm_json_parse(text, len);
	free(text);
	if (rep == NULL || !json_object_object_get_ex(rep, "result", &v) ||
	    (result = json_object_get_string(v)) == NULL) {
		sm_log(SM_LOG_ERROR, "schedule %lld: unreadable attendance reply", req->ids[0]);
		json_object_put(rep);
		return -1;
	}
	r = -1;
	if (strcmp(result, "ok") == 0 && json_object_object_get_ex(rep, "schedule", &v) &&
	    (s = json_object_get_string(json_object_object_get(rep, "status"))) != NULL) {
		snprintf(res->status, sizeof(res->status), "%s", s);
		res->promoted = json_object_get_int64(json_object_object_get(rep,
		    "promoted_user_id"));
		res->changed = json_object_get_boolean(json_object_object_get(rep, "changed"));
		res->schedule = json_object_get(v);
		r = 0;
	} else if (strcmp(result, "not_found") == 0) {
		r = STORE_NOT_FOUND;
	} else if (strcmp(result, "past") == 0) {
		r = STORE_PAST;
	} else if (strcmp(result, "busy") == 0) {
		r = STORE_BUSY;
	}
	json_object_put(rep);
	return r;
}

static void
change(struct sm_req *req, int attend)
{
	struct schedule_app *sa = req->app->data;
	struct seat_result res = { .schedule = NULL };
	long long community_id;
	int past, r;

	r = store_brief(req->app->db, req->ids[0], &community_id, &past);
	if (r != 0) {
		reply(req, r, &res);
		return;
	}
	if (schedule_access_or_reply(req, community_id, 1) != 0)
		return;
	if (past) {
		reply(req, STORE_PAST, &res);
		return;
	}
	switch (sa->set.strategy) {
	case STRATEGY_CONDITIONAL:
	case STRATEGY_OPTIMISTIC:
	case STRATEGY_PESSIMISTIC:
		r = (attend ? seats_attend : seats_cancel)(req->app->db,
		    sa->set.strategy == STRATEGY_CONDITIONAL ? SEATS_CONDITIONAL :
		    sa->set.strategy == STRATEGY_OPTIMISTIC ? SEATS_OPTIMISTIC : SEATS_PESSIMISTIC,
		    req->ids[0], req->user_id, req->request_id, NULL, &res);
		if (r == 0 && res.changed)
			sm_outbox_wake(req->app->redis, "schedule");
		break;
	case STRATEGY_REDIS_LOCK:
		r = with_lock(req, attend, &res);
		if (r == 0 && res.changed)
			sm_outbox_wake(req->app->redis, "schedule");
		break;
	case STRATEGY_KAFKA:
		r = via_kafka(req, attend, &res);       /* the consumer wakes the relay */
		break;
	}
	reply(req, r, &res);
}

void
attendance_put(struct sm_req *req)
{
	change(req, 1);
}

void
attendance_delete(struct sm_req *req)
{
	change(req, 0);
}
