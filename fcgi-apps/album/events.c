/*
 * events.c -- v1.event.photo-created / photo-deleted (see libalbum.h).
 *
 * The one design decision: photo-deleted names the photo's file_key and
 * format, so its consumer (somoim-album-events) can unlink the files even
 * though the row is gone: the event commits with the row's delete, and the
 * relay delivers it at least once, so no crash leaves the files behind.  Both
 * carry what the like service's copy needs (id, community_id, uploader_id,
 * version: 1 for created, 2 for deleted).
 */
#include "libalbum.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_outbox.h"

#include <stdio.h>

#define SOURCE "album"

static json_object *
photo_data(const struct album_photo *p, int version)
{
	json_object *d = json_object_new_object();

	json_object_object_add(d, "id", json_object_new_int64(p->id));
	json_object_object_add(d, "community_id", json_object_new_int64(p->community_id));
	json_object_object_add(d, "uploader_id", json_object_new_int64(p->uploader_id));
	json_object_object_add(d, "format", json_object_new_string(p->format));
	json_object_object_add(d, "width", json_object_new_int64(p->width));
	json_object_object_add(d, "height", json_object_new_int64(p->height));
	json_object_object_add(d, "version", json_object_new_int64(version));
	return d;
}

static int
add(struct sm_db *db, const char *type, const struct album_photo *p, json_object *data,
    const char *request_id)
{
	char topic[64], key[24];

	snprintf(topic, sizeof(topic), "v1.event.%s", type);
	snprintf(key, sizeof(key), "%lld", p->id);
	if (sm_outbox_add(db, topic, key, type, SOURCE, data, request_id, NULL) != 0) {
		sm_log(SM_LOG_ERROR, "outbox: adding %s for photo %lld failed: %s", type, p->id,
		    sm_db_error(db));
		return -1;
	}
	return 0;
}

int
album_photo_created_add(struct sm_db *db, const struct album_photo *p, const char *caption,
    const char *created_at, const char *request_id)
{
	json_object *d = photo_data(p, 1);

	json_object_object_add(d, "caption", json_object_new_string(caption));
	json_object_object_add(d, "created_at", json_object_new_string(created_at));
	return add(db, "photo-created", p, d, request_id);
}

int
album_photo_deleted_add(struct sm_db *db, const struct album_photo *p, const char *request_id)
{
	json_object *d = photo_data(p, 2);

	json_object_object_add(d, "file_key", json_object_new_string(p->file_key));
	return add(db, "photo-deleted", p, d, request_id);
}
