/*
 * seats.h -- taking and giving back a seat: the attendance transactions of
 * every strategy, shared by somoim-schedule (the HTTP side) and
 * somoim-schedule-attendance (the Kafka strategy's command consumer).
 *
 * seats_attend() and seats_cancel() return 0 with *res filled, -1 on a
 * database error, or STORE_NOT_FOUND, STORE_PAST, STORE_BUSY.  res->schedule
 * (the `schedule` after the change) belongs to the caller.
 */
#ifndef SEATS_H
#define SEATS_H

#include "store.h"

struct seat_result {
	char status[16];                /* "attending", "waitlisted", "none" */
	long long promoted;             /* the member a cancel gave the seat to, or 0 */
	int changed;                    /* 0: the state asked for already held */
	json_object *schedule;
};

/*
 * How the transaction is kept apart from concurrent ones.  SEATS_SERIAL runs
 * the plain transaction and relies on the caller being the only writer of
 * the schedule (the redis-lock holder, the Kafka partition's consumer).
 */
enum seats_mode {
	SEATS_CONDITIONAL,
	SEATS_OPTIMISTIC,
	SEATS_PESSIMISTIC,
	SEATS_SERIAL,
};

/*
 * Optional: one more statement of the caller's inside the seat transaction,
 * once res holds the outcome -- somoim-schedule-attendance records the
 * command there, so the change and its record commit together or not at all.
 * When nothing changes (res->changed 0: PUT by someone with a place, DELETE
 * by someone without one) the hook runs in a transaction of its own that
 * reads the status and the schedule res reports.  fn returns 0, or -1 to roll
 * the transaction back (the seats_* call then returns -1).
 */
struct seats_hook {
	int (*fn)(struct sm_db *db, const struct seat_result *res, void *arg);
	void *arg;
};

/*
 * Wall-clock milliseconds since the epoch: the clock of an attendance
 * command's deadline_ms, read by its sender and its consumer alike.
 */
long long seats_wall_ms(void);

/* hook may be NULL. */
int seats_attend(struct sm_db *db, enum seats_mode mode, long long id, long long user_id,
    const char *request_id, const struct seats_hook *hook, struct seat_result *res);
int seats_cancel(struct sm_db *db, enum seats_mode mode, long long id, long long user_id,
    const char *request_id, const struct seats_hook *hook, struct seat_result *res);

/*
 * Inside the caller's open transaction (a consumer's): gives up user_id's
 * place at schedule id like a DELETE would, promoting the first in line, with
 * the schedule row locked (FOR UPDATE).  No place, or a schedule that has
 * started: nothing happens.  Returns 0 or -1.
 */
int seats_cancel_in_tx(struct sm_db *db, long long id, long long user_id,
    const char *request_id);

#endif
