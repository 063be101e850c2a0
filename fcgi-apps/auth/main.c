/*
 * main.c -- somoim-auth: the separate OAuth 2.0 identity provider.
 */
#include "auth.h"

#include <stdlib.h>

static const struct sm_route routes[] = {
	{ "GET",  "/oauth/authorize", authorize_page,  SM_PUBLIC },
	{ "POST", "/oauth/authorize", authorize_form,  SM_PUBLIC },
	{ "POST", "/oauth/token",     oauth_token,     SM_PUBLIC },
	{ "GET",  "/oauth/userinfo",  oauth_userinfo,  SM_PUBLIC },
	{ "POST", "/oauth/signup",    account_signup,  SM_PUBLIC },
	{ "POST", "/oauth/login",     account_login,   SM_PUBLIC },
	{ "POST", "/oauth/logout",    account_logout,  SM_PUBLIC },
	{ "GET",  "/oauth/jwks",      discovery_jwks,  SM_PUBLIC },
	{ "GET",  "/.well-known/oauth-authorization-server", discovery_metadata, SM_PUBLIC },
};

static int
init(struct sm_app *app)
{
	struct auth_state *st = sm_xcalloc(1, sizeof(*st));
	const char *key = sm_conf_get(app->conf, "auth", "signing_key", NULL);

	app->data = st;
	st->issuer = sm_conf_get(app->conf, "auth", "issuer", NULL);
	if (st->issuer == NULL || *st->issuer == '\0' || key == NULL) {
		sm_log(SM_LOG_ERROR, "config [auth] needs issuer and signing_key");
		return -1;
	}
	if (sm_conf_int(app->conf, "auth", "token_ttl", 600, 30, 86400, &st->token_ttl) != 0 ||
	    sm_conf_int(app->conf, "auth", "code_ttl", 60, 5, 600, &st->code_ttl) != 0 ||
	    sm_conf_int(app->conf, "auth", "session_ttl", 43200, 60, 30 * 86400,
	    &st->session_ttl) != 0)
		return -1;
	return keys_load(&st->keys, key) != 0 || clients_load(st, app->conf) != 0 ? -1 : 0;
}

static void
fini(struct sm_app *app)
{
	struct auth_state *st = app->data;

	if (st == NULL)
		return;
	keys_free(&st->keys);
	free(st->clients_buf);
	free(st);
	app->data = NULL;
}

static const struct sm_service service = {
	.name = "auth",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
	.init = init,
	.fini = fini,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
