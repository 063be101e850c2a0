/*
 * store.h -- the member service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive STORE_* code for a business outcome
 * the handler turns into its own status.  JSON objects handed out belong to
 * the caller (json_object_put, or pass them on to sm_reply_json).
 */
#ifndef STORE_H
#define STORE_H

#include "member.h"

enum {
	STORE_NOT_FOUND = 1,    /* no such community (in this service's copy) */
	STORE_ALREADY = 2,      /* already a member */
	STORE_FULL = 3,         /* member_count has reached max_members */
	STORE_OWNER = 4,        /* the owner cannot leave / have its role changed */
	STORE_FORBIDDEN = 5,
	STORE_NO_MEMBER = 6,    /* the community exists, the member does not */
};

/*
 * Joins user_id to community id as a member: the member row, member_count + 1
 * while below max_members, v1.event.member-joined, in one transaction.
 * *out: the new `member`.  STORE_NOT_FOUND, STORE_ALREADY, STORE_FULL.
 */
int store_join(struct sm_db *db, long long id, long long user_id, const char *request_id,
    json_object **out);

/*
 * Removes user_id from community id: member_count - 1, v1.event.member-left.
 * *left is 0 when the user was no member (nothing changed).  STORE_NOT_FOUND,
 * STORE_OWNER.
 */
int store_leave(struct sm_db *db, long long id, long long user_id, const char *request_id,
    int *left);
/* The same inside the caller's open transaction (somoim-member-events, on user-deleted). */
int store_leave_in_tx(struct sm_db *db, long long id, long long user_id,
    const char *request_id, int *left);

/*
 * The members of community id, owner first, then admins, then members, each
 * group in join order, from after (a list cursor, -1: the top), at most
 * limit; *next the cursor of the last one when there may be more, else -1.
 * STORE_NOT_FOUND; STORE_FORBIDDEN when the community is private and caller
 * is not a member.
 */
int store_members(struct sm_db *db, long long id, long long caller, long long after,
    long long limit, json_object **items, long long *next);

/*
 * Sets member target's role ("admin" or "member") if caller owns community
 * id (else STORE_FORBIDDEN); STORE_NO_MEMBER, STORE_OWNER (target is the
 * owner), STORE_NOT_FOUND.  Emits v1.event.member-updated when the role
 * changed.  *out: the `member` as it is now.
 */
int store_set_role(struct sm_db *db, long long id, long long caller, long long target,
    const char *role, const char *request_id, json_object **out);

/* The communities user_id belongs to, newest join first (join ids below after). */
int store_my_communities(struct sm_db *db, long long user_id, long long after,
    long long limit, json_object **items, long long *next);

#endif
