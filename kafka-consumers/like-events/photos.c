/*
 * photos.c -- the like schema's targets of type "photo", from the album's
 * v1.event.photo-created / -deleted.
 *
 * The one design decision: the same as posts.c -- each handler is right in
 * either arrival order: a deleted photo stays a tombstone (deleted = 1,
 * like_count 0) that a late photo-created never revives, and the tombstone
 * write takes the target row's lock that every like write holds, so no like
 * slips in after the photo's likes were removed.
 */
#include "photos.h"
#include "sm_db.h"
#include "sm_kafka.h"

static const char UPSERT[] =
    "INSERT INTO targets (target_type, target_id, community_id, owner_id, version)"
    " VALUES ('photo', ?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE "
    "version = IF(deleted = 0, GREATEST(version, VALUES(version)), version)";

static const char TOMBSTONE[] =
    "INSERT INTO targets (target_type, target_id, community_id, owner_id, version, deleted)"
    " VALUES ('photo', ?, ?, ?, ?, 1) "
    "ON DUPLICATE KEY UPDATE deleted = 1, like_count = 0, "
    "version = GREATEST(version, VALUES(version))";

struct photo {
	long long id, community_id, uploader_id, version;
};

static int
parse(const struct sm_event *ev, struct photo *p, char *err, size_t errlen)
{
	return sm_event_ids(ev, err, errlen, "id", &p->id, "community_id", &p->community_id,
	    "uploader_id", &p->uploader_id, "version", &p->version, (char *)NULL);
}

int
like_photo_created(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct photo p;

	(void)m;
	if (parse(ev, &p, err, errlen) != 0)
		return -1;
	return sm_db_exec(db, NULL, UPSERT, "iiii", p.id, p.community_id, p.uploader_id,
	    p.version);
}

int
like_photo_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct photo p;

	(void)m;
	if (parse(ev, &p, err, errlen) != 0)
		return -1;
	if (sm_db_exec(db, NULL, TOMBSTONE, "iiii", p.id, p.community_id, p.uploader_id,
	    p.version) != 0)
		return -1;
	return sm_db_exec(db, NULL, "DELETE FROM likes WHERE target_type = 'photo'"
	    " AND target_id = ?", "i", p.id);
}
