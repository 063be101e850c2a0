/*
 * events.c -- the schedule events (see events.h): the one place the schedule
 * service writes to its outbox.  Key: the schedule id, so one schedule's
 * changes stay in order; seq lets a consumer drop an older one.
 */
#include "events.h"
#include "sm_db.h"
#include "sm_outbox.h"

/* A field of the `schedule` object, as a new reference. */
static json_object *
field(const json_object *schedule, const char *key)
{
	return json_object_get(json_object_object_get(schedule, key));
}

int
attendance_event_add(struct sm_db *db, const json_object *schedule, long long seq,
    long long user_id, const char *status, long long promoted, const char *request_id)
{
	json_object *data = json_object_new_object();
	long long id = json_object_get_int64(json_object_object_get(schedule, "id"));

	json_object_object_add(data, "schedule_id", json_object_new_int64(id));
	json_object_object_add(data, "community_id", field(schedule, "community_id"));
	json_object_object_add(data, "user_id", json_object_new_int64(user_id));
	json_object_object_add(data, "status", json_object_new_string(status));
	json_object_object_add(data, "promoted_user_id",
	    promoted > 0 ? json_object_new_int64(promoted) : NULL);
	json_object_object_add(data, "participant_count", field(schedule, "participant_count"));
	json_object_object_add(data, "waitlist_count", field(schedule, "waitlist_count"));
	json_object_object_add(data, "max_participants", field(schedule, "max_participants"));
	json_object_object_add(data, "seq", json_object_new_int64(seq));
	json_object_object_add(data, "title", field(schedule, "title"));
	json_object_object_add(data, "starts_at", field(schedule, "starts_at"));
	return sm_outbox_event(db, "schedule", "attendance-changed", id, data, request_id);
}
