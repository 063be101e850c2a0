/*
 * main.c -- somoim-user-events: keeps the user schema's copy of which
 * communities exist and who owns them (copy_communities, lib/sm_copy.c),
 * from v1.event.community-created/-updated/-deleted.  The user service reads
 * it when someone deletes their account: an owner must delete their
 * communities first (fcgi-apps/user/deletion.c).
 *
 * The one design decision: a copy rather than a synchronous question to the
 * community service.  Either way the check and the deletion are two
 * services' transactions, so a community created in between can slip past
 * any check; somoim-community-events deletes such a community when
 * user-deleted reaches it.  With that backstop a copy that trails by a
 * moment is as safe as a question, and leaving keeps working (and costs no
 * extra round trip) while the community service is down.
 */
#include "sm_consumer.h"
#include "sm_copy.h"

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", sm_copy_community_deleted, NULL },
};

static const struct sm_consumer user_events = {
	.name = "user-events",
	.group = "user",
	.schema = "user",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&user_events);
}
