/*
 * users.c -- v1.event.user-deleted in the member schema: the profile copy
 * becomes the neutral author (lib/sm_copy.c) and every membership of the
 * account ends as a leave would end it -- the member row goes, member_count
 * and seq move in the same statement, and v1.event.member-left goes out
 * through the member outbox, so the other services' copies and the
 * schedules' seats (given back on member-left) follow as they do for a leave.
 *
 * The one design decision: communities are taken in id order, each row
 * locked before its member row is touched, as the HTTP leave does, so this
 * transaction and concurrent joins/leaves never wait on each other in a
 * cycle.  An owner's row is left alone: ownership cannot end by leaving, and
 * a community the account still owns is deleted by the community service
 * (its community-deleted then drops the rows here).
 */
#include "member.h"
#include "events.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* user_id's communities (not owned) in id order, into a new array *ids of *n (free). */
static int
memberships(struct sm_db *db, long long user_id, long long **ids, size_t *n)
{
	struct sm_rows *rows;
	int r;

	*ids = NULL;
	*n = 0;
	if (sm_db_exec(db, &rows, "SELECT community_id FROM members WHERE user_id = ?"
	    " AND role <> 'owner' ORDER BY community_id", "i", user_id) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1) {
		if (*n % 64 == 0)
			*ids = sm_xrealloc(*ids, (*n + 64) * sizeof(**ids));
		(*ids)[(*n)++] = sm_rows_int(rows, 0);
	}
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}

/* Ends user_id's membership of community id (locked here) if it is still a member's. */
static int
leave(struct sm_db *db, long long id, long long user_id, const char *request_id)
{
	struct sm_rows *rows;
	char role[8] = "";
	int r;

	if (sm_db_exec(db, &rows, "SELECT 1 FROM communities WHERE id = ? FOR UPDATE", "i",
	    id) != 0)
		return -1;
	r = sm_rows_next(rows);
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	if (sm_db_exec(db, &rows, "SELECT role FROM members WHERE community_id = ? AND user_id = ?",
	    "ii", id, user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		snprintf(role, sizeof(role), "%s", sm_rows_str(rows, 0));
	sm_rows_free(rows);
	if (r <= 0 || strcmp(role, "owner") == 0)
		return r < 0 ? -1 : 0;
	if (sm_db_exec(db, NULL, "DELETE FROM members WHERE community_id = ? AND user_id = ?",
	    "ii", id, user_id) != 0 ||
	    sm_db_exec(db, NULL, "UPDATE communities SET member_count = member_count - 1,"
	    " seq = seq + 1 WHERE id = ? AND member_count > 0", "i", id) != 0)
		return -1;
	return member_event_add(db, "member-left", id, user_id, role, request_id);
}

int
member_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id, *ids;
	char rid[128];
	const char *request_id;
	size_t i, n;
	int rc = 0;

	if (sm_copy_profile_deleted(db, ev, m, err, errlen) != 0 ||
	    sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	request_id = sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0 ? rid : NULL;
	if (memberships(db, user_id, &ids, &n) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = leave(db, ids[i], user_id, request_id);
	free(ids);
	if (rc == 0)
		sm_log(SM_LOG_INFO, "user %lld deleted: %zu membership(s) ended", user_id, n);
	return rc;
}
