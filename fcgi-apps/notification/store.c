/*
 * store.c -- the notification schema's SQL (see store.h).  A feed row hidden
 * by the settings (in_feed = 0) still exists, so its id stays the id of the
 * push that went out for it.
 */
#include "store.h"
#include "sm_cursor.h"

#include <string.h>

const char *const NOTIFICATION_TYPES[NOTIFICATION_NTYPES] = {
	"comment", "welcome", "waitlist", "reminder", "schedule_moved", "schedule_cancelled",
};

static json_object *
row_json(const struct sm_rows *rows)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(o, "type", json_object_new_string(sm_rows_str(rows, 1)));
	json_object_object_add(o, "title", json_object_new_string(sm_rows_str(rows, 2)));
	json_object_object_add(o, "body", json_object_new_string(sm_rows_str(rows, 3)));
	json_object_object_add(o, "link", json_object_new_string(sm_rows_str(rows, 4)));
	json_object_object_add(o, "read", json_object_new_boolean(sm_rows_int(rows, 5) != 0));
	json_object_object_add(o, "created_at", json_object_new_string(sm_rows_str(rows, 6)));
	return o;
}

static long long
position(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 0);
}

int
store_feed(struct sm_db *db, long long user_id, long long after, long long limit,
    json_object **items, long long *next)
{
	struct sm_rows *rows;

	if (sm_db_exec(db, &rows, "SELECT id, type, title, body, link, read_at IS NOT NULL,"
	    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM notifications"
	    " WHERE user_id = ? AND in_feed = 1 AND (? < 0 OR id < ?)"
	    " ORDER BY id DESC LIMIT ?", "iiii", user_id, after, after, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, row_json, position, items, next);
}

int
store_unread(struct sm_db *db, long long user_id, long long *count)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT COUNT(*) FROM notifications WHERE user_id = ?"
	    " AND in_feed = 1 AND read_at IS NULL", "i", user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*count = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	return r == 1 ? 0 : -1;
}

int
store_read(struct sm_db *db, long long user_id, long long id)
{
	int exists;

	if (sm_db_exec(db, NULL, "UPDATE notifications SET read_at = UTC_TIMESTAMP()"
	    " WHERE id = ? AND user_id = ? AND in_feed = 1 AND read_at IS NULL", "ii", id,
	    user_id) != 0)
		return -1;
	if (sm_db_affected(db) == 1)
		return 0;
	if (sm_db_exists(db, &exists, "SELECT 1 FROM notifications WHERE id = ? AND user_id = ?"
	    " AND in_feed = 1", "ii", id, user_id) != 0)
		return -1;
	return exists ? 0 : STORE_NOT_FOUND;     /* already read: still 204 */
}

int
store_settings(struct sm_db *db, long long user_id, json_object **out)
{
	struct sm_rows *rows;
	json_object *o = json_object_new_object();
	size_t i;
	int r;

	for (i = 0; i < NOTIFICATION_NTYPES; i++) {
		json_object *t = json_object_new_object();

		json_object_object_add(t, "push", json_object_new_boolean(1));
		json_object_object_add(t, "feed", json_object_new_boolean(1));
		json_object_object_add(o, NOTIFICATION_TYPES[i], t);
	}
	if (sm_db_exec(db, &rows, "SELECT type, push, feed FROM settings WHERE user_id = ?", "i",
	    user_id) != 0) {
		json_object_put(o);
		return -1;
	}
	while ((r = sm_rows_next(rows)) == 1) {
		json_object *t;

		if (!json_object_object_get_ex(o, sm_rows_str(rows, 0), &t))
			continue;       /* a type retired since */
		json_object_object_add(t, "push", json_object_new_boolean(sm_rows_int(rows, 1) != 0));
		json_object_object_add(t, "feed", json_object_new_boolean(sm_rows_int(rows, 2) != 0));
	}
	sm_rows_free(rows);
	if (r < 0) {
		json_object_put(o);
		return -1;
	}
	*out = o;
	return 0;
}

int
store_setting_put(struct sm_db *db, long long user_id, const char *type, int push, int feed)
{
	return sm_db_exec(db, NULL, "INSERT INTO settings (user_id, type, push, feed)"
	    " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE push = VALUES(push),"
	    " feed = VALUES(feed)", "isii", user_id, type, (long long)push, (long long)feed);
}
