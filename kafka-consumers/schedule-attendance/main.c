/*
 * main.c -- somoim-schedule-attendance: the kafka strategy's command
 * consumer.  It reads v1.command.attendance.request (key: the schedule id, so
 * one schedule's commands share a partition and come in order), applies each
 * with the plain serial transaction of fcgi-apps/schedule/seats.c -- it is the
 * only writer of a schedule's attendance while the strategy is kafka -- and
 * answers on v1.command.attendance.response through lib/sm_responder.c.
 *
 * The one design decision: a command carries deadline_ms, the moment its
 * requester stops waiting (and answers 503 "nothing was taken"); a command
 * read after it is dropped unapplied.  So a backlog after a restart cannot
 * give seats to people who were told they have none, and
 * auto.offset.reset=earliest (no request lost between "ready" and the group's
 * first position) is safe.  The offset is stored after the reply is queued:
 * a command redelivered after a crash is applied again, which attend and
 * cancel tolerate (they are idempotent on their own).
 */
#include "seats.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_outbox.h"
#include "sm_redis.h"
#include "sm_responder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TOPIC "v1.command.attendance.request"

static long long
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

struct daemon {
	struct sm_db *db;
	struct sm_redis *redis;
};

/* Applies one command; *out: the reply.  Returns 0, or -1 to drop it unanswered. */
static int
apply(struct daemon *d, const rd_kafka_message_t *m, json_object **out)
{
	struct seat_result res = { .schedule = NULL };
	json_object *cmd = sm_json_parse(m->payload ? m->payload : "", m->len), *rep, *v;
	long long id = 0, user_id = 0, deadline = 0;
	const char *op = NULL, *rid = NULL, *result;
	int r;

	if (cmd != NULL) {
		sm_event_int(cmd, "schedule_id", &id);
		sm_event_int(cmd, "user_id", &user_id);
		sm_event_int(cmd, "deadline_ms", &deadline);
		if (json_object_object_get_ex(cmd, "op", &v))
			op = json_object_get_string(v);
		if (json_object_object_get_ex(cmd, "request_id", &v))
			rid = json_object_get_string(v);
	}
	if (op == NULL || id <= 0 || user_id <= 0 ||
	    (strcmp(op, "attend") != 0 && strcmp(op, "cancel") != 0)) {
		sm_log(SM_LOG_WARN, "command at [%d] @%lld is malformed: dropped", (int)m->partition,
		    (long long)m->offset);
		json_object_put(cmd);
		return -1;
	}
	if (wall_ms() > deadline) {
		sm_log(SM_LOG_WARN, "%s of schedule %lld by %lld came after its deadline: dropped",
		    op, id, user_id);
		json_object_put(cmd);
		return -1;
	}
	sm_log_set_request_id(rid);
	r = (strcmp(op, "attend") == 0 ? seats_attend : seats_cancel)(d->db, SEATS_SERIAL, id,
	    user_id, rid, &res);
	json_object_put(cmd);
	rep = json_object_new_object();
	result = r == 0 ? "ok" : r == STORE_NOT_FOUND ? "not_found" : r == STORE_PAST ? "past" :
	    r == STORE_BUSY ? "busy" : "error";
	json_object_object_add(rep, "result", json_object_new_string(result));
	if (r == 0) {
		json_object_object_add(rep, "status", json_object_new_string(res.status));
		json_object_object_add(rep, "promoted_user_id", json_object_new_int64(res.promoted));
		json_object_object_add(rep, "changed", json_object_new_boolean(res.changed));
		json_object_object_add(rep, "schedule", res.schedule);
		if (res.changed)
			sm_outbox_wake(d->redis, "schedule");
	}
	sm_log_set_request_id(NULL);
	*out = rep;
	return 0;
}

/* The responder's answer (lib/sm_responder.h): the command applied, its outcome as JSON. */
static int
answer(void *arg, const rd_kafka_message_t *m, char **reply, size_t *len)
{
	json_object *rep;

	if (apply(arg, m, &rep) != 0)
		return -1;
	*reply = strdup(json_object_to_json_string_length(rep, JSON_C_TO_STRING_PLAIN, len));
	json_object_put(rep);
	return *reply != NULL ? 0 : -1;
}

int
main(void)
{
	struct daemon d = { NULL, NULL };
	const struct sm_responder r = {
		.name = "schedule-attendance",
		.topic = TOPIC,
		.group = "somoim-schedule-attendance",
		.answer = answer,
		.arg = &d,
	};
	struct sm_conf *conf;
	int rc = 1;

	sm_log_init("somoim-schedule-attendance", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	sm_log_init("somoim-schedule-attendance", sm_conf_get(conf, "log", "level", "info"));
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	d.db = sm_db_new(conf, "schedule");
	d.redis = sm_redis_new(conf);
	if (d.db != NULL && d.redis != NULL)
		rc = sm_responder_run(conf, &r);
	sm_redis_free(d.redis);
	sm_db_free(d.db);
	sm_conf_free(conf);
	return rc;
}
