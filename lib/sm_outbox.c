/*
 * sm_outbox.c -- writing events to the transactional outbox (see sm_outbox.h;
 * the table is sql/<schema>/NNN-outbox.sql, the reader kafka-consumers/outbox-relay/).
 *
 * The row keeps the whole envelope as it will be sent, so the relay never
 * re-serialises anything and the event id in the payload, the `event_id`
 * column and the Kafka header are always the same value.
 */
#include "sm_outbox.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_redis.h"

#include <stdio.h>
#include <string.h>

int
sm_outbox_add(struct sm_db *db, const char *topic, const char *key, const char *type,
    const char *source, json_object *data, const char *request_id, char *event_id_out)
{
	char id[37];
	json_object *ev = sm_event_new(type, source, data, id);
	const char *payload = json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN);
	int r;

	if (request_id != NULL && (*request_id == '\0' || strcmp(request_id, "-") == 0))
		request_id = NULL;
	r = sm_db_exec(db, NULL,
	    "INSERT INTO outbox (event_id, topic, msg_key, payload, request_id)"
	    " VALUES (?, ?, ?, ?, ?)", "sssss", id, topic, key, payload, request_id);
	json_object_put(ev);
	if (r != 0)
		return -1;
	if (event_id_out != NULL)
		memcpy(event_id_out, id, sizeof(id));
	return 0;
}

void
sm_outbox_wake(struct sm_redis *r, const char *schema)
{
	redisReply *reply;

	if (r == NULL)
		return;
	reply = sm_redis_cmd(r, "PUBLISH %s %s", SM_OUTBOX_CHANNEL, schema);
	if (reply != NULL)
		freeReplyObject(reply);
}

int
sm_outbox_event(struct sm_db *db, const char *source, const char *type, long long id,
    json_object *data, const char *request_id)
{
	char topic[96], key[24];

	snprintf(topic, sizeof(topic), "v1.event.%s", type);
	snprintf(key, sizeof(key), "%lld", id);
	if (sm_outbox_add(db, topic, key, type, source, data, request_id, NULL) != 0) {
		sm_log(SM_LOG_ERROR, "outbox: adding %s for %s %lld failed: %s", type, source, id,
		    sm_db_error(db));
		return -1;
	}
	return 0;
}
