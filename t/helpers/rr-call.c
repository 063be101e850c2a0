/*
 * rr-call -- the request-reply test caller: N sequential sm_reqreply_call()s to
 * v1.test.echo.request, each with its own payload ("TEXT pid=P call=I
 * nonce=R"), checking that the reply's "echo" is exactly that payload, so a
 * reply delivered to the wrong call or the wrong process is caught.
 *
 * Output, one line per call:  "call I ok|timeout|mismatch LATENCY_MS"
 * (mismatch lines add what came back).  Exit 0 when every call got its own
 * reply, 1 on any timeout or mismatch, 2 on bad usage or setup.
 *
 * Usage: SOMOIM_CONF=somoim.conf rr-call [-n CALLS] [-t TIMEOUT_MS] TEXT
 */
#include "sm_conf.h"
#include "sm_json.h"
#include "sm_log.h"
#include "sm_reqreply.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
int_arg(const char *s, long min, long max, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return *s && !*end && *out >= min && *out <= max ? 0 : -1;
}

/* 1 when reply is {"echo": payload, ...} exactly. */
static int
echoes(const char *reply, size_t len, const char *payload)
{
	json_object *o = sm_json_parse(reply, len), *echo;
	int ok;

	ok = o != NULL && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "echo", &echo) &&
	    json_object_is_type(echo, json_type_string) &&
	    (size_t)json_object_get_string_len(echo) == strlen(payload) &&
	    memcmp(json_object_get_string(echo), payload, strlen(payload)) == 0;
	json_object_put(o);
	return ok;
}

int
main(int argc, char **argv)
{
	long calls = 1, timeout = 5000, i;
	int c, failed = 0;
	struct sm_conf *conf;
	struct sm_reqreply *rr;

	sm_log_init(argv[0], getenv("SOMOIM_LOG_LEVEL"));
	while ((c = getopt(argc, argv, "n:t:")) != -1) {
		if (c == 'n' && int_arg(optarg, 1, 1000000, &calls) == 0)
			continue;
		if (c == 't' && int_arg(optarg, 1, 600000, &timeout) == 0)
			continue;
		fprintf(stderr, "usage: rr-call [-n CALLS] [-t TIMEOUT_MS] TEXT\n");
		return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: rr-call [-n CALLS] [-t TIMEOUT_MS] TEXT\n");
		return 2;
	}
	if (sodium_init() < 0 || (conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 2;
	if ((rr = sm_reqreply_new(conf, "v1.test.echo.request", "v1.test.echo.response")) ==
	    NULL) {
		sm_conf_free(conf);
		return 2;
	}
	for (i = 1; i <= calls; i++) {
		char payload[512], *reply;
		size_t reply_len;
		double t0 = now_ms(), ms;
		int rc;

		snprintf(payload, sizeof(payload), "%s pid=%ld call=%ld nonce=%08x", argv[optind],
		    (long)getpid(), i, (unsigned)randombytes_random());
		rc = sm_reqreply_call(rr, NULL, payload, strlen(payload), (int)timeout, &reply,
		    &reply_len);
		ms = now_ms() - t0;
		if (rc < 0) {
			printf("call %ld timeout %.1f\n", i, ms);
			failed = 1;
		} else if (!echoes(reply, reply_len, payload)) {
			printf("call %ld mismatch %.1f sent=\"%s\" got=%.*s\n", i, ms, payload,
			    (int)(reply_len > 300 ? 300 : reply_len), reply);
			failed = 1;
		} else {
			printf("call %ld ok %.1f\n", i, ms);
		}
		fflush(stdout);
		free(reply);
	}
	sm_reqreply_free(rr);
	sm_conf_free(conf);
	return failed;
}
