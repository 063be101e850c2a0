/*
 * subscriptions.c -- GET /api/v1/push/vapid-public-key and POST/DELETE
 * /api/v1/push/subscriptions (API.md "Notifications").
 *
 * The one design decision: this service stores no subscription.  Like the
 * seed's API server (KafkaTemplate.sendAndReceive), it sends the change on
 * v1.event.subscription.request and answers only once somoim-push, which
 * owns them, confirmed on .response: 201/204 then, 400 when the daemon
 * refused the endpoint or keys, 503 UNAVAILABLE when no answer came within
 * [notification] push_timeout_ms -- and then nothing was stored, because
 * the request carries that deadline and the daemon drops it once past.
 * The endpoint's syntax and address literal are checked here first (no DNS);
 * the daemon resolves the host and checks every address before storing it.
 */
#include "notification.h"
#include "sm_reqreply.h"
#include "sm_webpush.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

struct push_api {
	struct sm_reqreply *rr;
	long long timeout_ms;
	int allow_loopback;
};

int
subscriptions_init(struct sm_app *app)
{
	struct push_api *p = calloc(1, sizeof(*p));

	if (p == NULL)
		abort();
	p->allow_loopback = sm_webpush_loopback_allowed(app->conf);
	if (sm_conf_int(app->conf, "notification", "push_timeout_ms", 5000, 100, 60000,
	    &p->timeout_ms) != 0 ||
	    (p->rr = sm_reqreply_new(app->conf, "v1.event.subscription.request",
	    "v1.event.subscription.response")) == NULL) {
		free(p);
		return -1;
	}
	app->data = p;
	return 0;
}

void
subscriptions_fini(struct sm_app *app)
{
	struct push_api *p = app->data;

	if (p == NULL)
		return;
	sm_reqreply_free(p->rr);
	free(p);
	app->data = NULL;
}

void
vapid_public_key(struct sm_req *req)
{
	const char *key = sm_conf_get(req->app->conf, "push", "vapid_public_key", NULL);
	uint8_t pt[80];
	json_object *o;

	if (key == NULL || sm_b64url_decode(key, pt, sizeof(pt)) != 65) {
		sm_reply_error(req, 503, "UNAVAILABLE", "push is not configured");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(key));
	sm_reply_json(req, 200, o);
}

static long long
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/*
 * Sends the request and waits for the daemon: 0 with *reply (put it), or -1
 * after answering 503.
 */
static int
ask_or_reply(struct sm_req *req, json_object *msg, json_object **reply)
{
	struct push_api *p = req->app->data;
	char key[24], *value = NULL;
	const char *text;
	size_t len, rlen;

	json_object_object_add(msg, "user_id", json_object_new_int64(req->user_id));
	json_object_object_add(msg, "deadline_ms",
	    json_object_new_int64(wall_ms() + p->timeout_ms));
	json_object_object_add(msg, "request_id", json_object_new_string(req->request_id));
	text = json_object_to_json_string_length(msg, JSON_C_TO_STRING_PLAIN, &len);
	snprintf(key, sizeof(key), "%lld", req->user_id);
	if (sm_reqreply_call(p->rr, key, text, len, (int)p->timeout_ms, &value, &rlen) != 0 ||
	    (*reply = sm_json_parse(value, rlen)) == NULL) {
		free(value);
		sm_reply_error(req, 503, "UNAVAILABLE",
		    "the push service did not confirm in time; nothing was stored");
		return -1;
	}
	free(value);
	return 0;
}

void
subscriptions_create(struct sm_req *req)
{
	struct push_api *p = req->app->data;
	json_object *body, *keys = NULL, *msg, *reply, *v;
	const char *endpoint = NULL, *p256dh = NULL, *auth = NULL;
	uint8_t buf[80];
	char err[300];
	struct sm_form f;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (sm_form_string(&f, "endpoint", SM_REQUIRED, 1, 2048, &endpoint) == 1 &&
	    sm_webpush_endpoint_check(endpoint, p->allow_loopback, 0, NULL, 0, err,
	    sizeof(err)) != 0)
		sm_form_invalid(&f, "endpoint", err);
	if (!json_object_object_get_ex(body, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_object))
		sm_form_invalid(&f, "keys", "must be an object {p256dh, auth}");
	else {
		if (!json_object_object_get_ex(keys, "p256dh", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    sm_b64url_decode(p256dh = json_object_get_string(v), buf, sizeof(buf)) != 65 ||
		    buf[0] != 4)
			sm_form_invalid(&f, "keys.p256dh", "must be a base64url P-256 public key");
		if (!json_object_object_get_ex(keys, "auth", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    sm_b64url_decode(auth = json_object_get_string(v), buf, sizeof(buf)) != 16)
			sm_form_invalid(&f, "keys.auth", "must be 16 bytes in base64url");
	}
	if (sm_form_done_or_reply(&f) != 0)
		return;
	msg = json_object_new_object();
	json_object_object_add(msg, "op", json_object_new_string("subscribe"));
	json_object_object_add(msg, "endpoint", json_object_new_string(endpoint));
	json_object_object_add(msg, "p256dh", json_object_new_string(p256dh));
	json_object_object_add(msg, "auth", json_object_new_string(auth));
	if (ask_or_reply(req, msg, &reply) == 0) {
		if (json_object_object_get_ex(reply, "ok", &v) && json_object_get_boolean(v)) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "endpoint", json_object_new_string(endpoint));
			sm_reply_json(req, 201, o);
		} else {
			json_object *fields = json_object_new_object();
			const char *code = json_object_get_string(json_object_object_get(reply, "code"));
			const char *m = json_object_get_string(json_object_object_get(reply, "message"));

			json_object_object_add(fields, code != NULL && strcmp(code, "keys") == 0 ?
			    "keys" : "endpoint", json_object_new_string(m != NULL ? m : "refused"));
			sm_reply_invalid(req, fields);
		}
		json_object_put(reply);
	}
	json_object_put(msg);
}

void
subscriptions_delete(struct sm_req *req)
{
	json_object *body, *msg, *reply;
	const char *endpoint = NULL;
	struct sm_form f;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	sm_form_string(&f, "endpoint", SM_REQUIRED, 1, 2048, &endpoint);
	if (sm_form_done_or_reply(&f) != 0)
		return;
	msg = json_object_new_object();
	json_object_object_add(msg, "op", json_object_new_string("unsubscribe"));
	json_object_object_add(msg, "endpoint", json_object_new_string(endpoint));
	if (ask_or_reply(req, msg, &reply) == 0) {
		json_object_put(reply);
		sm_reply_empty(req, 204);
	}
	json_object_put(msg);
}
