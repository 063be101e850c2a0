/*
 * accounts.c -- the auth server's accounts: POST /oauth/signup, /oauth/login
 * (JSON, the API's error envelope) and /oauth/logout.
 *
 * Login sets the same session cookie the authorize page's form does, so a
 * client that signs in over JSON is then sent straight on by /oauth/authorize.
 * Passwords: Argon2id through lib (sm_password_*), the user service's rule.
 */
#include "store.h"

#include <string.h>

static int
valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    strchr(at + 1, '.') != NULL && at[1] != '.' && s[strlen(s) - 1] != '.' &&
	    strpbrk(s, " \t\r\n<>()[]\\,;:\"") == NULL;
}

static char *
lowercase(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static json_object *
account_json(const struct account *a)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "sub", json_object_new_string(a->subject));
	json_object_object_add(o, "email", json_object_new_string(a->email));
	json_object_object_add(o, "name", json_object_new_string(a->name));
	return o;
}

void
account_signup(struct sm_req *req)
{
	char hash[SM_PASSWORD_HASH_MAX], subject[37];
	const char *email, *password, *name;
	struct account a;
	json_object *body;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (sm_form_string(&f, "email", SM_REQUIRED, 3, 254, &email) == 1 && !valid_email(email))
		sm_form_invalid(&f, "email", "must be a valid email address");
	sm_form_string(&f, "password", SM_REQUIRED, 8, 128, &password);
	if (sm_form_string(&f, "name", SM_REQUIRED, 1, 50, &name) == 1 &&
	    *(name = sm_pool_strtrim(req->pool, name)) == '\0')
		sm_form_invalid(&f, "name", "must not be blank");
	if (sm_form_done_or_reply(&f) != 0)
		return;
	if (sm_password_hash(password, hash) != 0) {
		sm_reply_error(req, 503, "UNAVAILABLE", "could not hash the password; try again");
		return;
	}
	sm_uuid_v4(subject);
	email = lowercase(sm_pool_strdup(req->pool, email));
	if ((r = store_account_create(req->app->db, subject, email, hash, name)) != 0) {
		if (r == STORE_DUPLICATE)
			sm_reply_error(req, 409, "EMAIL_TAKEN", "an account with this email exists");
		else
			sm_reply_db_error(req);
		return;
	}
	a.subject = subject;
	a.email = email;
	a.name = name;
	sm_reply_json(req, 201, account_json(&a));
}

void
account_login(struct sm_req *req)
{
	const char *email, *password;
	long long account_id;
	struct account a;
	json_object *body;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	sm_form_string(&f, "email", SM_REQUIRED, 1, 254, &email);
	sm_form_string(&f, "password", SM_REQUIRED, 1, 128, &password);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	r = password_login(req, email, password, &account_id);
	if (r == -2) {
		sm_reply_header(req, "Retry-After", "900");
		sm_reply_error(req, 429, "RATE_LIMITED",
		    "too many failed logins for this account; try again later");
		return;
	}
	if (r == 0) {
		sm_reply_error(req, 401, "BAD_CREDENTIALS", "wrong email or password");
		return;
	}
	if (r < 0 || session_start(req, account_id) != 0 ||
	    (r = store_account_get(req->app->db, req->pool, account_id, &a)) < 0) {
		sm_reply_db_error(req);
		return;
	}
	if (r != 0) {
		sm_reply_error(req, 401, "BAD_CREDENTIALS", "wrong email or password");
		return;
	}
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_json(req, 200, account_json(&a));
}

void
account_logout(struct sm_req *req)
{
	const char *token = cookie_get(req, SESSION_COOKIE);
	char hash[65];

	if (token != NULL) {
		sm_sha256_hex(token, strlen(token), hash);
		if (store_session_delete(req->app->db, hash) != 0) {
			sm_reply_db_error(req);
			return;
		}
	}
	cookie_set(req, SESSION_COOKIE, "", 0);
	sm_reply_empty(req, 204);
}
