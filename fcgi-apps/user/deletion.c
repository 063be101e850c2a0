/*
 * deletion.c -- DELETE /api/v1/users/me: leaving the platform (회원 탈퇴).
 *
 * The caller re-enters the password (JSON {password}); a wrong one counts as
 * a failed login for the account's email (auth.c's throttle, so guessing
 * through this door is as slow as through login).  An owner of a community
 * is refused with 409 OWNER_OF_COMMUNITY naming them: ownership cannot be
 * handed over in the API, so the owner deletes them first.  Otherwise the
 * account, its interests and every refresh token family are deleted and
 * v1.event.user-deleted commits with them (store_deletion.c); the services'
 * daemons then end the memberships, give back seats, remove likes and turn
 * the author of posts and comments into the neutral "탈퇴한 회원".
 *
 * The one design decision: access tokens already issued are stopped by a
 * revocation mark in Redis (sm_app_revoke_user), set right after the commit
 * and checked by every program's auth path, so they stop at once rather
 * than at the end of their 15 minutes.  Which communities the caller owns
 * is this schema's event-fed copy; a community created in the moment the
 * copy has not caught up with is deleted by somoim-community-events when
 * user-deleted reaches it, so no race leaves a community without an owner.
 */
#include "store.h"
#include "sm_outbox.h"

#include <stdio.h>
#include <string.h>

/* 409 OWNER_OF_COMMUNITY with the communities named; takes owned. */
static void
reply_owner(struct sm_req *req, json_object *owned)
{
	json_object *err = json_object_new_object(), *root = json_object_new_object();
	char message[512];
	size_t i, n = json_object_array_length(owned), used;

	used = (size_t)snprintf(message, sizeof(message),
	    "you own %zu communit%s; delete %s before leaving:", n, n == 1 ? "y" : "ies",
	    n == 1 ? "it" : "them");
	for (i = 0; i < n && used < sizeof(message); i++) {
		json_object *c = json_object_array_get_idx(owned, i);

		used += (size_t)snprintf(message + used, sizeof(message) - used, "%s \"%s\" (%lld)",
		    i ? "," : "", json_object_get_string(json_object_object_get(c, "name")),
		    (long long)json_object_get_int64(json_object_object_get(c, "id")));
	}
	json_object_object_add(err, "code", json_object_new_string("OWNER_OF_COMMUNITY"));
	json_object_object_add(err, "message", json_object_new_string(message));
	json_object_object_add(err, "communities", owned);
	json_object_object_add(err, "request_id", json_object_new_string(req->request_id));
	json_object_object_add(root, "error", err);
	sm_reply_json(req, 409, root);
}

void
users_delete_me(struct sm_req *req)
{
	char hash[SM_PASSWORD_HASH_MAX], email[256], key[128];
	const char *password;
	json_object *body, *owned = NULL;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	sm_form_string(&f, "password", SM_REQUIRED, 1, 128, &password);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	r = store_deletion_credentials(req->app->db, req->user_id, email, sizeof(email), hash,
	    sizeof(hash));
	if (r < 0) {
		sm_reply_db_error(req);
		return;
	}
	if (r == STORE_NOT_FOUND) {
		sm_reply_error(req, 404, "NOT_FOUND", "your account no longer exists");
		return;
	}
	failure_key(req, email, key, sizeof(key));
	if (login_throttled_or_reply(req, key))
		return;
	if (!sm_password_verify(hash, password)) {
		count_failure(req, key);
		sm_reply_error(req, 401, "BAD_CREDENTIALS", "wrong password");
		return;
	}
	r = store_delete_user(req->app->db, req->user_id, req->request_id, &owned);
	if (r == STORE_OWNER) {
		reply_owner(req, owned);
		return;
	}
	if (r == STORE_NOT_FOUND) {
		sm_reply_error(req, 404, "NOT_FOUND", "your account no longer exists");
		return;
	}
	if (r != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (sm_app_revoke_user(req->app, req->user_id) != 0)
		sm_log(SM_LOG_WARN, "user %lld deleted, but the revocation mark was not set: "
		    "its access tokens live out their lifetime", req->user_id);
	sm_outbox_wake(req->app->redis, "user");
	sm_log(SM_LOG_INFO, "user %lld deleted the account", req->user_id);
	sm_reply_empty(req, 204);
}
