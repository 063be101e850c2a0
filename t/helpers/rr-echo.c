/*
 * rr-echo -- the request-reply test responder: consumes v1.test.echo.request
 * in its own consumer group and answers each request with
 * {"echo": <request value as a string>, "pid": <our pid>} through
 * sm_reqreply_respond().  Prints "ready" on stdout once it has its partitions;
 * SIGTERM/SIGINT make it finish the message in hand and leave cleanly.
 *
 * The one design decision: auto.offset.reset=earliest, so a request produced
 * between "ready" and the moment the group's start offset is resolved is still
 * answered (with "latest" it could be skipped).  Old requests found on the
 * first run get answers nobody waits for, which requesters drop.
 *
 * Usage: SOMOIM_CONF=somoim.conf rr-echo [TOPIC]
 */
#include "sm_conf.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_reqreply.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
    void *opaque)
{
	rd_kafka_resp_err_t aerr;

	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		aerr = rd_kafka_assign(rk, parts);
		if (aerr == RD_KAFKA_RESP_ERR_NO_ERROR) {
			sm_log(SM_LOG_INFO, "rr-echo: assigned %d partition(s)", parts->cnt);
			printf("ready\n");
			fflush(stdout);
		}
	} else {
		aerr = rd_kafka_assign(rk, NULL);
	}
	if (aerr != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "rr-echo: rd_kafka_assign: %s", rd_kafka_err2str(aerr));
}

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "rr-echo: reply to %s not delivered: %s",
		    rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
}

/* Answers one request and stores its offset (handled, whatever the outcome). */
static void
handle(rd_kafka_t *consumer, rd_kafka_t *producer, const rd_kafka_message_t *m)
{
	json_object *o = json_object_new_object();
	rd_kafka_topic_partition_list_t *parts;
	const char *text;
	size_t len;

	json_object_object_add(o, "echo",
	    json_object_new_string_len(m->payload ? m->payload : "", (int)m->len));
	json_object_object_add(o, "pid", json_object_new_int((int)getpid()));
	text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	if (sm_reqreply_respond(producer, m, text, len) < 0)
		sm_log(SM_LOG_WARN, "rr-echo: request at [%d] @%lld not answered", (int)m->partition,
		    (long long)m->offset);
	json_object_put(o);

	parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, rd_kafka_topic_name(m->rkt), m->partition)
	    ->offset = m->offset + 1;
	if (rd_kafka_offsets_store(consumer, parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_DEBUG, "rr-echo: rd_kafka_offsets_store: partition no longer ours");
	rd_kafka_topic_partition_list_destroy(parts);
}

int
main(int argc, char **argv)
{
	static const char *const consumer_pairs[] = {
		"group.id", "somoim-rr-echo",
		"auto.offset.reset", "earliest",
		"enable.auto.offset.store", "false",
		"partition.assignment.strategy", "range",
		"socket.nagle.disable", "true",
		NULL,
	};
	static const char *const producer_pairs[] = {
		"linger.ms", "0",
		"socket.nagle.disable", "true",
		NULL,
	};
	const char *topic = argc > 1 ? argv[1] : "v1.test.echo.request";
	struct sm_conf *conf;
	rd_kafka_conf_t *kc;
	rd_kafka_t *consumer = NULL, *producer = NULL;
	rd_kafka_topic_partition_list_t *subs;
	rd_kafka_resp_err_t err;
	struct sigaction sa;
	char errstr[512];
	int rc = 1;

	sm_log_init(argv[0], getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if ((kc = sm_kafka_conf_new(conf, "rr-echo", producer_pairs)) == NULL)
		goto out;
	rd_kafka_conf_set_dr_msg_cb(kc, dr_cb);
	if ((producer = rd_kafka_new(RD_KAFKA_PRODUCER, kc, errstr, sizeof(errstr))) == NULL) {
		sm_log(SM_LOG_ERROR, "rr-echo: rd_kafka_new(producer): %s", errstr);
		rd_kafka_conf_destroy(kc);
		goto out;
	}
	if ((kc = sm_kafka_conf_new(conf, "rr-echo", consumer_pairs)) == NULL)
		goto out;
	rd_kafka_conf_set_rebalance_cb(kc, rebalance_cb);
	if ((consumer = rd_kafka_new(RD_KAFKA_CONSUMER, kc, errstr, sizeof(errstr))) == NULL) {
		sm_log(SM_LOG_ERROR, "rr-echo: rd_kafka_new(consumer): %s", errstr);
		rd_kafka_conf_destroy(kc);
		goto out;
	}
	if (rd_kafka_poll_set_consumer(consumer) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "rr-echo: rd_kafka_poll_set_consumer failed");
		goto out;
	}
	subs = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(subs, topic, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(consumer, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "rr-echo: rd_kafka_subscribe(%s): %s", topic,
		    rd_kafka_err2str(err));
		goto out;
	}
	sm_log(SM_LOG_INFO, "rr-echo: answering %s", topic);

	while (!stop) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);

		rd_kafka_poll(producer, 0);
		if (m == NULL)
			continue;
		if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_WARN, "rr-echo: consumer: %s", rd_kafka_message_errstr(m));
		else
			handle(consumer, producer, m);
		rd_kafka_message_destroy(m);
	}
	rc = 0;
	sm_log(SM_LOG_INFO, "rr-echo: stopping");
out:
	if (producer != NULL) {
		if (rd_kafka_flush(producer, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_WARN, "rr-echo: %d replies not delivered at exit",
			    rd_kafka_outq_len(producer));
	}
	if (consumer != NULL) {
		err = rd_kafka_consumer_close(consumer);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_WARN, "rr-echo: rd_kafka_consumer_close: %s",
			    rd_kafka_err2str(err));
		rd_kafka_destroy(consumer);
	}
	if (producer != NULL)
		rd_kafka_destroy(producer);
	sm_conf_free(conf);
	return rc;
}
