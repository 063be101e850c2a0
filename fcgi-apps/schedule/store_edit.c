/*
 * store_edit.c -- editing and cancelling a schedule (see store.h): the
 * transactions of PATCH and DELETE /api/v1/schedules/{id}.
 *
 * The one design decision: both begin with SELECT ... FOR UPDATE on the
 * schedule row, the row every attendance transaction locks first or ends by
 * updating (seats.c), so an edit or a cancel and a racing PUT/DELETE
 * attendance run one after the other in every strategy.  A cancel deletes the
 * schedule and its attendance rows: an attend that read the schedule before
 * finds no row to update afterwards and retries into 404, so no seat is left
 * on a cancelled schedule.  Raising max_participants gives the new seats to
 * the first in line at once (invariant 4 of docs/schedules.md: no free seat
 * while someone waits); lowering it below participant_count is refused
 * rather than taking seats from people who have them.
 */
#include "store.h"
#include "events.h"
#include "sm_copy.h"

#include <stdio.h>
#include <string.h>

/* What the locked read of the schedule row gives. */
struct locked {
	long long community_id, created_by, pc, max, wl;
	int past;
	char title[404], place[804], starts_at[32];
	long long fee;
};

static int
lock_row(struct sm_db *db, long long id, struct locked *l)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT community_id, created_by, participant_count,"
	    " max_participants, waitlist_count, starts_at <= NOW(3), title, place, fee,"
	    " DATE_FORMAT(starts_at, '%Y-%m-%d %H:%i:%s.%f')"
	    " FROM schedules WHERE id = ? FOR UPDATE", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		l->community_id = sm_rows_int(rows, 0);
		l->created_by = sm_rows_int(rows, 1);
		l->pc = sm_rows_int(rows, 2);
		l->max = sm_rows_int(rows, 3);
		l->wl = sm_rows_int(rows, 4);
		l->past = sm_rows_int(rows, 5) != 0;
		snprintf(l->title, sizeof(l->title), "%s", sm_rows_str(rows, 6));
		snprintf(l->place, sizeof(l->place), "%s", sm_rows_str(rows, 7));
		l->fee = sm_rows_int(rows, 8);
		/* DATETIME(3) printed with %f has six digits: keep the milliseconds */
		snprintf(l->starts_at, sizeof(l->starts_at), "%.23s", sm_rows_str(rows, 9));
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/*
 * The creator while still a member, or an owner or admin of the community.
 * A private community's outsider learns nothing more than the GET tells
 * them (403 there too); an unknown community is 404.
 */
static int
may_manage(struct sm_db *db, const struct locked *l, long long user_id)
{
	struct sm_access a;

	if (sm_copy_access(db, l->community_id, user_id, &a) != 0)
		return -1;
	if (!a.found)
		return STORE_NOT_FOUND;
	if (SM_IS_MODERATOR(&a) || (SM_IS_MEMBER(&a) && l->created_by == user_id))
		return 0;
	return STORE_FORBIDDEN;
}

/* The user ids with status at schedule id, in line order, as a JSON array. */
static int
ids_with(struct sm_db *db, long long id, const char *status, json_object **out)
{
	struct sm_rows *rows;
	int r;

	*out = json_object_new_array();
	if (sm_db_exec(db, &rows, "SELECT user_id FROM attendances WHERE schedule_id = ?"
	    " AND status = ? ORDER BY queue_id FOR UPDATE", "is", id, status) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1)
		json_object_array_add(*out, json_object_new_int64(sm_rows_int(rows, 0)));
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}

/* The `schedule` as the transaction sees it, with seq and version. */
static int
read_back(struct sm_db *db, long long id, json_object **out, long long *seq,
    long long *version)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " SCHEDULE_COLS " FROM schedules s WHERE s.id = ?", "i",
	    id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*out = schedule_json(rows);
		*seq = sm_rows_int(rows, 11);
		*version = sm_rows_int(rows, 12);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : -1;
}

struct update {
	long long id, user_id;
	const struct schedule_edit *e;
	const char *request_id;
	long long count;
	json_object *out;
};

/* The first waitlisted member gets a seat: the row, the counters, the event. */
static int
promote_one(struct sm_db *db, struct update *u)
{
	struct sm_rows *rows;
	json_object *o = NULL;
	long long who = 0, seq, version;
	int r;

	if (sm_db_exec(db, &rows, "SELECT user_id FROM attendances WHERE schedule_id = ?"
	    " AND status = 'waitlisted' ORDER BY queue_id LIMIT 1 FOR UPDATE", "i", u->id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		who = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r != 1)
		return -1;      /* the counter said someone waits: the rows must agree */
	if (sm_db_exec(db, NULL, "UPDATE attendances SET status = 'attending'"
	    " WHERE schedule_id = ? AND user_id = ?", "ii", u->id, who) != 0 ||
	    sm_db_exec(db, NULL, "UPDATE schedules SET participant_count = participant_count + 1,"
	    " waitlist_count = waitlist_count - 1, version = version + 1, seq = seq + 1"
	    " WHERE id = ? AND participant_count < max_participants AND waitlist_count > 0", "i",
	    u->id) != 0)
		return -1;
	if (sm_db_affected(db) != 1)
		return -1;
	if (read_back(db, u->id, &o, &seq, &version) != 0)
		return -1;
	/* the promoted member is both the one whose place changed and the one promoted */
	r = attendance_event_add(db, o, seq, version, who, "attending", who, u->request_id);
	json_object_put(o);
	return r;
}

static int
update_tx(struct sm_db *db, void *arg)
{
	struct update *u = arg;
	const struct schedule_edit *e = u->e;
	struct locked l;
	json_object *changed, *seated, *waiting;
	long long seq, version, max, n;
	int r;

	json_object_put(u->out);
	u->out = NULL;
	if ((r = lock_row(db, u->id, &l)) != 0 || (r = may_manage(db, &l, u->user_id)) != 0)
		return r;
	if (l.past)
		return STORE_PAST;
	max = e->has_max ? e->max_participants : l.max;
	if (max < l.pc) {
		u->count = l.pc;
		return STORE_TOO_FEW;
	}
	changed = json_object_new_array();
	if (e->has_title && strcmp(e->title, l.title) != 0)
		json_object_array_add(changed, json_object_new_string("title"));
	if (e->has_starts_at && strcmp(e->starts_at, l.starts_at) != 0)
		json_object_array_add(changed, json_object_new_string("starts_at"));
	if (e->has_place && strcmp(e->place, l.place) != 0)
		json_object_array_add(changed, json_object_new_string("place"));
	if (e->has_fee && e->fee != l.fee)
		json_object_array_add(changed, json_object_new_string("fee"));
	if (max != l.max)
		json_object_array_add(changed, json_object_new_string("max_participants"));
	if (json_object_array_length(changed) == 0) {
		/* nothing to change: the schedule as it is, no event */
		json_object_put(changed);
		return read_back(db, u->id, &u->out, &seq, &version);
	}
	if (sm_db_exec(db, NULL, "UPDATE schedules SET title = ?, starts_at = ?, place = ?,"
	    " fee = ?, max_participants = ?, version = version + 1 WHERE id = ?", "sssiii",
	    e->has_title ? e->title : l.title, e->has_starts_at ? e->starts_at : l.starts_at,
	    e->has_place ? e->place : l.place, e->has_fee ? e->fee : l.fee, max, u->id) != 0) {
		json_object_put(changed);
		return -1;
	}
	/* the new seats go to the first in line, as a cancel's freed seat does */
	for (n = max - l.pc < l.wl ? max - l.pc : l.wl; n > 0; n--)
		if (promote_one(db, u) != 0) {
			json_object_put(changed);
			return -1;
		}
	if (read_back(db, u->id, &u->out, &seq, &version) != 0 ||
	    ids_with(db, u->id, "attending", &seated) != 0) {
		json_object_put(changed);
		return -1;
	}
	if (ids_with(db, u->id, "waitlisted", &waiting) != 0) {
		json_object_put(changed);
		json_object_put(seated);
		return -1;
	}
	return schedule_updated_event_add(db, u->out, version, u->user_id, changed, seated, waiting,
	    u->request_id);
}

int
store_update(struct sm_db *db, long long id, long long user_id, const struct schedule_edit *e,
    const char *request_id, long long *count, json_object **out)
{
	struct update u = { id, user_id, e, request_id, 0, NULL };
	int r = sm_db_tx(db, update_tx, &u);

	*count = u.count;
	if (r != 0) {
		json_object_put(u.out);
		return r;
	}
	*out = u.out;
	return 0;
}

struct cancel {
	long long id, user_id;
	const char *request_id;
};

static int
cancel_tx(struct sm_db *db, void *arg)
{
	struct cancel *c = arg;
	struct locked l;
	json_object *o = NULL, *seated = NULL, *waiting = NULL;
	long long seq, version;
	int r;

	if ((r = lock_row(db, c->id, &l)) != 0 || (r = may_manage(db, &l, c->user_id)) != 0)
		return r;
	if (l.past)
		return STORE_PAST;
	if (read_back(db, c->id, &o, &seq, &version) != 0)
		return -1;
	if (ids_with(db, c->id, "attending", &seated) != 0 ||
	    ids_with(db, c->id, "waitlisted", &waiting) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM attendances WHERE schedule_id = ?", "i", c->id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM schedules WHERE id = ?", "i", c->id) != 0) {
		json_object_put(o);
		json_object_put(seated);
		json_object_put(waiting);
		return -1;
	}
	/* version + 1: the cancel is the schedule's last and newest change */
	r = schedule_cancelled_event_add(db, o, version + 1, c->user_id, seated, waiting, c->request_id);
	json_object_put(o);
	return r;
}

int
store_cancel(struct sm_db *db, long long id, long long user_id, const char *request_id)
{
	struct cancel c = { id, user_id, request_id };

	return sm_db_tx(db, cancel_tx, &c);
}
