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
#include "libboard.h"


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


#endif
