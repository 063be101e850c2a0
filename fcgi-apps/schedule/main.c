/*
 * main.c -- somoim-schedule: meetups (정모) of a community with a seat limit
 * and a FIFO waitlist (the seed's Schedule server).
 *
 * nginx sends /api/v1/communities/{id}/schedules and /api/v1/schedules/...
 * here.  [schedule] strategy picks how concurrent attendance is kept apart
 * (schedule.h); the kafka strategy's requester is made per worker, after
 * fork, as librdkafka's threads require.
 */
#include "schedule.h"
#include "sm_reqreply.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities/{id}/schedules", schedules_create,  0 },
	{ "GET",    "/api/v1/communities/{id}/schedules", schedules_list,    0 },
	{ "GET",    "/api/v1/schedules/{id}",             schedules_get,     0 },
	{ "PUT",    "/api/v1/schedules/{id}/attendance",  attendance_put,    0 },
	{ "DELETE", "/api/v1/schedules/{id}/attendance",  attendance_delete, 0 },
};

static const char *const names[] = {
	[STRATEGY_CONDITIONAL] = "conditional-update",
	[STRATEGY_OPTIMISTIC] = "optimistic",
	[STRATEGY_PESSIMISTIC] = "pessimistic",
	[STRATEGY_REDIS_LOCK] = "redis-lock",
	[STRATEGY_KAFKA] = "kafka",
};

int
strategy_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
strategy_name(enum strategy s)
{
	return names[s];
}

static int
init(struct sm_app *app)
{
	struct schedule_app *sa = sm_xcalloc(1, sizeof(*sa));
	const char *name = sm_conf_get(app->conf, "schedule", "strategy", "conditional-update");
	int s = strategy_parse(name);

	app->data = sa;
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if (s < 0) {
		sm_log(SM_LOG_ERROR, "[schedule] strategy \"%s\" is not one of conditional-update,"
		    " optimistic, pessimistic, redis-lock, kafka", name);
		return -1;
	}
	sa->strategy = (enum strategy)s;
	name = sm_conf_get(app->conf, "schedule", "lock_scope", "schedule");
	if (strcmp(name, "schedule") != 0 && strcmp(name, "global") != 0) {
		sm_log(SM_LOG_ERROR, "[schedule] lock_scope \"%s\" is not schedule or global", name);
		return -1;
	}
	sa->lock_global = strcmp(name, "global") == 0;
	if (sm_conf_int(app->conf, "schedule", "lock_lease_ms", 5000, 100, 60000,
	    &sa->lock_lease_ms) != 0 ||
	    sm_conf_int(app->conf, "schedule", "lock_wait_ms", 10000, 10, 60000,
	    &sa->lock_wait_ms) != 0 ||
	    sm_conf_int(app->conf, "schedule", "kafka_timeout_ms", 10000, 2000, 60000,
	    &sa->kafka_timeout_ms) != 0)
		return -1;
	if (sa->strategy == STRATEGY_KAFKA &&
	    (sa->rr = sm_reqreply_new(app->conf, "v1.command.attendance.request",
	    "v1.command.attendance.response")) == NULL)
		return -1;
	sm_log(SM_LOG_INFO, "attendance strategy: %s%s", strategy_name(sa->strategy),
	    sa->strategy == STRATEGY_REDIS_LOCK && sa->lock_global ? " (one global key)" : "");
	return 0;
}

static void
fini(struct sm_app *app)
{
	struct schedule_app *sa = app->data;

	if (sa != NULL) {
		sm_reqreply_free(sa->rr);
		free(sa);
	}
	app->data = NULL;
}

static const struct sm_service service = {
	.name = "schedule",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
	.init = init,
	.fini = fini,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
