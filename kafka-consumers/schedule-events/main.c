/*
 * main.c -- somoim-schedule-events: keeps the schedule schema's copies of the
 * communities, memberships and profiles (lib/sm_copy.c), which decide who may
 * create and attend schedules and give attendees their current names and
 * images; drops the schedules of a deleted community; and gives up the places
 * of a member who left (promoting the next in line, as a DELETE would), so a
 * former member never keeps a seat.  The loop, retries, dead letters and
 * shutdown are lib/sm_consumer.c.
 */
#include "seats.h"
#include "sm_consumer.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_log.h"

#include <stdio.h>

/*
 * community-deleted: the copy's tombstone (sm_copy), then the community's
 * schedules and their attendance rows.  No attendance events: the community
 * and everything in it is gone, which community-deleted already says.
 */
static int
community_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id;

	if (sm_copy_community_deleted(db, ev, m, err, errlen) != 0)
		return -1;
	if (sm_event_int(ev->data, "id", &id) != 0 || id <= 0) {
		snprintf(err, errlen, "community-deleted without an id");
		return -1;
	}
	if (sm_db_exec(db, NULL, "DELETE a FROM attendances a JOIN schedules s"
	    " ON s.id = a.schedule_id WHERE s.community_id = ?", "i", id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM schedules WHERE community_id = ?", "i", id) != 0)
		return -1;
	if (sm_db_affected(db) > 0)
		sm_log(SM_LOG_INFO, "community %lld deleted: its %llu schedule(s) dropped", id,
		    sm_db_affected(db));
	return 0;
}

/*
 * member-left: the copy first (sm_copy, which ignores an older event); then,
 * if the copy now says the user is no member, each upcoming place they hold
 * in the community is given back in this same transaction.
 */
static int
member_left(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long cid, uid, ids[64];
	struct sm_rows *rows;
	int r, member, n = 0, i;

	if (sm_copy_member_apply(db, ev, m, err, errlen) != 0)
		return -1;
	if (sm_event_int(ev->data, "community_id", &cid) != 0 ||
	    sm_event_int(ev->data, "user_id", &uid) != 0) {
		snprintf(err, errlen, "member-left without community_id/user_id");
		return -1;
	}
	if (sm_db_exists(db, &member, "SELECT 1 FROM copy_members WHERE community_id = ?"
	    " AND user_id = ? AND role IS NOT NULL", "ii", cid, uid) != 0)
		return -1;
	if (member)
		return 0;       /* rejoined since: a newer event already said so */
	if (sm_db_exec(db, &rows, "SELECT a.schedule_id FROM attendances a JOIN schedules s"
	    " ON s.id = a.schedule_id WHERE a.user_id = ? AND s.community_id = ?"
	    " AND s.starts_at > NOW(3) ORDER BY a.schedule_id LIMIT 64", "ii", uid, cid) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1 && n < 64)
		ids[n++] = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (seats_cancel_in_tx(db, ids[i], uid, NULL) != 0)
			return -1;
	if (n > 0)
		sm_log(SM_LOG_INFO, "user %lld left community %lld: %d place(s) given back", uid,
		    cid, n);
	return 0;
}

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_PROFILE_HANDLERS,
	{ "v1.event.member-joined", sm_copy_member_apply, NULL },
	{ "v1.event.member-left", member_left, NULL },
	{ "v1.event.member-updated", sm_copy_member_apply, NULL },
	SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", community_deleted, NULL },
};

static const struct sm_consumer schedule_events = {
	.name = "schedule-events",
	.group = "schedule",
	.schema = "schedule",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	return sm_consumer_main(&schedule_events);
}
