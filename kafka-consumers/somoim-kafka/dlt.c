/*
 * dlt.c -- somoim-kafka dlt: look at dead letters and send them back.
 *
 *   dlt list TOPIC.DLT
 *       every message: partition, offset, key, timestamp, whether it was
 *       re-driven, its headers (the kafka_dlt-* integers decoded from
 *       big-endian) and its value.
 *   dlt redrive TOPIC.DLT (--all | --offset [P:]N ...)
 *       sends the chosen dead letters back to their original topic and
 *       partition (kafka_dlt-original-topic / -partition), with the original
 *       key, value and headers minus the kafka_dlt-* ones, plus
 *       somoim-redrive-group naming the group that dead-lettered it: only
 *       that group applies it again (the others already did, or have their
 *       own dead letter of it).  processed_events makes it apply once.
 *
 * The one design decision: what was re-driven is remembered in Kafka itself,
 * as the committed offsets of the group "somoim-dlt-redrive" on the DLT: the
 * committed offset is the first dead letter not yet re-driven, and offsets
 * re-driven one by one above it travel in the commit's metadata ("5,9").  A
 * second --all therefore sends nothing twice, without a file or a table.
 */
#include "somoim-kafka.h"
#include "sm_conf.h"
#include "sm_kafka.h"
#include "sm_pool.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REDRIVE_GROUP "somoim-dlt-redrive"
#define DLT_PREFIX "kafka_dlt-"

struct part {
	int32_t id;
	int64_t lo, hi;         /* watermarks */
	int64_t committed;      /* first offset not re-driven */
	int64_t *done;          /* offsets >= committed re-driven one by one */
	size_t ndone;
	int64_t next;           /* next offset to read */
};

struct dlt {
	const char *topic;
	rd_kafka_t *rk;         /* reader, and the committer of REDRIVE_GROUP */
	struct part *parts;
	int nparts;
};

struct target {
	int32_t partition;      /* -1: any */
	int64_t offset;
	int found;
};

static int
redriven(const struct part *p, int64_t off)
{
	size_t i;

	if (off < p->committed)
		return 1;
	for (i = 0; i < p->ndone; i++)
		if (p->done[i] == off)
			return 1;
	return 0;
}

static void
parse_done(struct part *p, const char *s, size_t len)
{
	char *copy = sm_xmalloc(len + 1), *tok, *save = NULL;

	memcpy(copy, s, len);
	copy[len] = '\0';
	p->done = sm_xmalloc((len / 2 + 1) * sizeof(*p->done));
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		p->done[p->ndone++] = strtoll(tok, NULL, 10);
	free(copy);
}

static void
dlt_close(struct dlt *d)
{
	int i;

	for (i = 0; i < d->nparts; i++)
		free(d->parts[i].done);
	free(d->parts);
	if (d->rk != NULL) {
		rd_kafka_consumer_close(d->rk);
		rd_kafka_destroy(d->rk);
	}
}

/* Opens topic: its partitions, watermarks and what was re-driven.  0 or -1. */
static int
dlt_open(const struct sm_conf *conf, const char *topic, struct dlt *d)
{
	const char *pairs[] = {
		"group.id", REDRIVE_GROUP,
		"enable.auto.commit", "false",
		"enable.auto.offset.store", "false",
		"enable.partition.eof", "true",
		NULL,
	};
	rd_kafka_conf_t *kc = sm_kafka_conf_new(conf, "somoim-kafka-dlt", pairs);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_partition_list_t *pl;
	rd_kafka_resp_err_t err;
	rd_kafka_topic_t *rkt;
	char errstr[512];
	int i;

	memset(d, 0, sizeof(*d));
	d->topic = topic;
	if (kc == NULL)
		return -1;
	if ((d->rk = rd_kafka_new(RD_KAFKA_CONSUMER, kc, errstr, sizeof(errstr))) == NULL) {
		fprintf(stderr, "somoim-kafka dlt: rd_kafka_new: %s\n", errstr);
		rd_kafka_conf_destroy(kc);
		return -1;
	}
	rkt = rd_kafka_topic_new(d->rk, topic, NULL);
	err = rd_kafka_metadata(d->rk, 0, rkt, &md, KT_TIMEOUT_MS);
	rd_kafka_topic_destroy(rkt);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 && md->topics[0].err != 0)
		err = md->topics[0].err;
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt != 1) {
		fprintf(stderr, "somoim-kafka dlt: %s: %s\n", topic, rd_kafka_err2str(err));
		if (md != NULL)
			rd_kafka_metadata_destroy(md);
		return -1;
	}
	d->nparts = md->topics[0].partition_cnt;
	d->parts = sm_xmalloc((size_t)d->nparts * sizeof(*d->parts));
	memset(d->parts, 0, (size_t)d->nparts * sizeof(*d->parts));
	for (i = 0; i < d->nparts; i++)
		d->parts[i].id = md->topics[0].partitions[i].id;
	rd_kafka_metadata_destroy(md);

	pl = rd_kafka_topic_partition_list_new(d->nparts);
	for (i = 0; i < d->nparts; i++) {
		struct part *p = &d->parts[i];

		if ((err = rd_kafka_query_watermark_offsets(d->rk, topic, p->id, &p->lo, &p->hi,
		    KT_TIMEOUT_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "somoim-kafka dlt: %s [%" PRId32 "]: watermarks: %s\n", topic,
			    p->id, rd_kafka_err2str(err));
			rd_kafka_topic_partition_list_destroy(pl);
			return -1;
		}
		rd_kafka_topic_partition_list_add(pl, topic, p->id);
	}
	if ((err = rd_kafka_committed(d->rk, pl, KT_TIMEOUT_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka dlt: %s: committed offsets of %s: %s\n", topic,
		    REDRIVE_GROUP, rd_kafka_err2str(err));
		rd_kafka_topic_partition_list_destroy(pl);
		return -1;
	}
	for (i = 0; i < d->nparts; i++) {
		struct part *p = &d->parts[i];
		rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_find(pl, topic, p->id);

		p->committed = tp != NULL && tp->offset >= 0 ? tp->offset : p->lo;
		if (tp != NULL && tp->offset >= 0 && tp->metadata != NULL && tp->metadata_size > 0)
			parse_done(p, tp->metadata, tp->metadata_size);
	}
	rd_kafka_topic_partition_list_destroy(pl);
	return 0;
}

/* Reads every message of the DLT, in order per partition, calling fn on each. */
static int
dlt_read(struct dlt *d, void (*fn)(struct dlt *, const rd_kafka_message_t *, void *), void *arg)
{
	rd_kafka_topic_partition_list_t *pl = rd_kafka_topic_partition_list_new(d->nparts);
	rd_kafka_resp_err_t err;
	time_t deadline = time(NULL) + 2 * KT_TIMEOUT_MS / 1000;
	int i, left = 0, rc = 0;

	for (i = 0; i < d->nparts; i++) {
		d->parts[i].next = d->parts[i].lo;
		if (d->parts[i].hi > d->parts[i].lo) {
			rd_kafka_topic_partition_list_add(pl, d->topic, d->parts[i].id)->offset =
			    d->parts[i].lo;
			left++;
		}
	}
	if (left > 0 && (err = rd_kafka_assign(d->rk, pl)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka dlt: rd_kafka_assign: %s\n", rd_kafka_err2str(err));
		left = 0;
		rc = -1;
	}
	rd_kafka_topic_partition_list_destroy(pl);
	while (left > 0) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(d->rk, 500);
		struct part *p = NULL;

		if (time(NULL) > deadline) {
			fprintf(stderr, "somoim-kafka dlt: %s: not read to the end in %d s\n", d->topic,
			    2 * KT_TIMEOUT_MS / 1000);
			rc = -1;
			if (m != NULL)
				rd_kafka_message_destroy(m);
			break;
		}
		if (m == NULL)
			continue;
		for (i = 0; i < d->nparts; i++)
			if (d->parts[i].id == m->partition)
				p = &d->parts[i];
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && p != NULL && m->offset >= p->next &&
		    p->next < p->hi) {
			fn(d, m, arg);
			p->next = m->offset + 1;
			if (p->next >= p->hi)
				left--;
		} else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && p != NULL && p->next < p->hi) {
			p->next = p->hi;                    /* the tail was deleted meanwhile */
			left--;
		} else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR &&
		    m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			fprintf(stderr, "somoim-kafka dlt: %s: %s\n", d->topic, rd_kafka_message_errstr(m));
		}
		rd_kafka_message_destroy(m);
	}
	return rc;
}

/* ---- list ----------------------------------------------------------------- */

static int
is_be_header(const char *name, size_t size)
{
	return (size == 4 && strcmp(name, "kafka_dlt-original-partition") == 0) ||
	    (size == 8 && (strcmp(name, "kafka_dlt-original-offset") == 0 ||
	    strcmp(name, "kafka_dlt-original-timestamp") == 0));
}

static void
print_bytes(const void *v, size_t n, int as_hex_when_binary)
{
	const unsigned char *b = v;
	size_t i;
	int printable = 1;

	for (i = 0; i < n; i++)
		if (b[i] < 0x20 && b[i] != '\t')
			printable = 0;
	if (printable || !as_hex_when_binary) {
		fwrite(b, 1, n, stdout);
		return;
	}
	printf("0x");
	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static void
list_one(struct dlt *d, const rd_kafka_message_t *m, void *arg)
{
	const struct part *p = NULL;
	rd_kafka_headers_t *h;
	rd_kafka_timestamp_type_t tstype;
	int64_t ts = rd_kafka_message_timestamp(m, &tstype);
	const char *name;
	const void *val;
	size_t size, i;
	int k;

	(void)arg;
	for (k = 0; k < d->nparts; k++)
		if (d->parts[k].id == m->partition)
			p = &d->parts[k];
	printf("--- partition=%" PRId32 " offset=%" PRId64 " timestamp=%" PRId64 " redriven=%s key=",
	    m->partition, m->offset, ts, p != NULL && redriven(p, m->offset) ? "yes" : "no");
	if (m->key != NULL)
		print_bytes(m->key, m->key_len, 1);
	printf("\n");
	if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		for (i = 0; rd_kafka_header_get_all(h, i, &name, &val, &size) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
			printf("header %s: ", name);
			if (val != NULL && is_be_header(name, size)) {
				const unsigned char *b = val;
				uint64_t v = 0;
				size_t j;

				for (j = 0; j < size; j++)
					v = v << 8 | b[j];
				if (size == 4)
					printf("%" PRId32, (int32_t)(uint32_t)v);
				else
					printf("%" PRId64, (int64_t)v);
			} else if (val != NULL) {
				print_bytes(val, size, 1);
			}
			printf("\n");
		}
	}
	printf("value: ");
	if (m->payload != NULL)
		print_bytes(m->payload, m->len, 0);
	printf("\n");
}

/* ---- redrive -------------------------------------------------------------- */

struct redrive {
	const struct sm_conf *conf;
	rd_kafka_t *producer;
	struct target *targets;     /* NULL: --all */
	size_t ntargets;
	int failures;
	int sent;
	/* what was sent, to be marked once delivered */
	int32_t *sent_part;
	int64_t *sent_off;
	int *sent_ok;
	size_t nsent, capsent;
};

static int
wanted(struct redrive *r, const struct part *p, const rd_kafka_message_t *m)
{
	size_t i;
	int want = r->targets == NULL;

	for (i = 0; i < r->ntargets; i++) {
		if (r->targets[i].offset == m->offset &&
		    (r->targets[i].partition < 0 || r->targets[i].partition == m->partition)) {
			r->targets[i].found = 1;
			want = 1;
		}
	}
	if (want && redriven(p, m->offset)) {
		if (r->targets != NULL)
			printf("partition=%" PRId32 " offset=%" PRId64 ": already re-driven, skipped\n",
			    m->partition, m->offset);
		return 0;
	}
	return want;
}

static void
redrive_one(struct dlt *d, const rd_kafka_message_t *m, void *arg)
{
	struct redrive *r = arg;
	const struct part *p = NULL;
	rd_kafka_headers_t *src, *h;
	char topic[512];
	const char *name;
	const void *val;
	size_t size, i;
	int32_t partition = RD_KAFKA_PARTITION_UA;
	rd_kafka_resp_err_t err;
	int k;

	for (k = 0; k < d->nparts; k++)
		if (d->parts[k].id == m->partition)
			p = &d->parts[k];
	if (p == NULL || !wanted(r, p, m))
		return;
	if (sm_kafka_header(m, "kafka_dlt-original-topic", topic, sizeof(topic)) != 0) {
		fprintf(stderr, "somoim-kafka dlt redrive: partition=%" PRId32 " offset=%" PRId64
		    ": no kafka_dlt-original-topic header, skipped\n", m->partition, m->offset);
		r->failures++;
		return;
	}
	h = rd_kafka_headers_new(8);
	if (rd_kafka_message_headers(m, &src) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		for (i = 0; rd_kafka_header_get_all(src, i, &name, &val, &size) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
			if (strncmp(name, DLT_PREFIX, strlen(DLT_PREFIX)) != 0)
				rd_kafka_header_add(h, name, -1, val, (ssize_t)size);
		}
		if (rd_kafka_header_get_last(src, "kafka_dlt-original-consumer-group", &val, &size) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR && val != NULL && size > 0)
			rd_kafka_header_add(h, SM_HDR_REDRIVE_GROUP, -1, val, (ssize_t)size);
		if (rd_kafka_header_get_last(src, "kafka_dlt-original-partition", &val, &size) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR && size == 4 && val != NULL) {
			const unsigned char *b = val;

			partition = (int32_t)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			    (uint32_t)b[2] << 8 | (uint32_t)b[3]);
		}
	}
	if (r->nsent == r->capsent) {
		r->capsent = r->capsent ? r->capsent * 2 : 64;
		r->sent_part = sm_xrealloc(r->sent_part, r->capsent * sizeof(*r->sent_part));
		r->sent_off = sm_xrealloc(r->sent_off, r->capsent * sizeof(*r->sent_off));
		r->sent_ok = sm_xrealloc(r->sent_ok, r->capsent * sizeof(*r->sent_ok));
		if (r->sent_part == NULL || r->sent_off == NULL || r->sent_ok == NULL) {
			fprintf(stderr, "somoim-kafka dlt: out of memory\n");
			abort();
		}
	}
	/* The opaque is an index: the arrays may still move until the flush. */
	r->sent_part[r->nsent] = m->partition;
	r->sent_off[r->nsent] = m->offset;
	r->sent_ok[r->nsent] = 0;
	err = rd_kafka_producev(r->producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
	    RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h),
	    RD_KAFKA_V_OPAQUE((void *)(uintptr_t)(r->nsent + 1)), RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_headers_destroy(h);
		fprintf(stderr, "somoim-kafka dlt redrive: partition=%" PRId32 " offset=%" PRId64
		    " to %s: %s\n", m->partition, m->offset, topic, rd_kafka_err2str(err));
		r->failures++;
		return;
	}
	printf("partition=%" PRId32 " offset=%" PRId64 ": re-driven to %s [%" PRId32 "]\n",
	    m->partition, m->offset, topic, partition);
	r->nsent++;
}

static struct redrive *current;     /* what the delivery report callback marks */

/* m->_private is the 1-based index of the send in current->sent_*. */
static void
redrive_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	size_t idx = (size_t)(uintptr_t)m->_private;

	(void)rk;
	(void)opaque;
	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
		fprintf(stderr, "somoim-kafka dlt redrive: delivery to %s failed: %s\n",
		    rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
	else if (current != NULL && idx > 0 && idx <= current->nsent)
		current->sent_ok[idx - 1] = 1;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Records what was delivered as the commits of REDRIVE_GROUP. */
static int
remember(struct dlt *d, struct redrive *r)
{
	rd_kafka_topic_partition_list_t *pl = rd_kafka_topic_partition_list_new(d->nparts);
	rd_kafka_resp_err_t err;
	size_t j;
	int i, changed = 0;

	for (i = 0; i < d->nparts; i++) {
		struct part *p = &d->parts[i];
		rd_kafka_topic_partition_t *tp;
		size_t n = 0, len = 0;
		char *meta;
		int mine = 0;

		p->done = sm_xrealloc(p->done, (p->ndone + r->nsent + 1) * sizeof(*p->done));
		if (p->done == NULL)
			abort();
		for (j = 0; j < r->nsent; j++) {
			if (r->sent_part[j] == p->id && r->sent_ok[j]) {
				p->done[p->ndone++] = r->sent_off[j];
				mine = 1;
			}
		}
		if (!mine)
			continue;
		changed = 1;
		qsort(p->done, p->ndone, sizeof(*p->done), cmp_i64);
		for (j = 0; j < p->ndone; j++) {     /* advance over a contiguous prefix */
			if (p->done[j] < p->committed)
				continue;
			if (p->done[j] != p->committed)
				p->done[n++] = p->done[j];
			else
				p->committed++;
		}
		p->ndone = n;
		meta = sm_xmalloc(p->ndone * 21 + 1);
		meta[0] = '\0';
		for (j = 0; j < p->ndone; j++)
			len += (size_t)sprintf(meta + len, "%s%" PRId64, j ? "," : "", p->done[j]);
		tp = rd_kafka_topic_partition_list_add(pl, d->topic, p->id);
		tp->offset = p->committed;
		tp->metadata = meta;                   /* freed with the list */
		tp->metadata_size = len;
	}
	if (!changed) {
		rd_kafka_topic_partition_list_destroy(pl);
		return 0;
	}
	err = rd_kafka_commit(d->rk, pl, 0);
	rd_kafka_topic_partition_list_destroy(pl);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka dlt redrive: committing to %s: %s\n", REDRIVE_GROUP,
		    rd_kafka_err2str(err));
		return -1;
	}
	return 0;
}

static int
redrive(const struct sm_conf *conf, struct dlt *d, struct target *targets, size_t ntargets)
{
	static const char *const pairs[] = {
		"enable.idempotence", "true",
		"partitioner", "murmur2_random",
		NULL,
	};
	struct redrive r;
	rd_kafka_conf_t *kc = sm_kafka_conf_new(conf, "somoim-kafka-redrive", pairs);
	char errstr[512];
	size_t i, ok = 0;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.targets = targets;
	r.ntargets = ntargets;
	if (kc == NULL)
		return 1;
	rd_kafka_conf_set_dr_msg_cb(kc, redrive_dr);
	if ((r.producer = rd_kafka_new(RD_KAFKA_PRODUCER, kc, errstr, sizeof(errstr))) == NULL) {
		fprintf(stderr, "somoim-kafka dlt redrive: rd_kafka_new: %s\n", errstr);
		rd_kafka_conf_destroy(kc);
		return 1;
	}
	current = &r;
	if (dlt_read(d, redrive_one, &r) != 0)
		rc = 1;
	if (rd_kafka_flush(r.producer, KT_TIMEOUT_MS) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka dlt redrive: %d messages not delivered in %d s\n",
		    rd_kafka_outq_len(r.producer), KT_TIMEOUT_MS / 1000);
		rc = 1;
	}
	for (i = 0; i < r.nsent; i++)
		ok += r.sent_ok[i] != 0;
	if (ok != r.nsent || r.failures > 0)
		rc = 1;
	for (i = 0; i < ntargets; i++) {
		if (!targets[i].found) {
			fprintf(stderr, "somoim-kafka dlt redrive: no dead letter at offset %" PRId64 "\n",
			    targets[i].offset);
			rc = 1;
		}
	}
	if (remember(d, &r) != 0)
		rc = 1;
	printf("re-driven %zu message(s) from %s\n", ok, d->topic);
	current = NULL;
	rd_kafka_destroy(r.producer);
	free(r.sent_part);
	free(r.sent_off);
	free(r.sent_ok);
	return rc;
}

/* "[P:]N" into t; -1 when malformed. */
static int
parse_target(const char *s, struct target *t)
{
	char *end;
	long long a = strtoll(s, &end, 10);

	t->found = 0;
	if (end != s && *end == ':') {
		const char *o = end + 1;

		t->partition = (int32_t)a;
		t->offset = strtoll(o, &end, 10);
		return end != o && *end == '\0' && a >= 0 && t->offset >= 0 ? 0 : -1;
	}
	t->partition = -1;
	t->offset = a;
	return end != s && *end == '\0' && a >= 0 ? 0 : -1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: somoim-kafka dlt list TOPIC.DLT\n"
	    "       somoim-kafka dlt redrive TOPIC.DLT (--all | --offset [PARTITION:]OFFSET ...)\n");
	return 2;
}

int
cmd_dlt(const struct sm_conf *conf, int argc, char **argv)
{
	struct dlt d;
	struct target *targets = NULL;
	size_t ntargets = 0;
	int a, all = 0, rc = 0;

	if (argc < 3 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "redrive") != 0))
		return usage();
	if (strcmp(argv[1], "redrive") == 0) {
		targets = sm_xmalloc((size_t)argc * sizeof(*targets));
		for (a = 3; a < argc; a++) {
			if (strcmp(argv[a], "--all") == 0) {
				all = 1;
			} else if (strcmp(argv[a], "--offset") == 0 && a + 1 < argc &&
			    parse_target(argv[a + 1], &targets[ntargets]) == 0) {
				ntargets++;
				a++;
			} else {
				free(targets);
				return usage();
			}
		}
		if (all == (ntargets > 0)) {
			free(targets);
			return usage();
		}
	} else if (argc != 3) {
		return usage();
	}
	if (dlt_open(conf, argv[2], &d) != 0) {
		dlt_close(&d);
		free(targets);
		return 1;
	}
	if (strcmp(argv[1], "list") == 0) {
		if (dlt_read(&d, list_one, NULL) != 0)
			rc = 1;
	} else {
		size_t i;
		int k;

		/* An offset without a partition must name one dead letter only. */
		for (i = 0; i < ntargets; i++) {
			int hits = 0;

			for (k = 0; targets[i].partition < 0 && k < d.nparts; k++)
				hits += targets[i].offset >= d.parts[k].lo && targets[i].offset < d.parts[k].hi;
			if (hits > 1) {
				fprintf(stderr, "somoim-kafka dlt redrive: offset %" PRId64 " exists in %d "
				    "partitions of %s: give it as PARTITION:OFFSET\n", targets[i].offset,
				    hits, d.topic);
				rc = 1;
			}
		}
		if (rc == 0)
			rc = redrive(conf, &d, all ? NULL : targets, all ? 0 : ntargets);
	}
	fflush(stdout);
	dlt_close(&d);
	free(targets);
	return rc;
}
