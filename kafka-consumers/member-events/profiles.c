/*
 * profiles.c -- member_profiles from user-signed-up and user-updated events.
 *
 * Both events carry the whole public profile {user_id, name, profile_image,
 * region, interests, version}, so one upsert serves both.  The row moves only
 * forward: the update applies when the event's version is newer than the
 * stored one, which makes a late, older event (a relay retry) harmless.
 * (The duplicate of the same event never gets here: processed_events.)
 */
#include "member.h"
#include "sm_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The SET list is evaluated left to right: version must be assigned last. */
static const char UPSERT[] =
    "INSERT INTO member_profiles (user_id, name, profile_image, version) VALUES (?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE "
    "name = IF(VALUES(version) > version, VALUES(name), name), "
    "profile_image = IF(VALUES(version) > version, VALUES(profile_image), profile_image), "
    "version = GREATEST(version, VALUES(version))";

int
member_profile_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	json_object *v;
	const char *name, *image = NULL;
	long long user_id, version;

	(void)m;
	if (sm_event_int(ev->data, "user_id", &user_id) != 0 || user_id <= 0) {
		snprintf(err, errlen, "%s: data.user_id is missing or not a positive integer", ev->type);
		return -1;
	}
	if (sm_event_int(ev->data, "version", &version) != 0) {
		snprintf(err, errlen, "%s: data.version is missing or not an integer", ev->type);
		return -1;
	}
	if (!json_object_object_get_ex(ev->data, "name", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "%s: data.name is missing or not a string", ev->type);
		return -1;
	}
	name = json_object_get_string(v);
	if (json_object_object_get_ex(ev->data, "profile_image", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_string)) {
			snprintf(err, errlen, "%s: data.profile_image is not a string", ev->type);
			return -1;
		}
		image = json_object_get_string(v);
	}
	return sm_db_exec(db, NULL, UPSERT, "issi", user_id, name, image, version);
}
