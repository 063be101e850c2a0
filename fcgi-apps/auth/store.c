/*
 * store.c -- the auth server's SQL (see store.h).
 *
 * Connections run with time_zone = '+00:00'; expiry is compared with NOW() on
 * the server, so the clocks of the FastCGI hosts do not matter.
 */
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int
store_account_create(struct sm_db *db, const char *subject, const char *email,
    const char *password_hash, const char *name)
{
	if (sm_db_exec(db, NULL, "INSERT INTO accounts (subject, email, password_hash, name)"
	    " VALUES (?, ?, ?, ?)", "ssss", subject, email, password_hash, name) != 0)
		return sm_db_errno(db) == 1062 ? STORE_DUPLICATE : -1;
	return 0;
}

int
store_account_credentials(struct sm_db *db, const char *email, long long *id, char *hash,
    size_t hashlen)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT id, password_hash FROM accounts WHERE email = ?",
	    "s", email) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*id = sm_rows_int(rows, 0);
		snprintf(hash, hashlen, "%s", sm_rows_str(rows, 1));
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

int
store_set_password_hash(struct sm_db *db, long long id, const char *hash)
{
	return sm_db_exec(db, NULL, "UPDATE accounts SET password_hash = ? WHERE id = ?", "si",
	    hash, id);
}

int
store_account_get(struct sm_db *db, struct sm_pool *pool, long long id, struct account *out)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT id, subject, email, name FROM accounts WHERE id = ?",
	    "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		out->id = sm_rows_int(rows, 0);
		out->subject = sm_pool_strdup(pool, sm_rows_str(rows, 1));
		out->email = sm_pool_strdup(pool, sm_rows_str(rows, 2));
		out->name = sm_pool_strdup(pool, sm_rows_str(rows, 3));
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

int
store_session_insert(struct sm_db *db, const char *token_hash, long long account_id,
    long long ttl)
{
	/* Expired sessions of anyone go a few at a time, so the table does not grow. */
	if (sm_db_exec(db, NULL, "DELETE FROM sessions WHERE expires_at < NOW() LIMIT 10",
	    "") != 0)
		return -1;
	return sm_db_exec(db, NULL, "INSERT INTO sessions (token_hash, account_id, expires_at)"
	    " VALUES (?, ?, NOW() + INTERVAL ? SECOND)", "sii", token_hash, account_id, ttl);
}

int
store_session_account(struct sm_db *db, const char *token_hash, long long *account_id)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT account_id FROM sessions"
	    " WHERE token_hash = ? AND expires_at > NOW()", "s", token_hash) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*account_id = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

int
store_session_delete(struct sm_db *db, const char *token_hash)
{
	return sm_db_exec(db, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s",
	    token_hash);
}

int
store_code_insert(struct sm_db *db, const char *code_hash, long long account_id,
    const char *client_id, const char *redirect_uri, const char *challenge, long long ttl)
{
	if (sm_db_exec(db, NULL, "DELETE FROM codes WHERE expires_at < NOW(3) - INTERVAL 1 HOUR"
	    " LIMIT 10", "") != 0)
		return -1;
	return sm_db_exec(db, NULL, "INSERT INTO codes (code_hash, account_id, client_id,"
	    " redirect_uri, challenge, expires_at) VALUES (?, ?, ?, ?, ?,"
	    " NOW(3) + INTERVAL ? SECOND)", "sisssi", code_hash, account_id, client_id,
	    redirect_uri, challenge, ttl);
}

/* RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge. */
static int
verifier_matches(const char *verifier, const char *challenge)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char b64[48];

	crypto_hash_sha256(digest, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(b64, sizeof(b64), digest, sizeof(digest),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(challenge) == 43 && sodium_memcmp(b64, challenge, 43) == 0;
}

static int
exchange_tx(struct sm_db *db, void *arg)
{
	struct exchange *x = arg;
	struct sm_rows *rows;
	char client[80], redirect[512], challenge[48];
	int r, expired, used;

	if (sm_db_exec(db, &rows, "SELECT account_id, client_id, redirect_uri, challenge,"
	    " expires_at <= NOW(3), used_at IS NOT NULL FROM codes WHERE code_hash = ?"
	    " FOR UPDATE", "s", x->code_hash) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) != 1) {
		sm_rows_free(rows);
		if (r < 0)
			return -1;
		x->outcome = EXCHANGE_UNKNOWN;
		return 0;
	}
	x->account_id = sm_rows_int(rows, 0);
	snprintf(client, sizeof(client), "%s", sm_rows_str(rows, 1));
	snprintf(redirect, sizeof(redirect), "%s", sm_rows_str(rows, 2));
	snprintf(challenge, sizeof(challenge), "%s", sm_rows_str(rows, 3));
	expired = sm_rows_int(rows, 4) != 0;
	used = sm_rows_int(rows, 5) != 0;
	sm_rows_free(rows);
	if (used) {
		/* RFC 6749 §4.1.2: a code used twice revokes what it issued. */
		x->outcome = EXCHANGE_REUSED;
		return sm_db_exec(db, NULL, "UPDATE access_tokens SET revoked_at = NOW(3)"
		    " WHERE code_hash = ? AND revoked_at IS NULL", "s", x->code_hash);
	}
	if (sm_db_exec(db, NULL, "UPDATE codes SET used_at = NOW(3) WHERE code_hash = ?", "s",
	    x->code_hash) != 0)
		return -1;
	if (expired)
		x->outcome = EXCHANGE_EXPIRED;
	else if (strcmp(client, x->client_id) != 0)
		x->outcome = EXCHANGE_CLIENT;
	else if (strcmp(redirect, x->redirect_uri) != 0)
		x->outcome = EXCHANGE_REDIRECT;
	else if (!verifier_matches(x->verifier, challenge))
		x->outcome = EXCHANGE_VERIFIER;
	else
		x->outcome = EXCHANGE_OK;
	if (x->outcome != EXCHANGE_OK)
		return 0;
	/* Rows of tokens long expired serve no check any more; a few go each time. */
	if (sm_db_exec(db, NULL, "DELETE FROM access_tokens WHERE expires_at < NOW() - INTERVAL 1 HOUR"
	    " LIMIT 10", "") != 0)
		return -1;
	return sm_db_exec(db, NULL, "INSERT INTO access_tokens (jti, code_hash, account_id,"
	    " expires_at) VALUES (?, ?, ?, NOW() + INTERVAL ? SECOND)", "ssii", x->jti,
	    x->code_hash, x->account_id, x->token_ttl);
}

int
store_code_exchange(struct sm_db *db, struct exchange *x)
{
	return sm_db_tx(db, exchange_tx, x);
}

int
store_token_account(struct sm_db *db, const char *jti, long long *account_id)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT account_id FROM access_tokens WHERE jti = ?"
	    " AND revoked_at IS NULL AND expires_at > NOW()", "s", jti) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*account_id = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}
