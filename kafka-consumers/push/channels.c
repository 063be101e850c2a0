/*
 * channels.c -- the notification channels of somoim-push, subscribed to the
 * in-process bus: the in-app feed and the Web Push queue.  Adding a channel
 * (e-mail, say) is adding a subscriber here.
 *
 * The one design decision: every channel is idempotent on the notification's
 * exactly-once key, because the bus runs inside the consumer's transaction
 * and a failure anywhere retries the whole event.  The feed row is unique on
 * (event_id, user_id, type) and its id becomes the notification id even when
 * the row already existed (LAST_INSERT_ID(id) on the duplicate); a delivery is
 * unique on (notification, subscription).  The feed is written through the
 * notification schema's own DB user (each user on its own schema), outside
 * the push transaction -- harmless, since a retry finds the same row.
 */
#include "push.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_webpush.h"

#include <json-c/json.h>
#include <string.h>
#include <time.h>

const struct sm_bus_type NOTIFICATION = { "notification" };

static long long clock_offset;

void
push_clock_init(long long offset)
{
	clock_offset = offset;
}

long long
push_now(void)
{
	return (long long)time(NULL) + clock_offset;
}

/* The feed writer: stores the row (hidden when the feed is off) and sets n->id. */
static int
feed_write(void *arg, const void *msg)
{
	struct channels *ch = arg;
	struct notification *n = (struct notification *)msg;

	if (sm_db_exec(ch->notification_db, NULL,
	    "INSERT INTO notifications (user_id, actor_id, type, event_id, title, body, link,"
	    " in_feed, created_at) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?))"
	    " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)", "iisssssii", n->user_id,
	    n->actor_id, n->type, n->event_id, n->title, n->body, n->link, (long long)n->feed,
	    push_now()) != 0) {
		sm_log(SM_LOG_ERROR, "feed: insert for user %lld (%s %s) failed: %s", n->user_id,
		    n->type, n->event_id, sm_db_error(ch->notification_db));
		return -1;
	}
	n->id = (long long)sm_db_insert_id(ch->notification_db);
	return n->id > 0 ? 0 : -1;
}

/*
 * The payload {type, title, body, link, id}, cut to the 3,993-byte limit by
 * shortening the body (whole UTF-8 characters).  Returns a json_object.
 */
static json_object *
payload(const struct notification *n)
{
	size_t bl = strlen(n->body);

	for (;;) {
		json_object *o = json_object_new_object();
		size_t len;

		json_object_object_add(o, "type", json_object_new_string(n->type));
		json_object_object_add(o, "title", json_object_new_string(n->title));
		json_object_object_add(o, "body", json_object_new_string_len(n->body, (int)bl));
		json_object_object_add(o, "link", json_object_new_string(n->link));
		json_object_object_add(o, "id", json_object_new_int64(n->id));
		json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
		if (len <= SM_WEBPUSH_MAX_PLAINTEXT || bl == 0)
			return o;
		json_object_put(o);
		bl = bl > len - SM_WEBPUSH_MAX_PLAINTEXT ? bl - (len - SM_WEBPUSH_MAX_PLAINTEXT) : 0;
		while (bl > 0 && ((unsigned char)n->body[bl] & 0xC0) == 0x80)
			bl--;
	}
}

/* The Web Push queue: one pending delivery per subscription of the recipient. */
static int
push_queue(void *arg, const void *msg)
{
	struct channels *ch = arg;
	const struct notification *n = msg;
	json_object *o;
	const char *text;
	size_t len;
	int rc;

	if (!n->push)
		return 0;
	o = payload(n);
	text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	rc = sm_db_exec(ch->push_db, NULL,
	    "INSERT IGNORE INTO deliveries (notification_id, subscription_id, payload, ttl,"
	    " urgency, due_at, created_at)"
	    " SELECT ?, id, ?, ?, ?, NOW(3), NOW(3) FROM subscriptions WHERE user_id = ?",
	    "ibisi", n->id, text, len, n->ttl, n->urgency, n->user_id);
	if (rc != 0)
		sm_log(SM_LOG_ERROR, "push queue: insert for notification %lld failed: %s", n->id,
		    sm_db_error(ch->push_db));
	else if (sm_db_affected(ch->push_db) > 0)
		sender_kick();
	json_object_put(o);
	return rc;
}

struct sm_bus *
channels_bus(struct channels *ch)
{
	struct sm_bus *bus = sm_bus_new();

	sm_bus_subscribe(bus, &NOTIFICATION, feed_write, ch);   /* first: it sets the id */
	sm_bus_subscribe(bus, &NOTIFICATION, push_queue, ch);
	return bus;
}

int
notify(struct sm_bus *bus, struct channels *ch, struct notification *n)
{
	struct sm_rows *rows;
	int r;

	n->feed = n->push = 1;
	if (sm_db_exec(ch->notification_db, &rows,
	    "SELECT push, feed FROM settings WHERE user_id = ? AND type = ?", "is", n->user_id,
	    n->type) != 0) {
		sm_log(SM_LOG_ERROR, "settings of user %lld: %s", n->user_id,
		    sm_db_error(ch->notification_db));
		return -1;
	}
	if ((r = sm_rows_next(rows)) == 1) {
		n->push = sm_rows_int(rows, 0) != 0;
		n->feed = sm_rows_int(rows, 1) != 0;
	}
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	if (!n->feed && !n->push)
		return 0;
	return sm_bus_publish(bus, &NOTIFICATION, n);
}
