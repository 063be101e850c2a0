/*
 * seats.c -- the attendance transactions (see seats.h and docs/schedules.md).
 *
 * Every mode ends in the same rows: an attendance row per (schedule, member)
 * whose primary key makes a repeated PUT find what it already has, and the
 * schedule's counters moved in the same transaction, with the event.  The
 * modes differ only in how a transaction learns it is not alone:
 *
 *   conditional  the first statement is the guarded UPDATE "participant_count
 *                + 1 WHERE participant_count < max_participants": the row
 *                lock it takes orders the racers, and 0 rows means no seat
 *                (then the waitlist).  A duplicate attendance row rolls the
 *                whole thing back: the member already had a place.
 *   pessimistic  SELECT ... FOR UPDATE on the schedule, then read, decide, write.
 *   optimistic   plain reads, then "UPDATE ... WHERE version = <read>"; 0 rows
 *                means someone else changed the schedule: roll back and run
 *                again (bounded, with growing random pauses).
 *   serial       plain reads and writes; the caller guarantees it is the only
 *                writer (Redis lock holder, the Kafka partition's consumer).
 *
 * Every write also keeps "participant_count + n <= max_participants" in its
 * WHERE, so even a broken serializer (a Redis lease that ran out) cannot pass
 * the cap: it gets a retry instead.  An attend that decided from a plain read
 * also wants max_participants unchanged (an edit may have raised it and
 * handed the new seats to the line meanwhile: then it runs again), and one
 * whose schedule was cancelled finds no row to update and ends in
 * STORE_NOT_FOUND.  A deadlock or lock-wait timeout (sm_db_tx
 * retries those three times) is retried here too, so none reaches the user.
 * A cancel promotes the waitlisted member with the lowest queue_id (FIFO).
 * A caller's hook (seats.h) runs as the last statement of the transaction.
 */
#include "seats.h"
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define ER_DUP_ENTRY 1062
#define ER_LOCK_WAIT_TIMEOUT 1205
#define ER_LOCK_DEADLOCK 1213
#define OPTIMISTIC_ATTEMPTS 60
#define OTHER_ATTEMPTS 20

struct seat_args {
	enum seats_mode mode;
	long long id, user_id;
	const char *request_id;
	const struct seats_hook *hook;  /* may be NULL */
	struct seat_result *res;
};

struct sched_row {
	long long pc, max, wl, version;
};

/*
 * Reads the counters of schedule id (FOR UPDATE when lock).  STORE_NOT_FOUND,
 * STORE_PAST.
 */
static int
read_schedule(struct sm_db *db, long long id, int lock, struct sched_row *s)
{
	struct sm_rows *rows;
	int r, past = 0;

	if (sm_db_exec(db, &rows, lock ?
	    "SELECT participant_count, max_participants, waitlist_count, version,"
	    " starts_at <= NOW(3) FROM schedules WHERE id = ? FOR UPDATE" :
	    "SELECT participant_count, max_participants, waitlist_count, version,"
	    " starts_at <= NOW(3) FROM schedules WHERE id = ?", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		s->pc = sm_rows_int(rows, 0);
		s->max = sm_rows_int(rows, 1);
		s->wl = sm_rows_int(rows, 2);
		s->version = sm_rows_int(rows, 3);
		past = sm_rows_int(rows, 4) != 0;
	}
	sm_rows_free(rows);
	if (r != 1)
		return r == 0 ? STORE_NOT_FOUND : -1;
	return past ? STORE_PAST : 0;
}

/* user_id's status at id into status ("" when none); FOR UPDATE when lock. */
static int
read_status(struct sm_db *db, long long id, long long user_id, int lock, char status[16])
{
	struct sm_rows *rows;
	int r;

	status[0] = '\0';
	if (sm_db_exec(db, &rows, lock ?
	    "SELECT status FROM attendances WHERE schedule_id = ? AND user_id = ? FOR UPDATE" :
	    "SELECT status FROM attendances WHERE schedule_id = ? AND user_id = ?", "ii",
	    id, user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		snprintf(status, 16, "%s", sm_rows_str(rows, 0));
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}

/*
 * The schedule as the transaction leaves it into a->res, and the event made
 * from the same row read.
 */
static int
finish(struct sm_db *db, struct seat_args *a)
{
	struct sm_rows *rows;
	long long seq = 0, version = 0;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " SCHEDULE_COLS " FROM schedules s WHERE s.id = ?", "i",
	    a->id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		a->res->schedule = schedule_json(rows);
		seq = sm_rows_int(rows, 11);
		version = sm_rows_int(rows, 12);
	}
	sm_rows_free(rows);
	if (r != 1)
		return -1;
	if (attendance_event_add(db, a->res->schedule, seq, version, a->user_id, a->res->status,
	    a->res->promoted, a->request_id) != 0)
		return -1;
	a->res->changed = 1;
	return a->hook != NULL ? a->hook->fn(db, a->res, a->hook->arg) : 0;
}

static void
reset(struct seat_args *a)
{
	json_object_put(a->res->schedule);     /* a retried attempt's */
	a->res->schedule = NULL;
	a->res->promoted = 0;
	a->res->changed = 0;
	strcpy(a->res->status, "none");
}

static int
attend_conditional_tx(struct sm_db *db, void *arg)
{
	struct seat_args *a = arg;
	struct sched_row s;
	int r;

	reset(a);
	if (sm_db_exec(db, NULL, "UPDATE schedules SET participant_count = participant_count + 1,"
	    " version = version + 1, seq = seq + 1 WHERE id = ? AND starts_at > NOW(3)"
	    " AND participant_count < max_participants", "i", a->id) != 0)
		return -1;
	if (sm_db_affected(db) == 1) {
		strcpy(a->res->status, "attending");
	} else {
		if (sm_db_exec(db, NULL, "UPDATE schedules SET waitlist_count = waitlist_count + 1,"
		    " version = version + 1, seq = seq + 1 WHERE id = ? AND starts_at > NOW(3)",
		    "i", a->id) != 0)
			return -1;
		if (sm_db_affected(db) == 0)
			return (r = read_schedule(db, a->id, 0, &s)) != 0 ? r : STORE_RETRY;
		strcpy(a->res->status, "waitlisted");
	}
	if (sm_db_exec(db, NULL, "INSERT INTO attendances (schedule_id, user_id, status)"
	    " VALUES (?, ?, ?)", "iis", a->id, a->user_id, a->res->status) != 0)
		return sm_db_errno(db) == ER_DUP_ENTRY ? STORE_ALREADY : -1;
	return finish(db, a);
}

static int
attend_tx(struct sm_db *db, void *arg)
{
	struct seat_args *a = arg;
	struct sched_row s;
	char have[16];
	long long dpc, dwl;
	int r;

	reset(a);
	if ((r = read_schedule(db, a->id, a->mode == SEATS_PESSIMISTIC, &s)) != 0)
		return r;
	if (read_status(db, a->id, a->user_id, 0, have) != 0)
		return -1;
	if (have[0] != '\0')
		return STORE_ALREADY;
	dpc = s.pc < s.max;
	dwl = !dpc;
	strcpy(a->res->status, dpc ? "attending" : "waitlisted");
	if (sm_db_exec(db, NULL, "INSERT INTO attendances (schedule_id, user_id, status)"
	    " VALUES (?, ?, ?)", "iis", a->id, a->user_id, a->res->status) != 0)
		return sm_db_errno(db) == ER_DUP_ENTRY ? STORE_RETRY : -1;
	if (sm_db_exec(db, NULL, "UPDATE schedules SET participant_count = participant_count + ?,"
	    " waitlist_count = waitlist_count + ?, version = version + 1, seq = seq + 1"
	    " WHERE id = ? AND participant_count + ? <= max_participants AND (? < 0 OR version = ?)"
	    " AND max_participants = ?",
	    "iiiiiii", dpc, dwl, a->id, dpc, a->mode == SEATS_OPTIMISTIC ? 0LL : -1LL,
	    s.version, s.max) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return STORE_RETRY;
	return finish(db, a);
}

static int
cancel_tx(struct sm_db *db, void *arg)
{
	struct seat_args *a = arg;
	struct sched_row s;
	struct sm_rows *rows;
	char have[16];
	long long dpc = 0, dwl = 0, bump = 1, guard = -1;
	int r, lock = a->mode == SEATS_CONDITIONAL || a->mode == SEATS_PESSIMISTIC;

	reset(a);
	if (a->mode == SEATS_CONDITIONAL) {
		/*
		 * Nothing to give back is the common DELETE: answer it from a plain
		 * read instead of a write rolled back.  Otherwise the row lock
		 * first, as in attend, so the two cannot deadlock.
		 */
		if (read_status(db, a->id, a->user_id, 0, have) != 0)
			return -1;
		if (have[0] == '\0')
			return STORE_ALREADY;
		if (sm_db_exec(db, NULL, "UPDATE schedules SET version = version + 1, seq = seq + 1"
		    " WHERE id = ? AND starts_at > NOW(3)", "i", a->id) != 0)
			return -1;
		if (sm_db_affected(db) == 0)
			return (r = read_schedule(db, a->id, 0, &s)) != 0 ? r : STORE_RETRY;
		bump = 0;
	} else if ((r = read_schedule(db, a->id, a->mode == SEATS_PESSIMISTIC, &s)) != 0) {
		return r;
	}
	if (a->mode == SEATS_OPTIMISTIC)
		guard = s.version;
	if (read_status(db, a->id, a->user_id, lock, have) != 0)
		return -1;
	if (have[0] == '\0')
		return STORE_ALREADY;
	if (sm_db_exec(db, NULL, "DELETE FROM attendances WHERE schedule_id = ? AND user_id = ?"
	    " AND status = ?", "iis", a->id, a->user_id, have) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return STORE_RETRY;
	if (strcmp(have, "waitlisted") == 0) {
		dwl = -1;
	} else {
		if (sm_db_exec(db, &rows, lock ?
		    "SELECT user_id FROM attendances WHERE schedule_id = ? AND status = 'waitlisted'"
		    " ORDER BY queue_id LIMIT 1 FOR UPDATE" :
		    "SELECT user_id FROM attendances WHERE schedule_id = ? AND status = 'waitlisted'"
		    " ORDER BY queue_id LIMIT 1", "i", a->id) != 0)
			return -1;
		if ((r = sm_rows_next(rows)) == 1)
			a->res->promoted = sm_rows_int(rows, 0);
		sm_rows_free(rows);
		if (r < 0)
			return -1;
		if (a->res->promoted == 0) {
			dpc = -1;
		} else {
			dwl = -1;
			if (sm_db_exec(db, NULL, "UPDATE attendances SET status = 'attending'"
			    " WHERE schedule_id = ? AND user_id = ? AND status = 'waitlisted'", "ii",
			    a->id, a->res->promoted) != 0)
				return -1;
			if (sm_db_affected(db) == 0)
				return STORE_RETRY;
		}
	}
	if (sm_db_exec(db, NULL, "UPDATE schedules SET participant_count = participant_count + ?,"
	    " waitlist_count = waitlist_count + ?, version = version + ?, seq = seq + ?"
	    " WHERE id = ? AND participant_count >= -? AND waitlist_count >= -?"
	    " AND (? < 0 OR version = ?)", "iiiiiiiii", dpc, dwl, bump, bump, a->id, dpc, dwl,
	    guard, guard) != 0)
		return -1;
	if (sm_db_affected(db) == 0 && (dpc != 0 || dwl != 0 || bump != 0))
		return STORE_RETRY;
	strcpy(a->res->status, "none");
	return finish(db, a);
}

static int
transient(const struct sm_db *db)
{
	unsigned e = sm_db_errno(db);

	return e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT;
}

/*
 * Nothing changed: the status and the schedule as they are into a->res, and
 * the caller's hook with them.
 */
static int
unchanged(struct sm_db *db, struct seat_args *a, int cancel)
{
	int r;

	reset(a);
	if (!cancel && store_status(db, a->id, a->user_id, a->res->status) != 0)
		return -1;      /* (a cancel only ever says so when there is no row: "none") */
	if ((r = store_get(db, a->id, &a->res->schedule)) != 0)
		return r;
	return a->hook != NULL ? a->hook->fn(db, a->res, a->hook->arg) : 0;
}

static int
unchanged_attend_tx(struct sm_db *db, void *arg)
{
	return unchanged(db, arg, 0);
}

static int
unchanged_cancel_tx(struct sm_db *db, void *arg)
{
	return unchanged(db, arg, 1);
}

/* Runs fn until it is not told to retry; STORE_ALREADY becomes the status as it is. */
static int
run(struct sm_db *db, int (*fn)(struct sm_db *, void *), struct seat_args *a)
{
	int attempt, r, max = a->mode == SEATS_OPTIMISTIC ? OPTIMISTIC_ATTEMPTS : OTHER_ATTEMPTS;

	memset(a->res, 0, sizeof(*a->res));
	for (attempt = 0;; attempt++) {
		r = sm_db_tx(db, fn, a);
		if (r != STORE_RETRY && !(r == -1 && transient(db)))
			break;
		if (attempt + 1 >= max) {
			sm_log(SM_LOG_WARN, "schedule %lld: gave up after %d attempts", a->id,
			    attempt + 1);
			r = STORE_BUSY;
			break;
		}
		/* Random pauses that grow: the losers of one round spread out. */
		usleep((useconds_t)(200 + rand() % (500 << (attempt < 5 ? attempt : 5))));
	}
	if (r != 0) {
		json_object_put(a->res->schedule);
		a->res->schedule = NULL;
	}
	if (r == STORE_ALREADY) {
		/* A hook's statement needs a transaction; the plain answer does not. */
		fn = fn == cancel_tx ? unchanged_cancel_tx : unchanged_attend_tx;
		r = a->hook != NULL ? sm_db_tx(db, fn, a) : fn(db, a);
		if (r != 0) {
			json_object_put(a->res->schedule);
			a->res->schedule = NULL;
		}
	}
	return r;
}

int
seats_attend(struct sm_db *db, enum seats_mode mode, long long id, long long user_id,
    const char *request_id, const struct seats_hook *hook, struct seat_result *res)
{
	struct seat_args a = { mode, id, user_id, request_id, hook, res };

	return run(db, mode == SEATS_CONDITIONAL ? attend_conditional_tx : attend_tx, &a);
}

int
seats_cancel(struct sm_db *db, enum seats_mode mode, long long id, long long user_id,
    const char *request_id, const struct seats_hook *hook, struct seat_result *res)
{
	struct seat_args a = { mode, id, user_id, request_id, hook, res };

	return run(db, cancel_tx, &a);
}

int
seats_cancel_in_tx(struct sm_db *db, long long id, long long user_id, const char *request_id)
{
	struct seat_result res = { .schedule = NULL };
	struct seat_args a = { SEATS_PESSIMISTIC, id, user_id, request_id, NULL, &res };
	int r = cancel_tx(db, &a);

	json_object_put(res.schedule);
	if (r == STORE_ALREADY || r == STORE_PAST || r == STORE_NOT_FOUND)
		return 0;       /* no place, or history: nothing to give back */
	return r == 0 ? 0 : -1;
}

long long
seats_wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}
