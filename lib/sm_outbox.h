/*
 * sm_outbox.h -- the transactional outbox: an event is a row written in the
 * same database transaction as the change it announces.
 *
 * The one design decision: services never talk to Kafka.  A handler adds the
 * event's envelope to its schema's `outbox` table inside its own transaction,
 * so the event exists if and only if the change committed; somoim-outbox-relay
 * publishes the rows in id order with an idempotent producer and marks them
 * published.  Kafka being down therefore never fails a user's write -- events
 * just wait in the table.  After the commit the service may call
 * sm_outbox_wake() so the relay publishes at once instead of at its next poll.
 */
#ifndef SM_OUTBOX_H
#define SM_OUTBOX_H

#include <json-c/json.h>

struct sm_db;
struct sm_redis;

/* The Redis channel the relay listens on; the message is the schema name. */
#define SM_OUTBOX_CHANNEL "somoim:outbox"

/*
 * Inserts one event into the outbox, inside the caller's open transaction:
 * topic "v1.event.user-updated", key the aggregate id (Kafka message key),
 * type "user-updated", source the service name, data the event's payload
 * (its reference is TAKEN, also on failure), request_id the HTTP request that
 * caused it (NULL or "-": none).  event_id_out (may be NULL) receives the
 * envelope id.  Returns 0 or -1 (a database error; the caller rolls back).
 */
int sm_outbox_add(struct sm_db *db, const char *topic, const char *key, const char *type,
    const char *source, json_object *data, const char *request_id, char *event_id_out);

/*
 * The usual case of sm_outbox_add, which every service's events.c makes:
 * topic "v1.event.<type>", key the aggregate id in decimal; a failure is
 * logged with the database's error.  Takes data.  Returns 0 or -1.
 */
int sm_outbox_event(struct sm_db *db, const char *source, const char *type, long long id,
    json_object *data, const char *request_id);

/*
 * After a commit that added events: PUBLISH somoim:outbox <schema>.  Best
 * effort -- a Redis failure is ignored (the relay's polling still finds the
 * rows); r may be NULL.
 */
void sm_outbox_wake(struct sm_redis *r, const char *schema);

#endif
