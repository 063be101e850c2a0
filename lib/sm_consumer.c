/*
 * sm_consumer.c -- the consumer loop of every somoim daemon (see sm_consumer.h).
 *
 * Delivery is at-least-once and the effect exactly-once: librdkafka commits
 * every 5 s whatever offsets we stored (enable.auto.commit=true with
 * enable.auto.offset.store=false), and we store offset+1 only once the
 * handler's transaction, which also inserted (group, event id) into
 * processed_events, has committed -- or once the dead letter's delivery was
 * confirmed.  A crash replays at most the last few seconds, and the replayed
 * events find their id in processed_events and are skipped.
 *
 * The one design decision: a failed message never stalls the poll loop.  Its
 * partition alone is paused and sought back to the failed offset, and resumed
 * when the backoff is due (librdkafka 2.0.2 cannot tell us whether a
 * partition is paused, so the per-partition retry state here is the only
 * truth; it is dropped when the partition is revoked).  Other partitions keep
 * flowing; later events of the same partition wait only for the retries, as
 * with Spring's DefaultErrorHandler + DeadLetterPublishingRecoverer, whose
 * headers the dead letters carry so the same tools can read both.
 *
 * One exception to the count: while the database is unreachable the event is
 * not at fault, so the attempt is not counted (the event would otherwise be
 * dead-lettered by an outage) and the partition simply retries after the
 * backoff until the database is back.
 *
 * Throughput: when messages are waiting, up to [<name>] batch of them (500)
 * are applied in ONE transaction (one commit, one log flush, instead of one
 * per event).  If anything in a batch fails, the batch is rolled back and its
 * messages go through the one-at-a-time path above, which finds the culprit
 * and applies its retry policy; so batching changes the cost, never the
 * outcome.  While any partition is retrying, batching is off.
 *
 * processed_events is pruned every PRUNE_EVERY seconds of rows older than
 * [<name>] processed_retention_seconds (7 days: Kafka's default retention, so
 * no redelivery or dead letter can still bring an id that old), in chunks
 * so the loop never stalls for long.
 */
#include "sm_consumer.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_pool.h"
#include "sm_signal.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FQCN_LISTENER "org.springframework.kafka.listener.ListenerExecutionFailedException"
#define FQCN_DESER "org.springframework.kafka.support.serializer.DeserializationException"
#define FQCN_SQL "java.sql.SQLException"
#define FQCN_HANDLER "java.lang.IllegalArgumentException"

#define PRUNE_EVERY 10          /* seconds between prunes of processed_events */
#define PRUNE_CHUNK 5000        /* rows per DELETE */
#define PRUNE_CHUNKS 20         /* DELETEs per prune at most */


/* The retry state of one partition whose message at offset failed. */
struct retry {
	char *topic;
	int32_t partition;
	int64_t offset;
	int failures;           /* counted failed attempts of that message */
	double due;             /* monotonic time to resume at */
	int paused;
};

struct loop {
	const struct sm_consumer *c;
	struct sm_conf *conf;
	struct sm_db *db;
	rd_kafka_t *rk;         /* the consumer */
	rd_kafka_t *dlt;        /* the dead-letter producer */
	long long retries;
	long long backoff_ms;
	long long batch;        /* most messages applied in one transaction */
	long long retention;    /* seconds a processed_events row is kept */
	double prune_due;       /* monotonic time of the next prune */
	char session_timeout[24];
	char fetch_wait[24], fetch_min[24];
	struct retry *rs;
	size_t nrs, caprs;
};

struct delivery {
	int done;
	rd_kafka_resp_err_t err;
	int32_t partition;
	int64_t offset;
};

struct apply {
	const struct sm_consumer *c;
	const struct sm_consumer_handler *h;
	const struct sm_event *ev;
	const rd_kafka_message_t *m;
	char err[512];
};

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *
topic_of(const rd_kafka_message_t *m)
{
	return m->rkt != NULL ? rd_kafka_topic_name(m->rkt) : "?";
}

/* ---- retry state --------------------------------------------------------- */

static struct retry *
retry_find(struct loop *l, const char *topic, int32_t partition)
{
	size_t i;

	for (i = 0; i < l->nrs; i++)
		if (l->rs[i].partition == partition && strcmp(l->rs[i].topic, topic) == 0)
			return &l->rs[i];
	return NULL;
}

static struct retry *
retry_add(struct loop *l, const char *topic, int32_t partition, int64_t offset)
{
	struct retry *r;

	if (l->nrs == l->caprs) {
		size_t cap = l->caprs ? l->caprs * 2 : 8;

		l->rs = sm_xrealloc(l->rs, cap * sizeof(*l->rs));
		l->caprs = cap;
	}
	r = &l->rs[l->nrs++];
	memset(r, 0, sizeof(*r));
	r->topic = sm_xstrdup(topic);
	r->partition = partition;
	r->offset = offset;
	return r;
}

static void
retry_drop(struct loop *l, struct retry *r)
{
	size_t i = (size_t)(r - l->rs);

	free(r->topic);
	l->rs[i] = l->rs[--l->nrs];
}

static void
retry_drop_all(struct loop *l)
{
	while (l->nrs > 0)
		retry_drop(l, &l->rs[0]);
}

/*
 * A partition leaving us while paused is resumed first: whether librdkafka
 * 2.0.2 clears the application's pause on a later re-assignment is not
 * documented, and a forgotten pause would stall that partition for good.
 */
static void
retry_revoke(struct loop *l, struct retry *r)
{
	if (r->paused) {
		rd_kafka_topic_partition_list_t *pl = rd_kafka_topic_partition_list_new(1);

		rd_kafka_topic_partition_list_add(pl, r->topic, r->partition);
		(void)rd_kafka_resume_partitions(l->rk, pl);
		rd_kafka_topic_partition_list_destroy(pl);
	}
	retry_drop(l, r);
}

/* ---- partition control --------------------------------------------------- */

static rd_kafka_topic_partition_list_t *
one_partition(const char *topic, int32_t partition, int64_t offset)
{
	rd_kafka_topic_partition_list_t *pl = rd_kafka_topic_partition_list_new(1);

	rd_kafka_topic_partition_list_add(pl, topic, partition)->offset = offset;
	return pl;
}

/* Stores offset+1 of m for the next auto commit. */
static void
store_offset(struct loop *l, const rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *pl = one_partition(topic_of(m), m->partition, m->offset + 1);
	rd_kafka_resp_err_t err = rd_kafka_offsets_store(l->rk, pl);

	if (pl->elems[0].err == RD_KAFKA_RESP_ERR__STATE)
		sm_log(SM_LOG_INFO, "offset not stored: %s [%" PRId32 "] is no longer assigned",
		    topic_of(m), m->partition);
	else if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "rd_kafka_offsets_store(%s [%" PRId32 "] @%" PRId64 ") failed: %s",
		    topic_of(m), m->partition, m->offset + 1, rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(pl);
}

/* Pauses r's partition, seeks it back to r->offset and schedules the resume. */
static void
pause_and_rewind(struct loop *l, struct retry *r, long long delay_ms)
{
	rd_kafka_topic_partition_list_t *pl = one_partition(r->topic, r->partition, r->offset);
	rd_kafka_resp_err_t err;
	rd_kafka_error_t *e;

	if (!r->paused) {
		if ((err = rd_kafka_pause_partitions(l->rk, pl)) != RD_KAFKA_RESP_ERR_NO_ERROR ||
		    (err = pl->elems[0].err) != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_ERROR, "rd_kafka_pause_partitions(%s [%" PRId32 "]) failed: %s",
			    r->topic, r->partition, rd_kafka_err2str(err));
		else
			r->paused = 1;
		pl->elems[0].offset = r->offset;
		pl->elems[0].err = RD_KAFKA_RESP_ERR_NO_ERROR;
	}
	if ((e = rd_kafka_seek_partitions(l->rk, pl, 5000)) != NULL) {
		sm_log(SM_LOG_ERROR, "rd_kafka_seek_partitions(%s [%" PRId32 "] @%" PRId64 ") failed: %s",
		    r->topic, r->partition, r->offset, rd_kafka_error_string(e));
		rd_kafka_error_destroy(e);
	} else if (pl->elems[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "seek %s [%" PRId32 "] @%" PRId64 " failed: %s", r->topic,
		    r->partition, r->offset, rd_kafka_err2str(pl->elems[0].err));
	}
	rd_kafka_topic_partition_list_destroy(pl);
	r->due = now_mono() + (double)delay_ms / 1000.0;
}

/* Resumes every paused partition whose backoff is over; returns ms to the next one. */
static int
resume_due(struct loop *l)
{
	double now = now_mono(), next = -1;
	size_t i;

	for (i = 0; i < l->nrs; i++) {
		struct retry *r = &l->rs[i];

		if (!r->paused)
			continue;
		if (r->due <= now) {
			rd_kafka_topic_partition_list_t *pl = one_partition(r->topic, r->partition,
			    RD_KAFKA_OFFSET_INVALID);
			rd_kafka_resp_err_t err = rd_kafka_resume_partitions(l->rk, pl);

			if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
				sm_log(SM_LOG_ERROR, "rd_kafka_resume_partitions(%s [%" PRId32 "]) failed: %s",
				    r->topic, r->partition, rd_kafka_err2str(err));
			rd_kafka_topic_partition_list_destroy(pl);
			r->paused = 0;
		} else if (next < 0 || r->due < next) {
			next = r->due;
		}
	}
	if (next < 0)
		return 100;
	next = (next - now) * 1000.0 + 1;
	return next < 100 ? (int)next : 100;
}

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
    void *opaque)
{
	struct loop *l = opaque;
	rd_kafka_resp_err_t e;
	int i;

	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		for (i = 0; i < parts->cnt; i++)
			sm_log(SM_LOG_INFO, "assigned %s [%" PRId32 "]", parts->elems[i].topic,
			    parts->elems[i].partition);
		if ((e = rd_kafka_assign(rk, parts)) != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_ERROR, "rd_kafka_assign failed: %s", rd_kafka_err2str(e));
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
		for (i = 0; i < parts->cnt; i++) {
			struct retry *r = retry_find(l, parts->elems[i].topic, parts->elems[i].partition);

			sm_log(SM_LOG_INFO, "revoked %s [%" PRId32 "]", parts->elems[i].topic,
			    parts->elems[i].partition);
			if (r != NULL)
				retry_revoke(l, r);
		}
	} else {
		sm_log(SM_LOG_ERROR, "rebalance failed: %s", rd_kafka_err2str(err));
		while (l->nrs > 0)
			retry_revoke(l, &l->rs[0]);
	}
	if ((e = rd_kafka_assign(rk, NULL)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "rd_kafka_assign(NULL) failed: %s", rd_kafka_err2str(e));
}

/* ---- dead letters -------------------------------------------------------- */

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct delivery *d = m->_private;

	(void)rk;
	(void)opaque;
	if (d == NULL)
		return;
	d->err = m->err;
	d->partition = m->partition;
	d->offset = m->offset;
	d->done = 1;
}

static void
add_be(rd_kafka_headers_t *h, const char *name, uint64_t v, size_t n)
{
	unsigned char b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	rd_kafka_header_add(h, name, -1, b, n);
}

/* The original headers plus Spring's kafka_dlt-* headers (exception ones replaced). */
static rd_kafka_headers_t *
dlt_headers(const struct loop *l, const rd_kafka_message_t *m, const char *fqcn,
    const char *cause_fqcn, const char *reason)
{
	static const char *const replaced[] = {
		"kafka_dlt-exception-fqcn", "kafka_dlt-exception-cause-fqcn",
		"kafka_dlt-exception-message", "kafka_dlt-exception-stacktrace",
	};
	rd_kafka_headers_t *src, *h;
	rd_kafka_timestamp_type_t tstype;
	int64_t ts = rd_kafka_message_timestamp(m, &tstype);
	size_t i;

	if (rd_kafka_message_headers(m, &src) == RD_KAFKA_RESP_ERR_NO_ERROR)
		h = rd_kafka_headers_copy(src);
	else
		h = rd_kafka_headers_new(12);
	for (i = 0; i < sizeof(replaced) / sizeof(replaced[0]); i++)
		rd_kafka_header_remove(h, replaced[i]);
	rd_kafka_header_add(h, "kafka_dlt-original-topic", -1, topic_of(m), strlen(topic_of(m)));
	add_be(h, "kafka_dlt-original-partition", (uint64_t)(uint32_t)m->partition, 4);
	add_be(h, "kafka_dlt-original-offset", (uint64_t)m->offset, 8);
	add_be(h, "kafka_dlt-original-timestamp", (uint64_t)ts, 8);
	rd_kafka_header_add(h, "kafka_dlt-original-timestamp-type", -1,
	    tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME ? "CreateTime" :
	    tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? "LogAppendTime" : "NoTimestampType", -1);
	rd_kafka_header_add(h, "kafka_dlt-original-consumer-group", -1, l->c->group, -1);
	rd_kafka_header_add(h, "kafka_dlt-exception-fqcn", -1, fqcn, -1);
	rd_kafka_header_add(h, "kafka_dlt-exception-cause-fqcn", -1, cause_fqcn, -1);
	rd_kafka_header_add(h, "kafka_dlt-exception-message", -1, reason, -1);
	return h;
}

/*
 * Publishes m to its dead-letter topic on the same partition number (any
 * partition if the DLT has fewer) and waits for the delivery report.  0 once
 * the broker has it, -1 otherwise (logged).
 */
static int
dead_letter(struct loop *l, const rd_kafka_message_t *m, const char *event_id, const char *fqcn,
    const char *cause_fqcn, const char *reason)
{
	char dlt[512];
	int attempt;

	sm_kafka_dlt_topic(l->conf, topic_of(m), dlt, sizeof(dlt));
	for (attempt = 0; attempt < 2; attempt++) {
		int32_t part = attempt == 0 ? m->partition : RD_KAFKA_PARTITION_UA;
		rd_kafka_headers_t *h = dlt_headers(l, m, fqcn, cause_fqcn, reason);
		struct delivery d = { 0, RD_KAFKA_RESP_ERR_NO_ERROR, -1, -1 };
		rd_kafka_resp_err_t err;

		err = rd_kafka_producev(l->dlt, RD_KAFKA_V_TOPIC(dlt), RD_KAFKA_V_PARTITION(part),
		    RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h),
		    RD_KAFKA_V_OPAQUE(&d), RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			rd_kafka_headers_destroy(h);
		} else {
			while (!d.done)
				rd_kafka_poll(l->dlt, 100);
			err = d.err;
		}
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			sm_log(SM_LOG_ERROR, "dead-lettered topic=%s partition=%" PRId32 " offset=%" PRId64
			    " event_id=%s to %s [%" PRId32 "] @%" PRId64 ": %s", topic_of(m), m->partition,
			    m->offset, event_id, dlt, d.partition, d.offset, reason);
			return 0;
		}
		sm_log(SM_LOG_ERROR, "producing the dead letter of %s [%" PRId32 "] @%" PRId64
		    " to %s [%" PRId32 "] failed: %s", topic_of(m), m->partition, m->offset, dlt, part,
		    rd_kafka_err2str(err));
		if (err != RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
			break;
	}
	return -1;
}

/* ---- one message ---------------------------------------------------------- */

static int
apply_tx(struct sm_db *db, void *arg)
{
	struct apply *a = arg;

	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO processed_events (consumer_group, event_id) "
	    "VALUES (?, ?)", "ss", a->c->group, a->ev->id) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return 1;                               /* seen before: skip */
	a->err[0] = '\0';
	switch (a->h->fn(db, a->ev, a->m, a->err, sizeof(a->err))) {
	case 0:
		return 0;
	case SM_CONSUMER_UNAVAILABLE:
		return 3;                               /* a store out of reach: not counted */
	default:
		return a->err[0] != '\0' ? 2 : -1;
	}
}

static const struct sm_consumer_handler *
handler_for(const struct sm_consumer *c, const char *topic)
{
	size_t i;

	for (i = 0; i < c->nhandlers; i++)
		if (strcmp(c->handlers[i].topic, topic) == 0)
			return &c->handlers[i];
	return NULL;
}

/* The handler failed: retry after the backoff, or dead-letter after the last retry. */
static void
failed(struct loop *l, const rd_kafka_message_t *m, struct retry *r, const char *event_id,
    int counted, const char *cause_fqcn, const char *reason)
{
	if (r == NULL)
		r = retry_add(l, topic_of(m), m->partition, m->offset);
	if (!counted) {
		sm_log(SM_LOG_WARN, "attempt not counted, retrying in %lld ms: topic=%s partition=%"
		    PRId32 " offset=%" PRId64 " event_id=%s: %s", l->backoff_ms, topic_of(m),
		    m->partition, m->offset, event_id, reason);
		pause_and_rewind(l, r, l->backoff_ms);
		return;
	}
	r->failures++;
	if (r->failures <= l->retries) {
		sm_log(SM_LOG_WARN, "attempt %d/%lld failed, retrying in %lld ms: topic=%s partition=%"
		    PRId32 " offset=%" PRId64 " event_id=%s: %s", r->failures, l->retries + 1,
		    l->backoff_ms, topic_of(m), m->partition, m->offset, event_id, reason);
		pause_and_rewind(l, r, l->backoff_ms);
		return;
	}
	sm_log(SM_LOG_WARN, "attempt %d/%lld failed, dead-lettering: topic=%s partition=%" PRId32
	    " offset=%" PRId64 " event_id=%s: %s", r->failures, l->retries + 1, topic_of(m),
	    m->partition, m->offset, event_id, reason);
	if (dead_letter(l, m, event_id, FQCN_LISTENER, cause_fqcn, reason) == 0) {
		store_offset(l, m);
		retry_drop(l, r);
	} else {
		pause_and_rewind(l, r, l->backoff_ms);   /* redelivered, then dead-lettered again */
	}
}

/* A dead letter of another group, re-driven: not ours to apply (sm_kafka.h). */
static int
redriven_for_other(const struct loop *l, const rd_kafka_message_t *m)
{
	char group[256];

	return sm_kafka_header(m, SM_HDR_REDRIVE_GROUP, group, sizeof(group)) == 0 &&
	    strcmp(group, l->c->group) != 0;
}

static void
handle(struct loop *l, const rd_kafka_message_t *m)
{
	const char *topic = topic_of(m);
	struct retry *r = retry_find(l, topic, m->partition);
	const struct sm_consumer_handler *h;
	struct sm_event ev;
	struct apply a;
	int rc;

	if (r != NULL && (r->paused || m->offset != r->offset)) {
		/*
		 * Fetched before the pause/seek took effect: dropped unstored, it
		 * comes again once the partition resumes at the failed message.
		 * Unpaused means the seek was lost; rewind again.
		 */
		if (!r->paused)
			pause_and_rewind(l, r, 0);
		return;
	}
	if (redriven_for_other(l, m)) {
		sm_log(SM_LOG_DEBUG, "re-driven for another group, passed by: topic=%s partition=%"
		    PRId32 " offset=%" PRId64, topic, m->partition, m->offset);
		store_offset(l, m);
		if (r != NULL)
			retry_drop(l, r);
		return;
	}
	if (sm_event_parse(m->payload, m->len, &ev) != 0) {
		char event_id[64];

		if (sm_kafka_header(m, SM_HDR_EVENT_ID, event_id, sizeof(event_id)) != 0)
			snprintf(event_id, sizeof(event_id), "-");
		sm_log(SM_LOG_WARN, "not an event envelope, dead-lettering without retries: topic=%s "
		    "partition=%" PRId32 " offset=%" PRId64 " event_id=%s", topic, m->partition,
		    m->offset, event_id);
		if (dead_letter(l, m, event_id, FQCN_DESER, FQCN_DESER,
		    "the value is not a somoim event envelope") == 0) {
			store_offset(l, m);
			if (r != NULL)
				retry_drop(l, r);
		} else {
			if (r == NULL)
				r = retry_add(l, topic, m->partition, m->offset);
			pause_and_rewind(l, r, l->backoff_ms);
		}
		return;
	}
	if ((h = handler_for(l->c, topic)) == NULL) {
		failed(l, m, r, ev.id, 1, FQCN_HANDLER, "no handler for this topic");
		sm_event_fini(&ev);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.c = l->c;
	a.h = h;
	a.ev = &ev;
	a.m = m;
	rc = sm_db_tx(l->db, apply_tx, &a);
	if (rc == 0 || rc == 1) {
		if (rc == 1)
			sm_log(SM_LOG_INFO, "duplicate skipped: topic=%s partition=%" PRId32 " offset=%"
			    PRId64 " event_id=%s", topic, m->partition, m->offset, ev.id);
		store_offset(l, m);
		if (r != NULL)
			retry_drop(l, r);
	} else if (rc == 2) {
		failed(l, m, r, ev.id, 1, FQCN_HANDLER, a.err);
	} else if (rc == 3) {
		failed(l, m, r, ev.id, 0, FQCN_HANDLER, a.err);
	} else {
		char reason[600];

		snprintf(reason, sizeof(reason), "%s%s%s", a.err, a.err[0] ? ": " : "",
		    sm_db_error(l->db));
		failed(l, m, r, ev.id, !sm_db_unavailable(l->db), FQCN_SQL, reason);
	}
	sm_event_fini(&ev);
}

/* ---- many messages in one transaction ------------------------------------ */

struct batch {
	const struct sm_consumer *c;
	rd_kafka_message_t **ms;
	struct sm_event *evs;
	size_t n;
	size_t applied;
};

/*
 * The batch's inbox rows go in with one statement (the ids travel as one JSON
 * array through JSON_TABLE), then each handler runs.  A duplicate among them
 * (fewer rows inserted than events) rolls the batch back: the one-at-a-time
 * path then skips exactly the duplicates.
 */
static int
batch_tx(struct sm_db *db, void *arg)
{
	struct batch *b = arg;
	json_object *ids = json_object_new_array();
	char err[512];
	size_t i, j;
	int rc;

	for (i = 0; i < b->n; i++)
		json_object_array_add(ids, json_object_new_string(b->evs[i].id));
	rc = sm_db_exec(db, NULL, "INSERT IGNORE INTO processed_events (consumer_group, event_id)"
	    " SELECT ?, j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id CHAR(36) PATH '$')) AS j", "ss",
	    b->c->group, json_object_to_json_string_ext(ids, JSON_C_TO_STRING_PLAIN));
	json_object_put(ids);
	if (rc != 0)
		return -1;
	if (sm_db_affected(db) != b->n)
		return 2;               /* a duplicate: let the single path sort it out */
	for (i = 0; i < b->n; i = j) {
		const struct sm_consumer_handler *h = handler_for(b->c, topic_of(b->ms[i]));

		/* A run of events whose handlers share a batch form goes in at once. */
		for (j = i + 1; h->batch != NULL && j < b->n &&
		    handler_for(b->c, topic_of(b->ms[j]))->batch == h->batch; j++)
			;
		if (h->batch != NULL) {
			if (h->batch(db, &b->evs[i], j - i) != 0)
				return 2;
			continue;
		}
		err[0] = '\0';
		if (h->fn(db, &b->evs[i], b->ms[i], err, sizeof(err)) != 0)
			return 2;       /* roll back; each message goes the single path */
	}
	b->applied = b->n;
	return 0;
}

/*
 * Applies ms[0..n) in one transaction when they are all ordinary events with
 * a handler and no partition is retrying; otherwise, or when the transaction
 * fails, handles them one at a time.  Destroys the messages.
 */
static void
handle_batch(struct loop *l, rd_kafka_message_t **ms, size_t n)
{
	struct sm_event *evs = calloc(n, sizeof(*evs));
	struct batch b = { l->c, ms, evs, n, 0 };
	size_t i, parsed = 0;
	int fast = evs != NULL && n > 1 && l->nrs == 0;

	/* Anything unusual (a re-driven dead letter among them) goes one at a time. */
	for (i = 0; fast && i < n; i++, parsed++)
		if (handler_for(l->c, topic_of(ms[i])) == NULL || redriven_for_other(l, ms[i]) ||
		    sm_event_parse(ms[i]->payload, ms[i]->len, &evs[i]) != 0)
			fast = 0;
	if (fast && sm_db_tx(l->db, batch_tx, &b) == 0) {
		for (i = 0; i < n; i++)
			store_offset(l, ms[i]);
	} else {
		for (i = 0; i < n; i++)
			handle(l, ms[i]);
	}
	for (i = 0; i < parsed && evs != NULL; i++)
		sm_event_fini(&evs[i]);
	free(evs);
	for (i = 0; i < n; i++)
		rd_kafka_message_destroy(ms[i]);
}

/* ---- setup and teardown --------------------------------------------------- */

static rd_kafka_t *
new_consumer(struct loop *l, const char *client_id)
{
	const char *pairs[] = {
		"group.id", l->c->group,
		"enable.auto.commit", "true",
		"enable.auto.offset.store", "false",
		"partition.assignment.strategy", "range",
		"auto.offset.reset", "earliest",
		"enable.partition.eof", "false",
		"session.timeout.ms", l->session_timeout,
		"fetch.wait.max.ms", l->fetch_wait,
		"fetch.min.bytes", l->fetch_min,
		NULL,
	};
	rd_kafka_conf_t *kc = sm_kafka_conf_new(l->conf, client_id, pairs);
	rd_kafka_t *rk;
	char err[512];

	if (kc == NULL)
		return NULL;
	rd_kafka_conf_set_rebalance_cb(kc, rebalance_cb);
	rd_kafka_conf_set_opaque(kc, l);
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err))) == NULL) {
		sm_log(SM_LOG_ERROR, "rd_kafka_new(consumer) failed: %s", err);
		rd_kafka_conf_destroy(kc);
		return NULL;
	}
	rd_kafka_poll_set_consumer(rk);
	return rk;
}

static rd_kafka_t *
new_dlt_producer(struct loop *l, const char *client_id)
{
	const char *pairs[] = {
		"enable.idempotence", "true",
		"partitioner", "murmur2_random",
		"message.timeout.ms", "30000",
		NULL,
	};
	rd_kafka_conf_t *kc = sm_kafka_conf_new(l->conf, client_id, pairs);
	rd_kafka_t *rk;
	char err[512];

	if (kc == NULL)
		return NULL;
	rd_kafka_conf_set_dr_msg_cb(kc, dr_cb);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))) == NULL) {
		sm_log(SM_LOG_ERROR, "rd_kafka_new(producer) failed: %s", err);
		rd_kafka_conf_destroy(kc);
	}
	return rk;
}

static int
subscribe(struct loop *l)
{
	rd_kafka_topic_partition_list_t *pl = rd_kafka_topic_partition_list_new((int)l->c->nhandlers);
	rd_kafka_resp_err_t err;
	size_t i;

	for (i = 0; i < l->c->nhandlers; i++)
		rd_kafka_topic_partition_list_add(pl, l->c->handlers[i].topic, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(l->rk, pl);
	rd_kafka_topic_partition_list_destroy(pl);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "rd_kafka_subscribe failed: %s", rd_kafka_err2str(err));
		return -1;
	}
	return 0;
}

/* Deletes this group's inbox rows older than the retention, a chunk at a time. */
static void
prune(struct loop *l)
{
	unsigned long long deleted = 0;
	int i;

	l->prune_due = now_mono() + PRUNE_EVERY;
	for (i = 0; i < PRUNE_CHUNKS; i++) {
		if (sm_db_exec(l->db, NULL, "DELETE FROM processed_events WHERE consumer_group = ?"
		    " AND processed_at < NOW(3) - INTERVAL ? SECOND LIMIT ?", "sii",
		    l->c->group, l->retention, (long long)PRUNE_CHUNK) != 0) {
			sm_log(SM_LOG_WARN, "pruning processed_events failed: %s", sm_db_error(l->db));
			return;
		}
		deleted += sm_db_affected(l->db);
		if (sm_db_affected(l->db) < PRUNE_CHUNK)
			break;
	}
	if (deleted > 0)
		sm_log(SM_LOG_INFO, "pruned %llu processed_events rows older than %lld s", deleted,
		    l->retention);
}

static int
run(struct loop *l)
{
	rd_kafka_message_t **batch;
	char client_id[128];
	long long session, fetch_wait, fetch_min;

	snprintf(client_id, sizeof(client_id), "somoim-%s", l->c->name);
	if (sm_conf_int(l->conf, l->c->name, "retries", 2, 0, 100, &l->retries) != 0 ||
	    sm_conf_int(l->conf, l->c->name, "retry_backoff_ms", 1000, 0, 600000, &l->backoff_ms) != 0 ||
	    sm_conf_int(l->conf, l->c->name, "session_timeout_ms", 10000, 6000, 300000, &session) != 0 ||
	    sm_conf_int(l->conf, l->c->name, "batch", 500, 1, 5000, &l->batch) != 0 ||
	    sm_conf_int(l->conf, l->c->name, "processed_retention_seconds", 604800, 1,
	    100000000, &l->retention) != 0 ||
	    sm_conf_int(l->conf, "kafka", "fetch_wait_max_ms", 500, 0, 10000, &fetch_wait) != 0 ||
	    sm_conf_int(l->conf, "kafka", "fetch_min_bytes", 1, 1, 100000000, &fetch_min) != 0)
		return 1;
	snprintf(l->session_timeout, sizeof(l->session_timeout), "%lld", session);
	snprintf(l->fetch_wait, sizeof(l->fetch_wait), "%lld", fetch_wait);
	snprintf(l->fetch_min, sizeof(l->fetch_min), "%lld", fetch_min);
	if ((l->db = sm_db_new(l->conf, l->c->schema)) == NULL)
		return 1;
	if (sm_signal_init(0) != 0)
		return 1;
	if ((l->dlt = new_dlt_producer(l, client_id)) == NULL ||
	    (l->rk = new_consumer(l, client_id)) == NULL || subscribe(l) != 0)
		return 1;
	sm_log(SM_LOG_INFO, "ready: group %s, %zu topics, retries %lld, backoff %lld ms",
	    l->c->group, l->c->nhandlers, l->retries, l->backoff_ms);

	if ((batch = calloc((size_t)l->batch, sizeof(*batch))) == NULL) {
		sm_log(SM_LOG_ERROR, "calloc(batch of %lld) failed", l->batch);
		return 1;
	}
	while (!sm_stop_requested) {
		int timeout = resume_due(l);
		rd_kafka_message_t *m = rd_kafka_consumer_poll(l->rk, timeout);
		size_t n = 0;

		/* What is already fetched joins the batch; an error ends it. */
		while (m != NULL && m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			batch[n++] = m;
			m = n < (size_t)l->batch && l->nrs == 0 ? rd_kafka_consumer_poll(l->rk, 0) : NULL;
		}
		if (n > 0)
			handle_batch(l, batch, n);
		if (now_mono() >= l->prune_due)
			prune(l);
		if (m == NULL)
			continue;
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			sm_log(SM_LOG_WARN, "consumer: %s [%" PRId32 "]: %s", topic_of(m), m->partition,
			    rd_kafka_message_errstr(m));
		rd_kafka_message_destroy(m);
	}
	free(batch);
	sm_log(SM_LOG_INFO, "stopping: signal received");
	return 0;
}

int
sm_consumer_main(const struct sm_consumer *c)
{
	struct loop l;
	char prog[128];
	rd_kafka_resp_err_t err;
	int rc;

	snprintf(prog, sizeof(prog), "somoim-%s", c->name);
	sm_log_init(prog, getenv("SOMOIM_LOG_LEVEL"));
	memset(&l, 0, sizeof(l));
	l.c = c;
	if ((l.conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	rc = run(&l);

	/* Teardown order of librdkafka's INTRODUCTION.md "Termination". */
	if (l.dlt != NULL) {
		if ((err = rd_kafka_flush(l.dlt, 10000)) != RD_KAFKA_RESP_ERR_NO_ERROR)
			sm_log(SM_LOG_ERROR, "rd_kafka_flush(dead-letter producer): %s",
			    rd_kafka_err2str(err));
	}
	if (l.rk != NULL) {
		if ((err = rd_kafka_consumer_close(l.rk)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			sm_log(SM_LOG_ERROR, "rd_kafka_consumer_close: %s", rd_kafka_err2str(err));
			rc = 1;
		}
		rd_kafka_destroy(l.rk);
	}
	if (l.dlt != NULL)
		rd_kafka_destroy(l.dlt);
	retry_drop_all(&l);
	free(l.rs);
	sm_db_free(l.db);
	sm_conf_free(l.conf);
	if (rc == 0)
		sm_log(SM_LOG_INFO, "stopped");
	return rc;
}
