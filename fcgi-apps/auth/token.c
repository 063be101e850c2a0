/*
 * token.c -- POST /oauth/token: the authorization code grant with PKCE S256.
 *
 * Errors are RFC 6749 §5.2 bodies {error, error_description} with
 * Cache-Control: no-store, never the API's envelope: a standard client reads
 * them.  Every client is public, so client authentication is the client_id
 * alone (unknown: 401 invalid_client) and the code's PKCE binding.  The code
 * is consumed by its first presentation whatever comes of it; a second one
 * revokes the token the first exchange issued (store_code_exchange).
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void
oauth_error(struct sm_req *req, int status, const char *error, const char *description)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(error));
	json_object_object_add(o, "error_description", json_object_new_string(description));
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_header(req, "Pragma", "no-cache");
	sm_reply_json(req, status, o);
}

static const char *const NAMES[] = {
	"grant_type", "code", "redirect_uri", "client_id", "code_verifier",
};

/* RFC 7636 §4.1: 43..128 characters of [A-Za-z0-9-._~]. */
static int
valid_verifier(const char *v)
{
	size_t n = strlen(v);

	return n >= 43 && n <= 128 && strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~") == n;
}

static const char *
outcome_text(enum exchange_outcome o)
{
	switch (o) {
	case EXCHANGE_UNKNOWN: return "the code is not valid";
	case EXCHANGE_REUSED:
		return "the code was already used; the token it issued has been revoked";
	case EXCHANGE_EXPIRED: return "the code has expired";
	case EXCHANGE_CLIENT: return "the code was issued to another client";
	case EXCHANGE_REDIRECT: return "redirect_uri does not match the authorization request";
	case EXCHANGE_VERIFIER: return "code_verifier does not match the code_challenge";
	default: return "ok";
	}
}

void
oauth_token(struct sm_req *req)
{
	const char *body = req->body ? req->body : "", *v[5];
	struct auth_state *st = auth_state(req);
	struct exchange x = { 0 };
	char hash[65], jti[32], *token;
	json_object *o;
	size_t i;

	if (req->content_type == NULL ||
	    strncmp(req->content_type, "application/x-www-form-urlencoded", 33) != 0) {
		oauth_error(req, 400, "invalid_request",
		    "the body must be application/x-www-form-urlencoded");
		return;
	}
	for (i = 0; i < 5; i++) {
		if (sm_urlenc_count(body, NAMES[i]) > 1) {
			oauth_error(req, 400, "invalid_request",
			    sm_pool_printf(req->pool, "%s is repeated", NAMES[i]));
			return;
		}
		v[i] = sm_urlenc_get(req->pool, body, NAMES[i]);
	}
	if (v[0] == NULL || v[3] == NULL || *v[3] == '\0') {
		oauth_error(req, 400, "invalid_request", v[0] ? "client_id is required" :
		    "grant_type is required");
		return;
	}
	if (client_find(st, v[3]) == NULL) {
		sm_reply_header(req, "WWW-Authenticate", "Bearer");
		oauth_error(req, 401, "invalid_client", "unknown client_id");
		return;
	}
	if (strcmp(v[0], "authorization_code") != 0) {
		oauth_error(req, 400, "unsupported_grant_type",
		    "only authorization_code is supported");
		return;
	}
	for (i = 1; i < 5; i++) {
		if (v[i] == NULL || *v[i] == '\0') {
			oauth_error(req, 400, "invalid_request",
			    sm_pool_printf(req->pool, "%s is required", NAMES[i]));
			return;
		}
	}
	if (!valid_verifier(v[4])) {
		oauth_error(req, 400, "invalid_request",
		    "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
		return;
	}
	if (strlen(v[1]) > 128 || strlen(v[2]) > 500) {
		oauth_error(req, 400, "invalid_grant", "the code is not valid");
		return;
	}
	sm_sha256_hex(v[1], strlen(v[1]), hash);
	sm_random_token(jti, sizeof(jti), 16);
	x.code_hash = hash;
	x.client_id = v[3];
	x.redirect_uri = v[2];
	x.verifier = v[4];
	x.jti = jti;
	x.token_ttl = st->token_ttl;
	if (store_code_exchange(req->app->db, &x) != 0) {
		oauth_error(req, 503, "temporarily_unavailable", "the store is unavailable");
		return;
	}
	if (x.outcome != EXCHANGE_OK) {
		if (x.outcome == EXCHANGE_REUSED)
			sm_log(SM_LOG_WARN, "code presented twice; its token is revoked");
		oauth_error(req, 400, "invalid_grant", outcome_text(x.outcome));
		return;
	}
	{
		struct account a;
		int r = store_account_get(req->app->db, req->pool, x.account_id, &a);

		if (r != 0) {
			oauth_error(req, r < 0 ? 503 : 400, r < 0 ? "temporarily_unavailable" :
			    "invalid_grant", r < 0 ? "the store is unavailable" :
			    "the account no longer exists");
			return;
		}
		if ((token = keys_sign(st, a.subject, x.client_id, jti, time(NULL))) == NULL) {
			oauth_error(req, 500, "server_error", "could not sign the token");
			return;
		}
	}
	o = json_object_new_object();
	json_object_object_add(o, "access_token", json_object_new_string(token));
	json_object_object_add(o, "token_type", json_object_new_string("Bearer"));
	json_object_object_add(o, "expires_in", json_object_new_int64(st->token_ttl));
	free(token);
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_header(req, "Pragma", "no-cache");
	sm_reply_json(req, 200, o);
}
