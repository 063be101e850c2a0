/*
 * store.h -- the auth server's SQL (schema somoim_auth), kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * 503 or 500 through sm_reply_db_error or its OAuth twin), or a positive
 * STORE_* code for an outcome the handler turns into its own answer.
 * Strings handed back are copies in the given pool.
 */
#ifndef AUTH_STORE_H
#define AUTH_STORE_H

#include "auth.h"

enum {
	STORE_NOT_FOUND = 1,
	STORE_DUPLICATE = 2,
};

struct account {
	long long id;
	const char *subject, *email, *name;
};

int store_account_create(struct sm_db *db, const char *subject, const char *email,
    const char *password_hash, const char *name);
int store_account_credentials(struct sm_db *db, const char *email, long long *id,
    char *hash, size_t hashlen);
int store_set_password_hash(struct sm_db *db, long long id, const char *hash);
int store_account_get(struct sm_db *db, struct sm_pool *pool, long long id,
    struct account *out);

int store_session_insert(struct sm_db *db, const char *token_hash, long long account_id,
    long long ttl);
int store_session_account(struct sm_db *db, const char *token_hash, long long *account_id);
int store_session_delete(struct sm_db *db, const char *token_hash);

int store_code_insert(struct sm_db *db, const char *code_hash, long long account_id,
    const char *client_id, const char *redirect_uri, const char *challenge, long long ttl);

/* What presenting a code at the token endpoint came to (store_code_exchange). */
enum exchange_outcome {
	EXCHANGE_OK,
	EXCHANGE_UNKNOWN,       /* no such code */
	EXCHANGE_REUSED,        /* used before: what it issued is now revoked */
	EXCHANGE_EXPIRED,
	EXCHANGE_CLIENT,        /* issued to another client */
	EXCHANGE_REDIRECT,      /* issued for another redirect URI */
	EXCHANGE_VERIFIER,      /* the code_verifier does not match the challenge */
};

struct exchange {
	/* in */
	const char *code_hash, *client_id, *redirect_uri, *verifier;
	const char *jti;
	long long token_ttl;
	/* out */
	enum exchange_outcome outcome;
	long long account_id;
};

/*
 * One transaction: the code row is locked and marked used whatever comes of
 * it (a code is good for one try); a code used before revokes the access
 * tokens its first exchange issued; on EXCHANGE_OK the new token's jti is
 * recorded against the code.  0 with x->outcome set, or -1.
 */
int store_code_exchange(struct sm_db *db, struct exchange *x);

/* Is this access token (jti) issued, unrevoked and unexpired?  0 with its account,
 * STORE_NOT_FOUND otherwise. */
int store_token_account(struct sm_db *db, const char *jti, long long *account_id);

#endif
