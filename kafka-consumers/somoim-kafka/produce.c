/*
 * produce.c -- somoim-kafka produce: send envelopes (or raw bytes) to a topic.
 *
 *   produce TOPIC --type T [--key K] [--data JSON] [--count N] [--start S]
 *                 [--partition P] [--source S]
 *   produce TOPIC --raw VALUE [--key K] [--count N] [--partition P]
 *
 * Tests use it to make bursts and poison events.  With --count N, every "{i}"
 * in the key, the data and the raw value becomes the message's number (S,
 * S+1, ... S+N-1; S defaults to 1), so one command makes N distinct users.
 * Each envelope's id is printed on stdout, one per line, in send order.
 *
 * The one design decision: a plain idempotent producer (murmur2_random, so
 * keys land where a Java producer would put them) and one flush at the end;
 * the exit status is 0 only when every message was acknowledged.
 */
#include "somoim-kafka.h"
#include "sm_conf.h"
#include "sm_json.h"
#include "sm_kafka.h"
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		failures++;
		fprintf(stderr, "somoim-kafka produce: delivery failed: %s\n", rd_kafka_err2str(m->err));
	}
}

/* s with every "{i}" replaced by n; the caller frees the result. */
static char *
expand(const char *s, long long n)
{
	char num[32];
	size_t len, cap, numlen, out = 0;
	const char *p;
	char *r;

	if (s == NULL)
		return NULL;
	numlen = (size_t)snprintf(num, sizeof(num), "%lld", n);
	len = strlen(s);
	cap = len + 1 + numlen * (len / 3 + 1);
	if ((r = malloc(cap)) == NULL) {
		sm_log(SM_LOG_ERROR, "malloc: out of memory");
		abort();
	}
	for (p = s; *p != '\0';) {
		if (strncmp(p, "{i}", 3) == 0) {
			memcpy(r + out, num, numlen);
			out += numlen;
			p += 3;
		} else {
			r[out++] = *p++;
		}
	}
	r[out] = '\0';
	return r;
}

static int
usage(void)
{
	fprintf(stderr, "usage: somoim-kafka produce TOPIC (--type T [--data JSON] | --raw VALUE) "
	    "[--key K] [--count N] [--start S] [--partition P] [--source S]\n");
	return 2;
}

/* One message: 0 when queued (its envelope id printed), -1 otherwise. */
static int
send_one(rd_kafka_t *rk, const char *topic, int32_t partition, const char *key,
    const char *type, const char *source, const char *data, const char *raw)
{
	char id[37];
	const char *value = raw;
	json_object *ev = NULL, *obj;
	rd_kafka_headers_t *h = rd_kafka_headers_new(2);
	rd_kafka_resp_err_t err;

	if (raw == NULL) {
		if ((obj = sm_json_parse(data, strlen(data))) == NULL ||
		    !json_object_is_type(obj, json_type_object)) {
			json_object_put(obj);
			rd_kafka_headers_destroy(h);
			fprintf(stderr, "somoim-kafka produce: --data is not a JSON object: %s\n", data);
			return -1;
		}
		ev = sm_event_new(type, source, obj, id);
		value = json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN);
		rd_kafka_header_add(h, SM_HDR_EVENT_ID, -1, id, -1);
	}
	for (;;) {
		err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
		    RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
		    RD_KAFKA_V_VALUE((void *)value, strlen(value)),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		rd_kafka_poll(rk, 100);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_headers_destroy(h);
		fprintf(stderr, "somoim-kafka produce: %s: %s\n", topic, rd_kafka_err2str(err));
	} else if (ev != NULL) {
		printf("%s\n", id);
	}
	json_object_put(ev);
	rd_kafka_poll(rk, 0);
	return err == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

int
cmd_produce(const struct sm_conf *conf, int argc, char **argv)
{
	static const char *const pairs[] = {
		"enable.idempotence", "true",
		"partitioner", "murmur2_random",
		"linger.ms", "5",
		NULL,
	};
	const char *topic, *key = NULL, *type = NULL, *data = "{}", *raw = NULL;
	const char *source = "somoim-kafka";
	long long count = 1, start = 1, partition = RD_KAFKA_PARTITION_UA, i;
	rd_kafka_conf_t *kc;
	rd_kafka_t *rk;
	char err[512];
	int a, rc = 0;

	if (argc < 2 || argv[1][0] == '-')
		return usage();
	topic = argv[1];
	for (a = 2; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (val == NULL)
			return usage();
		a++;
		if (strcmp(opt, "--key") == 0)
			key = val;
		else if (strcmp(opt, "--type") == 0)
			type = val;
		else if (strcmp(opt, "--data") == 0)
			data = val;
		else if (strcmp(opt, "--raw") == 0)
			raw = val;
		else if (strcmp(opt, "--source") == 0)
			source = val;
		else if (strcmp(opt, "--count") == 0)
			count = strtoll(val, NULL, 10);
		else if (strcmp(opt, "--start") == 0)
			start = strtoll(val, NULL, 10);
		else if (strcmp(opt, "--partition") == 0)
			partition = strtoll(val, NULL, 10);
		else
			return usage();
	}
	if ((type == NULL) == (raw == NULL) || count < 1 || partition < -1)
		return usage();
	if ((kc = sm_kafka_conf_new(conf, "somoim-kafka-produce", pairs)) == NULL)
		return 1;
	rd_kafka_conf_set_dr_msg_cb(kc, dr_cb);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "somoim-kafka produce: rd_kafka_new: %s\n", err);
		rd_kafka_conf_destroy(kc);
		return 1;
	}
	for (i = start; i < start + count && rc == 0; i++) {
		char *k = expand(key, i), *d = expand(data, i), *r = expand(raw, i);

		if (send_one(rk, topic, (int32_t)partition, k, type, source, d, r) != 0)
			rc = 1;
		free(k);
		free(d);
		free(r);
	}
	if (rd_kafka_flush(rk, KT_TIMEOUT_MS) != RD_KAFKA_RESP_ERR_NO_ERROR || rd_kafka_outq_len(rk) != 0) {
		fprintf(stderr, "somoim-kafka produce: %d messages not delivered in %d s\n",
		    rd_kafka_outq_len(rk), KT_TIMEOUT_MS / 1000);
		rc = 1;
	}
	if (failures > 0)
		rc = 1;
	rd_kafka_destroy(rk);
	fflush(stdout);
	return rc;
}
