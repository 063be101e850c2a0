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
#include <time.h>
#include <unistd.h>

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities/{id}/schedules", schedules_create,  0 },
	{ "GET",    "/api/v1/communities/{id}/schedules", schedules_list,    0 },
	{ "GET",    "/api/v1/schedules/{id}",             schedules_get,     0 },
	{ "PATCH",  "/api/v1/schedules/{id}",             schedules_patch,   0 },
	{ "DELETE", "/api/v1/schedules/{id}",             schedules_delete,  0 },
	{ "PUT",    "/api/v1/schedules/{id}/attendance",  attendance_put,    0 },
	{ "DELETE", "/api/v1/schedules/{id}/attendance",  attendance_delete, 0 },
};

static int
init(struct sm_app *app)
{
	struct schedule_app *sa = sm_xcalloc(1, sizeof(*sa));

	app->data = sa;
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if (schedule_settings_load(app->conf, &sa->set) != 0)
		return -1;
	if (sa->set.strategy == STRATEGY_KAFKA &&
	    (sa->rr = sm_reqreply_new(app->conf, "v1.command.attendance.request",
	    "v1.command.attendance.response")) == NULL)
		return -1;
	sm_log(SM_LOG_INFO, "attendance strategy: %s%s", strategy_name(sa->set.strategy),
	    sa->set.strategy == STRATEGY_REDIS_LOCK && sa->set.lock_global ?
	    " (one global key)" : "");
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
