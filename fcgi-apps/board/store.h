/*
 * store.h -- the board service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive STORE_* code for a business outcome
 * the handler turns into its own status.  JSON objects handed out belong to
 * the caller.
 */
#ifndef BOARD_STORE_H
#define BOARD_STORE_H

#include "board.h"

enum {
	STORE_NOT_FOUND = 1,    /* no such post (or deleted, or hidden from the caller) */
	STORE_FORBIDDEN = 2,
	STORE_NO_COMMUNITY = 3, /* no such community (in this service's copy) */
};

/*
 * A new post by author_id in community_id (the caller must be a member:
 * STORE_FORBIDDEN otherwise, STORE_NO_COMMUNITY for an unknown one), its
 * v1.event.post-created in the same transaction.  *out: the `post`.
 */
int store_create(struct sm_db *db, long long community_id, long long author_id,
    const char *title, const char *body, const char *request_id, json_object **out);

/*
 * Sets title and/or body (NULL: unchanged) of post id if caller wrote it;
 * version + 1 and v1.event.post-updated.  STORE_NOT_FOUND (also when the
 * caller may not read its community), STORE_FORBIDDEN (not the author).
 * *out: the `post` with zero counts (the caller fills them in).
 */
int store_update(struct sm_db *db, long long id, long long caller, const char *title,
    const char *body, const char *request_id, json_object **out);

/*
 * Deletes post id (a tombstone, version + 1, v1.event.post-deleted) if caller
 * wrote it or moderates its community.  STORE_NOT_FOUND, STORE_FORBIDDEN.
 */
int store_delete(struct sm_db *db, long long id, long long caller, const char *request_id);

/*
 * Within the caller's transaction (somoim-board-events, on
 * v1.event.community-deleted): every live post of community_id becomes a
 * tombstone (version + 1) with its v1.event.post-deleted, so its comments,
 * likes and read-model row go the way one deleted post's go.
 */
int store_community_deleted(struct sm_db *db, long long community_id, const char *request_id);

/*
 * Within the caller's transaction (somoim-board-events): post id's
 * comment_count / like_count becomes count if seq is above the one it holds
 * (a post the board does not have changes nothing).  0 or -1.
 */
int store_comment_count(struct sm_db *db, long long id, long long count, long long seq);
int store_like_count(struct sm_db *db, long long id, long long count, long long seq);

#endif
