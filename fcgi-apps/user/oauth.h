/*
 * oauth.h -- the main service's side of the OAuth sign-in (API.md "The
 * separate auth server"): POST /api/v1/auth/oauth/callback and /complete.
 *
 * It lives in the user service because `complete` creates an account, and an
 * account is born in one transaction of this schema with its profile, its
 * outbox event and (here) its link to the auth server's subject.
 */
#ifndef OAUTH_H
#define OAUTH_H

#include "user.h"

/* What the auth server told us about the person signing in. */
struct oauth_identity {
	const char *subject;    /* the auth server's stable "sub" */
	const char *email;
	const char *name;
};

enum oauth_result {
	OAUTH_OK,
	OAUTH_REJECTED,         /* the auth server refused the code (invalid_grant, ...) */
	OAUTH_UNAVAILABLE,      /* down, slow, or answering nonsense: 503 */
};

/*
 * oauth_client.c: exchanges code at <url>/oauth/token and reads
 * <url>/oauth/userinfo with one libcurl handle per worker, each call bounded
 * by [oauth_client] timeout_ms.  The identity's strings live in req's pool.
 */
enum oauth_result oauth_exchange(struct sm_req *req, const char *code, const char *verifier,
    const char *redirect_uri, struct oauth_identity *out);
void oauth_client_free(void);

/* Handlers (oauth.c). */
sm_handler auth_oauth_callback, auth_oauth_complete;

/* auth.c: answers with the user's new token pair; registered >= 0 adds "registered". */
void auth_session_reply(struct sm_req *req, int status, long long user_id, int registered);

#endif
