/*
 * sm_responder.c -- the request-reply answering loop (see sm_responder.h).
 */
#include "sm_responder.h"
#include "sm_conf.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_reqreply.h"
#include "sm_signal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
    void *opaque)
{
	const struct sm_responder *r = opaque;
	rd_kafka_resp_err_t aerr;

	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		aerr = rd_kafka_assign(rk, parts);
		if (aerr == RD_KAFKA_RESP_ERR_NO_ERROR) {
			sm_log(SM_LOG_INFO, "%s: assigned %d partition(s) of %s; ready", r->name,
			    parts->cnt, r->topic);
			if (r->on_assigned != NULL)
				r->on_assigned(r->arg, parts->cnt);
		}
	} else {
		aerr = rd_kafka_assign(rk, NULL);
	}
	if (aerr != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "%s: rd_kafka_assign: %s", r->name, rd_kafka_err2str(aerr));
}

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "reply to %s not delivered: %s", rd_kafka_topic_name(m->rkt),
		    rd_kafka_err2str(m->err));
}

/* Answers one request and stores its offset (handled, whatever the outcome). */
static void
handle(const struct sm_responder *r, rd_kafka_t *consumer, rd_kafka_t *producer,
    const rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *parts;
	char *reply = NULL;
	size_t len = 0;

	if (r->answer(r->arg, m, &reply, &len) == 0) {
		if (sm_reqreply_respond(producer, m, reply, len) < 0)
			sm_log(SM_LOG_WARN, "%s: request at [%d] @%lld not answered", r->name,
			    (int)m->partition, (long long)m->offset);
		free(reply);
	}
	parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, rd_kafka_topic_name(m->rkt), m->partition)
	    ->offset = m->offset + 1;
	if (rd_kafka_offsets_store(consumer, parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_DEBUG, "%s: rd_kafka_offsets_store: partition no longer ours",
		    r->name);
	rd_kafka_topic_partition_list_destroy(parts);
}

int
sm_responder_run(const struct sm_conf *conf, const struct sm_responder *r)
{
	const char *consumer_pairs[] = {
		"group.id", r->group,
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
	rd_kafka_t *consumer = NULL, *producer = NULL;
	rd_kafka_topic_partition_list_t *subs;
	rd_kafka_resp_err_t err;
	rd_kafka_conf_t *kc;
	char errstr[512];
	int rc = 1;

	if (r->stop == NULL && sm_signal_init(0) != 0)  /* else a thread of a program that owns the signals */
		return 1;

	if ((kc = sm_kafka_conf_new(conf, r->name, producer_pairs)) == NULL)
		goto out;
	rd_kafka_conf_set_dr_msg_cb(kc, dr_cb);
	if ((producer = rd_kafka_new(RD_KAFKA_PRODUCER, kc, errstr, sizeof(errstr))) == NULL) {
		sm_log(SM_LOG_ERROR, "%s: rd_kafka_new(producer): %s", r->name, errstr);
		rd_kafka_conf_destroy(kc);
		goto out;
	}
	if ((kc = sm_kafka_conf_new(conf, r->name, consumer_pairs)) == NULL)
		goto out;
	rd_kafka_conf_set_rebalance_cb(kc, rebalance_cb);
	rd_kafka_conf_set_opaque(kc, (void *)r);
	if ((consumer = rd_kafka_new(RD_KAFKA_CONSUMER, kc, errstr, sizeof(errstr))) == NULL) {
		sm_log(SM_LOG_ERROR, "%s: rd_kafka_new(consumer): %s", r->name, errstr);
		rd_kafka_conf_destroy(kc);
		goto out;
	}
	if (rd_kafka_poll_set_consumer(consumer) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "%s: rd_kafka_poll_set_consumer failed", r->name);
		goto out;
	}
	subs = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(subs, r->topic, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(consumer, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "%s: rd_kafka_subscribe(%s): %s", r->name, r->topic,
		    rd_kafka_err2str(err));
		goto out;
	}
	sm_log(SM_LOG_INFO, "%s: answering %s", r->name, r->topic);

	while (!sm_stop_requested && (r->stop == NULL || !*r->stop)) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);

		rd_kafka_poll(producer, 0);
		if (m == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			handle(r, consumer, producer, m);
		else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			sm_log(SM_LOG_WARN, "%s: consumer: %s", r->name, rd_kafka_message_errstr(m));
		rd_kafka_message_destroy(m);
	}
	rc = 0;
	sm_log(SM_LOG_INFO, "%s: stopping", r->name);
out:
	if (producer != NULL && rd_kafka_flush(producer, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_WARN, "%s: %d replies not delivered at exit", r->name,
		    rd_kafka_outq_len(producer));
	if (consumer != NULL) {
		if ((err = rd_kafka_consumer_close(consumer)) != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_WARN, "%s: rd_kafka_consumer_close: %s", r->name,
			    rd_kafka_err2str(err));
		rd_kafka_destroy(consumer);
	}
	if (producer != NULL)
		rd_kafka_destroy(producer);
	return rc;
}
