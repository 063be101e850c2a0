/*
 * sm_producer.c -- the idempotent producer (see sm_producer.h).
 *
 * A pristine rd_kafka_conf_t is kept as a template so that the producer can
 * be rebuilt after a fatal error with exactly the configuration it started
 * with (rd_kafka_new() consumes the configuration it is given).
 */
#include "sm_producer.h"
#include "sm_conf.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <stdlib.h>
#include <string.h>

struct sm_producer {
	rd_kafka_t *rk;
	rd_kafka_conf_t *tmpl;          /* owned; duplicated for every rd_kafka_new */
	sm_delivery_fn *on_delivery;
	void *ctx;
	int fatal;                      /* set by the callbacks, handled in poll */
	char *client_id;
};

static void
dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct sm_producer *p = opaque;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR__FATAL)
		p->fatal = 1;
	p->on_delivery(p->ctx, m->_private, m->err);
}

static void
error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct sm_producer *p = opaque;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		p->fatal = 1;
		return;         /* logged with the real cause when handled */
	}
	/*
	 * librdkafka retries on its own.  Connection failures are already logged
	 * by its log callback (sm_kafka.c); "all brokers down" is not.
	 */
	if (err == RD_KAFKA_RESP_ERR__TRANSPORT)
		return;
	sm_log(SM_LOG_WARN, "kafka producer %s: %s: %s", p->client_id,
	    rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static int
instantiate(struct sm_producer *p)
{
	rd_kafka_conf_t *kc = rd_kafka_conf_dup(p->tmpl);
	char err[512];

	if ((p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))) == NULL) {
		sm_log(SM_LOG_ERROR, "rd_kafka_new(producer %s) failed: %s", p->client_id, err);
		rd_kafka_conf_destroy(kc);
		return -1;
	}
	p->fatal = 0;
	return 0;
}

struct sm_producer *
sm_producer_new(const struct sm_conf *conf, const char *client_id, const char *const *extra,
    sm_delivery_fn *on_delivery, void *ctx)
{
	static const char *const ours[] = {
		"enable.idempotence", "true",
		"acks", "all",
		"partitioner", "murmur2_random",
		"linger.ms", "5",
		"message.timeout.ms", "10000",
		/* Notice a restarted broker within a second, not librdkafka's 10 s. */
		"reconnect.backoff.max.ms", "1000",
		NULL,
	};
	struct sm_producer *p = sm_xcalloc(1, sizeof(*p));
	char err[512];

	p->on_delivery = on_delivery;
	p->ctx = ctx;
	p->client_id = sm_xstrdup(client_id);
	if ((p->tmpl = sm_kafka_conf_new(conf, client_id, ours)) == NULL)
		goto fail;
	for (; extra != NULL && extra[0] != NULL; extra += 2) {
		if (rd_kafka_conf_set(p->tmpl, extra[0], extra[1], err, sizeof(err)) !=
		    RD_KAFKA_CONF_OK) {
			sm_log(SM_LOG_ERROR, "rd_kafka_conf_set(\"%s\", \"%s\"): %s", extra[0],
			    extra[1], err);
			goto fail;
		}
	}
	rd_kafka_conf_set_opaque(p->tmpl, p);
	rd_kafka_conf_set_dr_msg_cb(p->tmpl, dr_msg_cb);
	rd_kafka_conf_set_error_cb(p->tmpl, error_cb);
	if (instantiate(p) != 0)
		goto fail;
	return p;
fail:
	if (p->tmpl != NULL)
		rd_kafka_conf_destroy(p->tmpl);
	free(p->client_id);
	free(p);
	return NULL;
}

/* Fails every message the instance still holds (each gets its report), then destroys it. */
static void
drop_instance(struct sm_producer *p)
{
	int i;

	rd_kafka_purge(p->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	for (i = 0; i < 50 && rd_kafka_outq_len(p->rk) > 0; i++)
		rd_kafka_poll(p->rk, 100);
	rd_kafka_poll(p->rk, 0);
	rd_kafka_destroy(p->rk);
	p->rk = NULL;
}

/* After RD_KAFKA_RESP_ERR__FATAL the instance is unusable: log why, build a new one. */
static void
recreate(struct sm_producer *p)
{
	char why[512] = "";
	rd_kafka_resp_err_t err = rd_kafka_fatal_error(p->rk, why, sizeof(why));

	sm_log(SM_LOG_ERROR, "kafka producer %s: fatal error %s: %s; recreating the producer",
	    p->client_id, rd_kafka_err2name(err), why);
	drop_instance(p);
	while (instantiate(p) != 0)
		sm_log(SM_LOG_ERROR, "kafka producer %s: retrying rd_kafka_new", p->client_id);
}

int
sm_producer_poll(struct sm_producer *p, int timeout_ms)
{
	int n = rd_kafka_poll(p->rk, timeout_ms);

	if (p->fatal)
		recreate(p);
	return n;
}

int
sm_producer_outq(const struct sm_producer *p)
{
	return rd_kafka_outq_len(p->rk);
}

int
sm_producer_send(struct sm_producer *p, const char *topic, const char *key, const void *value,
    size_t len, const char *const *headers, void *msg_opaque)
{
	rd_kafka_headers_t *h = rd_kafka_headers_new(4);
	rd_kafka_resp_err_t err;

	for (; headers != NULL && headers[0] != NULL; headers += 2)
		if (headers[1] != NULL)
			rd_kafka_header_add(h, headers[0], -1, headers[1], -1);
	err = rd_kafka_producev(p->rk,
	    RD_KAFKA_V_TOPIC(topic),
	    RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
	    RD_KAFKA_V_VALUE((void *)value, len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	    RD_KAFKA_V_HEADERS(h),
	    RD_KAFKA_V_OPAQUE(msg_opaque),
	    RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_headers_destroy(h);    /* only taken on success */
		sm_log(SM_LOG_WARN, "rd_kafka_producev(%s) failed: %s", topic, rd_kafka_err2str(err));
		if (err == RD_KAFKA_RESP_ERR__FATAL)
			p->fatal = 1;
		return -1;
	}
	return 0;
}

int
sm_producer_flush(struct sm_producer *p, int timeout_ms)
{
	rd_kafka_resp_err_t err = rd_kafka_flush(p->rk, timeout_ms);

	if (p->fatal)
		recreate(p);
	return err == RD_KAFKA_RESP_ERR_NO_ERROR && rd_kafka_outq_len(p->rk) == 0 ? 0 : -1;
}

void
sm_producer_free(struct sm_producer *p)
{
	if (p == NULL)
		return;
	if (sm_producer_flush(p, 10000) != 0)
		sm_log(SM_LOG_WARN, "kafka producer %s: %d messages undelivered at close",
		    p->client_id, rd_kafka_outq_len(p->rk));
	drop_instance(p);
	rd_kafka_conf_destroy(p->tmpl);
	free(p->client_id);
	free(p);
}
