/*
 * store.c -- schedules: create, list, read, attendees (see store.h).
 *
 * The list pages by schedule id but orders by (starts_at, id): the cursor is
 * the last schedule's id, and the next page starts after that schedule's
 * (starts_at, id), looked up in the same statement.  Names and images of
 * attendees come from copy_profiles, kept current by user-updated events; a
 * user whose profile has not arrived yet shows with name "".
 */
#include "store.h"
#include "sm_copy.h"
#include "sm_cursor.h"

#include <stdio.h>
#include <string.h>

json_object *
schedule_json(const struct sm_rows *rows)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(o, "community_id", json_object_new_int64(sm_rows_int(rows, 1)));
	json_object_object_add(o, "title", json_object_new_string(sm_rows_str(rows, 2)));
	json_object_object_add(o, "starts_at", json_object_new_string(sm_rows_str(rows, 3)));
	json_object_object_add(o, "place", json_object_new_string(sm_rows_str(rows, 4)));
	json_object_object_add(o, "fee", json_object_new_int64(sm_rows_int(rows, 5)));
	json_object_object_add(o, "max_participants",
	    json_object_new_int64(sm_rows_int(rows, 6)));
	json_object_object_add(o, "participant_count",
	    json_object_new_int64(sm_rows_int(rows, 7)));
	json_object_object_add(o, "waitlist_count", json_object_new_int64(sm_rows_int(rows, 8)));
	json_object_object_add(o, "created_by", json_object_new_int64(sm_rows_int(rows, 9)));
	json_object_object_add(o, "created_at", json_object_new_string(sm_rows_str(rows, 10)));
	return o;
}

static long long
schedule_position(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 0);
}

int
store_get(struct sm_db *db, long long id, json_object **out)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " SCHEDULE_COLS " FROM schedules s WHERE s.id = ?", "i",
	    id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*out = schedule_json(rows);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

struct create {
	const struct schedule_new *s;
	long long id;
};

/*
 * The access is read again here, locked (sm_copy_access_locked):
 * schedule-events drops a deleted community's schedules, and a schedule made
 * meanwhile must be among them or refused; a member who has left makes none.
 */
static int
create_tx(struct sm_db *db, void *arg)
{
	struct create *c = arg;
	const struct schedule_new *s = c->s;
	struct sm_access a;

	if (sm_copy_access_locked(db, s->community_id, s->created_by, &a) != 0)
		return -1;
	if (!a.found)
		return STORE_NOT_FOUND;
	if (!SM_IS_MEMBER(&a))
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "INSERT INTO schedules (community_id, title, starts_at, place,"
	    " fee, max_participants, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)", "isssiii",
	    s->community_id, s->title, s->starts_at, s->place, s->fee, s->max_participants,
	    s->created_by) != 0)
		return -1;
	c->id = (long long)sm_db_insert_id(db);
	return 0;
}

int
store_create(struct sm_db *db, const struct schedule_new *s, json_object **out)
{
	struct create c = { .s = s };
	int r;

	if ((r = sm_db_tx(db, create_tx, &c)) != 0)
		return r;
	return store_get(db, c.id, out) == 0 ? 0 : -1;
}

int
store_list(struct sm_db *db, long long community_id, long long after, long long limit,
    json_object **items, long long *next)
{
	struct sm_rows *rows;
	int r;

	if (after < 0)
		r = sm_db_exec(db, &rows, "SELECT " SCHEDULE_COLS " FROM schedules s"
		    " WHERE s.community_id = ? ORDER BY s.starts_at, s.id LIMIT ?", "ii",
		    community_id, limit + 1);
	else
		r = sm_db_exec(db, &rows, "SELECT " SCHEDULE_COLS " FROM schedules s"
		    " JOIN schedules a ON a.id = ? AND a.community_id = s.community_id"
		    " WHERE s.community_id = ? AND (s.starts_at > a.starts_at OR"
		    " (s.starts_at = a.starts_at AND s.id > a.id))"
		    " ORDER BY s.starts_at, s.id LIMIT ?", "iii", after, community_id, limit + 1);
	if (r != 0)
		return -1;
	return sm_page_collect(rows, limit, schedule_json, schedule_position, items, next);
}

int
store_add_attendees(struct sm_db *db, long long id, json_object *o)
{
	json_object *list = json_object_new_array(), *a;
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT a.user_id, COALESCE(p.name, ''), p.profile_image"
	    " FROM attendances a LEFT JOIN copy_profiles p ON p.user_id = a.user_id"
	    " WHERE a.schedule_id = ? AND a.status = 'attending' ORDER BY a.queue_id", "i",
	    id) != 0) {
		json_object_put(list);
		return -1;
	}
	while ((r = sm_rows_next(rows)) == 1) {
		a = json_object_new_object();
		json_object_object_add(a, "member_id", json_object_new_int64(sm_rows_int(rows, 0)));
		json_object_object_add(a, "name", json_object_new_string(sm_rows_str(rows, 1)));
		json_object_object_add(a, "profile_image",
		    sm_json_string_or_null(sm_rows_str(rows, 2)));
		json_object_array_add(list, a);
	}
	sm_rows_free(rows);
	if (r < 0) {
		json_object_put(list);
		return -1;
	}
	json_object_object_add(o, "attendees", list);
	return 0;
}

int
store_brief(struct sm_db *db, long long id, long long *community_id, int *past)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT community_id, starts_at <= NOW(3) FROM schedules"
	    " WHERE id = ?", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*community_id = sm_rows_int(rows, 0);
		*past = sm_rows_int(rows, 1) != 0;
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

int
store_status(struct sm_db *db, long long id, long long user_id, char status[16])
{
	struct sm_rows *rows;
	int r;

	strcpy(status, "none");
	if (sm_db_exec(db, &rows, "SELECT status FROM attendances WHERE schedule_id = ?"
	    " AND user_id = ?", "ii", id, user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		snprintf(status, 16, "%s", sm_rows_str(rows, 0));
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}
