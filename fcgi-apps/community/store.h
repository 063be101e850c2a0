/*
 * store.h -- the community service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive STORE_* code for a business outcome
 * the handler turns into its own status.  JSON objects handed out belong to
 * the caller (json_object_put, or pass them on to sm_reply_json).
 */
#ifndef STORE_H
#define STORE_H

#include "community.h"

enum {
	STORE_NOT_FOUND = 1,
	STORE_FORBIDDEN = 2,
	STORE_TOO_SMALL = 3,    /* max_members below the current member_count */
	STORE_BAD_INTEREST = 4, /* the interest code is not in the catalogue */
	STORE_DEPARTED = 5,     /* the account was deleted (departed_users) */
};

/* 1 when code is in the interest catalogue, 0 when not. */
int store_interest_known(struct sm_db *db, const char *code, int *known);

/*
 * A new community owned by owner_id, its owner's membership row and its
 * v1.event.community-created, in one transaction.  *out: the community.
 * STORE_DEPARTED when owner_id's account was deleted (see departed_users).
 */
int store_create(struct sm_db *db, const struct community_input *in, long long owner_id,
    const char *request_id, json_object **out);

/*
 * The community as `community`, or only {id, name, interest, region,
 * member_count, is_private} when it is private and caller (0: anonymous) is
 * neither its owner nor a member.  STORE_NOT_FOUND when there is none.
 */
int store_get(struct sm_db *db, long long id, long long caller, json_object **out);

/*
 * Newest first, ids below after (-1: from the top), at most limit; *items
 * is an array, *next the last id when there may be more, else -1.
 */
/*
 * The communities whose ids the JSON array text ids lists, in that order, as
 * caller sees them (a list page's items); ids no longer there are left out.
 * 0 or -1.
 */
int store_by_ids(struct sm_db *db, long long caller, const char *ids, json_object **items);

int store_list(struct sm_db *db, const struct community_filter *flt, long long after,
    long long limit, json_object **items, long long *next);

/* The caller's recommendations, ranked, from offset; *next the next offset or -1. */
int store_recommended(struct sm_db *db, long long caller, long long offset, long long limit,
    json_object **items, long long *next);

/*
 * Changes the given fields if caller is the owner or an admin (else
 * STORE_FORBIDDEN); STORE_TOO_SMALL when max_members < member_count (*count
 * is the current member_count), STORE_NOT_FOUND.  Emits community-updated.
 */
int store_update(struct sm_db *db, long long id, long long caller,
    const struct community_input *set, const char *request_id, long long *count,
    json_object **out);

/* Deletes if caller is the owner (else STORE_FORBIDDEN); emits community-deleted. */
int store_delete(struct sm_db *db, long long id, long long caller, const char *request_id);
/* The same inside the caller's open transaction (somoim-community-events). */
int store_delete_in_tx(struct sm_db *db, long long id, long long caller,
    const char *request_id);

/* Wishlist: add is idempotent (STORE_NOT_FOUND for no such community); so is remove. */
int store_wish_add(struct sm_db *db, long long user_id, long long community_id);
int store_wish_remove(struct sm_db *db, long long user_id, long long community_id);
/* The user's wishes, newest first, wish ids below after (-1: from the top). */
int store_wishlist(struct sm_db *db, long long user_id, long long after, long long limit,
    json_object **items, long long *next);

/* The full community row as the events' data (also the deleted event's snapshot). */
int store_event_data(struct sm_db *db, long long id, json_object **out);

#endif
