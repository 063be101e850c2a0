/*
 * store.c -- the community service's SQL (see store.h).
 *
 * Lists page by keyset, never by OFFSET: "id < last id shown ORDER BY id DESC"
 * (ids only grow), so a community created while a client pages through can
 * neither repeat nor push another one out of the pages still to come.  Only
 * the recommendations, a ranking by member_count that moves anyway, page by
 * offset.
 *
 * Search (q) is not here: search.c asks the Mroonga index (search_store.c)
 * for a page of ids and reads the rows back with store_by_ids().
 *
 * Times are formatted by the server as RFC 3339 UTC (connections run with
 * time_zone = '+00:00').
 */
#include "store.h"
#include "sm_copy.h"
#include "sm_cursor.h"
#include "events.h"

#include <limits.h>
#include <string.h>

/* The `community` columns (lib/sm_copy.h), then version. */
#define COLS SM_COMMUNITY_COLS ", c.version"
#define NCOLS 11
/* Column NCOLS: may the caller (two parameters) see all of it? */
#define VISIBLE "(c.is_private = 0 OR c.owner_id = ? OR EXISTS (SELECT 1 FROM memberships m" \
	" WHERE m.community_id = c.id AND m.user_id = ?))"

/* Row shapes for sm_page_collect: a card (with its VISIBLE column), and positions. */
static json_object *
card(const struct sm_rows *rows)
{
	return sm_community_json(rows, (int)sm_rows_int(rows, NCOLS));
}

static long long
by_id(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 0);
}

static long long
by_wish(const struct sm_rows *rows)
{
	return sm_rows_int(rows, NCOLS + 1);
}

int
store_interest_known(struct sm_db *db, const char *code, int *known)
{
	return sm_db_exists(db, known, "SELECT 1 FROM interests WHERE code = ?", "s", code);
}

/* One community read inside a transaction or out, for caller (-1: as the owner). */
static int
get_one(struct sm_db *db, long long id, long long caller, json_object **out)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " COLS ", " VISIBLE " FROM communities c WHERE c.id = ?",
	    "iii", caller, caller, id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*out = sm_community_json(rows, caller < 0 || sm_rows_int(rows, NCOLS));
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

int
store_get(struct sm_db *db, long long id, long long caller, json_object **out)
{
	return get_one(db, id, caller, out);
}

int
store_event_data(struct sm_db *db, long long id, json_object **out)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " COLS ", " SM_SQL_TIME("c.updated_at")
	    " FROM communities c WHERE c.id = ?", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*out = sm_community_json(rows, 1);
		json_object_object_add(*out, "updated_at",
		    json_object_new_string(sm_rows_str(rows, NCOLS)));
		json_object_object_add(*out, "version",
		    json_object_new_int64(sm_rows_int(rows, 10)));
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/* Adds event type with community id's row as the transaction now leaves it. */
static int
event_now(struct sm_db *db, const char *type, long long id, const char *request_id)
{
	json_object *data;

	if (store_event_data(db, id, &data) != 0)
		return -1;
	return community_event_add(db, type, data, request_id);
}

struct create_args {
	const struct community_input *in;
	long long owner;
	const char *request_id;
	json_object *out;
};

static int
create_tx(struct sm_db *db, void *arg)
{
	struct create_args *a = arg;
	const struct community_input *in = a->in;
	long long id;
	int departed;

	/*
	 * A share lock on the owner's departed_users entry, there or not (a gap
	 * lock then): somoim-community-events' user-deleted inserts it before it
	 * looks for the account's communities, so it waits for this transaction
	 * and then finds this community, or has committed and this one stops.
	 */
	if (sm_db_exists(db, &departed, "SELECT 1 FROM departed_users WHERE user_id = ?"
	    " LOCK IN SHARE MODE", "i", a->owner) != 0)
		return -1;
	if (departed)
		return STORE_DEPARTED;
	if (sm_db_exec(db, NULL,
	    "INSERT INTO communities (name, description, region, interest, max_members,"
	    " owner_id, is_private) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssiii",
	    in->name, in->description ? in->description : "", in->region, in->interest,
	    in->max_members, a->owner, (long long)(in->is_private > 0)) != 0)
		return sm_db_errno(db) == 1452 ? STORE_BAD_INTEREST : -1;
	id = (long long)sm_db_insert_id(db);
	if (sm_db_exec(db, NULL,
	    "INSERT INTO memberships (community_id, user_id, role) VALUES (?, ?, 'owner')"
	    " ON DUPLICATE KEY UPDATE role = 'owner'", "ii", id, a->owner) != 0)
		return -1;
	if (event_now(db, "community-created", id, a->request_id) != 0)
		return -1;
	return get_one(db, id, -1, &a->out);
}

int
store_create(struct sm_db *db, const struct community_input *in, long long owner_id,
    const char *request_id, json_object **out)
{
	struct create_args a = { in, owner_id, request_id, NULL };
	int r = sm_db_tx(db, create_tx, &a);

	if (r != 0) {
		json_object_put(a.out);         /* a retried or failed attempt's read */
		return r;
	}
	*out = a.out;
	return 0;
}

int
store_list(struct sm_db *db, const struct community_filter *f, long long after, long long limit,
    json_object **items, long long *next)
{
	struct sm_rows *rows;

	/*
	 * "? IS NULL OR ..." keeps one prepared statement for every combination
	 * of filters; the backward scan of the primary key stops at limit + 1.
	 */
	if (sm_db_exec(db, &rows,
	    "SELECT " COLS ", " VISIBLE " FROM communities c"
	    " WHERE c.id < ?"
	    " AND (? IS NULL OR c.interest = ?)"
	    " AND (? IS NULL OR c.region = ?)"
	    " ORDER BY c.id DESC LIMIT ?", "iiissssi",
	    f->caller, f->caller, after < 0 ? LLONG_MAX : after,
	    f->interest, f->interest, f->region, f->region, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, card, by_id, items, next);
}

int
store_by_ids(struct sm_db *db, long long caller, const char *ids, json_object **items)
{
	struct sm_rows *rows;
	long long next;

	if (sm_db_exec(db, &rows,
	    "SELECT " COLS ", " VISIBLE " FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	    "  pos FOR ORDINALITY, id BIGINT UNSIGNED PATH '$')) j"
	    " JOIN communities c ON c.id = j.id ORDER BY j.pos", "iis", caller, caller, ids) != 0)
		return -1;
	return sm_page_collect(rows, SM_PAGE_MAX + 1, card, by_id, items, &next);
}

int
store_recommended(struct sm_db *db, long long caller, long long offset, long long limit,
    json_object **items, long long *next)
{
	struct sm_rows *rows;
	int r;

	/* The caller is neither owner nor member of any row here: VISIBLE is is_private = 0. */
	if (sm_db_exec(db, &rows,
	    "SELECT " COLS ", c.is_private = 0 FROM communities c"
	    " WHERE c.interest IN (SELECT ui.code FROM user_interests ui WHERE ui.user_id = ?)"
	    " AND c.owner_id <> ?"
	    " AND NOT EXISTS (SELECT 1 FROM memberships m"
	    "  WHERE m.community_id = c.id AND m.user_id = ?)"
	    " ORDER BY c.member_count DESC, c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?",
	    "iiiii", caller, caller, caller, limit + 1, offset) != 0)
		return -1;
	if ((r = sm_page_collect(rows, limit, card, by_id, items, next)) != 0)
		return r;
	if (*next >= 0)
		*next = offset + limit;
	return 0;
}

struct update_args {
	long long id, caller;
	const struct community_input *set;
	const char *request_id;
	long long count;
	json_object *out;
};

static int
update_tx(struct sm_db *db, void *arg)
{
	struct update_args *a = arg;
	const struct community_input *s = a->set;
	struct sm_rows *rows;
	int r, allowed = 0;

	if (sm_db_exec(db, &rows,
	    "SELECT c.owner_id = ? OR EXISTS (SELECT 1 FROM memberships m"
	    "  WHERE m.community_id = c.id AND m.user_id = ? AND m.role IN ('owner', 'admin')),"
	    " c.member_count FROM communities c WHERE c.id = ? FOR UPDATE",
	    "iii", a->caller, a->caller, a->id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		allowed = (int)sm_rows_int(rows, 0);
		a->count = sm_rows_int(rows, 1);
	}
	sm_rows_free(rows);
	if (r <= 0)
		return r == 0 ? STORE_NOT_FOUND : -1;
	if (!allowed)
		return STORE_FORBIDDEN;
	if (s->max_members >= 0 && s->max_members < a->count)
		return STORE_TOO_SMALL;
	if (s->name || s->description || s->region || s->interest || s->max_members >= 0 ||
	    s->is_private >= 0) {
		if (sm_db_exec(db, NULL,
		    "UPDATE communities SET name = COALESCE(?, name),"
		    " description = COALESCE(?, description), region = COALESCE(?, region),"
		    " interest = COALESCE(?, interest),"
		    " max_members = IF(? < 0, max_members, ?),"
		    " is_private = IF(? < 0, is_private, ?), version = version + 1"
		    " WHERE id = ?", "ssssiiiii",
		    s->name, s->description, s->region, s->interest, s->max_members,
		    s->max_members, (long long)s->is_private, (long long)s->is_private,
		    a->id) != 0)
			return sm_db_errno(db) == 1452 ? STORE_BAD_INTEREST : -1;
		if (event_now(db, "community-updated", a->id, a->request_id) != 0)
			return -1;
	}
	return get_one(db, a->id, -1, &a->out);
}

int
store_update(struct sm_db *db, long long id, long long caller, const struct community_input *set,
    const char *request_id, long long *count, json_object **out)
{
	struct update_args a = { id, caller, set, request_id, 0, NULL };
	int r = sm_db_tx(db, update_tx, &a);

	*count = a.count;
	if (r != 0) {
		json_object_put(a.out);
		return r;
	}
	*out = a.out;
	return 0;
}

struct delete_args {
	long long id, caller;
	const char *request_id;
};

int
store_delete_in_tx(struct sm_db *db, long long id, long long caller, const char *request_id)
{
	struct sm_rows *rows;
	json_object *snapshot;
	long long owner = 0;
	int r;

	if (sm_db_exec(db, &rows, "SELECT owner_id FROM communities WHERE id = ? FOR UPDATE",
	    "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		owner = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r <= 0)
		return r == 0 ? STORE_NOT_FOUND : -1;
	if (owner != caller)
		return STORE_FORBIDDEN;
	if ((r = store_event_data(db, id, &snapshot)) != 0)
		return r;
	/* The memberships copy goes at once; the member side's truth follows the event. */
	if (sm_db_exec(db, NULL, "DELETE FROM memberships WHERE community_id = ?", "i",
	    id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM communities WHERE id = ?", "i", id) != 0) {
		json_object_put(snapshot);
		return -1;
	}
	return community_event_add(db, "community-deleted", snapshot, request_id);
}

static int
delete_tx(struct sm_db *db, void *arg)
{
	struct delete_args *a = arg;

	return store_delete_in_tx(db, a->id, a->caller, a->request_id);
}

int
store_delete(struct sm_db *db, long long id, long long caller, const char *request_id)
{
	struct delete_args a = { id, caller, request_id };

	return sm_db_tx(db, delete_tx, &a);
}

int
store_wish_add(struct sm_db *db, long long user_id, long long community_id)
{
	int known;

	/*
	 * Look first, so an unknown id is a plain answer rather than a failed
	 * statement in the log; the foreign key still covers a concurrent delete.
	 * A second PUT keeps the first wish's place.
	 */
	if (sm_db_exists(db, &known, "SELECT 1 FROM communities WHERE id = ?", "i",
	    community_id) != 0)
		return -1;
	if (!known)
		return STORE_NOT_FOUND;
	if (sm_db_exec(db, NULL,
	    "INSERT INTO wishlist (user_id, community_id) VALUES (?, ?)"
	    " ON DUPLICATE KEY UPDATE id = id", "ii", user_id, community_id) != 0)
		return sm_db_errno(db) == 1452 ? STORE_NOT_FOUND : -1;
	return 0;
}

int
store_wish_remove(struct sm_db *db, long long user_id, long long community_id)
{
	return sm_db_exec(db, NULL, "DELETE FROM wishlist WHERE user_id = ? AND community_id = ?",
	    "ii", user_id, community_id);
}

int
store_wishlist(struct sm_db *db, long long user_id, long long after, long long limit,
    json_object **items, long long *next)
{
	struct sm_rows *rows;

	if (sm_db_exec(db, &rows,
	    "SELECT " COLS ", " VISIBLE ", w.id FROM wishlist w"
	    " JOIN communities c ON c.id = w.community_id"
	    " WHERE w.user_id = ? AND w.id < ? ORDER BY w.id DESC LIMIT ?", "iiiii",
	    user_id, user_id, user_id, after < 0 ? LLONG_MAX : after, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, card, by_wish, items, next);
}
