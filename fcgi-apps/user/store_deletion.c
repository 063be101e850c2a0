/*
 * store_deletion.c -- the user service's SQL for leaving the platform
 * (DELETE /api/v1/users/me, deletion.c).
 *
 * The one design decision: the account row is deleted, not kept anonymised.
 * Its interests and every refresh token go with it (ON DELETE CASCADE), so
 * every login family ends in the same statement, and the email is free for a
 * new account (a new id: ids are never reused, which is what lets the other
 * services keep a tombstone per id).  v1.event.user-deleted commits in the
 * same transaction through the outbox, and this schema's own outbox rows
 * about the user (user-signed-up carries the email, -updated the name) are
 * deleted with it, so nothing of the account stays in the user schema.
 *
 * Who owns what: the user schema keeps copy_communities (lib/sm_copy.h),
 * kept from the community events by somoim-user-events; an owner is refused
 * while the copy names a live community of theirs.
 */
#include "store.h"
#include "events.h"
#include "sm_outbox.h"

#include <stdio.h>
#include <string.h>

int
store_deletion_credentials(struct sm_db *db, long long user_id, char *email, size_t emaillen,
    char *hash, size_t hashlen)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT email, password_hash FROM users WHERE id = ?", "i",
	    user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		snprintf(email, emaillen, "%s", sm_rows_str(rows, 0));
		snprintf(hash, hashlen, "%s", sm_rows_str(rows, 1));
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/* The communities user_id owns by this schema's copy, as [{id, name}], at most 50. */
static int
owned_communities(struct sm_db *db, long long user_id, json_object **out)
{
	struct sm_rows *rows;
	json_object *arr;
	int r;

	if (sm_db_exec(db, &rows, "SELECT id, name FROM copy_communities"
	    " WHERE owner_id = ? AND deleted = 0 ORDER BY id LIMIT 50", "i", user_id) != 0)
		return -1;
	arr = json_object_new_array();
	while ((r = sm_rows_next(rows)) == 1) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(sm_rows_int(rows, 0)));
		json_object_object_add(o, "name", json_object_new_string(sm_rows_str(rows, 1)));
		json_object_array_add(arr, o);
	}
	sm_rows_free(rows);
	if (r < 0) {
		json_object_put(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

struct delete_args {
	long long id;
	const char *request_id;
	json_object *owned;     /* out, on STORE_OWNER */
};

static int
delete_tx(struct sm_db *db, void *arg)
{
	struct delete_args *a = arg;
	struct sm_rows *rows;
	json_object *data;
	long long version = 0;
	char key[24];
	int r;

	json_object_put(a->owned);      /* a retried attempt's */
	a->owned = NULL;
	/* The row first: a PATCH in flight commits before us or finds nobody. */
	if (sm_db_exec(db, &rows, "SELECT version FROM users WHERE id = ? FOR UPDATE", "i",
	    a->id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		version = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r <= 0)
		return r == 0 ? STORE_NOT_FOUND : -1;
	if (owned_communities(db, a->id, &a->owned) != 0)
		return -1;
	if (json_object_array_length(a->owned) > 0)
		return STORE_OWNER;
	snprintf(key, sizeof(key), "%lld", a->id);
	if (sm_db_exec(db, NULL, "DELETE FROM outbox WHERE msg_key = ? AND topic IN"
	    " ('v1.event.user-signed-up', 'v1.event.user-updated')", "s", key) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM users WHERE id = ?", "i", a->id) != 0)
		return -1;
	/* version: above every event the account ever had, so no late one outlives this. */
	data = json_object_new_object();
	json_object_object_add(data, "user_id", json_object_new_int64(a->id));
	json_object_object_add(data, "version", json_object_new_int64(version + 1));
	return user_event_add(db, "user-deleted", a->id, data, a->request_id);
}

int
store_delete_user(struct sm_db *db, long long user_id, const char *request_id,
    json_object **owned)
{
	struct delete_args a = { user_id, request_id, NULL };
	int r = sm_db_tx(db, delete_tx, &a);

	if (r == STORE_OWNER) {
		*owned = a.owned;
		return r;
	}
	json_object_put(a.owned);
	return r;
}
