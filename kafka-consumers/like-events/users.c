/*
 * users.c -- v1.event.user-deleted in the like schema: every like of the
 * account is removed through the like service's own store
 * (store_unlike_all_in_tx), each with its like-changed, so like_count stays
 * exact here and the board's read model settles on it through like-changed
 * as for any unlike.  The like schema keeps no names, so nothing else goes.
 */
#include "posts.h"
#include "fcgi-apps/like/liblike.h"
#include "sm_kafka.h"
#include "sm_log.h"

int
like_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id, removed;
	char rid[128];

	if (sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	if (store_unlike_all_in_tx(db, user_id,
	    sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0 ? rid : NULL,
	    &removed) != 0)
		return -1;
	sm_log(SM_LOG_INFO, "user %lld deleted: %lld like(s) removed", user_id, removed);
	return 0;
}
