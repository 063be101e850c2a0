/*
 * auth.c -- signup, login, refresh and logout (docs/openapi.yaml, tag auth).
 *
 * Access tokens are short-lived JWTs; refresh tokens are 256 random bits the
 * client keeps and we store only as SHA-256.  Each login starts a family of
 * refresh tokens: every refresh retires the presented token and issues the
 * next, and presenting a retired token again revokes the whole family, so a
 * stolen token is worth at most one use before both parties are logged out.
 */
#include "store.h"
#include "oauth.h"
#include "sm_outbox.h"
#include "sm_throttle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REFRESH_BYTES 32
#define REFRESH_CHARS 64        /* base64url of 32 bytes is 43 */

static long long
refresh_ttl(struct sm_app *app)
{
	long long ttl;

	if (sm_conf_int(app->conf, "jwt", "refresh_ttl", 14 * 86400, 60, 365 * 86400, &ttl) != 0)
		ttl = 14 * 86400;
	return ttl;
}

/*
 * {user, access_token, refresh_token, token_type, expires_in} (with
 * "registered" when registered >= 0, for the OAuth callback); takes user.
 */
static void
reply_tokens(struct sm_req *req, int status, json_object *user, const char *refresh,
    int registered)
{
	struct sm_app *app = req->app;
	long long id = json_object_get_int64(json_object_object_get(user, "id"));
	char *access = sm_jwt_issue(&app->jwt, id, time(NULL));
	json_object *o;

	if (access == NULL) {
		json_object_put(user);
		sm_reply_error(req, 500, "INTERNAL", "could not sign the access token");
		return;
	}
	o = json_object_new_object();
	if (registered >= 0)
		json_object_object_add(o, "registered", json_object_new_boolean(registered));
	json_object_object_add(o, "user", user);
	json_object_object_add(o, "access_token", json_object_new_string(access));
	json_object_object_add(o, "refresh_token", json_object_new_string(refresh));
	json_object_object_add(o, "token_type", json_object_new_string("Bearer"));
	json_object_object_add(o, "expires_in", json_object_new_int64(app->jwt.access_ttl));
	free(access);
	/* Tokens never go into a cache, shared or the browser's (RFC 6749 5.1). */
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_header(req, "Pragma", "no-cache");
	sm_reply_json(req, status, o);
}

/* Starts a new login for user_id and answers with its tokens (oauth.h). */
void
auth_session_reply(struct sm_req *req, int status, long long user_id, int registered)
{
	struct sm_db *db = req->app->db;
	char refresh[REFRESH_CHARS], hash[65];
	json_object *user;
	int r;

	sm_random_token(refresh, sizeof(refresh), REFRESH_BYTES);
	sm_sha256_hex(refresh, strlen(refresh), hash);
	if (store_token_insert(db, user_id, NULL, hash, refresh_ttl(req->app)) != 0 ||
	    (r = store_user_json(db, user_id, 1, &user)) < 0) {
		sm_reply_db_error(req);
		return;
	}
	if (r == STORE_NOT_FOUND) {
		sm_reply_error(req, 401, "BAD_CREDENTIALS", "wrong email or password");
		return;
	}
	reply_tokens(req, status, user, refresh, registered);
}

void
auth_signup(struct sm_req *req)
{
	char hash[SM_PASSWORD_HASH_MAX];
	struct profile p = { 0 };
	const char *email, *password;
	json_object *body;
	struct sm_form f;
	long long id;
	unsigned clear = 0;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (sm_form_string(&f, "email", SM_REQUIRED, 3, 254, &email) == 1 && !valid_email(email))
		sm_form_invalid(&f, "email", "must be a valid email address");
	sm_form_string(&f, "password", SM_REQUIRED, 8, 128, &password);
	if (sm_form_string(&f, "name", SM_REQUIRED, 1, 50, &p.name) == 1 &&
	    *(p.name = sm_pool_strtrim(req->pool, p.name)) == '\0')
		sm_form_invalid(&f, "name", "must not be blank");
	if ((p.ninterests = form_interests(&f, SM_REQUIRED, p.interests)) == INTERESTS_UNAVAILABLE) {
		sm_reply_db_error(req);
		return;
	}
	profile_fields(&f, &p, &clear);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	p.email = lowercase(sm_pool_strdup(req->pool, email));
	if (sm_password_hash(password, hash) != 0) {
		sm_reply_error(req, 503, "UNAVAILABLE", "could not hash the password; try again");
		return;
	}
	if ((r = store_create_user(req->app->db, &p, hash, req->request_id, &id)) != 0) {
		if (r == STORE_DUPLICATE)
			sm_reply_error(req, 409, "EMAIL_TAKEN", "an account with this email exists");
		else
			sm_reply_db_error(req);
		return;
	}
	sm_outbox_wake(req->app->redis, "user");       /* the event committed with the user */
	sm_log(SM_LOG_INFO, "signup: user %lld", id);
	auth_session_reply(req, 201, id, -1);
}

/*
 * The failed-login throttle (lib/sm_throttle.h): 10 failures in 15 minutes per
 * email and client address.  Deleting the account (deletion.c) re-enters the
 * password and counts here too.
 */
static const struct sm_throttle login_throttle = { "login:fail", 10, 900 };

void
failure_key(struct sm_req *req, const char *email, char *key, size_t len)
{
	sm_throttle_key(&login_throttle, email, sm_req_env(req, "REMOTE_ADDR"), key, len);
}

void
count_failure(struct sm_req *req, const char *key)
{
	sm_throttle_fail(&login_throttle, req->app->redis, key);
}

int
login_throttled_or_reply(struct sm_req *req, const char *key)
{
	if (!sm_throttle_blocked(&login_throttle, req->app->redis, key))
		return 0;
	sm_reply_header(req, "Retry-After", "900");
	sm_reply_error(req, 429, "RATE_LIMITED",
	    "too many failed logins for this account; try again later");
	return 1;
}

void
auth_login(struct sm_req *req)
{
	char hash[SM_PASSWORD_HASH_MAX], key[128];
	const char *email, *password;
	json_object *body;
	struct sm_form f;
	long long id;
	char *lower;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	sm_form_string(&f, "email", SM_REQUIRED, 1, 254, &email);
	sm_form_string(&f, "password", SM_REQUIRED, 1, 128, &password);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	lower = lowercase(sm_pool_strdup(req->pool, email));
	failure_key(req, lower, key, sizeof(key));
	if (login_throttled_or_reply(req, key))
		return;
	r = store_credentials(req->app->db, lower, &id, hash, sizeof(hash));
	if (r < 0) {
		sm_reply_db_error(req);
		return;
	}
	if (r == STORE_NOT_FOUND) {
		sm_password_burn(password);
	} else if (sm_password_verify(hash, password)) {
		if (sm_password_needs_rehash(hash) && sm_password_hash(password, hash) == 0)
			(void)store_set_password_hash(req->app->db, id, hash);
		auth_session_reply(req, 200, id, -1);
		return;
	}
	count_failure(req, key);
	sm_reply_error(req, 401, "BAD_CREDENTIALS", "wrong email or password");
}

static int
refresh_token_or_reply(struct sm_req *req, char hash[65])
{
	const char *token;
	json_object *body;
	struct sm_form f;

	if (sm_json_body_or_reply(req, &body) != 0)
		return -1;
	sm_form_init(&f, req, body);
	/* docs/openapi.yaml RefreshTokenRequest: at most 512 (ours are 43). */
	sm_form_string(&f, "refresh_token", SM_REQUIRED, 1, 512, &token);
	if (sm_form_done_or_reply(&f) != 0)
		return -1;
	sm_sha256_hex(token, strlen(token), hash);
	return 0;
}

void
auth_refresh(struct sm_req *req)
{
	char hash[65], next[REFRESH_CHARS], next_hash[65];
	json_object *user;
	long long id;
	int r;

	if (refresh_token_or_reply(req, hash) != 0)
		return;
	sm_random_token(next, sizeof(next), REFRESH_BYTES);
	sm_sha256_hex(next, strlen(next), next_hash);
	r = store_token_rotate(req->app->db, hash, next_hash, refresh_ttl(req->app), &id);
	if (r == STORE_REVOKED || r == STORE_REUSED) {
		sm_reply_error(req, 401, "UNAUTHORIZED", r == STORE_REUSED ?
		    "this refresh token was already used; the login has been revoked" :
		    "the refresh token is not valid");
		return;
	}
	if (r != 0 || (r = store_user_json(req->app->db, id, 1, &user)) < 0) {
		sm_reply_db_error(req);
		return;
	}
	if (r == STORE_NOT_FOUND) {
		sm_reply_error(req, 401, "UNAUTHORIZED", "the account no longer exists");
		return;
	}
	reply_tokens(req, 200, user, next, -1);
}

void
auth_logout(struct sm_req *req)
{
	char hash[65];

	if (refresh_token_or_reply(req, hash) != 0)
		return;
	/* Unknown or someone else's token: nothing to do, and nothing to tell. */
	if (store_token_revoke(req->app->db, req->user_id, hash) < 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_empty(req, 204);
}
