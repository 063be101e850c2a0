/*
 * main.c -- somoim-kafka: dispatch to one command (see somoim-kafka.h).
 */
#include "somoim-kafka.h"
#include "sm_conf.h"
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(const struct sm_conf *, int, char **);
	const char *usage;
} commands[] = {
	{ "topics", cmd_topics, "topics FILE" },
	{ "produce", cmd_produce, "produce TOPIC [options]" },
	{ "dlt", cmd_dlt, "dlt list|redrive TOPIC.DLT [options]" },
	{ "lag", cmd_lag, "lag [GROUP...]" },
};

static int
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: somoim-kafka [-c somoim.conf] COMMAND ...\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "       somoim-kafka %s\n", commands[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	const char *path = getenv("SOMOIM_CONF");
	struct sm_conf *conf;
	size_t i;
	int rc;

	sm_log_init("somoim-kafka", getenv("SOMOIM_LOG_LEVEL"));
	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		return usage();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if ((conf = sm_conf_load(path)) == NULL)
			return 1;
		rc = commands[i].run(conf, argc - 1, argv + 1);
		sm_conf_free(conf);
		return rc;
	}
	return usage();
}
