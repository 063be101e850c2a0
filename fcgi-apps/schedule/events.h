/*
 * events.h -- v1.event.attendance-changed, added to the schedule schema's
 * outbox inside the seat transaction (seats.c) that changed the attendance.
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
    long long user_id, const char *status, long long promoted, const char *request_id);

#endif
