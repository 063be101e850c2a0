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
};

/* The columns schedule_json() reads (alias s), in its order. */
#define SCHEDULE_COLS "s.id, s.community_id, s.title, " SM_SQL_TIME("s.starts_at") ", s.place," \
	" s.fee, s.max_participants, s.participant_count, s.waitlist_count, s.created_by, " \
	SM_SQL_TIME("s.created_at") ", s.seq"

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

#endif
