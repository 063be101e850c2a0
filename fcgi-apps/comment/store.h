/*
 * store.h -- the comment service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive STORE_* code for a business outcome
 * the handler turns into its own status.  JSON objects handed out belong to
 * the caller (json_object_put, or pass them on to sm_reply_json).
 */
#ifndef STORE_H
#define STORE_H

#include "comment.h"

enum {
	STORE_NOT_FOUND = 1,    /* no such post (or comment), or it was deleted */
	STORE_FORBIDDEN = 2,    /* the caller may not do this */
	STORE_PRIVATE = 3,      /* a private community's post, the caller no member */
};

/*
 * Adds caller's comment body to post id: the comment row, the post's
 * comment_count and seq + 1 and v1.event.comment-created, in one transaction.
 * Members only (STORE_FORBIDDEN); STORE_NOT_FOUND for an unknown or deleted
 * post.  *out: the new `comment`.
 */
int store_comment_add(struct sm_db *db, long long id, long long caller, const char *body,
    const char *request_id, json_object **out);

/*
 * Deletes comment id if caller wrote it or moderates its community
 * (STORE_FORBIDDEN otherwise), with comment_count - 1, seq + 1 and
 * v1.event.comment-deleted.  STORE_NOT_FOUND for an unknown comment.
 */
int store_comment_delete(struct sm_db *db, long long id, long long caller,
    const char *request_id);

/*
 * The comments of post id, oldest first, with ids above after (-1: from the
 * first), at most limit; *next the cursor of the last one when there may be
 * more, else -1.  STORE_NOT_FOUND; STORE_PRIVATE when caller may not read
 * the community.
 */
int store_comments(struct sm_db *db, long long id, long long caller, long long after,
    long long limit, json_object **items, long long *next);

#endif
