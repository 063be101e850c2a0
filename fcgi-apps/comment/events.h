/*
 * events.h -- v1.event.comment-created / comment-deleted, added to the comment
 * schema's outbox inside the transaction that made the change.
 */
#ifndef COMMENT_EVENTS_H
#define COMMENT_EVENTS_H

#include <json-c/json.h>
#include <stddef.h>

#define EXCERPT_CHARS 100      /* comment-created's excerpt: the first 100 characters */

struct sm_db;

/* What a comment event says about its post, read under the post row's lock. */
struct post_state {
	long long id, community_id, author_id, comment_count, seq;
	char title[2048];     /* VARCHAR(500) of utf8mb4 fits */
};

/*
 * comment-created for comment c (a `comment` object: id, author {id, name},
 * body, created_at) on post p.  Key: the post id.  Returns 0 or -1.
 */
int comment_created_add(struct sm_db *db, const struct post_state *p, json_object *c,
    const char *request_id);

/* comment-deleted for comment id on post p.  Returns 0 or -1. */
int comment_deleted_add(struct sm_db *db, const struct post_state *p, long long id,
    const char *request_id);

/* The length in bytes of s's first max_chars characters (s valid UTF-8). */
size_t utf8_prefix(const char *s, size_t max_chars);

#endif
