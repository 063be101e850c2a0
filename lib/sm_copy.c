/*
 * sm_copy.c -- copies of communities, memberships and profiles kept by
 * events, and the access check made with them (see sm_copy.h).
 */
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_json.h"
#include "sm_log.h"

#include <stdio.h>
#include <string.h>

#define ACCESS_SQL "SELECT c.is_private, m.role FROM copy_communities c" \
	" LEFT JOIN copy_members m ON m.community_id = c.id AND m.user_id = ?" \
	" WHERE c.id = ? AND c.deleted = 0"

static int
access_of(struct sm_db *db, const char *sql, long long community_id, long long user_id,
    struct sm_access *a)
{
	struct sm_rows *rows;
	const char *role;
	int r;

	memset(a, 0, sizeof(*a));
	if (sm_db_exec(db, &rows, sql, "ii", user_id, community_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		a->found = 1;
		a->is_private = sm_rows_int(rows, 0) != 0;
		role = sm_rows_str(rows, 1);
		if (role == NULL)
			a->role = SM_ROLE_NONE;
		else if (strcmp(role, "owner") == 0)
			a->role = SM_ROLE_OWNER;
		else if (strcmp(role, "admin") == 0)
			a->role = SM_ROLE_ADMIN;
		else
			a->role = SM_ROLE_MEMBER;
	}
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}

int
sm_copy_access(struct sm_db *db, long long community_id, long long user_id,
    struct sm_access *a)
{
	return access_of(db, ACCESS_SQL, community_id, user_id, a);
}

int
sm_copy_access_locked(struct sm_db *db, long long community_id, long long user_id,
    struct sm_access *a)
{
	return access_of(db, ACCESS_SQL " LOCK IN SHARE MODE", community_id, user_id, a);
}

/* Copies src (NULL: "") into dst[len], truncating. */
static void
copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

int
sm_copy_profile(struct sm_db *db, long long user_id, char *name, size_t namelen,
    char *image, size_t imagelen)
{
	struct sm_rows *rows;
	int r;

	copy_str(name, namelen, NULL);
	copy_str(image, imagelen, NULL);
	if (sm_db_exec(db, &rows, "SELECT name, profile_image FROM copy_profiles WHERE user_id = ?",
	    "i", user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		copy_str(name, namelen, sm_rows_str(rows, 0));
		copy_str(image, imagelen, sm_rows_str(rows, 1));
	}
	sm_rows_free(rows);
	return r;
}

/* ---- the handlers ---- */

struct profile {
	long long user_id, version;
	const char *name, *image;
};

static int
profile_of(const struct sm_event *ev, struct profile *p, char *err, size_t errlen)
{
	json_object *v;

	p->image = NULL;
	if (sm_event_int(ev->data, "user_id", &p->user_id) != 0 || p->user_id <= 0)
		return sm_event_bad(ev, "user_id", err, errlen);
	if (sm_event_int(ev->data, "version", &p->version) != 0)
		return sm_event_bad(ev, "version", err, errlen);
	if ((p->name = sm_event_str(ev->data, "name")) == NULL)
		return sm_event_bad(ev, "name", err, errlen);
	if (json_object_object_get_ex(ev->data, "profile_image", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_string))
			return sm_event_bad(ev, "profile_image", err, errlen);
		p->image = json_object_get_string(v);
	}
	return 0;
}

/*
 * The profiles of a JSON array [{user_id, name, profile_image, version}, ...]
 * upserted in order, each only over an older version.  The SET list runs
 * left to right: version is assigned last.
 */
static const char PROFILES_UPSERT[] =
    "INSERT INTO copy_profiles (user_id, name, profile_image, version) "
    "SELECT j.user_id, j.name, j.profile_image, j.version FROM JSON_TABLE(?, '$[*]' "
    "COLUMNS (user_id BIGINT PATH '$.user_id', name VARCHAR(1000) PATH '$.name', "
    "profile_image VARCHAR(2000) PATH '$.profile_image', version BIGINT PATH '$.version')) AS j "
    "ON DUPLICATE KEY UPDATE "
    "name = IF(VALUES(version) > copy_profiles.version, VALUES(name), copy_profiles.name), "
    "profile_image = IF(VALUES(version) > copy_profiles.version, VALUES(profile_image), "
    "copy_profiles.profile_image), "
    "version = GREATEST(copy_profiles.version, VALUES(version))";

/* Applies evs[0..n) as one statement; -1 with the reason in err. */
static int
profiles_upsert(struct sm_db *db, const struct sm_event *evs, size_t n, char *err,
    size_t errlen)
{
	json_object *rows = json_object_new_array();
	struct profile p;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		json_object *o;

		if (profile_of(&evs[i], &p, err, errlen) != 0) {
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
	rc = sm_db_exec(db, NULL, PROFILES_UPSERT, "s",
	    json_object_to_json_string_ext(rows, JSON_C_TO_STRING_PLAIN));
	json_object_put(rows);
	return rc;
}

int
sm_copy_profile_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	(void)m;
	return profiles_upsert(db, ev, 1, err, errlen);
}

int
sm_copy_profile_batch(struct sm_db *db, const struct sm_event *evs, size_t n)
{
	char err[256];

	return profiles_upsert(db, evs, n, err, sizeof(err));
}

int
sm_copy_profile_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long user_id, version;

	(void)m;
	if (sm_event_int(ev->data, "user_id", &user_id) != 0 || user_id <= 0)
		return sm_event_bad(ev, "user_id", err, errlen);
	if (sm_event_int(ev->data, "version", &version) != 0)
		return sm_event_bad(ev, "version", err, errlen);
	return sm_db_exec(db, NULL, "INSERT INTO copy_profiles (user_id, name, profile_image, version)"
	    " VALUES (?, ?, NULL, ?) ON DUPLICATE KEY UPDATE name = VALUES(name),"
	    " profile_image = NULL, version = GREATEST(version, VALUES(version))", "isi",
	    user_id, SM_COPY_DELETED_NAME, version);
}

static const char COMMUNITY_UPSERT[] =
    "INSERT INTO copy_communities (id, owner_id, name, is_private, version)"
    " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
    "owner_id = IF(VALUES(version) > version AND deleted = 0, VALUES(owner_id), owner_id), "
    "name = IF(VALUES(version) > version AND deleted = 0, VALUES(name), name), "
    "is_private = IF(VALUES(version) > version AND deleted = 0, VALUES(is_private), is_private), "
    "version = IF(deleted = 0, GREATEST(version, VALUES(version)), version)";

int
sm_copy_community_apply(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id, owner_id, version;
	const char *name;
	json_object *v;
	int is_private;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "id", &id, "owner_id", &owner_id, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "version", &version) != 0)
		return sm_event_bad(ev, "version", err, errlen);
	if ((name = sm_event_str(ev->data, "name")) == NULL)
		return sm_event_bad(ev, "name", err, errlen);
	is_private = json_object_object_get_ex(ev->data, "is_private", &v) &&
	    json_object_get_boolean(v);
	return sm_db_exec(db, NULL, COMMUNITY_UPSERT, "iisii", id, owner_id, name,
	    (long long)is_private, version);
}

int
sm_copy_community_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "INSERT INTO copy_communities (id, owner_id, name, version,"
	    " deleted) VALUES (?, 0, '', 0, 1) ON DUPLICATE KEY UPDATE deleted = 1", "i", id) != 0)
		return -1;
	return sm_db_exec(db, NULL, "DELETE FROM copy_members WHERE community_id = ?", "i", id);
}

/*
 * One member's row moves only to a newer seq; a leave keeps the row with a
 * NULL role, so a join that arrives late behind it stays out.  A community
 * known to be deleted takes no members.
 */
int
sm_copy_member_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long community_id, user_id, seq;
	const char *role = NULL;
	int left, deleted;

	left = m != NULL && m->rkt != NULL &&
	    strcmp(rd_kafka_topic_name(m->rkt), "v1.event.member-left") == 0;
	if (sm_event_ids(ev, err, errlen, "community_id", &community_id, "user_id", &user_id,
	    "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (!left && ((role = sm_event_str(ev->data, "role")) == NULL ||
	    (strcmp(role, "owner") != 0 && strcmp(role, "admin") != 0 &&
	    strcmp(role, "member") != 0)))
		return sm_event_bad(ev, "role", err, errlen);

	if (sm_db_exists(db, &deleted, "SELECT 1 FROM copy_communities WHERE id = ? AND deleted = 1",
	    "i", community_id) != 0)
		return -1;
	if (deleted) {
		sm_log(SM_LOG_INFO, "%s for a deleted community ignored: event_id=%s "
		    "community_id=%lld user_id=%lld", ev->type, ev->id, community_id, user_id);
		return 0;
	}
	return sm_db_exec(db, NULL, "INSERT INTO copy_members (community_id, user_id, role, seq)"
	    " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " role = IF(VALUES(seq) > seq, VALUES(role), role), seq = GREATEST(seq, VALUES(seq))",
	    "iisi", community_id, user_id, role, seq);
}

json_object *
sm_community_json(const struct sm_rows *rows, int full)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(o, "name", json_object_new_string(sm_rows_str(rows, 1)));
	if (full)
		json_object_object_add(o, "description",
		    json_object_new_string(sm_rows_str(rows, 2)));
	json_object_object_add(o, "region", json_object_new_string(sm_rows_str(rows, 3)));
	json_object_object_add(o, "interest", json_object_new_string(sm_rows_str(rows, 4)));
	if (full)
		json_object_object_add(o, "max_members",
		    json_object_new_int64(sm_rows_int(rows, 5)));
	json_object_object_add(o, "member_count", json_object_new_int64(sm_rows_int(rows, 6)));
	if (full)
		json_object_object_add(o, "owner_id", json_object_new_int64(sm_rows_int(rows, 7)));
	json_object_object_add(o, "is_private", json_object_new_boolean(sm_rows_int(rows, 8)));
	if (full)
		json_object_object_add(o, "created_at",
		    json_object_new_string(sm_rows_str(rows, 9)));
	return o;
}
