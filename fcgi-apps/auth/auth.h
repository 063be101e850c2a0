/*
 * auth.h -- somoim-auth: the separate identity provider (API.md "The separate
 * auth server"), an OAuth 2.0 authorization server with PKCE S256 only.
 *
 * It has its own accounts, its own schema and its own ES256 key pair, so the
 * main service cannot read or mint its tokens and has to ask it (userinfo).
 * The one design decision: nothing here trusts the main service's secret;
 * the only routes are public, and a Bearer token is accepted only when its
 * header says exactly ES256 with our key id, whatever libjwt would allow.
 */
#ifndef AUTH_H
#define AUTH_H

#include "sm_app.h"

#define AUTH_MAX_CLIENTS 8
#define AUTH_MAX_REDIRECTS 4

struct auth_client {
	const char *id;
	const char *redirect_uris[AUTH_MAX_REDIRECTS];
	int nredirects;
};

/* keys.c: the signing key pair and its public JWK. */
struct auth_keys {
	char *private_pem;
	char *public_pem;
	char kid[48];           /* RFC 7638 thumbprint, base64url */
	char x[48], y[48];      /* the public point, base64url */
};

/* Per worker (app->data), read from [auth] once. */
struct auth_state {
	const char *issuer;             /* e.g. http://127.0.0.1:8000 (no trailing /) */
	struct auth_keys keys;
	struct auth_client clients[AUTH_MAX_CLIENTS];
	int nclients;
	char *clients_buf;              /* the strings the clients point into */
	long long token_ttl, code_ttl, session_ttl;
};

static inline struct auth_state *
auth_state(struct sm_req *req)
{
	return req->app->data;
}

/* Handlers. */
sm_handler authorize_page, authorize_form, oauth_token, oauth_userinfo;
sm_handler account_signup, account_login, account_logout;
sm_handler discovery_metadata, discovery_jwks;

/* keys.c */
int keys_load(struct auth_keys *k, const char *path);
void keys_free(struct auth_keys *k);
/* A signed ES256 access token (caller frees), or NULL (logged). */
char *keys_sign(const struct auth_state *st, const char *subject, const char *client_id,
    const char *jti, time_t now);
/* 0 with the token's subject and jti (pool copies) when it verifies, -1 otherwise. */
int keys_verify(const struct auth_state *st, struct sm_req *req, const char *token,
    time_t now, const char **subject, const char **jti);

/* clients.c */
int clients_load(struct auth_state *st, const struct sm_conf *conf);
const struct auth_client *client_find(const struct auth_state *st, const char *id);
int client_redirect_ok(const struct auth_client *c, const char *uri);

/* session.c: cookies, CSRF, the failed-login throttle, passwords. */
#define SESSION_COOKIE "somoim_auth"
#define CSRF_COOKIE "somoim_auth_csrf"
const char *cookie_get(struct sm_req *req, const char *name);
/* Adds Set-Cookie (HttpOnly, SameSite=Lax, Path=/oauth/, Secure under https). */
void cookie_set(struct sm_req *req, const char *name, const char *value, long long max_age);
/* The signed-in account of the request's session cookie: 1 found, 0 none, -1 db error. */
int session_account(struct sm_req *req, long long *account_id);
/* A new session for account_id with its cookie; 0 or -1 (db error). */
int session_start(struct sm_req *req, long long account_id);
/*
 * Checks email/password with the throttle: 1 signed in (*account_id set),
 * 0 wrong, -1 db error, -2 throttled (too many failures).
 */
int password_login(struct sm_req *req, const char *email, const char *password,
    long long *account_id);

/* page.c: the server-rendered pages (no script, strict CSP). */
struct authz_params {
	const char *response_type, *client_id, *redirect_uri, *state;
	const char *code_challenge, *code_challenge_method;
};
void page_login(struct sm_req *req, int status, const struct authz_params *p,
    const char *csrf, const char *email, const char *message);
void page_error(struct sm_req *req, int status, const char *title, const char *message);
/* text with & < > " ' escaped, in the request's pool. */
char *html_escape(struct sm_pool *pool, const char *text);

/* authorize.c, shared with token.c: "a-z..." percent-encoded for a URL query. */
char *url_encode(struct sm_pool *pool, const char *s);

/* RFC 6749 §5.2 / RFC 6750 error bodies: {error, error_description}, no-store. */
void oauth_error(struct sm_req *req, int status, const char *error, const char *description);

#endif
