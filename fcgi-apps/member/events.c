/*
 * events.c -- the member events (see libmember.h).
 *
 * member_count and seq are read back from the community row inside the same
 * transaction that changed it, so the event carries exactly the count its own
 * change produced; seq (+1 per join, leave and role change, under the row
 * lock) lets a consumer drop an event older than what it holds, whatever
 * order different topics deliver in.
 */
#include "libmember.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_outbox.h"

#include <stdio.h>

#define SOURCE "member"

int
member_event_add(struct sm_db *db, const char *type, long long community_id,
    long long user_id, const char *role, const char *request_id)
{
	struct sm_rows *rows;
	json_object *data;
	int r;

	if (sm_db_exec(db, &rows, "SELECT member_count, seq FROM communities WHERE id = ?", "i",
	    community_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) != 1) {
		sm_rows_free(rows);
		if (r == 0)
			sm_log(SM_LOG_ERROR, "outbox: %s: community %lld vanished in its own "
			    "transaction", type, community_id);
		return -1;
	}
	data = json_object_new_object();
	json_object_object_add(data, "community_id", json_object_new_int64(community_id));
	json_object_object_add(data, "user_id", json_object_new_int64(user_id));
	json_object_object_add(data, "role", json_object_new_string(role));
	json_object_object_add(data, "member_count", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(data, "seq", json_object_new_int64(sm_rows_int(rows, 1)));
	sm_rows_free(rows);
	return sm_outbox_event(db, SOURCE, type, community_id, data, request_id);
}
