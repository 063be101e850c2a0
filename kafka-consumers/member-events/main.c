/*
 * main.c -- somoim-member-events: keeps the member schema's copy of every
 * user's name and profile image (the seed's OpenFeign profile fan-out, now
 * v1.event.user-signed-up / v1.event.user-updated) and of every community
 * (v1.event.community-*), whose creation makes its owner a member.  The loop,
 * retries, dead letters and shutdown are lib/sm_consumer.c; this is only the
 * table.
 */
#include "member.h"
#include "sm_consumer.h"
#include "sm_copy.h"

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_PROFILE_HANDLERS,       /* copy_profiles: lib/sm_copy.c */
	{ "v1.event.community-created", member_community_created, NULL },
	{ "v1.event.community-updated", member_community_updated, NULL },
	{ "v1.event.community-deleted", member_community_deleted, NULL },
	{ "v1.event.user-deleted", member_user_deleted, NULL },
};

static const struct sm_consumer member_events = {
	.name = "member-events",
	.group = "member",
	.schema = "member",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&member_events);
}
