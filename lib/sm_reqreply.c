/*
 * sm_reqreply.c -- request-reply over Kafka for single-threaded callers.
 *
 * A requester owns a producer (requests) and a reply reader.  Many processes
 * wait for replies at once (every worker of every FastCGI instance), and the
 * one design decision is how each of them gets its own replies back:
 *
 *   The reply reader joins no consumer group: it rd_kafka_assign()s ONE reply
 *   partition, picked at random among the reply topic's partitions and named
 *   in kafka_replyPartition, and reads every reply landing there, keeping the
 *   one whose kafka_correlationId it sent; the others are foreign (another
 *   process's) or late (a call of ours that gave up) and are dropped with a
 *   debug line.  It is positioned at an ABSOLUTE offset: the partition's high
 *   watermark, asked of the broker (rd_kafka_query_watermark_offsets) before
 *   the first request is sent.  A reply is produced after its request, so its
 *   offset is at or past that watermark: the reader cannot miss it for not
 *   being positioned yet, and there is no "until OFFSET_END is resolved" race.
 *   The assignment then stays, so the reader's fetch is already waiting at
 *   the broker when a reply lands (a reassignment per call costs up to
 *   fetch.wait.max.ms, 500 ms, behind the fetch still in flight; measured).
 *   Before each send the reader drops what it buffered since the last call
 *   (none of it can answer a request not yet sent), and if it fell more than
 *   REPOSITION_LAG replies behind the end while idle, it is positioned at the
 *   end again instead of wading through the backlog.
 *
 *   Cost: every reader of a partition receives all of its replies, so the
 *   reply topic's partition count is the scaling knob (readers per partition
 *   = requesters / partitions).  A group per requester (Spring's default)
 *   would mean a group join per worker start; a partition per requester an
 *   allocator across hosts.  librdkafka 2.0.2 refuses rd_kafka_assign()
 *   without a group.id ("Local: Unknown group"), so the reader has a private,
 *   random group.id that never joins (no subscribe), never commits, and is
 *   destroyed without a consumer close.
 *
 * Calls are bounded: everything (metadata, ListOffsets, produce, wait) runs
 * against one deadline, and a request still queued locally when the call gives
 * up is purged, so a caller that already answered 503 does not cause the work
 * later.  No threads of our own: delivery reports are served in the wait loop.
 */
#include "sm_reqreply.h"
#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#define POLL_SLICE_MS 100       /* how often the wait loop serves delivery reports */
#define REPOSITION_LAG 1000     /* this far behind the end, jump to the end instead */

struct sm_reqreply {
	rd_kafka_t *producer;
	rd_kafka_topic_t *request_rkt;  /* the producer's, set once it has metadata */
	rd_kafka_t *reader;
	char *request_topic;
	char *reply_topic;
	int32_t partition;              /* our reply partition; -1 until known */
	int assigned;                   /* the reader holds it */
	int64_t next_offset;            /* what the reader hands us next */
	uint64_t seq;                   /* the call in hand, for delivery reports */
	rd_kafka_resp_err_t send_err;   /* delivery error of the call in hand */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
left_ms(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/* Delivery reports of requests: remember the failure of the call in hand. */
static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct sm_reqreply *rr = opaque;

	(void)rk;
	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && (uint64_t)(uintptr_t)m->_private == rr->seq)
		rr->send_err = m->err;
}

struct sm_reqreply *
sm_reqreply_new(const struct sm_conf *conf, const char *request_topic, const char *reply_topic)
{
	/* linger 0: a request is one message and someone is waiting for it.
	 * Nagle off: small requests and fetches on a quiet connection.
	 * murmur2_random, like every producer of ours: a key lands where Java's
	 * default partitioner puts it, whoever sends it. */
	static const char *const producer_pairs[] = {
		"linger.ms", "0",
		"partitioner", "murmur2_random",
		"socket.nagle.disable", "true",
		"log.connection.close", "false",
		NULL,
	};
	char group[64], uuid[37], err[512];
	const char *reader_pairs[] = {
		"group.id", group,
		"enable.auto.commit", "false",
		"enable.auto.offset.store", "false",
		"enable.partition.eof", "false",
		"auto.offset.reset", "latest",
		"socket.nagle.disable", "true",
		"log.connection.close", "false",
		/* between calls an idle reader buffers at most ~1000 (1 MB of) others'
		 * replies, then stops fetching: see REPOSITION_LAG */
		"queued.max.messages.kbytes", "1024",
		"queued.min.messages", "1000",
		NULL,
	};
	struct sm_reqreply *rr;
	rd_kafka_conf_t *kc;

	if (sodium_init() < 0) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_new: sodium_init failed");
		return NULL;
	}
	rr = sm_xmalloc(sizeof(*rr));
	memset(rr, 0, sizeof(*rr));
	rr->partition = -1;
	rr->request_topic = sm_xstrdup(request_topic);
	rr->reply_topic = sm_xstrdup(reply_topic);

	if ((kc = sm_kafka_conf_new(conf, "somoim-reqreply", producer_pairs)) == NULL)
		goto fail;
	rd_kafka_conf_set_dr_msg_cb(kc, dr_cb);
	rd_kafka_conf_set_opaque(kc, rr);
	if ((rr->producer = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))) == NULL) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_new: rd_kafka_new(producer): %s", err);
		rd_kafka_conf_destroy(kc);
		goto fail;
	}

	sm_uuid_v4(uuid);
	snprintf(group, sizeof(group), "somoim-reqreply-%s", uuid);
	if ((kc = sm_kafka_conf_new(conf, "somoim-reqreply", reader_pairs)) == NULL)
		goto fail;
	if ((rr->reader = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err))) == NULL) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_new: rd_kafka_new(consumer): %s", err);
		rd_kafka_conf_destroy(kc);
		goto fail;
	}
	/* errors and logs of the reader's main queue are served by consumer_poll */
	if (rd_kafka_poll_set_consumer(rr->reader) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_new: rd_kafka_poll_set_consumer failed");
		goto fail;
	}
	return rr;
fail:
	sm_reqreply_free(rr);
	return NULL;
}

void
sm_reqreply_free(struct sm_reqreply *rr)
{
	if (rr == NULL)
		return;
	if (rr->request_rkt != NULL)
		rd_kafka_topic_destroy(rr->request_rkt);
	if (rr->producer != NULL) {
		/* every call either got its reply or gave up: nothing worth flushing */
		rd_kafka_purge(rr->producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
		rd_kafka_poll(rr->producer, 0);
		rd_kafka_destroy(rr->producer);
	}
	if (rr->reader != NULL)         /* never joined, nothing to commit */
		rd_kafka_destroy_flags(rr->reader, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	free(rr->request_topic);
	free(rr->reply_topic);
	free(rr);
}

/*
 * The partition count of topic as rk sees it, asking the broker (a side
 * effect that matters: a producer otherwise learns a new topic's partitions
 * only on its next 1 s metadata scan, which the first request would wait for).
 * Returns the count, or -1 (logged).  *rkt_out, when given, gets the handle.
 */
static int
topic_partitions(rd_kafka_t *rk, const char *topic, int64_t deadline, rd_kafka_topic_t **rkt_out)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *rkt;
	rd_kafka_resp_err_t err;
	int nparts = -1;

	if ((rkt = rd_kafka_topic_new(rk, topic, NULL)) == NULL) {
		sm_log(SM_LOG_ERROR, "sm_reqreply: rd_kafka_topic_new(\"%s\"): %s", topic,
		    rd_kafka_err2str(rd_kafka_last_error()));
		return -1;
	}
	err = rd_kafka_metadata(rk, 0, rkt, &md, left_ms(deadline));
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (md->topic_cnt != 1)
			err = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
		else if ((err = md->topics[0].err) == RD_KAFKA_RESP_ERR_NO_ERROR)
			nparts = md->topics[0].partition_cnt;
		rd_kafka_metadata_destroy(md);
	}
	if (nparts <= 0) {
		sm_log(SM_LOG_ERROR, "sm_reqreply: metadata for topic \"%s\": %s", topic,
		    err ? rd_kafka_err2str(err) : "no partitions");
		rd_kafka_topic_destroy(rkt);
		return -1;
	}
	if (rkt_out != NULL)
		*rkt_out = rkt;
	else
		rd_kafka_topic_destroy(rkt);
	return nparts;
}

/* Once: the producer learns the request topic, we pick our reply partition. */
static int
pick_partition(struct sm_reqreply *rr, int64_t deadline)
{
	int nparts;

	if (rr->request_rkt == NULL &&
	    topic_partitions(rr->producer, rr->request_topic, deadline, &rr->request_rkt) < 0)
		return -1;
	if (rr->partition >= 0)
		return 0;
	if ((nparts = topic_partitions(rr->reader, rr->reply_topic, deadline, NULL)) < 0)
		return -1;
	rr->partition = (int32_t)randombytes_uniform((uint32_t)nparts);
	sm_log(SM_LOG_DEBUG, "sm_reqreply: replies on %s [%" PRId32 "] of %d", rr->reply_topic,
	    rr->partition, nparts);
	return 0;
}

/*
 * Positions the reader at the reply partition's current end, as an absolute
 * offset known before the request is sent (see the opening comment).
 */
static int
position_reader(struct sm_reqreply *rr, int64_t deadline)
{
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_resp_err_t err;
	int64_t low, high;

	if (pick_partition(rr, deadline) < 0)
		return -1;
	err = rd_kafka_query_watermark_offsets(rr->reader, rr->reply_topic, rr->partition, &low,
	    &high, left_ms(deadline));
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "sm_reqreply: rd_kafka_query_watermark_offsets(%s [%" PRId32
		    "]): %s", rr->reply_topic, rr->partition, rd_kafka_err2str(err));
		return -1;
	}
	parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, rr->reply_topic, rr->partition)->offset = high;
	err = rd_kafka_assign(rr->reader, parts);
	rd_kafka_topic_partition_list_destroy(parts);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "sm_reqreply: rd_kafka_assign(%s [%" PRId32 "] @%" PRId64
		    "): %s", rr->reply_topic, rr->partition, high, rd_kafka_err2str(err));
		rr->assigned = 0;
		return -1;
	}
	sm_log(SM_LOG_DEBUG, "sm_reqreply: reading %s [%" PRId32 "] from @%" PRId64,
	    rr->reply_topic, rr->partition, high);
	rr->assigned = 1;
	rr->next_offset = high;
	return 0;
}

/*
 * Before a send: drop what the reader fetched since the last call (none of it
 * can answer a request not yet sent), and when the reader has fallen far
 * behind the end (idle while others' replies piled up), reposition it instead
 * of wading through the backlog.  The first call positions it.
 */
static int
ready_reader(struct sm_reqreply *rr, int64_t deadline)
{
	rd_kafka_message_t *m;
	int64_t low, high;
	int n;

	if (!rr->assigned)
		return position_reader(rr, deadline);
	for (n = 0; n < 2 * REPOSITION_LAG && (m = rd_kafka_consumer_poll(rr->reader, 0)); n++) {
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			rr->next_offset = m->offset + 1;
		else
			sm_log(SM_LOG_DEBUG, "sm_reqreply: reading replies: %s",
			    rd_kafka_message_errstr(m));
		rd_kafka_message_destroy(m);
	}
	if (n > 0)
		sm_log(SM_LOG_DEBUG, "sm_reqreply: dropped %d earlier replies on %s [%" PRId32 "]",
		    n, rr->reply_topic, rr->partition);
	if (rd_kafka_get_watermark_offsets(rr->reader, rr->reply_topic, rr->partition, &low,
	    &high) == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 &&
	    high - rr->next_offset > REPOSITION_LAG) {
		sm_log(SM_LOG_DEBUG, "sm_reqreply: %" PRId64 " replies behind on %s [%" PRId32
		    "]: repositioning", high - rr->next_offset, rr->reply_topic, rr->partition);
		return position_reader(rr, deadline);
	}
	return 0;
}

static void
hex(const unsigned char *b, size_t n, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < outlen; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* 16 raw bytes of a random (version 4) UUID, msb 8 then lsb 8, like Spring's. */
static void
new_correlation_id(unsigned char id[SM_CORRELATION_ID_LEN])
{
	randombytes_buf(id, SM_CORRELATION_ID_LEN);
	id[6] = (unsigned char)((id[6] & 0x0f) | 0x40);
	id[8] = (unsigned char)((id[8] & 0x3f) | 0x80);
}

static int
send_request(struct sm_reqreply *rr, const char *key, const void *value, size_t len,
    const unsigned char cid[SM_CORRELATION_ID_LEN])
{
	rd_kafka_headers_t *hdrs = rd_kafka_headers_new(3);
	unsigned char part_be[4];
	uint32_t p = (uint32_t)rr->partition;
	rd_kafka_resp_err_t err;

	part_be[0] = (unsigned char)(p >> 24);
	part_be[1] = (unsigned char)(p >> 16);
	part_be[2] = (unsigned char)(p >> 8);
	part_be[3] = (unsigned char)p;
	if (rd_kafka_header_add(hdrs, SM_HDR_CORRELATION_ID, -1, cid, SM_CORRELATION_ID_LEN) ||
	    rd_kafka_header_add(hdrs, SM_HDR_REPLY_TOPIC, -1, rr->reply_topic, -1) ||
	    rd_kafka_header_add(hdrs, SM_HDR_REPLY_PARTITION, -1, part_be, sizeof(part_be)) ||
	    (*sm_log_request_id() &&
	    rd_kafka_header_add(hdrs, SM_HDR_REQUEST_ID, -1, sm_log_request_id(), -1))) {
		sm_log(SM_LOG_ERROR, "sm_reqreply: rd_kafka_header_add failed");
		rd_kafka_headers_destroy(hdrs);
		return -1;
	}
	rr->send_err = RD_KAFKA_RESP_ERR_NO_ERROR;
	err = rd_kafka_producev(rr->producer,
	    RD_KAFKA_V_RKT(rr->request_rkt),
	    RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
	    RD_KAFKA_V_VALUE((void *)value, len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	    RD_KAFKA_V_HEADERS(hdrs),
	    RD_KAFKA_V_OPAQUE((void *)(uintptr_t)rr->seq),
	    RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "sm_reqreply: rd_kafka_producev(%s): %s", rr->request_topic,
		    rd_kafka_err2str(err));
		rd_kafka_headers_destroy(hdrs);        /* ours again when producev failed */
		return -1;
	}
	return 0;
}

/*
 * One message from the reply partition: 1 and *reply set when it is ours,
 * 0 when it is to be dropped.  Does not destroy m.
 */
static int
take_reply(const rd_kafka_message_t *m, const unsigned char cid[SM_CORRELATION_ID_LEN],
    char **reply, size_t *reply_len)
{
	rd_kafka_headers_t *hdrs;
	const void *val = NULL;
	size_t size = 0;
	char h[2 * SM_CORRELATION_ID_LEN + 1];

	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_WARN, "sm_reqreply: reading replies: %s", rd_kafka_message_errstr(m));
		return 0;
	}
	if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    rd_kafka_header_get_last(hdrs, SM_HDR_CORRELATION_ID, &val, &size) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR || val == NULL) {
		sm_log(SM_LOG_DEBUG, "sm_reqreply: dropping reply at %s [%" PRId32 "] @%" PRId64
		    " without %s", rd_kafka_topic_name(m->rkt), m->partition, m->offset,
		    SM_HDR_CORRELATION_ID);
		return 0;
	}
	if (size != SM_CORRELATION_ID_LEN || memcmp(val, cid, SM_CORRELATION_ID_LEN) != 0) {
		hex(val, size, h, sizeof(h));
		sm_log(SM_LOG_DEBUG, "sm_reqreply: dropping foreign or late reply %s at %s [%"
		    PRId32 "] @%" PRId64, h, rd_kafka_topic_name(m->rkt), m->partition, m->offset);
		return 0;
	}
	*reply = sm_xmalloc(m->len + 1);
	if (m->len > 0)
		memcpy(*reply, m->payload, m->len);
	(*reply)[m->len] = '\0';
	*reply_len = m->len;
	return 1;
}

int
sm_reqreply_call(struct sm_reqreply *rr, const char *key, const void *value, size_t len,
    int timeout_ms, char **reply, size_t *reply_len)
{
	int64_t t0 = now_ms(), deadline = t0 + (timeout_ms > 0 ? timeout_ms : 0);
	unsigned char cid[SM_CORRELATION_ID_LEN];
	char h[2 * SM_CORRELATION_ID_LEN + 1];
	rd_kafka_resp_err_t send_err = RD_KAFKA_RESP_ERR_NO_ERROR;
	int got = 0, left;

	*reply = NULL;
	*reply_len = 0;
	rr->seq++;
	rd_kafka_poll(rr->producer, 0);         /* reports of earlier calls */
	if (ready_reader(rr, deadline) < 0)
		return -1;
	new_correlation_id(cid);
	hex(cid, sizeof(cid), h, sizeof(h));
	if (send_request(rr, key, value, len, cid) < 0)
		return -1;
	while (!got && (left = left_ms(deadline)) > 0) {
		rd_kafka_message_t *m;

		rd_kafka_poll(rr->producer, 0);
		if ((send_err = rr->send_err) != RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
		m = rd_kafka_consumer_poll(rr->reader, left < POLL_SLICE_MS ? left : POLL_SLICE_MS);
		if (m == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			rr->next_offset = m->offset + 1;
		got = take_reply(m, cid, reply, reply_len);
		rd_kafka_message_destroy(m);
	}
	if (got) {
		sm_log(SM_LOG_DEBUG, "sm_reqreply: reply %s from %s in %" PRId64 " ms", h,
		    rr->reply_topic, now_ms() - t0);
		return 0;
	}
	/* withdraw the request if it never left: nobody waits for its answer now */
	if (rd_kafka_purge(rr->producer, RD_KAFKA_PURGE_F_QUEUE) != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_WARN, "sm_reqreply: rd_kafka_purge failed");
	rd_kafka_poll(rr->producer, 0);
	if (send_err != RD_KAFKA_RESP_ERR_NO_ERROR)
		sm_log(SM_LOG_ERROR, "sm_reqreply: request %s to %s not delivered: %s", h,
		    rr->request_topic, rd_kafka_err2str(send_err));
	else
		sm_log(SM_LOG_WARN, "sm_reqreply: no reply to %s (sent to %s) within %d ms", h,
		    rr->request_topic, timeout_ms);
	return -1;
}

int
sm_reqreply_respond(rd_kafka_t *producer, const rd_kafka_message_t *request, const void *value,
    size_t len)
{
	rd_kafka_headers_t *in, *out;
	const void *cid = NULL, *pv = NULL;
	size_t cid_len = 0, plen = 0;
	char topic[256];
	int32_t partition = RD_KAFKA_PARTITION_UA;
	rd_kafka_resp_err_t err;

	if (sm_kafka_header(request, SM_HDR_REPLY_TOPIC, topic, sizeof(topic)) < 0 || !*topic ||
	    rd_kafka_message_headers(request, &in) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    rd_kafka_header_get_last(in, SM_HDR_CORRELATION_ID, &cid, &cid_len) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR || cid == NULL || cid_len == 0) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_respond: request at %s [%" PRId32 "] @%" PRId64
		    " lacks %s or %s", rd_kafka_topic_name(request->rkt), request->partition,
		    request->offset, SM_HDR_REPLY_TOPIC, SM_HDR_CORRELATION_ID);
		return -1;
	}
	if (rd_kafka_header_get_last(in, SM_HDR_REPLY_PARTITION, &pv, &plen) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR && pv != NULL) {
		const unsigned char *b = pv;

		if (plen != 4) {
			sm_log(SM_LOG_ERROR, "sm_reqreply_respond: request at %s [%" PRId32 "] @%"
			    PRId64 ": %s is %zu bytes, not 4", rd_kafka_topic_name(request->rkt),
			    request->partition, request->offset, SM_HDR_REPLY_PARTITION, plen);
			return -1;
		}
		partition = (int32_t)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | (uint32_t)b[3]);
	}
	out = rd_kafka_headers_new(1);
	if (rd_kafka_header_add(out, SM_HDR_CORRELATION_ID, -1, cid, (ssize_t)cid_len) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_respond: rd_kafka_header_add failed");
		rd_kafka_headers_destroy(out);
		return -1;
	}
	err = rd_kafka_producev(producer,
	    RD_KAFKA_V_TOPIC(topic),
	    RD_KAFKA_V_PARTITION(partition),
	    RD_KAFKA_V_VALUE((void *)value, len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	    RD_KAFKA_V_HEADERS(out),
	    RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "sm_reqreply_respond: rd_kafka_producev(%s [%" PRId32 "]): %s",
		    topic, partition, rd_kafka_err2str(err));
		rd_kafka_headers_destroy(out);
		return -1;
	}
	return 0;
}
