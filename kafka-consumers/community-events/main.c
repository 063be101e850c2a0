/*
 * main.c -- somoim-community-events: keeps the community schema's copies of
 * other services' data current from their events.  user_interests (which
 * feeds GET /api/v1/communities/recommended) follows the user events;
 * memberships and communities.member_count (which feed the PATCH
 * authorization, private visibility and the ranking) follow the member
 * events.  The loop, retries, dead letters and shutdown are lib/sm_consumer.c;
 * this is only the table.
 */
#include "copies.h"
#include "sm_consumer.h"

static const struct sm_consumer_handler handlers[] = {
	{ "v1.event.user-signed-up", copies_user_apply, copies_user_batch },
	{ "v1.event.user-updated", copies_user_apply, copies_user_batch },
	{ "v1.event.member-joined", copies_member_apply, NULL },
	{ "v1.event.member-left", copies_member_apply, NULL },
	{ "v1.event.member-updated", copies_member_apply, NULL },
	{ "v1.event.user-deleted", copies_user_deleted, NULL },
};

static const struct sm_consumer community_events = {
	.name = "community-events",
	.group = "community",
	.schema = "community",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&community_events);
}
