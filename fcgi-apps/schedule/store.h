/*
 * store.h -- the schedule service's SQL for schedules themselves: create,
 * list, read, attendees, and the `schedule` JSON every answer carries.
 *
 * Functions return 0, -1 on a database error (sm_reply_db_error), or a
 * positive STORE_* code.  JSON handed out belongs to the caller.
 */
#ifndef STORE_H
#define STORE_H

#include "schedule.h"
#include "sm_time.h"

enum {
	STORE_NOT_FOUND = 1,
	STORE_PAST = 2,         /* the schedule has started: attendance is frozen */
	STORE_ALREADY = 3,      /* internal: the (schedule, user) row exists */
	STORE_RETRY = 4,        /* internal: a conflict, run the transaction again */
	STORE_BUSY = 5,         /* the strategy gave up waiting (lock, retries, Kafka) */
	STORE_FORBIDDEN = 6,    /* not (or no longer) a member */
	STORE_TOO_FEW = 7,      /* max_participants below participant_count */
};

/*
 * The columns schedule_json() reads (alias s), in its order; then seq (11)
 * and version (12), which events carry.
 */
#define SCHEDULE_COLS "s.id, s.community_id, s.title, " SM_SQL_TIME("s.starts_at") ", s.place," \
	" s.fee, s.max_participants, s.participant_count, s.waitlist_count, s.created_by, " \
	SM_SQL_TIME("s.created_at") ", s.seq, s.version"

json_object *schedule_json(const struct sm_rows *rows);

struct schedule_new {
	long long community_id, created_by, fee, max_participants;
	const char *title, *place;
	const char *starts_at;          /* "YYYY-MM-DD HH:MM:SS.mmm", UTC */
};

/*
 * Inserts the schedule if its creator is a member of its community, checked in
 * the same transaction: STORE_NOT_FOUND (the community is gone), STORE_FORBIDDEN.
 * *out: the `schedule`.
 */
int store_create(struct sm_db *db, const struct schedule_new *s, json_object **out);

/* The community's schedules, soonest first, after schedule id after (-1: top). */
int store_list(struct sm_db *db, long long community_id, long long after, long long limit,
    json_object **items, long long *next);

/* Schedule id as `schedule` (*out), or STORE_NOT_FOUND. */
int store_get(struct sm_db *db, long long id, json_object **out);

/* Adds attendees: [{member_id, name, profile_image}] (seat order) to o. */
int store_add_attendees(struct sm_db *db, long long id, json_object *o);

/*
 * What the access check needs before anything else: the community of
 * schedule id and whether it has started.  STORE_NOT_FOUND.
 */
int store_brief(struct sm_db *db, long long id, long long *community_id, int *past);

/* The status of user_id at schedule id: "attending", "waitlisted" or "none". */
int store_status(struct sm_db *db, long long id, long long user_id, char status[16]);

/*
 * PATCH: the fields to change (has_* set for each present one).  starts_at
 * as for schedule_new.
 */
struct schedule_edit {
	int has_title, has_starts_at, has_place, has_fee, has_max;
	const char *title, *place, *starts_at;
	long long fee, max_participants;
};

/*
 * Edits schedule id for user_id (its creator while a member, or an owner or
 * admin of the community), checked in the transaction under the schedule
 * row's lock -- the lock every attendance strategy's transaction takes or
 * runs into.  A raised max_participants gives the new seats to the first in
 * line (an attendance-changed event each); a change adds
 * v1.event.schedule-updated.  STORE_NOT_FOUND, STORE_FORBIDDEN, STORE_PAST,
 * STORE_TOO_FEW (*count: participant_count).  *out: the `schedule`.
 */
int store_update(struct sm_db *db, long long id, long long user_id,
    const struct schedule_edit *e, const char *request_id, long long *count,
    json_object **out);

/*
 * Cancels schedule id (same permission): the schedule and its attendance
 * rows go, under the schedule row's lock, with v1.event.schedule-cancelled
 * naming who had a place.  STORE_NOT_FOUND, STORE_FORBIDDEN, STORE_PAST.
 */
int store_cancel(struct sm_db *db, long long id, long long user_id, const char *request_id);

#endif
