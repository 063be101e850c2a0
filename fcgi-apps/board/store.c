/*
 * store.c -- the board service's SQL (see store.h).
 *
 * Every change locks the post row (SELECT ... FOR UPDATE) before it decides,
 * so version is a true order of one post's changes and its events leave the
 * outbox in that order.  A deletion keeps the row (deleted = 1): the read
 * model's rebuild reads this table, tombstones included, and so comes out
 * with the same versions the live projection holds.
 *
 * Times are formatted by the server as RFC 3339 UTC (connections run with
 * time_zone = '+00:00'); the event carries the same strings the API answers
 * with, so the read model stores them as they come.
 */
#include "store.h"
#include "sm_time.h"
#include "sm_copy.h"
#include "events.h"
#include "sm_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns post_of() reads, in its order. */
#define POST_COLS "p.id, p.community_id, p.author_id, p.title, p.body, " \
	SM_SQL_TIME("p.created_at") ", " SM_SQL_TIME("p.updated_at") ", p.version, p.deleted, " \
	"COALESCE(a.name, ''), a.profile_image, p.like_count, p.comment_count"
#define POST_FROM "FROM posts p LEFT JOIN copy_profiles a ON a.user_id = p.author_id"

static void
post_fini(struct post *p)
{
	json_object_put(p->title);
	json_object_put(p->body);
	json_object_put(p->created_at);
	json_object_put(p->updated_at);
	json_object_put(p->author_name);
	json_object_put(p->author_image);
	memset(p, 0, sizeof(*p));
}

/* Post id as it is now (lock: append " FOR UPDATE"); STORE_NOT_FOUND. */
static int
post_get(struct sm_db *db, long long id, int lock, struct post *p)
{
	struct sm_rows *rows;
	int r;

	post_fini(p);
	if (sm_db_exec(db, &rows, lock ? "SELECT " POST_COLS " " POST_FROM " WHERE p.id = ?"
	    " FOR UPDATE" : "SELECT " POST_COLS " " POST_FROM " WHERE p.id = ?", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		p->id = sm_rows_int(rows, 0);
		p->community_id = sm_rows_int(rows, 1);
		p->author_id = sm_rows_int(rows, 2);
		p->title = json_object_new_string(sm_rows_str(rows, 3));
		p->body = json_object_new_string_len(sm_rows_str(rows, 4),
		    (int)sm_rows_len(rows, 4));
		p->created_at = json_object_new_string(sm_rows_str(rows, 5));
		p->updated_at = json_object_new_string(sm_rows_str(rows, 6));
		p->version = sm_rows_int(rows, 7);
		p->deleted = sm_rows_int(rows, 8) != 0;
		p->author_name = json_object_new_string(sm_rows_str(rows, 9));
		p->author_image = sm_json_string_or_null(sm_rows_str(rows, 10));
		p->like_count = sm_rows_int(rows, 11);
		p->comment_count = sm_rows_int(rows, 12);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

/* The API's `post`, with the board's copy of its counts (sql/board/004). */
static json_object *
post_json(const struct post *p)
{
	json_object *o = json_object_new_object(), *a = json_object_new_object();

	json_object_object_add(a, "id", json_object_new_int64(p->author_id));
	json_object_object_add(a, "name", json_object_get(p->author_name));
	json_object_object_add(a, "profile_image", json_object_get(p->author_image));
	json_object_object_add(o, "id", json_object_new_int64(p->id));
	json_object_object_add(o, "community_id", json_object_new_int64(p->community_id));
	json_object_object_add(o, "author", a);
	json_object_object_add(o, "title", json_object_get(p->title));
	json_object_object_add(o, "body", json_object_get(p->body));
	json_object_object_add(o, "like_count", json_object_new_int64(p->like_count));
	json_object_object_add(o, "comment_count", json_object_new_int64(p->comment_count));
	json_object_object_add(o, "created_at", json_object_get(p->created_at));
	json_object_object_add(o, "updated_at", json_object_get(p->updated_at));
	return o;
}

struct change {
	long long id, community_id, caller;
	const char *title, *body, *request_id;
	struct post p;
};

static int
create_tx(struct sm_db *db, void *arg)
{
	struct change *c = arg;
	struct sm_access a;

	/* Locked: a community being deleted (store_community_deleted). */
	if (sm_copy_access_locked(db, c->community_id, c->caller, &a) != 0)
		return -1;
	if (!a.found)
		return STORE_NO_COMMUNITY;
	if (!SM_IS_MEMBER(&a))
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "INSERT INTO posts (community_id, author_id, title, body)"
	    " VALUES (?, ?, ?, ?)", "iiss", c->community_id, c->caller, c->title, c->body) != 0)
		return -1;
	c->id = (long long)sm_db_insert_id(db);
	if (post_get(db, c->id, 0, &c->p) != 0)
		return -1;
	return post_event_add(db, "post-created", &c->p, c->request_id);
}

/* Runs fn in a transaction; the post read by a rolled-back attempt is dropped. */
static int
run(struct sm_db *db, int (*fn)(struct sm_db *, void *), struct change *c, json_object **out)
{
	int r = sm_db_tx(db, fn, c);

	if (r == 0 && out != NULL)
		*out = post_json(&c->p);
	post_fini(&c->p);
	return r;
}

int
store_create(struct sm_db *db, long long community_id, long long author_id,
    const char *title, const char *body, const char *request_id, json_object **out)
{
	struct change c = { .community_id = community_id, .caller = author_id, .title = title,
	    .body = body, .request_id = request_id };

	return run(db, create_tx, &c, out);
}

/*
 * Locks post id and checks the caller against it: STORE_NOT_FOUND for a
 * deleted post or one whose community the caller may not read, else fills
 * *a (the caller's access to the post's community).
 */
static int
lock_visible(struct sm_db *db, struct change *c, struct sm_access *a)
{
	int r;

	if ((r = post_get(db, c->id, 1, &c->p)) != 0)
		return r;
	if (c->p.deleted)
		return STORE_NOT_FOUND;
	if (sm_copy_access(db, c->p.community_id, c->caller, a) != 0)
		return -1;
	return SM_CAN_READ(a) ? 0 : STORE_NOT_FOUND;
}

static int
update_tx(struct sm_db *db, void *arg)
{
	struct change *c = arg;
	struct sm_access a;
	int r;

	if ((r = lock_visible(db, c, &a)) != 0)
		return r;
	if (c->p.author_id != c->caller)
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "UPDATE posts SET title = COALESCE(?, title),"
	    " body = COALESCE(?, body), updated_at = CURRENT_TIMESTAMP(3), version = version + 1"
	    " WHERE id = ?", "ssi", c->title, c->body, c->id) != 0)
		return -1;
	if (post_get(db, c->id, 0, &c->p) != 0)
		return -1;
	return post_event_add(db, "post-updated", &c->p, c->request_id);
}

int
store_update(struct sm_db *db, long long id, long long caller, const char *title,
    const char *body, const char *request_id, json_object **out)
{
	struct change c = { .id = id, .caller = caller, .title = title, .body = body,
	    .request_id = request_id };

	return run(db, update_tx, &c, out);
}

static int
delete_tx(struct sm_db *db, void *arg)
{
	struct change *c = arg;
	struct sm_access a;
	int r;

	if ((r = lock_visible(db, c, &a)) != 0)
		return r;
	if (c->p.author_id != c->caller && !SM_IS_MODERATOR(&a))
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "UPDATE posts SET deleted = 1, version = version + 1"
	    " WHERE id = ?", "i", c->id) != 0)
		return -1;
	c->p.version++;
	return post_event_add(db, "post-deleted", &c->p, c->request_id);
}

int
store_delete(struct sm_db *db, long long id, long long caller, const char *request_id)
{
	struct change c = { .id = id, .caller = caller, .request_id = request_id };

	return run(db, delete_tx, &c, NULL);
}

int
store_community_deleted(struct sm_db *db, long long community_id, const char *request_id)
{
	struct post *posts = NULL;
	struct sm_rows *rows;
	size_t n = 0, cap = 0, i;
	int r, rc = -1;

	if (sm_db_exec(db, &rows, "SELECT id, author_id, version FROM posts"
	    " WHERE community_id = ? AND deleted = 0 FOR UPDATE", "i", community_id) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			posts = sm_xrealloc(posts, cap * sizeof(*posts));
		}
		memset(&posts[n], 0, sizeof(posts[n]));
		posts[n].id = sm_rows_int(rows, 0);
		posts[n].community_id = community_id;
		posts[n].author_id = sm_rows_int(rows, 1);
		posts[n].version = sm_rows_int(rows, 2) + 1;
		n++;
	}
	sm_rows_free(rows);
	if (r == 0 && (n == 0 || sm_db_exec(db, NULL, "UPDATE posts SET deleted = 1,"
	    " version = version + 1 WHERE community_id = ? AND deleted = 0", "i",
	    community_id) == 0)) {
		for (i = 0; i < n && post_event_add(db, "post-deleted", &posts[i], request_id) == 0; i++)
			;
		rc = i == n ? 0 : -1;
	}
	free(posts);
	return rc;
}

/*
 * The owners' exact counts with their per-post seqs (v1.event.comment-* and
 * like-changed): a count lands only with a seq above the row's, so duplicates
 * and reorderings change nothing.  MariaDB assigns left to right, each SET
 * seeing the ones before it: the count first, while the seq is the old one.
 */
int
store_comment_count(struct sm_db *db, long long id, long long count, long long seq)
{
	return sm_db_exec(db, NULL, "UPDATE posts SET"
	    " comment_count = IF(? > comment_seq, ?, comment_count),"
	    " comment_seq = GREATEST(comment_seq, ?) WHERE id = ?", "iiii", seq, count, seq, id);
}

int
store_like_count(struct sm_db *db, long long id, long long count, long long seq)
{
	return sm_db_exec(db, NULL, "UPDATE posts SET"
	    " like_count = IF(? > like_seq, ?, like_count),"
	    " like_seq = GREATEST(like_seq, ?) WHERE id = ?", "iiii", seq, count, seq, id);
}
