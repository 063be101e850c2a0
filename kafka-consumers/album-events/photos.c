/*
 * photos.c -- somoim-album-events' handlers for deleted communities, deleted
 * photos and photo likes (see photos.h).
 *
 * The one design decision: files are unlinked only by photo-deleted's
 * handler (and by the request that deleted the photo, right after its
 * commit).  A handler's transaction can roll back, an unlink cannot; the
 * event, though, exists exactly when the row's delete committed and comes at
 * least once, and unlinking a file that is already gone is fine.  So a
 * community's deletion removes rows and emits events here, and the files go
 * when those events come back.
 */
#include "photos.h"
#include "libalbum.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_kafka.h"

#include <stdio.h>
#include <string.h>

static struct album_conf album;

int
album_events_init(const struct sm_conf *conf)
{
	return album_conf_load(conf, &album);
}

int
album_on_community_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id;
	char rid[128];

	if (sm_copy_community_deleted(db, ev, m, err, errlen) != 0 ||
	    sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	return album_community_deleted(db, id,
	    sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0 ? rid : NULL);
}

int
album_on_photo_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	const char *key = sm_event_str(ev->data, "file_key");
	const char *format = sm_event_str(ev->data, "format");

	(void)db;
	(void)m;
	if (key == NULL || !album_key_valid(key))
		return sm_event_bad(ev, "file_key", err, errlen);
	if (album_ext(format) == NULL)
		return sm_event_bad(ev, "format", err, errlen);
	if (album_media_remove(&album, key, format) != 0) {
		snprintf(err, errlen, "photo-deleted: unlinking the files of %s failed", key);
		return -1;
	}
	return 0;
}

int
album_on_like_changed(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	const char *type = sm_event_str(ev->data, "target_type");
	long long id, count, seq;

	(void)m;
	if (type == NULL)
		return sm_event_bad(ev, "target_type", err, errlen);
	if (strcmp(type, "photo") != 0)
		return 0;               /* a post's: the board's read model keeps those */
	if (sm_event_ids(ev, err, errlen, "target_id", &id, "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "like_count", &count) != 0 || count < 0)
		return sm_event_bad(ev, "like_count", err, errlen);
	return sm_db_exec(db, NULL, "UPDATE photos SET like_count = ?, like_seq = ?"
	    " WHERE id = ? AND like_seq < ?", "iiii", count, seq, id, seq);
}
