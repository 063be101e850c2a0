/*
 * store.h -- the user service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive SM_STORE_* code for a business
 * outcome the handler turns into its own status.
 */
#ifndef STORE_H
#define STORE_H

#include "user.h"

enum {
	STORE_NOT_FOUND = 1,
	STORE_DUPLICATE = 2,
	STORE_REVOKED = 3,
	STORE_REUSED = 4,
	STORE_OWNER = 5,        /* the account still owns a community */
	STORE_LINKED = 6,       /* the auth server's subject is linked already */
};


/*
 * A new account and its v1.event.user-signed-up outbox row (request_id: the
 * HTTP request, for the event's X-Request-Id header): *user_id set.
 */
int store_create_user(struct sm_db *db, const struct profile *p, const char *password_hash,
    const char *request_id, long long *user_id);

/*
 * An account made by an OAuth sign-up: store_create_user() plus, in the same
 * transaction, the signup token's jti (a second use: STORE_REUSED) and the
 * link to the auth server's subject (already linked: STORE_LINKED).
 */
int store_create_oauth_user(struct sm_db *db, const struct profile *p,
    const char *password_hash, const char *request_id, const char *subject,
    const char *jti, long long *user_id);
/* The account linked to the auth server's subject: STORE_NOT_FOUND when none. */
int store_oauth_user(struct sm_db *db, const char *subject, long long *user_id);

/* The user as docs/openapi.yaml's `User` object (with email when with_email). */
int store_user_json(struct sm_db *db, long long id, int with_email, json_object **out);

/* Password hash for an email: STORE_NOT_FOUND when there is no account. */
int store_credentials(struct sm_db *db, const char *email, long long *user_id,
    char *hash, size_t hashlen);
int store_set_password_hash(struct sm_db *db, long long user_id, const char *hash);

int store_email_exists(struct sm_db *db, const char *email, int *exists);

/*
 * Profile changes.  A NULL field in `set` is left alone unless its bit is in
 * `clear`; interests are replaced when ninterests > 0.  When a field really
 * changes, users.version goes up by one and a v1.event.user-updated outbox
 * row (data.changed names the fields) commits with it; *changed is the number
 * of changed fields (0: nothing written).  STORE_NOT_FOUND: no such user.
 */
int store_update_profile(struct sm_db *db, long long id, const struct profile *set,
    unsigned clear, const char *request_id, int *changed);

/* Refresh tokens: the hash of a new token in a new (family NULL) or given family. */
int store_token_insert(struct sm_db *db, long long user_id, const char *family,
    const char *token_hash, long long ttl);
/*
 * Rotation: marks the token used and inserts next_hash in its family.  A token
 * used before revokes its whole family (STORE_REUSED, and that is committed);
 * unknown, revoked or expired tokens give STORE_REVOKED.
 */
int store_token_rotate(struct sm_db *db, const char *token_hash, const char *next_hash,
    long long ttl, long long *user_id);
/* Revokes the family of the token if it belongs to user_id. */
int store_token_revoke(struct sm_db *db, long long user_id, const char *token_hash);

/* code/name pairs in display order, as a JSON array. */
int store_interests(struct sm_db *db, json_object **out);

/* store_deletion.c: leaving the platform. */

/* The email and password hash of user_id: STORE_NOT_FOUND when there is none. */
int store_deletion_credentials(struct sm_db *db, long long user_id, char *email,
    size_t emaillen, char *hash, size_t hashlen);
/*
 * Deletes user_id's account (profile, interests, every refresh token, this
 * schema's outbox rows about it) and adds v1.event.user-deleted {user_id,
 * version}, in one transaction.  STORE_OWNER when this schema's copy says the
 * user owns a live community: *owned is [{id, name}] (the caller's).
 * STORE_NOT_FOUND.
 */
int store_delete_user(struct sm_db *db, long long user_id, const char *request_id,
    json_object **owned);

#endif
