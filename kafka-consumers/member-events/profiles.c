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
#include "sm_json.h"

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

struct profile {
	long long user_id, version;
	const char *name, *image;
};

/* The profile an event carries: 0, or -1 with the reason in err. */
static int
profile_of(const struct sm_event *ev, struct profile *p, char *err, size_t errlen)
{
	json_object *v;

	p->image = NULL;
	if (sm_event_int(ev->data, "user_id", &p->user_id) != 0 || p->user_id <= 0) {
		snprintf(err, errlen, "%s: data.user_id is missing or not a positive integer", ev->type);
		return -1;
	}
	if (sm_event_int(ev->data, "version", &p->version) != 0) {
		snprintf(err, errlen, "%s: data.version is missing or not an integer", ev->type);
		return -1;
	}
	if (!json_object_object_get_ex(ev->data, "name", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "%s: data.name is missing or not a string", ev->type);
		return -1;
	}
	p->name = json_object_get_string(v);
	if (json_object_object_get_ex(ev->data, "profile_image", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_string)) {
			snprintf(err, errlen, "%s: data.profile_image is not a string", ev->type);
			return -1;
		}
		p->image = json_object_get_string(v);
	}
	return 0;
}

int
member_profile_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct profile p;

	(void)m;
	if (profile_of(ev, &p, err, errlen) != 0)
		return -1;
	return sm_db_exec(db, NULL, UPSERT, "issi", p.user_id, p.name, p.image, p.version);
}

/*
 * The same upsert for a whole batch in one statement: the profiles travel as
 * one JSON array through JSON_TABLE, rows apply in order (so two events of one
 * user in a batch end on the newer), and the version gate is the same.  A bad
 * event, or a value the columns refuse (strict mode), fails the statement and
 * the loop retries the batch one event at a time, where the culprit is found.
 */
int
member_profile_batch(struct sm_db *db, const struct sm_event *evs, size_t n)
{
	json_object *rows = json_object_new_array();
	struct profile p;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		json_object *o;

		if (profile_of(&evs[i], &p, err, sizeof(err)) != 0) {
			json_object_put(rows);
			return -1;
		}
		o = json_object_new_object();
		json_object_object_add(o, "user_id", json_object_new_int64(p.user_id));
		json_object_object_add(o, "name", json_object_new_string(p.name));
		json_object_object_add(o, "profile_image", sm_json_string_or_null(p.image));
		json_object_object_add(o, "version", json_object_new_int64(p.version));
		json_object_array_add(rows, o);
	}
	rc = sm_db_exec(db, NULL,
	    "INSERT INTO member_profiles (user_id, name, profile_image, version) "
	    "SELECT j.user_id, j.name, j.profile_image, j.version FROM JSON_TABLE(?, '$[*]' "
	    "COLUMNS (user_id BIGINT PATH '$.user_id', name VARCHAR(1000) PATH '$.name', "
	    "profile_image VARCHAR(2000) PATH '$.profile_image', version BIGINT PATH '$.version')) AS j "
	    "ON DUPLICATE KEY UPDATE "
	    "name = IF(VALUES(version) > member_profiles.version, VALUES(name), member_profiles.name), "
	    "profile_image = IF(VALUES(version) > member_profiles.version, VALUES(profile_image), "
	    "member_profiles.profile_image), "
	    "version = GREATEST(member_profiles.version, VALUES(version))", "s",
	    json_object_to_json_string_ext(rows, JSON_C_TO_STRING_PLAIN));
	json_object_put(rows);
	return rc;
}
