/*
 * store.c -- the like service's SQL (see store.h).
 *
 * The target row is locked first (SELECT ... FOR UPDATE), then the like row
 * is inserted (INSERT IGNORE: a duplicate is "already liked") or deleted; the
 * affected-row count alone decides whether the counter moves, so 25 members
 * liking at once plus their repeats leave exactly 25.  Everything about one
 * target runs one at a time under its row lock; different targets never
 * wait for each other.  Who may like: anyone signed in for a public
 * community's target, members for a private one (its copies, lib/sm_copy.h).
 */
#include "store.h"
#include "sm_copy.h"
#include "events.h"

#include <stdio.h>
#include <stdlib.h>

struct like_args {
	const char *type;
	long long id, user_id;
	int liked;
	const char *request_id;
	int changed;
	long long like_count;
};

/* Locks the target; *community_id, *count, *seq.  STORE_NOT_FOUND. */
static int
lock_target(struct sm_db *db, const char *type, long long id, long long *community_id,
    long long *count, long long *seq)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT community_id, like_count, seq FROM targets"
	    " WHERE target_type = ? AND target_id = ? AND deleted = 0 FOR UPDATE", "si", type,
	    id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*community_id = sm_rows_int(rows, 0);
		*count = sm_rows_int(rows, 1);
		*seq = sm_rows_int(rows, 2);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/*
 * With the target locked (a->like_count and seq as read under the lock): the
 * like row in or out; when that changed something, like_count and seq move
 * by one and the event is added.  0 or -1.
 */
static int
change_locked(struct sm_db *db, struct like_args *a, long long seq)
{
	if (sm_db_exec(db, NULL, a->liked ?
	    "INSERT IGNORE INTO likes (target_type, target_id, user_id) VALUES (?, ?, ?)" :
	    "DELETE FROM likes WHERE target_type = ? AND target_id = ? AND user_id = ?",
	    "sii", a->type, a->id, a->user_id) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return 0;               /* already so: nothing changes, nothing is said */
	if (sm_db_exec(db, NULL, a->liked ?
	    "UPDATE targets SET like_count = like_count + 1, seq = seq + 1"
	    " WHERE target_type = ? AND target_id = ?" :
	    "UPDATE targets SET like_count = like_count - 1, seq = seq + 1"
	    " WHERE target_type = ? AND target_id = ?", "si", a->type, a->id) != 0)
		return -1;
	a->like_count += a->liked ? 1 : -1;
	a->changed = 1;
	return like_event_add(db, a->type, a->id, a->user_id, a->liked, a->like_count,
	    seq + 1, a->request_id);
}

static int
like_tx(struct sm_db *db, void *arg)
{
	struct like_args *a = arg;
	long long community_id, seq;
	struct sm_access acc;
	int r;

	a->changed = 0;
	if ((r = lock_target(db, a->type, a->id, &community_id, &a->like_count, &seq)) != 0)
		return r;
	if (sm_copy_access(db, community_id, a->user_id, &acc) != 0)
		return -1;
	if (!acc.found)
		return STORE_NOT_FOUND;
	if (!SM_CAN_READ(&acc))
		return STORE_FORBIDDEN;
	return change_locked(db, a, seq);
}

int
store_like_set(struct sm_db *db, const char *type, long long id, long long user_id,
    int liked, const char *request_id, int *changed, long long *like_count)
{
	struct like_args a = { .type = type, .id = id, .user_id = user_id, .liked = liked,
	    .request_id = request_id };
	int r = sm_db_tx(db, like_tx, &a);

	*changed = a.changed;
	*like_count = a.like_count;
	return r;
}

/* The live targets user_id likes, in lock order: a new array of *n (free). */
struct liked {
	char type[8];
	long long id;
};

static int
liked_targets(struct sm_db *db, long long user_id, struct liked **out, size_t *n)
{
	struct sm_rows *rows;
	int r;

	*out = NULL;
	*n = 0;
	if (sm_db_exec(db, &rows, "SELECT target_type, target_id FROM likes WHERE user_id = ?"
	    " ORDER BY target_type, target_id", "i", user_id) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1) {
		if (*n % 64 == 0)
			*out = sm_xrealloc(*out, (*n + 64) * sizeof(**out));
		snprintf((*out)[*n].type, sizeof((*out)[*n].type), "%s", sm_rows_str(rows, 0));
		(*out)[(*n)++].id = sm_rows_int(rows, 1);
	}
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}

int
store_unlike_all_in_tx(struct sm_db *db, long long user_id, const char *request_id,
    long long *removed)
{
	struct liked *t;
	size_t i, n;
	int r = 0;

	*removed = 0;
	if (liked_targets(db, user_id, &t, &n) != 0)
		return -1;
	for (i = 0; i < n && r == 0; i++) {
		struct like_args a = { .type = t[i].type, .id = t[i].id, .user_id = user_id,
		    .liked = 0, .request_id = request_id };
		long long community_id, seq;

		r = lock_target(db, a.type, a.id, &community_id, &a.like_count, &seq);
		if (r == STORE_NOT_FOUND)       /* a deleted target: no count to keep */
			r = sm_db_exec(db, NULL, "DELETE FROM likes WHERE target_type = ?"
			    " AND target_id = ? AND user_id = ?", "sii", a.type, a.id, user_id);
		else if (r == 0)
			r = change_locked(db, &a, seq);
		*removed += a.changed;
	}
	free(t);
	return r;
}
