/*
 * departed.c -- v1.event.user-deleted in the community schema: the account's
 * copies go (its interests, with user_versions raised to the event's version
 * so a late user-signed-up/-updated cannot bring them back), its wishlist
 * goes, and any community it still owns is deleted through the community
 * service's own store (store_delete_in_tx: community-deleted and all that
 * follows it).  The memberships copy follows the member service's
 * member-left events, like any leave.
 *
 * The one design decision: the user service refuses to delete an owner, but
 * it judges by its own copy, so a community created in the moment before the
 * deletion can pass it.  This handler closes that gap: it records the
 * account in departed_users first -- creating a community share-locks that
 * entry -- and only then looks for communities the account owns, so a
 * racing creation either committed before (and is found here and deleted)
 * or waits and is refused.  No community is left without its owner.
 */
#include "copies.h"
#include "fcgi-apps/community/libcommunity.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"

#include <stdlib.h>

int
copies_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id, version, *ids;
	const char *request_id;
	size_t i, n = 0;
	char rid[128];
	int r = 0;

	if (sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "version", &version) != 0)
		return sm_event_bad(ev, "version", err, errlen);
	request_id = sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0 ? rid : NULL;
	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO departed_users (user_id) VALUES (?)", "i",
	    user_id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM user_interests WHERE user_id = ?", "i", user_id) != 0 ||
	    sm_db_exec(db, NULL, "INSERT INTO user_versions (user_id, version) VALUES (?, ?)"
	    " ON DUPLICATE KEY UPDATE version = GREATEST(version, VALUES(version))", "ii",
	    user_id, version) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM wishlist WHERE user_id = ?", "i", user_id) != 0)
		return -1;
	if (sm_db_ids(db, &ids, &n, "SELECT id FROM communities WHERE owner_id = ? ORDER BY id"
	    " FOR UPDATE", "i", user_id) != 0)
		return -1;
	for (i = 0; r == 0 && i < n; i++) {
		sm_log(SM_LOG_WARN, "user %lld deleted while owning community %lld: deleting it",
		    user_id, ids[i]);
		if ((r = store_delete_in_tx(db, ids[i], user_id, request_id)) != 0)
			r = r == STORE_NOT_FOUND ? 0 : -1;
	}
	free(ids);
	return r;
}
