/*
 * main.c -- somoim-push: the seed's PUSH server.  It owns the browsers' push
 * subscriptions (answering v1.event.subscription.request for
 * somoim-notification), turns v1.event.comment-created, user-signed-up,
 * attendance-changed, schedule-updated and schedule-cancelled into
 * notifications on an in-process bus whose
 * subscribers are the feed writer and the Web Push queue, and sends the Web
 * Push messages and meetup reminders (push.h says which thread does what).
 *
 * The consumer loop of lib/sm_consumer.c runs on the main thread and owns the
 * signals; the responder and the sender are threads told to stop once it
 * returns.
 */
#include "push.h"
#include "sm_conf.h"
#include "sm_log.h"

#include <curl/curl.h>
#include <mysql.h>
#include <stdlib.h>

static const struct sm_consumer_handler handlers[] = {
	{ "v1.event.comment-created",    on_comment_created,    NULL },
	{ "v1.event.user-signed-up",     on_user_signed_up,     NULL },
	{ "v1.event.attendance-changed", on_attendance_changed, NULL },
	{ "v1.event.schedule-updated",   on_schedule_updated,   NULL },
	{ "v1.event.schedule-cancelled", on_schedule_cancelled, NULL },
	{ "v1.event.community-deleted",  on_community_deleted,  NULL },
	{ "v1.event.user-deleted",       on_user_deleted,       NULL },
};

static const struct sm_consumer push = {
	.name = "push",
	.group = "push",
	.schema = "push",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

static volatile int stop_threads;

int
main(void)
{
	struct sm_conf *conf;
	long long offset;
	int rc = 1;

	sm_log_init("somoim-push", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	if (sm_conf_int(conf, "push", "clock_offset_s", 0, -100000000, 100000000, &offset) != 0)
		goto out;
	push_clock_init(offset);
	/* both are not thread-safe to initialise: done once, before any thread */
	if (mysql_library_init(0, NULL, NULL) != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		goto out;
	if (events_init(conf) != 0)
		goto out;
	if (subscriptions_start(conf, &stop_threads) == 0) {
		if (sender_start(conf, &stop_threads) == 0) {
			rc = sm_consumer_main(&push);
			stop_threads = 1;
			sender_join();
		}
		stop_threads = 1;
		subscriptions_join();
	}
	events_fini();
	curl_global_cleanup();
	mysql_library_end();
out:
	sm_conf_free(conf);
	return rc;
}
