/*
 * store.h -- the like service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive STORE_* code.
 */
#ifndef STORE_H
#define STORE_H

#include "like.h"

enum {
	STORE_NOT_FOUND = 1,    /* no such target (or it was deleted) */
	STORE_FORBIDDEN = 2,    /* a private community's target, the caller no member */
};

/*
 * Sets whether user_id likes target (type "post" or "photo", id): liked 1
 * inserts the like row, 0 deletes it; when a row changed, like_count and seq
 * move by one and v1.event.like-changed goes to the outbox, in one
 * transaction.  *changed says whether anything changed, *like_count the
 * target's count afterwards.  STORE_NOT_FOUND, STORE_FORBIDDEN.
 */
int store_like_set(struct sm_db *db, const char *type, long long id, long long user_id,
    int liked, const char *request_id, int *changed, long long *like_count);

/*
 * Inside the caller's open transaction (somoim-like-events, on user-deleted):
 * removes every like of user_id, each target locked in (type, id) order as a
 * DELETE /likes would lock it, its like_count and seq moved by one and its
 * like-changed added, so the counts stay exact and the read model follows.
 * Likes of deleted targets just go.  *removed: how many.  Returns 0 or -1.
 */
int store_unlike_all_in_tx(struct sm_db *db, long long user_id, const char *request_id,
    long long *removed);

#endif
