/*
 * users.c -- profiles: GET/PATCH /users/me, GET /users/{id}, email-exists.
 */
#include "store.h"
#include "sm_outbox.h"

#include <string.h>

void
users_me(struct sm_req *req)
{
	json_object *user;
	int r = store_user_json(req->app->db, req->user_id, 1, &user);

	if (r < 0)
		sm_reply_db_error(req);
	else if (r == STORE_NOT_FOUND)
		sm_reply_error(req, 404, "NOT_FOUND", "your account no longer exists");
	else
		sm_reply_json(req, 200, user);
}

void
users_patch_me(struct sm_req *req)
{
	struct profile p = { 0 };
	json_object *body;
	struct sm_form f;
	unsigned clear = 0;
	int r, changed;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (sm_form_string(&f, "name", SM_OPTIONAL, 1, 50, &p.name) == 1 &&
	    *(p.name = sm_pool_strtrim(req->pool, p.name)) == '\0')
		sm_form_invalid(&f, "name", "must not be blank");
	if ((p.ninterests = form_interests(&f, SM_OPTIONAL, p.interests)) == INTERESTS_UNAVAILABLE) {
		sm_reply_db_error(req);
		return;
	}
	profile_fields(&f, &p, &clear);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	if (p.ninterests < 0)
		p.ninterests = 0;
	r = store_update_profile(req->app->db, req->user_id, &p, clear, req->request_id, &changed);
	if (r == STORE_NOT_FOUND) {
		sm_reply_error(req, 404, "NOT_FOUND", "your account no longer exists");
		return;
	}
	if (r != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (changed > 0)
		sm_outbox_wake(req->app->redis, "user");
	users_me(req);
}

void
users_get(struct sm_req *req)
{
	json_object *user;
	int r = store_user_json(req->app->db, req->ids[0], 0, &user);

	if (r < 0)
		sm_reply_db_error(req);
	else if (r == STORE_NOT_FOUND)
		sm_reply_error(req, 404, "NOT_FOUND", "no such user");
	else
		sm_reply_json(req, 200, user);
}

void
users_email_exists(struct sm_req *req)
{
	const char *email = sm_req_query(req, "email");
	json_object *o, *fields;
	int exists;

	if (email == NULL || strlen(email) > 254 || !valid_email(email)) {
		fields = json_object_new_object();
		json_object_object_add(fields, "email", json_object_new_string(
		    email ? "must be a valid email address" : "is required"));
		sm_reply_invalid(req, fields);
		return;
	}
	if (store_email_exists(req->app->db, lowercase((char *)email), &exists) != 0) {
		sm_reply_db_error(req);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "exists", json_object_new_boolean(exists));
	sm_reply_json(req, 200, o);
}
