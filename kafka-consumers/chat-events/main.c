/*
 * main.c -- somoim-chat-events: keeps the chat's copies (copies.h) and cuts
 * off leavers' live streams.  Topic -> handler table; the loop is
 * lib/sm_consumer.c.
 */
#include "copies.h"
#include "sm_conf.h"
#include "sm_log.h"

#include <stdlib.h>

static const struct sm_consumer_handler handlers[] = {
	{ "v1.event.community-created", copies_community, NULL },
	{ "v1.event.community-updated", copies_community, NULL },
	{ "v1.event.community-deleted", copies_community_deleted, NULL },
	{ "v1.event.member-joined", copies_member, NULL },
	{ "v1.event.member-updated", copies_member, NULL },
	{ "v1.event.member-left", copies_member, NULL },
	{ "v1.event.user-signed-up", copies_profile, NULL },
	{ "v1.event.user-updated", copies_profile, NULL },
	{ "v1.event.user-deleted", copies_user_deleted, NULL },
};

static const struct sm_consumer consumer = {
	.name = "chat-events",
	.group = "somoim-chat-events",
	.schema = "chat",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	struct sm_conf *conf;
	int rc;

	sm_log_init("somoim-chat-events", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL || copies_open(conf) != 0)
		return 1;
	rc = sm_consumer_main(&consumer);
	copies_close();
	sm_conf_free(conf);
	return rc;
}
