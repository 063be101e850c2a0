/*
 * sm_kafka.h -- what every Kafka user in somoim shares: client configuration
 * from somoim.conf, dead-letter topic names, and the event envelope.
 *
 * Envelope (docs/architecture.md, "Events out"): the message value is
 *   {"id": uuid, "type": "user-updated", "occurred_at": RFC 3339 UTC with ms,
 *    "source": "user", "data": {...}}
 * the key is the aggregate id (one aggregate's events stay in one partition, in
 * order), and the headers carry "X-Request-Id" (the HTTP request that caused
 * the event) and "event_id" (the envelope id, for tools that do not parse JSON).
 */
#ifndef SM_KAFKA_H
#define SM_KAFKA_H

#include <stddef.h>
#include <json-c/json.h>
#include <librdkafka/rdkafka.h>

struct sm_conf;

#define SM_HDR_REQUEST_ID "X-Request-Id"
#define SM_HDR_EVENT_ID "event_id"
/*
 * On a re-driven dead letter (somoim-kafka dlt redrive): the consumer group
 * that dead-lettered it.  The event goes back to the shared topic, and only
 * that group applies it again; every other group passes it by.
 */
#define SM_HDR_REDRIVE_GROUP "somoim-redrive-group"

/*
 * A client configuration: bootstrap.servers from [kafka] brokers, client.id,
 * our log callback, then the given NULL-terminated key/value pairs.  Returns
 * a new configuration (the caller passes it to rd_kafka_new or destroys it)
 * or NULL after logging which setting was refused.
 */
rd_kafka_conf_t *sm_kafka_conf_new(const struct sm_conf *conf, const char *client_id,
    const char *const *pairs);

/* "<topic><suffix>", the suffix from [kafka] dlt_suffix (default ".DLT"). */
void sm_kafka_dlt_topic(const struct sm_conf *conf, const char *topic, char *out, size_t len);

struct sm_event {
	char id[37];
	const char *type;
	const char *occurred_at;
	const char *source;
	json_object *data;      /* borrowed from root */
	json_object *root;      /* owned; sm_event_fini() drops it */
};

/* A new envelope around data (the reference to data is taken); id_out gets its id. */
json_object *sm_event_new(const char *type, const char *source, json_object *data,
    char id_out[37]);

/*
 * An integer field of an event's data: a JSON integer, or a string of digits
 * (ids may travel as strings).  0 with *out set, -1 when absent or not one.
 */
int sm_event_int(json_object *data, const char *key, long long *out);
/* A string field of an event's data (or envelope); NULL when absent or not a string. */
const char *sm_event_str(json_object *data, const char *key);
/* For a handler: "<type>: data.<field> is missing or invalid" into err; returns -1. */
int sm_event_bad(const struct sm_event *ev, const char *field, char *err, size_t errlen);
/*
 * The ids of an event: positive integer fields of its data, each name followed by
 * where to put it, the list ended by NULL:
 *     sm_event_ids(ev, err, errlen, "id", &id, "community_id", &community_id, (char *)NULL)
 * 0, or -1 with sm_event_bad()'s message for the first one missing or not above 0.
 */
int sm_event_ids(const struct sm_event *ev, char *err, size_t errlen, ...)
    __attribute__((sentinel));

/*
 * A counter event of an owner (comment-created/-deleted, like-changed): the
 * positive id named id_key, the count named count_key (>= 0) and the
 * owner's per-target "seq".  0, or -1 with sm_event_bad()'s message.  A
 * like-changed that is not about a post sets *id to 0 (not the board's).
 */
int sm_event_post_counter(const struct sm_event *ev, const char *count_key, long long *id,
    long long *count, long long *seq, char *err, size_t errlen);

/* Parses a message value into ev: 0, or -1 when it is not an envelope. */
int sm_event_parse(const void *payload, size_t len, struct sm_event *ev);
void sm_event_fini(struct sm_event *ev);

/* The value of the last header called name, as a NUL-terminated copy in buf. */
int sm_kafka_header(const rd_kafka_message_t *m, const char *name, char *buf, size_t len);

#endif
