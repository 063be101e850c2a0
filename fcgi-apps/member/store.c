/*
 * store.c -- the member service's SQL (see store.h).
 *
 * Every write locks the community row first (SELECT ... FOR UPDATE): a
 * community's joins, leaves and role changes run one at a time, which makes
 * seq a true order and leaves no lock-order cycle to deadlock on (sm_db_tx
 * still retries one).  Under that lock a join inserts the member row (a
 * duplicate key is ALREADY_MEMBER) and then runs "member_count + 1 WHERE
 * member_count < max_members" -- 0 rows means full, and the transaction,
 * member row included, is rolled back.  The guard is in the UPDATE itself,
 * so the cap would hold even without the lock.
 *
 * The member list orders by the role ENUM's index (owner 1, admin 2,
 * member 3), then join_id; its cursor is one number, role * 2^48 + join_id.
 * Names and images come from copy_profiles (kept by the user events); a
 * user whose signed-up event has not arrived yet shows with name "".
 *
 * Times are formatted by the server as RFC 3339 UTC (connections run with
 * time_zone = '+00:00').
 */
#include "store.h"
#include "sm_time.h"
#include "libmember.h"
#include "sm_copy.h"
#include "sm_cursor.h"

#include <string.h>

#define ROLE_SHIFT 281474976710656LL    /* 2^48: cursor = role index * 2^48 + join_id */

/* The columns member_json() reads, in its order; then the cursor parts. */
#define MEMBER_COLS "m.user_id, COALESCE(p.name, ''), p.profile_image, m.role, " \
	SM_SQL_TIME("m.joined_at") ", m.role + 0, m.join_id"
#define MEMBER_FROM "FROM members m LEFT JOIN copy_profiles p ON p.user_id = m.user_id"


static json_object *
member_json(const struct sm_rows *rows)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "member_id", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(o, "name", json_object_new_string(sm_rows_str(rows, 1)));
	json_object_object_add(o, "profile_image", sm_json_string_or_null(sm_rows_str(rows, 2)));
	json_object_object_add(o, "role", json_object_new_string(sm_rows_str(rows, 3)));
	json_object_object_add(o, "joined_at", json_object_new_string(sm_rows_str(rows, 4)));
	return o;
}

/* A membership's community (lib/sm_copy.h), for sm_page_collect. */
static json_object *
community_json(const struct sm_rows *rows)
{
	return sm_community_json(rows, 1);
}

/* Page positions: a member's (role order, then join order), a membership's join. */
static long long
member_position(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 5) * ROLE_SHIFT + sm_rows_int(rows, 6);
}

static long long
join_position(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 10);
}

/* One member as `member` into *out; STORE_NO_MEMBER when there is none. */
static int
get_member(struct sm_db *db, long long id, long long user_id, json_object **out)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " MEMBER_COLS " " MEMBER_FROM
	    " WHERE m.community_id = ? AND m.user_id = ?", "ii", id, user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*out = member_json(rows);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NO_MEMBER : -1;
}

/*
 * Locks community id for the rest of the transaction; *owner (may be NULL)
 * its owner.  STORE_NOT_FOUND when this service does not know it.
 */
static int
lock_community(struct sm_db *db, long long id, long long *owner)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT owner_id FROM communities WHERE id = ? FOR UPDATE", "i",
	    id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1 && owner != NULL)
		*owner = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/* The role of user_id in community id into role (size 8); STORE_NO_MEMBER. */
static int
get_role(struct sm_db *db, long long id, long long user_id, char role[8])
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT role FROM members WHERE community_id = ? AND user_id = ?",
	    "ii", id, user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		strncpy(role, sm_rows_str(rows, 0), 7);
		role[7] = '\0';
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NO_MEMBER : -1;
}

struct change_args {
	long long id, user_id, target;
	const char *role;
	const char *request_id;
	int changed;
	json_object *out;
};

static int
join_tx(struct sm_db *db, void *arg)
{
	struct change_args *a = arg;
	int r;

	json_object_put(a->out);        /* a retried attempt's read */
	a->out = NULL;
	if ((r = lock_community(db, a->id, NULL)) != 0)
		return r;
	if (sm_db_exec(db, NULL, "INSERT INTO members (community_id, user_id, role)"
	    " VALUES (?, ?, 'member')", "ii", a->id, a->user_id) != 0)
		return sm_db_errno(db) == 1062 ? STORE_ALREADY : -1;
	if (sm_db_exec(db, NULL, "UPDATE communities SET member_count = member_count + 1,"
	    " seq = seq + 1 WHERE id = ? AND member_count < max_members", "i", a->id) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return STORE_FULL;
	if (member_event_add(db, "member-joined", a->id, a->user_id, "member",
	    a->request_id) != 0)
		return -1;
	if ((r = get_member(db, a->id, a->user_id, &a->out)) != 0)
		return r < 0 ? -1 : r;
	return 0;
}

/* Runs fn in a transaction; a->out from a rolled-back attempt is dropped. */
static int
run_change(struct sm_db *db, int (*fn)(struct sm_db *, void *), struct change_args *a,
    json_object **out)
{
	int r = sm_db_tx(db, fn, a);

	if (r != 0) {
		json_object_put(a->out);
		return r;
	}
	if (out != NULL)
		*out = a->out;
	else
		json_object_put(a->out);
	return 0;
}

int
store_join(struct sm_db *db, long long id, long long user_id, const char *request_id,
    json_object **out)
{
	struct change_args a = { .id = id, .user_id = user_id, .request_id = request_id };

	return run_change(db, join_tx, &a, out);
}

int
store_leave_in_tx(struct sm_db *db, long long id, long long user_id, const char *request_id,
    int *left)
{
	char role[8];
	int r;

	*left = 0;
	if ((r = lock_community(db, id, NULL)) != 0)
		return r;
	if ((r = get_role(db, id, user_id, role)) != 0)
		return r == STORE_NO_MEMBER ? 0 : r;    /* not a member: nothing to do */
	if (strcmp(role, "owner") == 0)
		return STORE_OWNER;
	if (sm_db_exec(db, NULL, "DELETE FROM members WHERE community_id = ? AND user_id = ?",
	    "ii", id, user_id) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "UPDATE communities SET member_count = member_count - 1,"
	    " seq = seq + 1 WHERE id = ? AND member_count > 0", "i", id) != 0)
		return -1;
	if (member_event_add(db, "member-left", id, user_id, role, request_id) != 0)
		return -1;
	*left = 1;
	return 0;
}

static int
leave_tx(struct sm_db *db, void *arg)
{
	struct change_args *a = arg;

	return store_leave_in_tx(db, a->id, a->user_id, a->request_id, &a->changed);
}

int
store_leave(struct sm_db *db, long long id, long long user_id, const char *request_id,
    int *left)
{
	struct change_args a = { .id = id, .user_id = user_id, .request_id = request_id };
	int r = run_change(db, leave_tx, &a, NULL);

	*left = a.changed;
	return r;
}

static int
role_tx(struct sm_db *db, void *arg)
{
	struct change_args *a = arg;
	long long owner;
	char role[8];
	int r;

	json_object_put(a->out);
	a->out = NULL;
	if ((r = lock_community(db, a->id, &owner)) != 0)
		return r;
	if (owner != a->user_id)
		return STORE_FORBIDDEN;
	if ((r = get_role(db, a->id, a->target, role)) != 0)
		return r;
	if (a->target == owner || strcmp(role, "owner") == 0)
		return STORE_OWNER;
	if (strcmp(role, a->role) != 0) {
		if (sm_db_exec(db, NULL, "UPDATE members SET role = ? WHERE community_id = ?"
		    " AND user_id = ?", "sii", a->role, a->id, a->target) != 0)
			return -1;
		if (sm_db_exec(db, NULL, "UPDATE communities SET seq = seq + 1 WHERE id = ?", "i",
		    a->id) != 0)
			return -1;
		if (member_event_add(db, "member-updated", a->id, a->target, a->role,
		    a->request_id) != 0)
			return -1;
	}
	if ((r = get_member(db, a->id, a->target, &a->out)) != 0)
		return r < 0 ? -1 : r;
	return 0;
}

int
store_set_role(struct sm_db *db, long long id, long long caller, long long target,
    const char *role, const char *request_id, json_object **out)
{
	struct change_args a = { .id = id, .user_id = caller, .target = target, .role = role,
	    .request_id = request_id };

	return run_change(db, role_tx, &a, out);
}

int
store_members(struct sm_db *db, long long id, long long caller, long long after,
    long long limit, json_object **items, long long *next)
{
	long long after_role = 0, after_join = 0;
	struct sm_rows *rows;
	int r, visible;

	if (sm_db_exec(db, &rows, "SELECT c.is_private = 0 OR EXISTS (SELECT 1 FROM members m"
	    " WHERE m.community_id = c.id AND m.user_id = ?) FROM communities c WHERE c.id = ?",
	    "ii", caller, id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		visible = (int)sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r != 1)
		return r == 0 ? STORE_NOT_FOUND : -1;
	if (!visible)
		return STORE_FORBIDDEN;
	if (after >= 0) {
		after_role = after / ROLE_SHIFT;
		after_join = after % ROLE_SHIFT;
	}
	if (sm_db_exec(db, &rows, "SELECT " MEMBER_COLS " " MEMBER_FROM
	    " WHERE m.community_id = ? AND (m.role + 0 > ? OR (m.role + 0 = ? AND m.join_id > ?))"
	    " ORDER BY m.role, m.join_id LIMIT ?", "iiiii", id, after_role, after_role,
	    after_join, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, member_json, member_position, items, next);
}

int
store_my_communities(struct sm_db *db, long long user_id, long long after, long long limit,
    json_object **items, long long *next)
{
	struct sm_rows *rows;

	if (sm_db_exec(db, &rows, "SELECT " SM_COMMUNITY_COLS ", m.join_id FROM members m"
	    " JOIN communities c ON c.id = m.community_id WHERE m.user_id = ? AND m.join_id < ?"
	    " ORDER BY m.join_id DESC LIMIT ?", "iii", user_id,
	    after < 0 ? (long long)9223372036854775807LL : after, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, community_json, join_position, items, next);
}
