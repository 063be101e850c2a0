/*
 * oauth.c -- POST /api/v1/auth/oauth/callback and /complete (see oauth.h).
 *
 * The callback exchanges the browser's code with the auth server (server to
 * server, oauth_client.c) and looks the subject up in oauth_links: linked, it
 * answers with our own token pair; not yet, it answers with a signup_token,
 * and `complete` makes the account from it.
 *
 * The signup_token is ours alone: base64url(JSON {sub, email, name, jti, exp})
 * "." base64url(HMAC-SHA256), keyed by a key derived from [jwt] secret with a
 * label of its own, so it can never pass as an access token (or the other way
 * round).  It lasts [oauth_client] signup_ttl seconds (600) and makes at most
 * one account: its jti is stored in the same transaction as the account.
 */
#include "oauth.h"
#include "store.h"
#include "sm_outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SIGNUP_PREFIX "st1."
#define MAX_SIGNUP_TOKEN 2048

static void
signup_key(struct sm_app *app, unsigned char key[crypto_auth_hmacsha256_KEYBYTES])
{
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"somoim signup_token v1", 23);
	crypto_hash_sha256_update(&h, app->jwt.secret, app->jwt.secret_len);
	crypto_hash_sha256_final(&h, key);
}

static char *
b64url(struct sm_pool *pool, const void *bin, size_t len)
{
	size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = sm_pool_alloc(pool, n);

	return sodium_bin2base64(out, n, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static const char *
signup_token(struct sm_req *req, const struct oauth_identity *id, long long ttl)
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	json_object *o = json_object_new_object();
	char jti[32];
	const char *payload, *p64;

	sm_random_token(jti, sizeof(jti), 16);
	json_object_object_add(o, "sub", json_object_new_string(id->subject));
	json_object_object_add(o, "email", json_object_new_string(id->email));
	json_object_object_add(o, "name", json_object_new_string(id->name));
	json_object_object_add(o, "jti", json_object_new_string(jti));
	json_object_object_add(o, "exp", json_object_new_int64((long long)time(NULL) + ttl));
	payload = sm_pool_strdup(req->pool, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	p64 = b64url(req->pool, payload, strlen(payload));
	signup_key(req->app, key);
	crypto_auth_hmacsha256(mac, (const unsigned char *)p64, strlen(p64), key);
	sodium_memzero(key, sizeof(key));
	return sm_pool_printf(req->pool, SIGNUP_PREFIX "%s.%s", p64,
	    b64url(req->pool, mac, sizeof(mac)));
}

struct signup_claims {
	const char *subject, *email, *name, *jti;
};

static const char *
claim(struct sm_req *req, json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return sm_pool_strdup(req->pool, json_object_get_string(v));
}

/* 0 with the claims when token is ours, intact and unexpired; -1 otherwise. */
static int
signup_token_verify(struct sm_req *req, const char *token, struct signup_claims *c)
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	unsigned char payload[MAX_SIGNUP_TOKEN];
	const char *p64, *dot;
	size_t mlen, plen;
	json_object *o, *exp;
	int ok;

	if (strlen(token) > MAX_SIGNUP_TOKEN || strncmp(token, SIGNUP_PREFIX, 4) != 0)
		return -1;
	p64 = token + 4;
	if ((dot = strchr(p64, '.')) == NULL ||
	    sodium_base642bin(mac, sizeof(mac), dot + 1, strlen(dot + 1), NULL, &mlen, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || mlen != sizeof(mac))
		return -1;
	signup_key(req->app, key);
	ok = crypto_auth_hmacsha256_verify(mac, (const unsigned char *)p64, (size_t)(dot - p64),
	    key) == 0;
	sodium_memzero(key, sizeof(key));
	if (!ok || sodium_base642bin(payload, sizeof(payload) - 1, p64, (size_t)(dot - p64),
	    NULL, &plen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	payload[plen] = '\0';
	if ((o = sm_json_parse((const char *)payload, plen)) == NULL)
		return -1;
	ok = json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "exp", &exp) && json_object_is_type(exp, json_type_int) &&
	    json_object_get_int64(exp) > (long long)time(NULL) &&
	    (c->subject = claim(req, o, "sub")) != NULL &&
	    (c->email = claim(req, o, "email")) != NULL &&
	    (c->name = claim(req, o, "name")) != NULL &&
	    (c->jti = claim(req, o, "jti")) != NULL;
	json_object_put(o);
	return ok ? 0 : -1;
}

static int
valid_verifier(const char *v)
{
	size_t n = strlen(v);

	return n >= 43 && n <= 128 && strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~") == n;
}

void
auth_oauth_callback(struct sm_req *req)
{
	const char *code, *verifier, *redirect_uri, *ours;
	struct oauth_identity id = { 0 };
	long long ttl, user_id;
	json_object *body, *o;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	ours = sm_conf_get(req->app->conf, "oauth_client", "redirect_uri", "");
	sm_form_init(&f, req, body);
	sm_form_string(&f, "code", SM_REQUIRED, 1, 256, &code);
	if (sm_form_string(&f, "code_verifier", SM_REQUIRED, 43, 128, &verifier) == 1 &&
	    !valid_verifier(verifier))
		sm_form_invalid(&f, "code_verifier", "must be 43 to 128 of A-Z a-z 0-9 - . _ ~");
	sm_form_string(&f, "redirect_uri", SM_REQUIRED, 1, 500, &redirect_uri);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	/*
	 * A refused grant is a bad credential, like a wrong password: 401.  A
	 * redirect URI not ours can never match a code we asked for; no need to ask.
	 */
	if (strcmp(redirect_uri, ours) != 0) {
		sm_reply_error(req, 401, "INVALID_GRANT",
		    "redirect_uri is not this service's registered redirect URI");
		return;
	}
	if (sm_conf_int(req->app->conf, "oauth_client", "signup_ttl", 600, 30, 3600, &ttl) != 0)
		ttl = 600;
	switch (oauth_exchange(req, code, verifier, redirect_uri, &id)) {
	case OAUTH_OK:
		break;
	case OAUTH_REJECTED:
		sm_reply_error(req, 401, "INVALID_GRANT",
		    "the auth server refused the code (unknown, used, expired, or the verifier "
		    "does not match)");
		return;
	case OAUTH_UNAVAILABLE:
		sm_reply_error(req, 503, "UNAVAILABLE",
		    "the auth server is unavailable; nothing was changed, try again");
		return;
	}
	if ((r = store_oauth_user(req->app->db, id.subject, &user_id)) < 0) {
		sm_reply_db_error(req);
		return;
	}
	if (r == 0) {
		sm_log(SM_LOG_INFO, "oauth sign-in: user %lld", user_id);
		auth_session_reply(req, 200, user_id, 1);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "registered", json_object_new_boolean(0));
	json_object_object_add(o, "signup_token",
	    json_object_new_string(signup_token(req, &id, ttl)));
	json_object_object_add(o, "email", json_object_new_string(id.email));
	json_object_object_add(o, "name", json_object_new_string(id.name));
	json_object_object_add(o, "expires_in", json_object_new_int64(ttl));
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_json(req, 200, o);
}

void
auth_oauth_complete(struct sm_req *req)
{
	char hash[SM_PASSWORD_HASH_MAX];
	struct signup_claims c;
	struct profile p = { 0 };
	const char *token, *password;
	json_object *body;
	struct sm_form f;
	unsigned clear = 0;
	long long id;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	sm_form_string(&f, "signup_token", SM_REQUIRED, 1, MAX_SIGNUP_TOKEN, &token);
	sm_form_string(&f, "password", SM_REQUIRED, 8, 128, &password);
	if ((p.ninterests = form_interests(&f, SM_REQUIRED, p.interests)) == INTERESTS_UNAVAILABLE) {
		sm_reply_db_error(req);
		return;
	}
	profile_fields(&f, &p, &clear);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	if (signup_token_verify(req, token, &c) != 0) {
		sm_reply_error(req, 401, "UNAUTHORIZED",
		    "the signup_token is not valid or has expired; sign in again");
		return;
	}
	p.email = lowercase(sm_pool_strdup(req->pool, c.email));
	p.name = c.name;
	if (sm_password_hash(password, hash) != 0) {
		sm_reply_error(req, 503, "UNAVAILABLE", "could not hash the password; try again");
		return;
	}
	r = store_create_oauth_user(req->app->db, &p, hash, req->request_id, c.subject, c.jti,
	    &id);
	switch (r) {
	case 0:
		break;
	case STORE_DUPLICATE:
		sm_reply_error(req, 409, "EMAIL_TAKEN", "an account with this email exists");
		return;
	case STORE_REUSED:
		sm_reply_error(req, 401, "UNAUTHORIZED", "this signup_token was already used");
		return;
	case STORE_LINKED:
		sm_reply_error(req, 409, "CONFLICT",
		    "an account is already linked to this auth server account; sign in again");
		return;
	default:
		sm_reply_db_error(req);
		return;
	}
	sm_outbox_wake(req->app->redis, "user");       /* the event committed with the user */
	sm_log(SM_LOG_INFO, "oauth signup: user %lld", id);
	auth_session_reply(req, 201, id, -1);
}
