/*
 * subscriptions.c -- the push daemon's answer to v1.event.subscription.request
 * (the seed's KafkaTemplate.sendAndReceive): it alone stores and deletes the
 * browsers' push subscriptions, in its own schema, and replies
 * {"ok": true} or {"ok": false, "code", "message"} through lib/sm_responder.c.
 *
 * The one design decision: a request carries deadline_ms, the moment its
 * requester (somoim-notification) stops waiting and answers 503 "nothing
 * stored"; a request read later than that -- e.g. one that waited in Kafka
 * while this daemon was down -- is dropped unapplied, so a 503 never turns
 * into a subscription behind the user's back.  The endpoint is checked here
 * (resolving the host) because this is the program that will contact it.
 */
#include "push.h"
#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_db.h"
#include "sm_json.h"
#include "sm_log.h"
#include "sm_responder.h"
#include "sm_webpush.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define TOPIC "v1.event.subscription.request"
#define DEADLINE_MARGIN_MS 300  /* not applied this close to the requester's give-up */

struct responder {
	const struct sm_conf *conf;
	struct sm_db *db;
	int allow_loopback;
	volatile int *stop;
};

static struct responder state;
static pthread_t thread;
static int started;

static long long
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static char *
reply_json(int ok, const char *code, const char *message, size_t *len)
{
	json_object *o = json_object_new_object();
	char *s;

	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	if (!ok) {
		json_object_object_add(o, "code", json_object_new_string(code));
		json_object_object_add(o, "message", json_object_new_string(message));
	}
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (s == NULL)
		abort();
	*len = strlen(s);
	return s;
}

static const char *
str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

static long long
num(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int) ?
	    json_object_get_int64(v) : 0;
}

/* The keys of a subscription: p256dh a P-256 point, auth 16 bytes. */
static int
keys_ok(const char *p256dh, const char *auth, char *err, size_t errlen)
{
	uint8_t p[80], a[20], out[SM_WEBPUSH_MAX_BODY];

	if (p256dh == NULL || sm_b64url_decode(p256dh, p, sizeof(p)) != 65 || p[0] != 4) {
		snprintf(err, errlen, "keys.p256dh must be a base64url P-256 public key");
		return -1;
	}
	if (auth == NULL || sm_b64url_decode(auth, a, sizeof(a)) != 16) {
		snprintf(err, errlen, "keys.auth must be 16 bytes in base64url");
		return -1;
	}
	/* a trial encryption proves the point is on the curve */
	if (sm_webpush_encrypt(p, a, "{}", 2, NULL, NULL, out) < 0) {
		snprintf(err, errlen, "keys.p256dh is not a point of P-256");
		return -1;
	}
	return 0;
}

static int
answer(void *arg, const rd_kafka_message_t *request, char **reply, size_t *len)
{
	struct responder *r = arg;
	json_object *req = sm_json_parse(request->payload, request->len);
	const char *op, *endpoint;
	long long user_id, deadline;
	char err[300], hash[65];
	int rc = -1;

	if (req == NULL || !json_object_is_type(req, json_type_object)) {
		sm_log(SM_LOG_WARN, "subscriptions: a request that is not a JSON object");
		goto out;
	}
	op = str(req, "op");
	endpoint = str(req, "endpoint");
	user_id = num(req, "user_id");
	deadline = num(req, "deadline_ms");
	if (op == NULL || endpoint == NULL || user_id <= 0) {
		sm_log(SM_LOG_WARN, "subscriptions: a request without op, endpoint or user_id");
		goto out;
	}
	if (deadline > 0 && wall_ms() > deadline - DEADLINE_MARGIN_MS) {
		sm_log(SM_LOG_INFO, "subscriptions: %s for user %lld read after its deadline:"
		    " dropped", op, user_id);
		goto out;
	}
	sm_sha256_hex(endpoint, strlen(endpoint), hash);
	if (strcmp(op, "unsubscribe") == 0) {
		if (sm_db_exec(r->db, NULL, "DELETE FROM subscriptions WHERE endpoint_hash = ?"
		    " AND user_id = ?", "si", hash, user_id) != 0) {
			sm_log(SM_LOG_ERROR, "subscriptions: delete: %s", sm_db_error(r->db));
			goto out;
		}
		*reply = reply_json(1, NULL, NULL, len);
		rc = 0;
		goto out;
	}
	if (strcmp(op, "subscribe") != 0) {
		sm_log(SM_LOG_WARN, "subscriptions: unknown op %s", op);
		goto out;
	}
	/* keys first: a request with made-up keys never makes us resolve its host */
	if (keys_ok(str(req, "p256dh"), str(req, "auth"), err, sizeof(err)) != 0) {
		*reply = reply_json(0, "keys", err, len);
		rc = 0;
		goto out;
	}
	if (sm_webpush_endpoint_check(endpoint, r->allow_loopback, 1, NULL, 0, err,
	    sizeof(err)) != 0) {
		*reply = reply_json(0, "endpoint", err, len);
		rc = 0;
		goto out;
	}
	/* An endpoint is one browser profile: whoever subscribed it last owns it. */
	if (sm_db_exec(r->db, NULL, "INSERT INTO subscriptions (user_id, endpoint, endpoint_hash,"
	    " p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP())"
	    " ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), p256dh = VALUES(p256dh),"
	    " auth = VALUES(auth)", "issss", user_id, endpoint, hash, str(req, "p256dh"),
	    str(req, "auth")) != 0) {
		sm_log(SM_LOG_ERROR, "subscriptions: insert: %s", sm_db_error(r->db));
		goto out;
	}
	sm_log(SM_LOG_INFO, "subscriptions: user %lld subscribed an endpoint", user_id);
	*reply = reply_json(1, NULL, NULL, len);
	rc = 0;
out:
	json_object_put(req);
	return rc;
}

static void *
run(void *arg)
{
	struct responder *r = arg;
	const struct sm_responder resp = {
		.name = "subscriptions",
		.topic = TOPIC,
		.group = "push-subscriptions",
		.answer = answer,
		.arg = r,
		.stop = r->stop,
	};

	sm_responder_run(r->conf, &resp);
	return NULL;
}

int
subscriptions_start(const struct sm_conf *conf, volatile int *stop)
{

	state.conf = conf;
	state.stop = stop;
	state.allow_loopback = sm_webpush_loopback_allowed(conf);
	if ((state.db = sm_db_new(conf, "push")) == NULL)
		return -1;
	if (pthread_create(&thread, NULL, run, &state) != 0) {
		sm_log(SM_LOG_ERROR, "subscriptions: pthread_create failed");
		sm_db_free(state.db);
		return -1;
	}
	started = 1;
	return 0;
}

void
subscriptions_join(void)
{
	if (!started)
		return;
	pthread_join(thread, NULL);
	sm_db_free(state.db);
	started = 0;
}
