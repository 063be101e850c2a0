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
 *
 * copies_user_batch does the same for a whole batch in four statements
 * (instead of three plus one per interest for every event): only each
 * user's newest event in the batch can matter, the stored versions are read
 * under lock, and the users whose event is newer get their versions, their
 * DELETE and their new rows each in one statement through JSON_TABLE.
 */
#include "copies.h"
#include "sm_db.h"
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 32             /* user_interests.code VARCHAR(32) */

/*
 * The event's user, version and interest codes (*codes NULL: the event says
 * nothing about interests).  0, or -1 with the reason in err.
 */
static int
parse(const struct sm_event *ev, long long *user_id, long long *version, json_object **codes,
    char *err, size_t errlen)
{
	json_object *c;
	size_t i, n;

	if (sm_event_int(ev->data, "user_id", user_id) != 0 || *user_id <= 0) {
		snprintf(err, errlen, "%s: data.user_id is missing or not a positive integer", ev->type);
		return -1;
	}
	if (sm_event_int(ev->data, "version", version) != 0 || *version <= 0) {
		snprintf(err, errlen, "%s: data.version is missing or not a positive integer",
		    ev->type);
		return -1;
	}
	if (!json_object_object_get_ex(ev->data, "interests", codes)) {
		*codes = NULL;
		return 0;
	}
	if (!json_object_is_type(*codes, json_type_array)) {
		snprintf(err, errlen, "%s: data.interests is not an array", ev->type);
		return -1;
	}
	n = json_object_array_length(*codes);
	for (i = 0; i < n; i++) {
		c = json_object_array_get_idx(*codes, i);
		if (!json_object_is_type(c, json_type_string) ||
		    json_object_get_string_len(c) < 1 || json_object_get_string_len(c) > CODE_MAX) {
			snprintf(err, errlen, "%s: data.interests[%zu] is not an interest code",
			    ev->type, i);
			return -1;
		}
	}
	return 0;
}

int
copies_user_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	json_object *codes;
	long long user_id, version;
	size_t i, n;

	(void)m;
	if (parse(ev, &user_id, &version, &codes, err, errlen) != 0)
		return -1;
	if (codes == NULL) {
		/* An event that says nothing about interests changes none. */
		sm_log(SM_LOG_INFO, "%s without data.interests: nothing to apply (event_id=%s)",
		    ev->type, ev->id);
		return 0;
	}
	n = json_object_array_length(codes);

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

/* A user's newest event in the batch, and whether its version beats the stored one. */
struct pick {
	long long user_id, version;
	json_object *codes;
	int apply;
};

static int
by_user(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	return x->user_id < y->user_id ? -1 : x->user_id > y->user_id;
}

/* The picks with apply set (every pick when all is set), as a JSON array for JSON_TABLE. */
static const char *
picks_json(json_object **out, const struct pick *p, size_t n, int all)
{
	size_t i;

	*out = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object *o;

		if (!all && !p[i].apply)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "user_id", json_object_new_int64(p[i].user_id));
		json_object_object_add(o, "version", json_object_new_int64(p[i].version));
		json_object_object_add(o, "interests", json_object_get(p[i].codes));
		json_object_array_add(*out, o);
	}
	return json_object_to_json_string_ext(*out, JSON_C_TO_STRING_PLAIN);
}

int
copies_user_batch(struct sm_db *db, const struct sm_event *evs, size_t n)
{
	struct pick *p = calloc(n ? n : 1, sizeof(*p));
	struct sm_rows *rows = NULL;
	json_object *arr = NULL;
	size_t i, k = 0, np = 0, napply = 0;
	char err[256];
	int rc = -1, r;

	if (p == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct pick e;

		if (parse(&evs[i], &e.user_id, &e.version, &e.codes, err, sizeof(err)) != 0)
			goto out;
		if (e.codes != NULL)
			p[k++] = e;
	}
	/* One pick per user: the newest version. */
	qsort(p, k, sizeof(*p), by_user);
	for (i = 0; i < k; i++) {
		if (np > 0 && p[np - 1].user_id == p[i].user_id) {
			if (p[i].version > p[np - 1].version)
				p[np - 1] = p[i];
		} else {
			p[np++] = p[i];
		}
	}
	for (i = 0; i < np; i++)
		p[i].apply = 1;

	if (sm_db_exec(db, &rows, "SELECT v.user_id, v.version FROM user_versions v"
	    " JOIN JSON_TABLE(?, '$[*]' COLUMNS (user_id BIGINT UNSIGNED PATH '$.user_id')) AS j"
	    " ON j.user_id = v.user_id FOR UPDATE", "s", picks_json(&arr, p, np, 1)) != 0)
		goto out;
	while ((r = sm_rows_next(rows)) == 1) {
		struct pick key = { .user_id = sm_rows_int(rows, 0) }, *hit;

		hit = bsearch(&key, p, np, sizeof(*p), by_user);
		if (hit != NULL && hit->version <= sm_rows_int(rows, 1))
			hit->apply = 0;
	}
	sm_rows_free(rows);
	json_object_put(arr);
	arr = NULL;
	if (r < 0)
		goto out;
	for (i = 0; i < np; i++)
		napply += p[i].apply;
	if (napply == 0) {
		rc = 0;
		goto out;
	}
	picks_json(&arr, p, np, 0);
	rc = sm_db_exec(db, NULL, "INSERT INTO user_versions (user_id, version)"
	    " SELECT j.user_id, j.version FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	    "user_id BIGINT UNSIGNED PATH '$.user_id', version BIGINT UNSIGNED PATH '$.version')) AS j"
	    " ON DUPLICATE KEY UPDATE version = VALUES(version)", "s",
	    json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	if (rc == 0)
		rc = sm_db_exec(db, NULL, "DELETE i FROM user_interests i JOIN JSON_TABLE(?, '$[*]'"
		    " COLUMNS (user_id BIGINT UNSIGNED PATH '$.user_id')) AS j ON j.user_id = i.user_id",
		    "s", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	if (rc == 0)
		rc = sm_db_exec(db, NULL, "INSERT IGNORE INTO user_interests (user_id, code)"
		    " SELECT j.user_id, j.code FROM JSON_TABLE(?, '$[*]' COLUMNS ("
		    "user_id BIGINT UNSIGNED PATH '$.user_id', NESTED PATH '$.interests[*]'"
		    " COLUMNS (code VARCHAR(32) PATH '$'))) AS j WHERE j.code IS NOT NULL", "s",
		    json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
out:
	json_object_put(arr);
	free(p);
	return rc;
}
