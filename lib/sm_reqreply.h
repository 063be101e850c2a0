/*
 * sm_reqreply.h -- request-reply over Kafka (the seed's ReplyingKafkaTemplate
 * sendAndReceive), for single-threaded callers: a FastCGI worker, a tool.
 *
 * A requester sends a request with the Spring headers kafka_correlationId (16
 * random bytes), kafka_replyTopic and kafka_replyPartition, and waits for the
 * reply carrying the same correlation id; a responder answers with
 * sm_reqreply_respond().  See sm_reqreply.c for how replies find their way
 * back to the right process among many.
 */
#ifndef SM_REQREPLY_H
#define SM_REQREPLY_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

struct sm_conf;
struct sm_reqreply;

#define SM_HDR_CORRELATION_ID "kafka_correlationId"
#define SM_HDR_REPLY_TOPIC "kafka_replyTopic"
#define SM_HDR_REPLY_PARTITION "kafka_replyPartition"
#define SM_CORRELATION_ID_LEN 16

/*
 * A requester sending to request_topic and reading replies from reply_topic.
 * It does not talk to Kafka yet (that happens in the first call), so it can be
 * created while Kafka is down.  Create it after fork (in a worker's init):
 * librdkafka's threads do not survive fork.  Returns NULL (logged) when the
 * configuration is refused.  Free with sm_reqreply_free().
 */
struct sm_reqreply *sm_reqreply_new(const struct sm_conf *conf, const char *request_topic,
    const char *reply_topic);
void sm_reqreply_free(struct sm_reqreply *rr);     /* NULL is a no-op */

/*
 * Sends value (len bytes; key may be NULL) and waits at most timeout_ms in all
 * (Kafka down included) for the reply with the same correlation id.  Returns 0
 * with *reply a malloc'd copy of the reply value (NUL-terminated; the caller
 * frees it) and *reply_len its length, or -1 (logged) on timeout or when Kafka
 * is unreachable: answer 503 UNAVAILABLE.  A request still queued locally when
 * the call gives up is withdrawn, never sent later.
 */
int sm_reqreply_call(struct sm_reqreply *rr, const char *key, const void *value, size_t len,
    int timeout_ms, char **reply, size_t *reply_len);

/*
 * For daemons that answer: produces value to the topic (and partition, when
 * given) named in request's kafka_replyTopic / kafka_replyPartition headers,
 * with request's kafka_correlationId copied byte for byte.  Returns 0 once the
 * reply is queued on producer (the caller serves delivery reports and flushes
 * as usual), -1 (logged) when the request lacks the headers or the produce
 * call failed.
 */
int sm_reqreply_respond(rd_kafka_t *producer, const rd_kafka_message_t *request,
    const void *value, size_t len);

#endif
