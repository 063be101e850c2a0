/*
 * main.c -- somoim-community-search: keeps the community search index
 * (communities_search, Mroonga) from the community and member events.
 *
 *   somoim-community-search            run as a daemon
 *   somoim-community-search rebuild    make the index again from the communities
 *                                      table, then exit
 *
 * The loop, retries, dead letters and shutdown are lib/sm_consumer.c; the
 * index writes and their gates are index.c.
 */
#include "search-index.h"

#include <stdio.h>
#include <string.h>

static const struct sm_consumer_handler handlers[] = {
	{ "v1.event.community-created", index_community, NULL },
	{ "v1.event.community-updated", index_community, NULL },
	{ "v1.event.community-deleted", index_deleted, NULL },
	{ "v1.event.member-joined", index_members, NULL },
	{ "v1.event.member-left", index_members, NULL },
	{ "v1.event.member-updated", index_members, NULL },
};

static const struct sm_consumer community_search = {
	.name = "community-search",
	.group = "community-search",
	.schema = "community",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "rebuild") == 0)
		return index_rebuild();
	if (argc != 1) {
		fprintf(stderr, "usage: somoim-community-search [rebuild]\n");
		return 2;
	}
	return sm_consumer_main(&community_search);
}
