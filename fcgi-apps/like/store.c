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
