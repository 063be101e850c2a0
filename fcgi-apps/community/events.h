/*
 * events.h -- v1.event.community-created / community-updated /
 * community-deleted, added to the community schema's outbox inside the
 * transaction that made the change.
 */
#ifndef COMMUNITY_EVENTS_H
#define COMMUNITY_EVENTS_H

#include <json-c/json.h>

struct sm_db;

/*
 * Adds v1.event.<type> with data (the community as store_event_data reads
 * it; key: its "id"), taking data also on failure.  Returns 0 or -1.
 */
int community_event_add(struct sm_db *db, const char *type, json_object *data,
    const char *request_id);

#endif
