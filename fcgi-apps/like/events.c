/*
 * events.c -- the like events (see events.h): the one place the like service
 * writes to its outbox.  seq (+1 per change, under the target's row lock)
 * lets a consumer drop an event older than the count it holds.
 */
#include "events.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_outbox.h"

#include <stdio.h>

#define SOURCE "like"

int
like_event_add(struct sm_db *db, const char *type, long long id, long long user_id,
    int liked, long long like_count, long long seq, const char *request_id)
{
	json_object *data = json_object_new_object();
	char key[48];

	json_object_object_add(data, "target_type", json_object_new_string(type));
	json_object_object_add(data, "target_id", json_object_new_int64(id));
	json_object_object_add(data, "user_id", json_object_new_int64(user_id));
	json_object_object_add(data, "liked", json_object_new_boolean(liked));
	json_object_object_add(data, "like_count", json_object_new_int64(like_count));
	json_object_object_add(data, "seq", json_object_new_int64(seq));
	snprintf(key, sizeof(key), "%s:%lld", type, id);
	if (sm_outbox_add(db, "v1.event.like-changed", key, "like-changed", SOURCE, data,
	    request_id, NULL) != 0) {
		sm_log(SM_LOG_ERROR, "outbox: adding like-changed for %s failed: %s", key,
		    sm_db_error(db));
		return -1;
	}
	return 0;
}
