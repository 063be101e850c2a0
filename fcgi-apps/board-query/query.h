/*
 * query.h -- somoim-board-query, the read side of the board (CQRS): the post
 * list of a community and one post, served from the read model posts_view
 * (sql/board_query/) that somoim-board-projector builds from events.
 *
 * The one design decision: a read is one indexed query on one denormalized
 * table (author name and image, like_count and comment_count are in the row,
 * and so is the post's JSON text), together with the access check on this
 * schema's own copies -- no call to another service, no N+1, no JSON built.  Reads trail writes by the events' way through the
 * outbox, Kafka and the projector (normally well under a second).
 *
 * Its stack name is "board-query" (nginx upstream, fcgi-apps/board-query/
 * somoim-board-query, sockets board-query-N.sock); its service name, and so
 * its config section and schema, is "board_query" (schema names are
 * [a-z0-9_]).
 */
#ifndef QUERY_H
#define QUERY_H

#include "sm_app.h"

enum {
	QUERY_NOT_FOUND = 1,
	QUERY_FORBIDDEN = 2,
};

/* Handlers (posts.c). */
sm_handler posts_list, posts_get;

struct sm_pool;

/*
 * The page of community_id's posts newest first, ids below after (-1: the
 * top), at most limit: *json (pool memory, *len bytes) is the answer up to
 * and including "next_cursor": -- the caller appends the cursor and "}";
 * *next is the cursor position when there may be more, else -1.
 * QUERY_NOT_FOUND (no such community), QUERY_FORBIDDEN (private and caller
 * is not a member).
 */
int query_list(struct sm_db *db, struct sm_pool *pool, long long community_id,
    long long caller, long long after, long long limit, const char **json, size_t *len,
    long long *next);

/*
 * Post id as `post` JSON text into *json (pool memory, *len bytes);
 * QUERY_NOT_FOUND also when the caller may not read it.
 */
int query_get(struct sm_db *db, struct sm_pool *pool, long long id, long long caller,
    const char **json, size_t *len);

#endif
