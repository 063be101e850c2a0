/*
 * events.c -- the community events, one function per event.
 *
 * Each runs inside the caller's transaction and adds the event to this
 * schema's outbox (lib/sm_outbox.h), so the event exists exactly when the
 * change committed; the relay publishes it.  Key: the community id, so one
 * community's events stay in order on one partition.  Data: the community
 * as it is after the change (for a deletion, as it was), with `version` so a
 * consumer can drop an event older than the copy it holds.  The data is read
 * by the caller (store.c): this file writes to the outbox and reads nothing.
 */
#include "events.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_outbox.h"

#include <stdio.h>

#define SOURCE "community"

int
community_event_add(struct sm_db *db, const char *type, json_object *data,
    const char *request_id)
{
	char topic[64], key[24];

	snprintf(topic, sizeof(topic), "v1.event.%s", type);
	snprintf(key, sizeof(key), "%lld",
	    (long long)json_object_get_int64(json_object_object_get(data, "id")));
	if (sm_outbox_add(db, topic, key, type, SOURCE, data, request_id, NULL) != 0) {
		sm_log(SM_LOG_ERROR, "outbox: adding %s for community %s failed: %s", type,
		    key, sm_db_error(db));
		return -1;
	}
	return 0;
}
