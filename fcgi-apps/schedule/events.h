/*
 * events.h -- the schedule service's events: v1.event.attendance-changed,
 * added to the schedule schema's outbox inside the seat transaction
 * (seats.c) that changed the attendance, and v1.event.schedule-updated and
 * schedule-cancelled, inside the edit's and the cancel's (store_edit.c).
 * Each carries the schedule's version (+1 on every change of the row), so a
 * consumer can tell the newest state of a schedule across the three topics.
 */
#ifndef SCHEDULE_EVENTS_H
#define SCHEDULE_EVENTS_H

#include <json-c/json.h>

struct sm_db;

/*
 * Adds v1.event.attendance-changed for user_id's new status (promoted: the
 * member a cancel gave the seat to, or 0) inside the open transaction, made
 * from schedule (the `schedule` as the transaction leaves it) and its seq.
 * Returns 0 or -1.
 */
int attendance_event_add(struct sm_db *db, const json_object *schedule, long long seq,
    long long version, long long user_id, const char *status, long long promoted,
    const char *request_id);

/*
 * v1.event.schedule-updated: the schedule's fields after the edit, changed
 * (an array of the field names that changed; takes it), version, who made
 * the change (by_user_id), and who
 * has a place (attendee_ids in seat order, waitlisted_ids in line order;
 * takes both).
 */
int schedule_updated_event_add(struct sm_db *db, const json_object *schedule,
    long long version, long long by_user_id, json_object *changed, json_object *attendee_ids,
    json_object *waitlisted_ids, const char *request_id);

/* v1.event.schedule-cancelled: the schedule as it was, and who had a place (takes both). */
int schedule_cancelled_event_add(struct sm_db *db, const json_object *schedule,
    long long version, long long by_user_id, json_object *attendee_ids, json_object *waitlisted_ids,
    const char *request_id);

#endif
