/*
 * notifications.c -- the feed (GET /api/v1/notifications, newest first, with
 * cursors), GET .../unread-count, POST .../{id}/read, and GET/PUT
 * .../settings (API.md "Notifications").
 *
 * Decisions a client sees: reading a notification twice is 204 both times;
 * one that is not the caller's is 404 (not 403: ids say nothing).  Settings
 * are {type: {push, feed}} for every type, all on until changed; a PUT
 * names any subset of types and of the two switches, and answers the whole
 * settings as they now are.  Turning a type's feed off hides new
 * notifications of that type from the feed (and the unread count); turning
 * its push off stops the Web Push messages.
 */
#include "store.h"
#include "sm_cursor.h"

#include <string.h>

#define FEED_TAG "n"            /* the feed: notification ids descending */

void
feed_list(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;

	if (sm_page_or_reply(req, FEED_TAG, &limit, &after) != 0)
		return;
	if (store_feed(req->app->db, req->user_id, after, limit, &items, &next) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_page(req, FEED_TAG, items, next);
}

void
feed_unread_count(struct sm_req *req)
{
	long long count;
	json_object *o;

	if (store_unread(req->app->db, req->user_id, &count) != 0) {
		sm_reply_db_error(req);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(count));
	sm_reply_json(req, 200, o);
}

void
feed_read(struct sm_req *req)
{
	switch (store_read(req->app->db, req->user_id, req->ids[0])) {
	case 0:
		sm_reply_empty(req, 204);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such notification");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
settings_get(struct sm_req *req)
{
	json_object *o;

	if (store_settings(req->app->db, req->user_id, &o) != 0) {
		sm_reply_db_error(req);
		return;
	}
	sm_reply_json(req, 200, o);
}

static int
known_type(const char *t)
{
	size_t i;

	for (i = 0; i < NOTIFICATION_NTYPES; i++)
		if (strcmp(t, NOTIFICATION_TYPES[i]) == 0)
			return 1;
	return 0;
}

void
settings_put(struct sm_req *req)
{
	json_object *body, *cur, *fields = NULL;
	char key[64];

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	json_object_object_foreach(body, type, v) {
		int bad = !known_type(type) || !json_object_is_type(v, json_type_object);

		if (!bad) {
			json_object_object_foreach(v, k, b) {
				if ((strcmp(k, "push") != 0 && strcmp(k, "feed") != 0) ||
				    !json_object_is_type(b, json_type_boolean))
					bad = 1;
			}
		}
		if (bad) {
			if (fields == NULL)
				fields = json_object_new_object();
			snprintf(key, sizeof(key), "%.60s", type);
			json_object_object_add(fields, key, json_object_new_string(known_type(type) ?
			    "must be an object with optional boolean push and feed" :
			    "unknown notification type"));
		}
	}
	if (fields != NULL) {
		sm_reply_invalid(req, fields);
		return;
	}
	if (store_settings(req->app->db, req->user_id, &cur) != 0) {
		sm_reply_db_error(req);
		return;
	}
	json_object_object_foreach(body, type2, v2) {
		json_object *c = json_object_object_get(cur, type2), *p, *f;
		int push, feed;

		push = json_object_object_get_ex(v2, "push", &p) ? json_object_get_boolean(p) :
		    json_object_get_boolean(json_object_object_get(c, "push"));
		feed = json_object_object_get_ex(v2, "feed", &f) ? json_object_get_boolean(f) :
		    json_object_get_boolean(json_object_object_get(c, "feed"));
		if (store_setting_put(req->app->db, req->user_id, type2, push, feed) != 0) {
			json_object_put(cur);
			sm_reply_db_error(req);
			return;
		}
		json_object_object_add(c, "push", json_object_new_boolean(push));
		json_object_object_add(c, "feed", json_object_new_boolean(feed));
	}
	sm_reply_json(req, 200, cur);
}
