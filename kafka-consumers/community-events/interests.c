/*
 * interests.c -- user_interests from user-signed-up and user-updated events.
 *
 * Both events carry the user's whole interest list (data.interests, codes),
 * so the copy is replaced, never patched.  The one design decision: whether
 * an event is newer is decided by user_versions(user_id, version), not by the
 * interest rows themselves -- a user with no interests has no rows to carry a
 * version, and a late, older event (a relay retry, a re-driven dead letter)
 * must not bring back an interest list the user has since changed.  The gate
 * is one conditional UPDATE, so "newer" is whatever the row lock serialises.
 * (The duplicate of the same event never gets here: processed_events.)
 */
#include "copies.h"
#include "sm_db.h"
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 32             /* user_interests.code VARCHAR(32) */

int
copies_user_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	json_object *codes, *c;
	long long user_id, version;
	size_t i, n;

	(void)m;
	if (sm_event_int(ev->data, "user_id", &user_id) != 0 || user_id <= 0) {
		snprintf(err, errlen, "%s: data.user_id is missing or not a positive integer", ev->type);
		return -1;
	}
	if (sm_event_int(ev->data, "version", &version) != 0 || version <= 0) {
		snprintf(err, errlen, "%s: data.version is missing or not a positive integer",
		    ev->type);
		return -1;
	}
	if (!json_object_object_get_ex(ev->data, "interests", &codes)) {
		/* An event that says nothing about interests changes none. */
		sm_log(SM_LOG_INFO, "%s without data.interests: nothing to apply (event_id=%s)",
		    ev->type, ev->id);
		return 0;
	}
	if (!json_object_is_type(codes, json_type_array)) {
		snprintf(err, errlen, "%s: data.interests is not an array", ev->type);
		return -1;
	}
	n = json_object_array_length(codes);
	for (i = 0; i < n; i++) {
		c = json_object_array_get_idx(codes, i);
		if (!json_object_is_type(c, json_type_string) ||
		    json_object_get_string_len(c) < 1 || json_object_get_string_len(c) > CODE_MAX) {
			snprintf(err, errlen, "%s: data.interests[%zu] is not an interest code",
			    ev->type, i);
			return -1;
		}
	}

	/* The gate: version 0 is "never applied"; the UPDATE matches only a newer event. */
	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO user_versions (user_id, version) VALUES (?, 0)",
	    "i", user_id) != 0 ||
	    sm_db_exec(db, NULL, "UPDATE user_versions SET version = ? WHERE user_id = ? AND version < ?",
	    "iii", version, user_id, version) != 0)
		return -1;
	if (sm_db_affected(db) == 0) {
		sm_log(SM_LOG_INFO, "stale %s skipped: event_id=%s user_id=%lld version=%lld",
		    ev->type, ev->id, user_id, version);
		return 0;
	}
	if (sm_db_exec(db, NULL, "DELETE FROM user_interests WHERE user_id = ?", "i", user_id) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		/* IGNORE: a code listed twice is one row. */
		if (sm_db_exec(db, NULL,
		    "INSERT IGNORE INTO user_interests (user_id, code) VALUES (?, ?)", "is",
		    user_id, json_object_get_string(json_object_array_get_idx(codes, i))) != 0)
			return -1;
	}
	return 0;
}
