/*
 * main.c -- somoim-user: accounts, sessions, profiles and interests.
 */
#include "oauth.h"

static const struct sm_route routes[] = {
	{ "POST",  "/api/v1/auth/signup",       auth_signup,        SM_PUBLIC },
	{ "POST",  "/api/v1/auth/login",        auth_login,         SM_PUBLIC },
	{ "POST",  "/api/v1/auth/refresh",      auth_refresh,       SM_PUBLIC },
	{ "POST",  "/api/v1/auth/logout",       auth_logout,        0 },
	{ "POST",  "/api/v1/auth/oauth/callback", auth_oauth_callback, SM_PUBLIC },
	{ "POST",  "/api/v1/auth/oauth/complete", auth_oauth_complete, SM_PUBLIC },
	{ "GET",   "/api/v1/users/email-exists", users_email_exists, SM_PUBLIC },
	{ "GET",   "/api/v1/users/me",          users_me,           0 },
	{ "PATCH", "/api/v1/users/me",          users_patch_me,     0 },
	{ "DELETE", "/api/v1/users/me",         users_delete_me,    0 },
	{ "GET",   "/api/v1/users/{id}",        users_get,          0 },
	{ "GET",   "/api/v1/interests",         interests_list,     SM_PUBLIC },
};

static void
fini(struct sm_app *app)
{
	(void)app;
	interests_free();
	oauth_client_free();
}

static const struct sm_service service = {
	.name = "user",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
	.fini = fini,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
