/*
 * sm_producer.h -- the idempotent Kafka producer every somoim publisher uses.
 *
 * enable.idempotence=true (so acks=all, retries without duplicates or
 * reordering within one producer session), partitioner=murmur2_random (the
 * Java client's key -> partition mapping, so a key lands on the same partition
 * whichever client wrote it) and a small linger.  Each message carries an
 * opaque pointer of the caller's; its delivery report comes back through the
 * callback given to sm_producer_new(), from inside sm_producer_poll() or
 * sm_producer_flush() -- never from another thread.
 *
 * The one design decision: a fatal error (RD_KAFKA_RESP_ERR__FATAL, which
 * librdkafka 2.0.2 can raise after timeouts as an idempotence "sequence
 * desynchronization", #4438) is survived by recreating the producer.  Every
 * message still queued in the dead instance gets a failed delivery report
 * first, so callers never lose track of a message: they simply retry it.
 */
#ifndef SM_PRODUCER_H
#define SM_PRODUCER_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

struct sm_conf;
struct sm_producer;

/*
 * Called once per message: err is RD_KAFKA_RESP_ERR_NO_ERROR when the broker
 * acknowledged it (acks=all), anything else when it was not written.
 */
typedef void sm_delivery_fn(void *ctx, void *msg_opaque, rd_kafka_resp_err_t err);

/*
 * A new producer for [kafka] brokers.  extra is a NULL-terminated list of
 * key/value librdkafka settings laid over ours (may be NULL).  Returns NULL
 * (logged) when librdkafka refuses the configuration.
 */
struct sm_producer *sm_producer_new(const struct sm_conf *conf, const char *client_id,
    const char *const *extra, sm_delivery_fn *on_delivery, void *ctx);

/*
 * Flushes (up to 10 s), logs how many messages are still undelivered, and
 * destroys the producer; those messages get failed delivery reports first.
 * sm_producer_free(NULL) is a no-op.
 */
void sm_producer_free(struct sm_producer *p);

/*
 * Queues one message.  key, value and the headers are copied; headers is a
 * NULL-terminated list of name/value string pairs (may be NULL; a NULL value
 * skips that header).  Returns 0 when queued (a delivery report will follow)
 * or -1 (logged) when it was not (no report will follow).
 */
int sm_producer_send(struct sm_producer *p, const char *topic, const char *key,
    const void *value, size_t len, const char *const *headers, void *msg_opaque);

/*
 * Serves delivery reports for up to timeout_ms, and recreates the producer
 * after a fatal error.  Returns the number of events served.
 */
int sm_producer_poll(struct sm_producer *p, int timeout_ms);

/* Messages queued or in flight (not yet reported). */
int sm_producer_outq(const struct sm_producer *p);

/* Waits up to timeout_ms for every report: 0 when none is left, else -1. */
int sm_producer_flush(struct sm_producer *p, int timeout_ms);

#endif
