/*
 * events.c -- the user events (see events.h): the one place the user service
 * writes to its outbox.
 *
 * Each event carries users.version, which goes up by one with every change,
 * so a consumer keeping a copy drops an event older than what it holds.
 */
#include "events.h"
#include "sm_json.h"
#include "sm_outbox.h"

#define SOURCE "user"

json_object *
user_event_data(long long id, const char *name, const char *image, const char *region,
    json_object *interests, long long version)
{
	json_object *d = json_object_new_object();

	json_object_object_add(d, "user_id", json_object_new_int64(id));
	json_object_object_add(d, "name", json_object_new_string(name));
	json_object_object_add(d, "profile_image", sm_json_string_or_null(image));
	json_object_object_add(d, "region", sm_json_string_or_null(region));
	json_object_object_add(d, "interests", interests);
	json_object_object_add(d, "version", json_object_new_int64(version));
	return d;
}

int
user_event_add(struct sm_db *db, const char *type, long long id, json_object *data,
    const char *request_id)
{
	return sm_outbox_event(db, SOURCE, type, id, data, request_id);
}
