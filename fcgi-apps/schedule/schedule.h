/*
 * schedule.h -- the schedule service: meetups (정모) of a community, with a
 * seat limit and a first-come-first-served waitlist.
 *
 * The one design decision: who gets a seat is decided in one database
 * transaction that changes the attendance row, the schedule's counters and
 * the outbox together; how concurrent transactions are kept apart is a
 * setting ([schedule] strategy), so the five ways the seed's team argued about
 * can be measured side by side (bench/schedules, docs/schedules.md).  Every
 * strategy leaves the same rows and the same events behind.
 */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include "sm_app.h"

enum strategy {
	STRATEGY_CONDITIONAL,   /* guarded UPDATE ... WHERE count < max (default) */
	STRATEGY_OPTIMISTIC,    /* version column, bounded retries with jitter */
	STRATEGY_PESSIMISTIC,   /* SELECT ... FOR UPDATE on the schedule row */
	STRATEGY_REDIS_LOCK,    /* per-schedule Redis lock, token + lease */
	STRATEGY_KAFKA,         /* commands keyed by schedule, applied by a consumer */
};

/*
 * [schedule] settings (settings.c), read the same way by the service and by
 * somoim-schedule-events, whose member-left give-back goes through the same
 * serializer as the strategy in force.  Defaults: docs/schedules.md.
 */
struct schedule_settings {
	enum strategy strategy;
	long long kafka_timeout_ms;     /* kafka: how long a request waits for the reply */
	long long lock_lease_ms, lock_wait_ms;
	int lock_global;                /* lock_scope = global: the seed's one key */
};

/* Reads [schedule] (env overrides win); 0, or -1 after logging what is wrong. */
int schedule_settings_load(const struct sm_conf *conf, struct schedule_settings *s);

/* Per-worker state (app->data). */
struct schedule_app {
	struct schedule_settings set;
	struct sm_reqreply *rr;         /* STRATEGY_KAFKA only */
};

/* "conditional-update" ... -> the enum; -1 when unknown. */
int strategy_parse(const char *name);
const char *strategy_name(enum strategy s);

/*
 * The community access check (schedules.c): 0 when the caller may go on,
 * else -1 with the answer sent (404 unknown community, 403 not a member when
 * write, 403 a private community's outsider).
 */
int schedule_access_or_reply(struct sm_req *req, long long community_id, int write);

/* Handlers (schedules.c, edit.c, attendance.c). */
sm_handler schedules_create, schedules_list, schedules_get;
sm_handler schedules_patch, schedules_delete;
sm_handler attendance_put, attendance_delete;

#endif
