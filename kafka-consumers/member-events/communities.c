/*
 * communities.c -- the member schema's copy of every community, from
 * v1.event.community-created / -updated / -deleted, and the owner's
 * membership that a community-created brings.
 *
 * The one design decision: the three events arrive on three topics, which
 * Kafka does not order against each other, so each handler is correct in any
 * order.  created and updated both upsert the copy, moving it only to a newer
 * version (an updated that overtakes its created leaves a copy with no
 * members yet, and the created then adds the owner); only created adds the
 * owner's member row, with member_count + 1, seq + 1 and the owner's
 * v1.event.member-joined through this schema's outbox, all in the loop's
 * transaction, so the event exists exactly when the owner row does.  deleted
 * removes the copy and its members and leaves a tombstone that later created
 * or updated events of the same id respect.  member_count and seq are never
 * taken from the community service: they are this service's own.
 * (No outbox wake from here: the commit is the loop's, after the handler; the
 * relay's poll, 150 ms, picks the event up.)
 */
#include "member.h"
#include "fcgi-apps/member/libmember.h"
#include "sm_db.h"

#include <string.h>

/* The SET list runs left to right: version is assigned last. */
static const char UPSERT[] =
    "INSERT INTO communities (id, name, description, region, interest, max_members,"
    " owner_id, is_private, created_at, version)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
    " COALESCE(STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ'), CURRENT_TIMESTAMP(3)), ?) "
    "ON DUPLICATE KEY UPDATE "
    "name = IF(VALUES(version) > version, VALUES(name), name), "
    "description = IF(VALUES(version) > version, VALUES(description), description), "
    "region = IF(VALUES(version) > version, VALUES(region), region), "
    "interest = IF(VALUES(version) > version, VALUES(interest), interest), "
    "max_members = IF(VALUES(version) > version, VALUES(max_members), max_members), "
    "is_private = IF(VALUES(version) > version, VALUES(is_private), is_private), "
    "version = GREATEST(version, VALUES(version))";

struct community {
	long long id, max_members, owner_id, is_private, version;
	const char *name, *description, *region, *interest, *created_at;
};

/* Reads the community-* event data; -1 after writing what is wrong into err. */
static int
parse(const struct sm_event *ev, struct community *c, char *err, size_t errlen)
{
	json_object *v;
	const char *bad = NULL;

	if (sm_event_int(ev->data, "id", &c->id) != 0 || c->id <= 0)
		bad = "id";
	else if (sm_event_int(ev->data, "version", &c->version) != 0)
		bad = "version";
	else if (sm_event_int(ev->data, "owner_id", &c->owner_id) != 0 || c->owner_id <= 0)
		bad = "owner_id";
	else if (sm_event_int(ev->data, "max_members", &c->max_members) != 0 ||
	    c->max_members < 0)
		bad = "max_members";
	else if ((c->name = sm_event_str(ev->data, "name")) == NULL)
		bad = "name";
	else if ((c->region = sm_event_str(ev->data, "region")) == NULL)
		bad = "region";
	else if ((c->interest = sm_event_str(ev->data, "interest")) == NULL)
		bad = "interest";
	if (bad != NULL)
		return sm_event_bad(ev, bad, err, errlen);
	if ((c->description = sm_event_str(ev->data, "description")) == NULL)
		c->description = "";
	c->created_at = sm_event_str(ev->data, "created_at");    /* NULL: now */
	c->is_private = json_object_object_get_ex(ev->data, "is_private", &v) &&
	    json_object_get_boolean(v);
	return 0;
}

/* Upserts the copy unless the community was deleted; *applied 0 when it was. */
static int
upsert(struct sm_db *db, const struct community *c, int *applied)
{
	int deleted;

	if (sm_db_exists(db, &deleted, "SELECT 1 FROM community_tombstones WHERE id = ?", "i",
	    c->id) != 0)
		return -1;
	if ((*applied = !deleted) == 0)
		return 0;
	return sm_db_exec(db, NULL, UPSERT, "issssiiisi", c->id, c->name, c->description,
	    c->region, c->interest, c->max_members, c->owner_id, c->is_private, c->created_at,
	    c->version);
}

int
member_community_created(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	struct community c;
	char request_id[64];
	int applied;

	if (parse(ev, &c, err, errlen) != 0 || upsert(db, &c, &applied) != 0)
		return -1;
	if (!applied)
		return 0;               /* tombstoned: the community is already gone */
	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO members (community_id, user_id, role)"
	    " VALUES (?, ?, 'owner')", "ii", c.id, c.owner_id) != 0)
		return -1;
	if (sm_db_affected(db) == 0)
		return 0;
	if (sm_db_exec(db, NULL, "UPDATE communities SET member_count = member_count + 1,"
	    " seq = seq + 1 WHERE id = ?", "i", c.id) != 0)
		return -1;
	if (sm_kafka_header(m, SM_HDR_REQUEST_ID, request_id, sizeof(request_id)) != 0)
		request_id[0] = '\0';
	return member_event_add(db, "member-joined", c.id, c.owner_id, "owner",
	    request_id[0] ? request_id : NULL);
}

int
member_community_updated(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	struct community c;
	int applied;

	(void)m;
	if (parse(ev, &c, err, errlen) != 0)
		return -1;
	return upsert(db, &c, &applied);
}

int
member_community_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO community_tombstones (id) VALUES (?)", "i",
	    id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM members WHERE community_id = ?", "i", id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM communities WHERE id = ?", "i", id) != 0)
		return -1;
	return 0;
}
