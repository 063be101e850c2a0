/*
 * events.h -- the user events (v1.event.user-signed-up, user-updated), added
 * to the user schema's outbox inside the transaction that made the change.
 */
#ifndef USER_EVENTS_H
#define USER_EVENTS_H

#include <json-c/json.h>

struct sm_db;

/*
 * The data every user event carries; the caller adds the rest.  Takes
 * interests (a JSON array of codes).  The object belongs to the caller.
 */
json_object *user_event_data(long long id, const char *name, const char *image,
    const char *region, json_object *interests, long long version);

/*
 * Adds v1.event.<type> for user id (key: the id) with data, which it takes.
 * Returns 0 or -1.
 */
int user_event_add(struct sm_db *db, const char *type, long long id, json_object *data,
    const char *request_id);

#endif
