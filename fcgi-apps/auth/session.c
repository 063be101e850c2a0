/*
 * session.c -- the auth server's browser session, its cookies and password
 * sign-in.
 *
 * The session cookie holds 256 random bits; only their SHA-256 is stored.
 * Cookies are HttpOnly, SameSite=Lax, Path=/oauth/, and Secure when the
 * gateway says the request came over https (fastcgi_params' HTTPS).  The
 * login form is protected by a double-submit token: a random value in its own
 * cookie that the form must echo; a cross-site page can neither read the
 * cookie nor (SameSite) make the browser send it with its POST.
 */
#include "store.h"
#include "sm_throttle.h"

#include <stdio.h>
#include <string.h>

#define TOKEN_BYTES 32
#define TOKEN_CHARS 48
#define TOKEN_LEN 43            /* base64url of 32 bytes */

/* Same rule as the user service's login: 10 failures in 15 minutes. */
static const struct sm_throttle throttle = { "auth:login:fail", 10, 900 };

const char *
cookie_get(struct sm_req *req, const char *name)
{
	const char *h = sm_req_env(req, "HTTP_COOKIE");
	size_t nlen = strlen(name);

	while (h != NULL && *h != '\0') {
		size_t len;

		h += strspn(h, " ;");
		len = strcspn(h, ";");
		if (len > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=')
			return sm_pool_strndup(req->pool, h + nlen + 1, len - nlen - 1);
		h += len;
	}
	return NULL;
}

void
cookie_set(struct sm_req *req, const char *name, const char *value, long long max_age)
{
	const char *https = sm_req_env(req, "HTTPS");
	int secure = https != NULL && strcmp(https, "on") == 0;

	sm_reply_header(req, "Set-Cookie", sm_pool_printf(req->pool,
	    "%s=%s; Path=/oauth/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", name, value,
	    max_age, secure ? "; Secure" : ""));
}

int
session_account(struct sm_req *req, long long *account_id)
{
	const char *token = cookie_get(req, SESSION_COOKIE);
	char hash[65];
	int r;

	if (token == NULL || strlen(token) != TOKEN_LEN)
		return 0;
	sm_sha256_hex(token, strlen(token), hash);
	if ((r = store_session_account(req->app->db, hash, account_id)) < 0)
		return -1;
	return r == 0;
}

int
session_start(struct sm_req *req, long long account_id)
{
	char token[TOKEN_CHARS], hash[65];

	sm_random_token(token, sizeof(token), TOKEN_BYTES);
	sm_sha256_hex(token, strlen(token), hash);
	if (store_session_insert(req->app->db, hash, account_id, auth_state(req)->session_ttl) != 0)
		return -1;
	cookie_set(req, SESSION_COOKIE, sm_pool_strdup(req->pool, token),
	    auth_state(req)->session_ttl);
	return 0;
}

int
password_login(struct sm_req *req, const char *email, const char *password,
    long long *account_id)
{
	char hash[SM_PASSWORD_HASH_MAX], key[128], *lower;
	int r;

	lower = sm_pool_strdup(req->pool, email);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	sm_throttle_key(&throttle, lower, sm_req_env(req, "REMOTE_ADDR"), key, sizeof(key));
	if (sm_throttle_blocked(&throttle, req->app->redis, key))
		return -2;
	r = store_account_credentials(req->app->db, lower, account_id, hash, sizeof(hash));
	if (r < 0)
		return -1;
	if (r == STORE_NOT_FOUND) {
		sm_password_burn(password);
	} else if (sm_password_verify(hash, password)) {
		if (sm_password_needs_rehash(hash) && sm_password_hash(password, hash) == 0)
			(void)store_set_password_hash(req->app->db, *account_id, hash);
		return 1;
	}
	sm_throttle_fail(&throttle, req->app->redis, key);
	return 0;
}
