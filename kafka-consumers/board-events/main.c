/*
 * main.c -- somoim-board-events: keeps the board schema's copies of
 * communities, memberships and profiles (lib/sm_copy.h), from which
 * somoim-board decides who may post, edit and delete and names a new post's
 * author.  The loop, retries, dead letters and shutdown are lib/sm_consumer.c;
 * the handlers are lib/sm_copy.c; this is only the table.
 */
#include "sm_consumer.h"
#include "sm_copy.h"

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_HANDLERS,
};

static const struct sm_consumer board_events = {
	.name = "board-events",
	.group = "board",
	.schema = "board",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&board_events);
}
