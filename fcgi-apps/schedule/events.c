/*
 * events.c -- the schedule events (see events.h): the one place the schedule
 * service writes to its outbox.  Key: the schedule id, so one schedule's
 * changes stay in order within a topic; seq orders its attendance changes,
 * version every change of the schedule across the topics.
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
    long long version, long long user_id, const char *status, long long promoted,
    const char *request_id)
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
	json_object_object_add(data, "version", json_object_new_int64(version));
	json_object_object_add(data, "title", field(schedule, "title"));
	json_object_object_add(data, "starts_at", field(schedule, "starts_at"));
	return sm_outbox_event(db, "schedule", "attendance-changed", id, data, request_id);
}

/* The fields both schedule events share. */
static json_object *
schedule_data(const json_object *schedule, long long version, long long by_user_id,
    json_object *attendee_ids, json_object *waitlisted_ids)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "id", field(schedule, "id"));
	json_object_object_add(data, "community_id", field(schedule, "community_id"));
	json_object_object_add(data, "title", field(schedule, "title"));
	json_object_object_add(data, "starts_at", field(schedule, "starts_at"));
	json_object_object_add(data, "place", field(schedule, "place"));
	json_object_object_add(data, "version", json_object_new_int64(version));
	json_object_object_add(data, "by_user_id", json_object_new_int64(by_user_id));
	json_object_object_add(data, "attendee_ids", attendee_ids);
	json_object_object_add(data, "waitlisted_ids", waitlisted_ids);
	return data;
}

int
schedule_updated_event_add(struct sm_db *db, const json_object *schedule, long long version,
    long long by_user_id, json_object *changed, json_object *attendee_ids,
    json_object *waitlisted_ids, const char *request_id)
{
	json_object *data = schedule_data(schedule, version, by_user_id, attendee_ids, waitlisted_ids);

	json_object_object_add(data, "fee", field(schedule, "fee"));
	json_object_object_add(data, "max_participants", field(schedule, "max_participants"));
	json_object_object_add(data, "changed", changed);
	return sm_outbox_event(db, "schedule", "schedule-updated",
	    json_object_get_int64(json_object_object_get(schedule, "id")), data, request_id);
}

int
schedule_cancelled_event_add(struct sm_db *db, const json_object *schedule, long long version,
    long long by_user_id, json_object *attendee_ids, json_object *waitlisted_ids,
    const char *request_id)
{
	return sm_outbox_event(db, "schedule", "schedule-cancelled",
	    json_object_get_int64(json_object_object_get(schedule, "id")),
	    schedule_data(schedule, version, by_user_id, attendee_ids, waitlisted_ids), request_id);
}
