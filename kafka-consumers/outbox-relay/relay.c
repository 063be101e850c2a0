/*
 * relay.c -- from the outbox tables to Kafka, in order, nothing lost.
 *
 * For each schema of [outbox-relay] schemas (default "user community member"),
 * on a connection with that schema's own credentials:
 *
 *   1. hold the advisory lock somoim-outbox-relay:<db name> (GET_LOCK, no grant
 *      needed; it is per server, hence the db name in it) so that only one relay
 *      publishes a schema -- two would interleave and break per-key order;
 *   2. read up to 500 unpublished rows in id order;
 *   3. produce each (key = aggregate id, headers X-Request-Id and event_id) with
 *      the idempotent producer, then wait for every delivery report;
 *   4. set published_at on the delivered rows only.
 *
 * The one design decision: a failed row is never skipped, and neither is
 * anything behind it with the same key.  A delivered row whose key had an
 * earlier failure in the same batch is left unpublished too, so the next round
 * sends both again in id order: per-key order wins over avoiding a duplicate
 * (consumers dedupe by event id and ignore stale versions anyway).  Rows of
 * other keys are marked as they succeed, so one bad partition does not hold up
 * the rest.  Marks are applied to runs of consecutive ids (BETWEEN) in one
 * transaction; a gap in the ids is never covered by a range, because the gap
 * may be a row that was not yet committed when the batch was read.
 */
#include "relay.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_pool.h"
#include "sm_producer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 2000              /* rows per round: one produce burst, one UPDATE */
#define BATCH_SQL "2000"

enum { ROW_UNSENT, ROW_SENT, ROW_DELIVERED, ROW_FAILED };

struct row {
	long long id;
	char event_id[37];
	char *topic, *key, *payload, *request_id;
	size_t len;
	int state;
	rd_kafka_resp_err_t err;
};

struct schema {
	char *name;
	char lock[160];
	struct sm_db *db;
	int locked;             /* 1 held, 0 not held, -1 not asked yet */
	long backoff_ms;        /* after a failed batch: 200 ms doubling to 5 s */
	double retry_at;        /* monotonic time before which the schema is skipped */
};

struct relay {
	struct schema *schemas;
	size_t nschemas;
	struct sm_producer *producer;
	long long retention;
	struct row rows[BATCH];
	int nrows;
	int pending;            /* rows sent, report not yet in */
	int kafka_down;         /* the last batch failed: log recovery once */
};

static void
on_delivery(void *ctx, void *msg_opaque, rd_kafka_resp_err_t err)
{
	struct relay *r = ctx;
	struct row *row = msg_opaque;

	row->err = err;
	row->state = err == RD_KAFKA_RESP_ERR_NO_ERROR ? ROW_DELIVERED : ROW_FAILED;
	r->pending--;
}

static void
add_schema(struct relay *r, const struct sm_conf *conf, const char *name)
{
	struct schema *s;
	char def[96];

	r->schemas = sm_xrealloc(r->schemas, (r->nschemas + 1) * sizeof(*r->schemas));
	s = &r->schemas[r->nschemas++];
	memset(s, 0, sizeof(*s));
	s->name = sm_xstrdup(name);
	snprintf(def, sizeof(def), "somoim_%s", name);
	snprintf(s->lock, sizeof(s->lock), "somoim-outbox-relay:%s",
	    sm_conf_get(conf, name, "db_name", def));
	s->db = sm_db_new(conf, name);
	s->locked = -1;
}

struct relay *
relay_new(const struct sm_conf *conf)
{
	struct relay *r = sm_xcalloc(1, sizeof(*r));
	char *list = sm_xstrdup(sm_conf_get(conf, "outbox-relay", "schemas",
	    "user community member"));
	char *save = NULL, *tok;
	long long timeout;
	char timeout_s[24];
	/* The relay batches by itself: no need to linger on top of it. */
	const char *extra[] = { "message.timeout.ms", timeout_s, "linger.ms", "1", NULL };

	for (tok = strtok_r(list, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
		add_schema(r, conf, tok);
	free(list);
	/*
	 * A short delivery timeout: while Kafka is down a batch fails after this
	 * long and is retried with backoff; it also bounds how long SIGTERM waits
	 * for the batch in hand (dev/stack allows a daemon 10 s).
	 */
	if (r->nschemas == 0 ||
	    sm_conf_int(conf, "outbox-relay", "retention_seconds", 3600, 0, 100000000,
	    &r->retention) != 0 ||
	    sm_conf_int(conf, "outbox-relay", "message_timeout_ms", 5000, 1000, 300000,
	    &timeout) != 0) {
		if (r->nschemas == 0)
			sm_log(SM_LOG_ERROR, "[outbox-relay] schemas is empty");
		relay_free(r);
		return NULL;
	}
	snprintf(timeout_s, sizeof(timeout_s), "%lld", timeout);
	if ((r->producer = sm_producer_new(conf, "somoim-outbox-relay", extra, on_delivery,
	    r)) == NULL) {
		relay_free(r);
		return NULL;
	}
	return r;
}

static void
clear_rows(struct relay *r)
{
	int i;

	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].topic);
		free(r->rows[i].key);
		free(r->rows[i].payload);
		free(r->rows[i].request_id);
	}
	r->nrows = 0;
}

void
relay_free(struct relay *r)
{
	size_t i;

	if (r == NULL)
		return;
	sm_producer_free(r->producer);  /* serves the last reports: rows must still exist */
	clear_rows(r);
	for (i = 0; i < r->nschemas; i++) {
		sm_db_free(r->schemas[i].db);
		free(r->schemas[i].name);
	}
	free(r->schemas);
	free(r);
}

int
relay_connect(struct relay *r)
{
	size_t i, up = 0;

	for (i = 0; i < r->nschemas; i++)
		up += sm_db_ensure(r->schemas[i].db) == 0;
	return up > 0 ? 0 : -1;
}

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Do we hold the schema's lock?  Asked every round because sm_db reconnects
 * on its own, and a new connection holds no lock.  1 yes, 0 no, -1 error.
 */
static int
hold_lock(struct schema *s)
{
	struct sm_rows *rows;
	int r, held;

	if (sm_db_exec(s->db, &rows,
	    "SELECT IF(IS_USED_LOCK(?) <=> CONNECTION_ID(), 1, GET_LOCK(?, 0))", "ss",
	    s->lock, s->lock) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) != 1) {
		sm_rows_free(rows);
		return -1;
	}
	held = sm_rows_int(rows, 0) == 1;
	sm_rows_free(rows);
	if (held != s->locked)
		sm_log(SM_LOG_INFO, held ? "schema %s: lock %s taken, publishing" :
		    "schema %s: lock %s is held by another relay; standing by", s->name, s->lock);
	s->locked = held;
	return held;
}

static char *
dup_col(const struct sm_rows *rows, unsigned col)
{
	const char *v = sm_rows_str(rows, col);

	return v ? sm_xstrdup(v) : NULL;
}

static int
read_batch(struct relay *r, struct schema *s)
{
	struct sm_rows *rows;
	int n = 0;

	if (sm_db_exec(s->db, &rows,
	    "SELECT id, event_id, topic, msg_key, payload, request_id FROM outbox"
	    " WHERE published_at IS NULL ORDER BY id LIMIT " BATCH_SQL, "") != 0)
		return -1;
	while (r->nrows < BATCH && (n = sm_rows_next(rows)) == 1) {
		struct row *row = &r->rows[r->nrows++];

		memset(row, 0, sizeof(*row));
		row->id = sm_rows_int(rows, 0);
		snprintf(row->event_id, sizeof(row->event_id), "%s", sm_rows_str(rows, 1));
		row->topic = dup_col(rows, 2);
		row->key = dup_col(rows, 3);
		row->payload = dup_col(rows, 4);
		row->len = sm_rows_len(rows, 4);
		row->request_id = dup_col(rows, 5);
	}
	sm_rows_free(rows);
	return n < 0 ? -1 : 0;
}

/* Produces the batch in id order and waits for every report. */
static void
publish_batch(struct relay *r)
{
	time_t started = time(NULL), said = started;
	int i;

	for (i = 0; i < r->nrows; i++) {
		struct row *row = &r->rows[i];
		const char *headers[] = {
			SM_HDR_REQUEST_ID, row->request_id,
			SM_HDR_EVENT_ID, row->event_id,
			NULL,
		};

		if (row->topic == NULL || row->key == NULL || row->payload == NULL) {
			row->state = ROW_FAILED;        /* NOT NULL columns: cannot happen */
			break;
		}
		r->pending++;
		row->state = ROW_SENT;
		if (sm_producer_send(r->producer, row->topic, row->key, row->payload, row->len,
		    headers, row) != 0) {
			r->pending--;
			row->state = ROW_FAILED;
			break;          /* the rest stay unsent: retried next round, in order */
		}
	}
	/* Every sent message gets a report within message.timeout.ms. */
	while (r->pending > 0) {
		sm_producer_poll(r->producer, 100);
		if (time(NULL) - said >= 15) {
			said = time(NULL);
			sm_log(SM_LOG_WARN, "still waiting for %d delivery reports after %lds",
			    r->pending, (long)(said - started));
		}
	}
}

/* Should row i be marked published?  (See the design decision at the top.) */
static int
markable(struct relay *r, int i)
{
	int j;

	if (r->rows[i].state != ROW_DELIVERED)
		return 0;
	for (j = 0; j < i; j++)
		if (r->rows[j].state != ROW_DELIVERED && strcmp(r->rows[j].key, r->rows[i].key) == 0)
			return 0;
	return 1;
}

struct mark_args {
	struct relay *r;
	const char *mark;       /* per row: 1 = mark published */
	int marked;
};

static int
mark_tx(struct sm_db *db, void *arg)
{
	struct mark_args *a = arg;
	struct relay *r = a->r;
	int i = 0, j;

	a->marked = 0;
	while (i < r->nrows) {
		if (!a->mark[i]) {
			i++;
			continue;
		}
		for (j = i; j + 1 < r->nrows && a->mark[j + 1] &&
		    r->rows[j + 1].id == r->rows[j].id + 1; j++)
			;
		if (sm_db_exec(db, NULL,
		    "UPDATE outbox SET published_at = NOW(3)"
		    " WHERE id BETWEEN ? AND ? AND published_at IS NULL", "ii",
		    r->rows[i].id, r->rows[j].id) != 0)
			return -1;
		a->marked += j - i + 1;
		i = j + 1;
	}
	return 0;
}

/* One batch of one schema: 0 (full batch: *more), or -1 on any failure. */
static int
relay_schema(struct relay *r, struct schema *s, int *more)
{
	char mark[BATCH];
	struct mark_args a = { r, mark, 0 };
	int i, delivered = 0, rc = 0;
	rd_kafka_resp_err_t first_err = RD_KAFKA_RESP_ERR_NO_ERROR;

	if ((i = hold_lock(s)) <= 0)
		return i;
	if (read_batch(r, s) != 0) {
		clear_rows(r);
		return -1;
	}
	if (r->nrows == 0)
		return 0;
	publish_batch(r);
	for (i = 0; i < r->nrows; i++) {
		mark[i] = (char)markable(r, i);
		delivered += r->rows[i].state == ROW_DELIVERED;
		if (r->rows[i].state != ROW_DELIVERED && first_err == RD_KAFKA_RESP_ERR_NO_ERROR)
			first_err = r->rows[i].state == ROW_FAILED ? r->rows[i].err :
			    RD_KAFKA_RESP_ERR__STATE;
	}
	if (sm_db_tx(s->db, mark_tx, &a) != 0) {
		/* Delivered but not marked: they go again (a duplicate consumers drop). */
		sm_log(SM_LOG_ERROR, "schema %s: marking %d delivered rows failed: %s", s->name,
		    delivered, sm_db_error(s->db));
		rc = -1;
	}
	if (delivered < r->nrows) {
		if (!r->kafka_down)
			sm_log(SM_LOG_WARN, "schema %s: %d of %d events not delivered (%s); "
			    "retrying from outbox row %lld with backoff", s->name,
			    r->nrows - delivered, r->nrows, rd_kafka_err2str(first_err),
			    r->rows[0].id);
		r->kafka_down = 1;
		rc = -1;
	} else if (r->kafka_down) {
		sm_log(SM_LOG_INFO, "schema %s: delivering again", s->name);
		r->kafka_down = 0;
	}
	sm_log(SM_LOG_DEBUG, "schema %s: %d rows, %d delivered, %d marked", s->name, r->nrows,
	    delivered, a.marked);
	if (rc == 0 && r->nrows == BATCH)
		*more = 1;
	clear_rows(r);
	return rc;
}

int
relay_round(struct relay *r, int *more)
{
	size_t i;
	int rc = 0;

	*more = 0;
	for (i = 0; i < r->nschemas; i++) {
		struct schema *s = &r->schemas[i];
		double now = now_mono();

		if (now < s->retry_at)
			continue;
		if (relay_schema(r, s, more) == 0) {
			s->backoff_ms = 0;
			continue;
		}
		/* Only this schema waits: the others keep flowing. */
		s->backoff_ms = s->backoff_ms ? (s->backoff_ms >= 2500 ? 5000 : s->backoff_ms * 2) : 200;
		s->retry_at = now + (double)s->backoff_ms / 1000.0;
		rc = -1;
	}
	sm_producer_poll(r->producer, 0);
	return rc;
}

void
relay_sweep(struct relay *r)
{
	size_t i;

	for (i = 0; i < r->nschemas; i++) {
		struct schema *s = &r->schemas[i];

		if (s->locked != 1)
			continue;
		if (sm_db_exec(s->db, NULL,
		    "DELETE FROM outbox WHERE published_at < NOW(3) - INTERVAL ? SECOND LIMIT 10000",
		    "i", r->retention) != 0)
			continue;       /* logged; next sweep */
		if (sm_db_affected(s->db) > 0)
			sm_log(SM_LOG_INFO, "schema %s: deleted %llu published outbox rows", s->name,
			    sm_db_affected(s->db));
	}
}
