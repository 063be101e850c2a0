/*
 * sm_kafka.c -- shared Kafka configuration and the event envelope (see sm_kafka.h).
 */
#include "sm_kafka.h"
#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_json.h"
#include "sm_log.h"
#include "sm_time.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static void
log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	/*
	 * librdkafka logs a refused connection as an error (syslog 3), but it
	 * retries by itself and the calls that matter report failures through
	 * their return codes: to us such a line is a warning.
	 */
	sm_log(level <= 2 ? SM_LOG_ERROR : level <= 4 ? SM_LOG_WARN : SM_LOG_INFO,
	    "librdkafka %s: %s", fac, buf);
}

rd_kafka_conf_t *
sm_kafka_conf_new(const struct sm_conf *conf, const char *client_id, const char *const *pairs)
{
	rd_kafka_conf_t *kc = rd_kafka_conf_new();
	char err[512];
	const char *brokers = sm_conf_get(conf, "kafka", "brokers", "127.0.0.1:9092");

	rd_kafka_conf_set_log_cb(kc, log_cb);
	if (rd_kafka_conf_set(kc, "bootstrap.servers", brokers, err, sizeof(err)) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(kc, "client.id", client_id, err, sizeof(err)) != RD_KAFKA_CONF_OK) {
		sm_log(SM_LOG_ERROR, "rd_kafka_conf_set: %s", err);
		rd_kafka_conf_destroy(kc);
		return NULL;
	}
	for (; pairs != NULL && pairs[0] != NULL; pairs += 2) {
		if (rd_kafka_conf_set(kc, pairs[0], pairs[1], err, sizeof(err)) != RD_KAFKA_CONF_OK) {
			sm_log(SM_LOG_ERROR, "rd_kafka_conf_set(\"%s\", \"%s\"): %s", pairs[0],
			    pairs[1], err);
			rd_kafka_conf_destroy(kc);
			return NULL;
		}
	}
	return kc;
}

void
sm_kafka_dlt_topic(const struct sm_conf *conf, const char *topic, char *out, size_t len)
{
	snprintf(out, len, "%s%s", topic, sm_conf_get(conf, "kafka", "dlt_suffix", ".DLT"));
}

json_object *
sm_event_new(const char *type, const char *source, json_object *data, char id_out[37])
{
	json_object *ev = json_object_new_object();
	char when[SM_TIME_MS_LEN];
	struct timeval tv;

	sm_uuid_v7(id_out);
	gettimeofday(&tv, NULL);
	if (sm_time_format_ms(tv.tv_sec, (int)(tv.tv_usec / 1000), when) != 0)
		strcpy(when, "1970-01-01T00:00:00.000Z");      /* a clock past year 9999 */
	json_object_object_add(ev, "id", json_object_new_string(id_out));
	json_object_object_add(ev, "type", json_object_new_string(type));
	json_object_object_add(ev, "occurred_at", json_object_new_string(when));
	json_object_object_add(ev, "source", json_object_new_string(source));
	json_object_object_add(ev, "data", data ? data : json_object_new_object());
	return ev;
}

const char *
sm_event_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
sm_event_bad(const struct sm_event *ev, const char *field, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: data.%s is missing or invalid", ev->type, field);
	return -1;
}

int
sm_event_post_counter(const struct sm_event *ev, const char *count_key, long long *id,
    long long *count, long long *seq, char *err, size_t errlen)
{
	const char *id_key = "post_id", *type;

	*id = 0;
	if (strcmp(count_key, "like_count") == 0) {
		if ((type = sm_event_str(ev->data, "target_type")) == NULL)
			return sm_event_bad(ev, "target_type", err, errlen);
		if (strcmp(type, "post") != 0)
			return 0;       /* photos: the album's business */
		id_key = "target_id";
	}
	if (sm_event_ids(ev, err, errlen, id_key, id, "seq", seq, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, count_key, count) != 0 || *count < 0)
		return sm_event_bad(ev, count_key, err, errlen);
	return 0;
}

int
sm_event_ids(const struct sm_event *ev, char *err, size_t errlen, ...)
{
	const char *field;
	va_list ap;
	int rc = 0;

	va_start(ap, errlen);
	while (rc == 0 && (field = va_arg(ap, const char *)) != NULL) {
		long long *out = va_arg(ap, long long *);

		if (sm_event_int(ev->data, field, out) != 0 || *out <= 0)
			rc = sm_event_bad(ev, field, err, errlen);
	}
	va_end(ap);
	return rc;
}

int
sm_event_int(json_object *data, const char *key, long long *out)
{
	json_object *v;

	if (!json_object_object_get_ex(data, key, &v))
		return -1;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		char *end;

		errno = 0;
		*out = strtoll(s, &end, 10);
		return *s != '\0' && *end == '\0' && errno == 0 ? 0 : -1;
	}
	return -1;
}

int
sm_event_parse(const void *payload, size_t len, struct sm_event *ev)
{
	const char *id;

	memset(ev, 0, sizeof(*ev));
	if (payload == NULL || (ev->root = sm_json_parse(payload, len)) == NULL)
		return -1;
	if (!json_object_is_type(ev->root, json_type_object) ||
	    (id = sm_event_str(ev->root, "id")) == NULL || strlen(id) != 36 ||
	    (ev->type = sm_event_str(ev->root, "type")) == NULL ||
	    !json_object_object_get_ex(ev->root, "data", &ev->data) ||
	    !json_object_is_type(ev->data, json_type_object)) {
		sm_event_fini(ev);
		return -1;
	}
	memcpy(ev->id, id, 37);
	ev->occurred_at = sm_event_str(ev->root, "occurred_at");
	ev->source = sm_event_str(ev->root, "source");
	return 0;
}

void
sm_event_fini(struct sm_event *ev)
{
	json_object_put(ev->root);
	memset(ev, 0, sizeof(*ev));
}

int
sm_kafka_header(const rd_kafka_message_t *m, const char *name, char *buf, size_t len)
{
	rd_kafka_headers_t *hdrs;
	const void *val;
	size_t size;

	if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    rd_kafka_header_get_last(hdrs, name, &val, &size) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    val == NULL || size >= len)
		return -1;
	memcpy(buf, val, size);
	buf[size] = '\0';
	return 0;
}
