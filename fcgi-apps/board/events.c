/*
 * events.c -- the post events (see events.h): the one place the board
 * service writes to its outbox.  Key: the post id; version lets a consumer
 * (the read model, comment, like) drop an event older than what it holds.
 */
#include "events.h"
#include "sm_db.h"
#include "sm_outbox.h"

#include <string.h>

#define SOURCE "board"

int
post_event_add(struct sm_db *db, const char *type, const struct post *p, const char *request_id)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "id", json_object_new_int64(p->id));
	json_object_object_add(data, "community_id", json_object_new_int64(p->community_id));
	json_object_object_add(data, "author_id", json_object_new_int64(p->author_id));
	if (strcmp(type, "post-deleted") != 0) {
		json_object_object_add(data, "title", json_object_get(p->title));
		json_object_object_add(data, "body", json_object_get(p->body));
		json_object_object_add(data, "created_at", json_object_get(p->created_at));
		json_object_object_add(data, "updated_at", json_object_get(p->updated_at));
	}
	json_object_object_add(data, "version", json_object_new_int64(p->version));
	return sm_outbox_event(db, SOURCE, type, p->id, data, request_id);
}
