/*
 * main.c -- somoim-schedule-attendance: the kafka strategy's command
 * consumer.  It reads v1.command.attendance.request (key: the schedule id, so
 * one schedule's commands share a partition and come in order), applies each
 * with the plain serial transaction of fcgi-apps/schedule/seats.c -- it is the
 * only writer of a schedule's attendance while the strategy is kafka -- and
 * answers through sm_reqreply_respond() on v1.command.attendance.response.
 *
 * The one design decision: a command carries deadline_ms, the moment its
 * requester stops waiting (and answers 503 "nothing was taken"); a command
 * read after it is dropped unapplied.  So a backlog after a restart cannot
 * give seats to people who were told they have none, and
 * auto.offset.reset=earliest (no request lost between "ready" and the group's
 * first position) is safe.  The offset is stored after the reply is queued:
 * a command redelivered after a crash is applied again, which attend and
 * cancel tolerate (they are idempotent on their own).
 */
#include "seats.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_outbox.h"
#include "sm_redis.h"
#include "sm_reqreply.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TOPIC "v1.command.attendance.request"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
    void *opaque)
{
	rd_kafka_resp_err_t aerr;

	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		aerr = rd_kafka_assign(rk, parts);
		if (aerr == RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_INFO, "assigned %d partition(s); ready", parts->cnt);
	} else {
		aerr = rd_kafka_assign(rk, NULL);
	}
	if (aerr != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "rd_kafka_assign: %s", rd_kafka_err2str(aerr));
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

struct daemon {
	struct sm_db *db;
	struct sm_redis *redis;
	rd_kafka_t *consumer, *producer;
};

/* Applies one command; *out: the reply.  Returns 0, or -1 to drop it unanswered. */
static int
apply(struct daemon *d, const rd_kafka_message_t *m, json_object **out)
{
	struct seat_result res = { .schedule = NULL };
	json_object *cmd = sm_json_parse(m->payload ? m->payload : "", m->len), *rep, *v;
	long long id = 0, user_id = 0, deadline = 0;
	const char *op = NULL, *rid = NULL, *result;
	int r;

	if (cmd != NULL) {
		sm_event_int(cmd, "schedule_id", &id);
		sm_event_int(cmd, "user_id", &user_id);
		sm_event_int(cmd, "deadline_ms", &deadline);
		if (json_object_object_get_ex(cmd, "op", &v))
			op = json_object_get_string(v);
		if (json_object_object_get_ex(cmd, "request_id", &v))
			rid = json_object_get_string(v);
	}
	if (op == NULL || id <= 0 || user_id <= 0 ||
	    (strcmp(op, "attend") != 0 && strcmp(op, "cancel") != 0)) {
		sm_log(SM_LOG_WARN, "command at [%d] @%lld is malformed: dropped", (int)m->partition,
		    (long long)m->offset);
		json_object_put(cmd);
		return -1;
	}
	if (wall_ms() > deadline) {
		sm_log(SM_LOG_WARN, "%s of schedule %lld by %lld came after its deadline: dropped",
		    op, id, user_id);
		json_object_put(cmd);
		return -1;
	}
	sm_log_set_request_id(rid);
	r = (strcmp(op, "attend") == 0 ? seats_attend : seats_cancel)(d->db, SEATS_SERIAL, id,
	    user_id, rid, &res);
	json_object_put(cmd);
	rep = json_object_new_object();
	result = r == 0 ? "ok" : r == STORE_NOT_FOUND ? "not_found" : r == STORE_PAST ? "past" :
	    r == STORE_BUSY ? "busy" : "error";
	json_object_object_add(rep, "result", json_object_new_string(result));
	if (r == 0) {
		json_object_object_add(rep, "status", json_object_new_string(res.status));
		json_object_object_add(rep, "promoted_user_id", json_object_new_int64(res.promoted));
		json_object_object_add(rep, "changed", json_object_new_boolean(res.changed));
		json_object_object_add(rep, "schedule", res.schedule);
		if (res.changed)
			sm_outbox_wake(d->redis, "schedule");
	}
	sm_log_set_request_id(NULL);
	*out = rep;
	return 0;
}

static void
handle(struct daemon *d, const rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *parts;
	json_object *rep;
	const char *text;
	size_t len;

	if (apply(d, m, &rep) == 0) {
		text = json_object_to_json_string_length(rep, JSON_C_TO_STRING_PLAIN, &len);
		if (sm_reqreply_respond(d->producer, m, text, len) < 0)
			sm_log(SM_LOG_WARN, "command at [%d] @%lld not answered", (int)m->partition,
			    (long long)m->offset);
		json_object_put(rep);
	}
	parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, rd_kafka_topic_name(m->rkt), m->partition)
	    ->offset = m->offset + 1;
	if (rd_kafka_offsets_store(d->consumer, parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_DEBUG, "rd_kafka_offsets_store: partition no longer ours");
	rd_kafka_topic_partition_list_destroy(parts);
}

int
main(void)
{
	static const char *const consumer_pairs[] = {
		"group.id", "somoim-schedule-attendance",
		"auto.offset.reset", "earliest",
		"enable.auto.offset.store", "false",
		"partition.assignment.strategy", "range",
		"socket.nagle.disable", "true",
		"fetch.wait.max.ms", "10",
		NULL,
	};
	static const char *const producer_pairs[] = {
		"linger.ms", "0",
		"socket.nagle.disable", "true",
		NULL,
	};
	struct daemon d = { NULL, NULL, NULL, NULL };
	struct sm_conf *conf;
	rd_kafka_conf_t *kc;
	rd_kafka_topic_partition_list_t *subs;
	rd_kafka_resp_err_t err;
	struct sigaction sa;
	char errstr[512];
	int rc = 1;

	sm_log_init("somoim-schedule-attendance", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	sm_log_init("somoim-schedule-attendance", sm_conf_get(conf, "log", "level", "info"));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	srand((unsigned)getpid() ^ (unsigned)time(NULL));

	d.db = sm_db_new(conf, "schedule");
	d.redis = sm_redis_new(conf);
	if (d.db == NULL || d.redis == NULL)
		goto out;
	if ((kc = sm_kafka_conf_new(conf, "schedule-attendance", producer_pairs)) == NULL)
		goto out;
	rd_kafka_conf_set_dr_msg_cb(kc, dr_cb);
	if ((d.producer = rd_kafka_new(RD_KAFKA_PRODUCER, kc, errstr, sizeof(errstr))) == NULL) {
		sm_log(SM_LOG_ERROR, "rd_kafka_new(producer): %s", errstr);
		rd_kafka_conf_destroy(kc);
		goto out;
	}
	if ((kc = sm_kafka_conf_new(conf, "schedule-attendance", consumer_pairs)) == NULL)
		goto out;
	rd_kafka_conf_set_rebalance_cb(kc, rebalance_cb);
	if ((d.consumer = rd_kafka_new(RD_KAFKA_CONSUMER, kc, errstr, sizeof(errstr))) == NULL) {
		sm_log(SM_LOG_ERROR, "rd_kafka_new(consumer): %s", errstr);
		rd_kafka_conf_destroy(kc);
		goto out;
	}
	if (rd_kafka_poll_set_consumer(d.consumer) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "rd_kafka_poll_set_consumer failed");
		goto out;
	}
	subs = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(subs, TOPIC, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(d.consumer, subs);
	rd_kafka_topic_partition_list_destroy(subs);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "rd_kafka_subscribe(%s): %s", TOPIC, rd_kafka_err2str(err));
		goto out;
	}
	sm_log(SM_LOG_INFO, "applying %s", TOPIC);

	while (!stop) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(d.consumer, 100);

		rd_kafka_poll(d.producer, 0);
		if (m == NULL)
			continue;
		if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
				sm_log(SM_LOG_WARN, "consumer: %s", rd_kafka_message_errstr(m));
		} else {
			handle(&d, m);
		}
		rd_kafka_message_destroy(m);
	}
	rc = 0;
	sm_log(SM_LOG_INFO, "stopping");
out:
	if (d.producer != NULL &&
	    rd_kafka_flush(d.producer, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_WARN, "%d replies not delivered at exit", rd_kafka_outq_len(d.producer));
	if (d.consumer != NULL) {
		if ((err = rd_kafka_consumer_close(d.consumer)) != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_WARN, "rd_kafka_consumer_close: %s", rd_kafka_err2str(err));
		rd_kafka_destroy(d.consumer);
	}
	if (d.producer != NULL)
		rd_kafka_destroy(d.producer);
	sm_redis_free(d.redis);
	sm_db_free(d.db);
	sm_conf_free(conf);
	return rc;
}
