/*
 * userinfo.c -- GET /oauth/userinfo: who the Bearer token belongs to.
 *
 * Only our own ES256 tokens (keys_verify pins the algorithm and key id), and
 * only while the token's row says it is neither revoked nor expired: a code
 * presented twice revokes its token here at once.  Errors follow RFC 6750
 * (401 with WWW-Authenticate: Bearer error="invalid_token").
 */
#include "store.h"

#include <string.h>
#include <strings.h>
#include <time.h>

static void
invalid_token(struct sm_req *req, const char *description)
{
	sm_reply_header(req, "WWW-Authenticate", sm_pool_printf(req->pool,
	    "Bearer error=\"invalid_token\", error_description=\"%s\"", description));
	oauth_error(req, 401, "invalid_token", description);
}

void
oauth_userinfo(struct sm_req *req)
{
	const char *h = sm_req_env(req, "HTTP_AUTHORIZATION"), *sub, *jti;
	struct account a;
	long long account_id;
	json_object *o;
	int r;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		sm_reply_header(req, "WWW-Authenticate", "Bearer");
		oauth_error(req, 401, "invalid_token", "a Bearer token is required");
		return;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (keys_verify(auth_state(req), req, h, time(NULL), &sub, &jti) != 0) {
		invalid_token(req, "the token is not valid");
		return;
	}
	if ((r = store_token_account(req->app->db, jti, &account_id)) == 0)
		r = store_account_get(req->app->db, req->pool, account_id, &a);
	if (r < 0) {
		oauth_error(req, 503, "temporarily_unavailable", "the store is unavailable");
		return;
	}
	if (r != 0 || strcmp(a.subject, sub) != 0) {
		invalid_token(req, "the token has been revoked or has expired");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "sub", json_object_new_string(a.subject));
	json_object_object_add(o, "email", json_object_new_string(a.email));
	json_object_object_add(o, "name", json_object_new_string(a.name));
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_json(req, 200, o);
}
