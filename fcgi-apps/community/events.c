/*
 * events.c -- the community events.
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
#include "sm_outbox.h"

#define SOURCE "community"

int
community_event_add(struct sm_db *db, const char *type, json_object *data,
    const char *request_id)
{
	long long id = json_object_get_int64(json_object_object_get(data, "id"));

	return sm_outbox_event(db, SOURCE, type, id, data, request_id);
}
