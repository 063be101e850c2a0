/*
 * rr-echo -- the request-reply test responder: answers each request of
 * v1.test.echo.request (its own consumer group) with
 * {"echo": <request value as a string>, "pid": <our pid>}, through the same
 * loop the daemons use (lib/sm_responder.c).  Prints "ready" on stdout once it
 * has its partitions; SIGTERM/SIGINT make it finish the message in hand and
 * leave cleanly.
 *
 * Usage: SOMOIM_CONF=somoim.conf rr-echo [TOPIC]
 */
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_responder.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
answer(void *arg, const rd_kafka_message_t *m, char **reply, size_t *len)
{
	json_object *o = json_object_new_object();

	(void)arg;
	json_object_object_add(o, "echo",
	    json_object_new_string_len(m->payload ? m->payload : "", (int)m->len));
	json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
	*reply = strdup(json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, len));
	json_object_put(o);
	return *reply != NULL ? 0 : -1;
}

static void
ready(void *arg, int partitions)
{
	(void)arg;
	(void)partitions;
	printf("ready\n");
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	const struct sm_responder r = {
		.name = "rr-echo",
		.topic = argc > 1 ? argv[1] : "v1.test.echo.request",
		.group = "somoim-rr-echo",
		.answer = answer,
		.on_assigned = ready,
	};
	struct sm_conf *conf;
	int rc;

	sm_log_init(argv[0], getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	rc = sm_responder_run(conf, &r);
	sm_conf_free(conf);
	return rc;
}
