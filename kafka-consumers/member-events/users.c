/*
 * users.c -- v1.event.user-deleted in the member schema: the profile copy
 * becomes the neutral author (lib/sm_copy.c) and every membership of the
 * account ends as a leave would end it -- the member row goes, member_count
 * and seq move in the same statement, and v1.event.member-left goes out
 * through the member outbox, so the other services' copies and the
 * schedules' seats (given back on member-left) follow as they do for a leave.
 *
 * The one design decision: each leave is the member service's own
 * (store_leave_in_tx, the HTTP leave's transaction body), taken in
 * community id order, so this transaction and concurrent joins/leaves never
 * wait on each other in a cycle.  An owner's row is left alone: ownership
 * cannot end by leaving, and a community the account still owns is deleted
 * by the community service (its community-deleted then drops the rows here).
 */
#include "member.h"
#include "fcgi-apps/member/libmember.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"

#include <stdlib.h>

int
member_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id, *ids;
	char rid[128];
	const char *request_id;
	size_t i, n;
	int rc = 0, left;

	if (sm_copy_profile_deleted(db, ev, m, err, errlen) != 0 ||
	    sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	request_id = sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0 ? rid : NULL;
	if (sm_db_ids(db, &ids, &n, "SELECT community_id FROM members WHERE user_id = ?"
	    " AND role <> 'owner' ORDER BY community_id", "i", user_id) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		/* STORE_OWNER (made owner since?) and STORE_NOT_FOUND: nothing to end here. */
		if ((rc = store_leave_in_tx(db, ids[i], user_id, request_id, &left)) > 0)
			rc = 0;
	}
	free(ids);
	if (rc == 0)
		sm_log(SM_LOG_INFO, "user %lld deleted: %zu membership(s) ended", user_id, n);
	return rc;
}
