/*
 * store.c -- the comment service's SQL (see store.h).
 *
 * Every write locks the post's row first (SELECT ... FOR UPDATE on posts,
 * the copy that is also the counter): one post's comment writes run one at a
 * time, comment_count moves by exactly one per comment really added or
 * removed, and seq is a true order.  A delete reads its comment's post
 * without a lock, locks the post, then reads the comment again under that
 * lock -- the same lock order as an add, so the two cannot deadlock each
 * other (sm_db_tx retries one anyway).
 *
 * Authors' names and images come from copy_profiles at read time, so a
 * renamed user shows the new name on old comments; a user whose signed-up
 * event has not arrived yet shows with name "".  Times are the API's one form
 * (lib/sm_time.h), to the second: comments are ordered by id, never by time.
 */
#include "store.h"
#include "sm_time.h"
#include "events.h"
#include "sm_copy.h"
#include "sm_cursor.h"

#include <stdio.h>
#include <string.h>

/* The columns comment_json() reads, in its order. */
#define COMMENT_COLS "c.id, c.post_id, c.author_id, COALESCE(p.name, ''), p.profile_image," \
	" c.body, " SM_SQL_TIME("c.created_at")
#define COMMENT_FROM "FROM comments c LEFT JOIN copy_profiles p ON p.user_id = c.author_id"

static json_object *
comment_json(const struct sm_rows *rows)
{
	json_object *o = json_object_new_object(), *a = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(o, "post_id", json_object_new_int64(sm_rows_int(rows, 1)));
	json_object_object_add(a, "id", json_object_new_int64(sm_rows_int(rows, 2)));
	json_object_object_add(a, "name", json_object_new_string(sm_rows_str(rows, 3)));
	json_object_object_add(a, "profile_image", sm_json_string_or_null(sm_rows_str(rows, 4)));
	json_object_object_add(o, "author", a);
	json_object_object_add(o, "body", json_object_new_string_len(sm_rows_str(rows, 5),
	    (int)sm_rows_len(rows, 5)));
	json_object_object_add(o, "created_at", json_object_new_string(sm_rows_str(rows, 6)));
	return o;
}

static long long
comment_position(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 0);
}

/*
 * Reads post id into *p, locking its row when lock is set.  STORE_NOT_FOUND
 * when this service does not know it or it was deleted.
 */
static int
get_post(struct sm_db *db, long long id, int lock, struct post_state *p)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, lock ?
	    "SELECT id, community_id, author_id, title, comment_count, seq FROM posts"
	    " WHERE id = ? AND deleted = 0 FOR UPDATE" :
	    "SELECT id, community_id, author_id, title, comment_count, seq FROM posts"
	    " WHERE id = ? AND deleted = 0", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		p->id = sm_rows_int(rows, 0);
		p->community_id = sm_rows_int(rows, 1);
		p->author_id = sm_rows_int(rows, 2);
		snprintf(p->title, sizeof(p->title), "%s", sm_rows_str(rows, 3));
		p->comment_count = sm_rows_int(rows, 4);
		p->seq = sm_rows_int(rows, 5);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/* Comment id as `comment` into *out; STORE_NOT_FOUND. */
static int
get_comment(struct sm_db *db, long long id, json_object **out)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " COMMENT_COLS " " COMMENT_FROM " WHERE c.id = ?",
	    "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*out = comment_json(rows);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/*
 * Moves post p's comment_count by delta (+1 or -1) and seq by one; p
 * follows.  The caller holds the row lock and has just inserted or deleted
 * one comment row, so the count cannot go below 0 (the column is UNSIGNED:
 * if it ever did, the statement would fail, not wrap).
 */
static int
count(struct sm_db *db, struct post_state *p, int delta)
{
	if (sm_db_exec(db, NULL, delta > 0 ?
	    "UPDATE posts SET comment_count = comment_count + 1, seq = seq + 1 WHERE id = ?" :
	    "UPDATE posts SET comment_count = comment_count - 1, seq = seq + 1 WHERE id = ?",
	    "i", p->id) != 0)
		return -1;
	p->comment_count += delta;
	p->seq++;
	return 0;
}

struct change_args {
	long long id, caller;
	const char *body;
	const char *request_id;
	json_object *out;
};

static int
add_tx(struct sm_db *db, void *arg)
{
	struct change_args *a = arg;
	struct post_state p;
	struct sm_access acc;
	int r;

	json_object_put(a->out);        /* a retried attempt's read */
	a->out = NULL;
	if ((r = get_post(db, a->id, 1, &p)) != 0)
		return r;
	if (sm_copy_access(db, p.community_id, a->caller, &acc) != 0)
		return -1;
	if (!acc.found)
		return STORE_NOT_FOUND;
	if (!SM_IS_MEMBER(&acc))
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "INSERT INTO comments (post_id, community_id, author_id, body)"
	    " VALUES (?, ?, ?, ?)", "iiis", p.id, p.community_id, a->caller, a->body) != 0)
		return -1;
	if ((r = get_comment(db, (long long)sm_db_insert_id(db), &a->out)) != 0)
		return r < 0 ? -1 : r;
	if (count(db, &p, +1) != 0)
		return -1;
	return comment_created_add(db, &p, a->out, a->request_id);
}

int
store_comment_add(struct sm_db *db, long long id, long long caller, const char *body,
    const char *request_id, json_object **out)
{
	struct change_args a = { .id = id, .caller = caller, .body = body,
	    .request_id = request_id };
	int r = sm_db_tx(db, add_tx, &a);

	if (r != 0) {
		json_object_put(a.out);
		return r;
	}
	*out = a.out;
	return 0;
}

/* The post and author of comment id; lock: FOR UPDATE.  STORE_NOT_FOUND. */
static int
comment_owner(struct sm_db *db, long long id, int lock, long long *post_id,
    long long *author_id)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, lock ?
	    "SELECT post_id, author_id FROM comments WHERE id = ? FOR UPDATE" :
	    "SELECT post_id, author_id FROM comments WHERE id = ?", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*post_id = sm_rows_int(rows, 0);
		*author_id = sm_rows_int(rows, 1);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

static int
delete_tx(struct sm_db *db, void *arg)
{
	struct change_args *a = arg;
	long long post_id, author_id, locked_post;
	struct post_state p;
	struct sm_access acc;
	int r;

	if ((r = comment_owner(db, a->id, 0, &post_id, &author_id)) != 0)
		return r;
	if ((r = get_post(db, post_id, 1, &p)) != 0)
		return r;
	if ((r = comment_owner(db, a->id, 1, &locked_post, &author_id)) != 0)
		return r;               /* deleted meanwhile */
	if (locked_post != post_id)
		return -1;              /* a comment never moves: cannot happen */
	if (author_id != a->caller) {
		if (sm_copy_access(db, p.community_id, a->caller, &acc) != 0)
			return -1;
		if (!SM_IS_MODERATOR(&acc))
			return STORE_FORBIDDEN;
	}
	if (sm_db_exec(db, NULL, "DELETE FROM comments WHERE id = ?", "i", a->id) != 0)
		return -1;
	if (count(db, &p, -1) != 0)
		return -1;
	return comment_deleted_add(db, &p, a->id, a->request_id);
}

int
store_comment_delete(struct sm_db *db, long long id, long long caller,
    const char *request_id)
{
	struct change_args a = { .id = id, .caller = caller, .request_id = request_id };

	return sm_db_tx(db, delete_tx, &a);
}

int
store_comments(struct sm_db *db, long long id, long long caller, long long after,
    long long limit, json_object **items, long long *next)
{
	struct post_state p;
	struct sm_access acc;
	struct sm_rows *rows;
	int r;

	if ((r = get_post(db, id, 0, &p)) != 0)
		return r;
	if (sm_copy_access(db, p.community_id, caller, &acc) != 0)
		return -1;
	if (!acc.found)
		return STORE_NOT_FOUND;
	if (!SM_CAN_READ(&acc))
		return STORE_PRIVATE;
	if (sm_db_exec(db, &rows, "SELECT " COMMENT_COLS " " COMMENT_FROM
	    " WHERE c.post_id = ? AND c.id > ? ORDER BY c.id LIMIT ?", "iii", id,
	    after < 0 ? 0 : after, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, comment_json, comment_position, items, next);
}
