/*
 * store.c -- the user service's SQL (see store.h).
 *
 * Times are formatted by the server as RFC 3339 UTC (connections run with
 * time_zone = '+00:00').  user_interests is the relational truth; users.interests
 * keeps the same codes as one comma-separated column, written in the same
 * transaction, so reading a user is one primary-key lookup (see
 * sql/user/003-interest-list.sql for why).
 *
 * Every change to a user also writes its event to the outbox in the same
 * transaction (events.c): v1.event.user-signed-up at signup and
 * v1.event.user-updated when a PATCH really changed something, each carrying
 * users.version, which goes up by one with every change.  The outbox row is
 * written after the user row is locked, so two changes of one user get
 * outbox ids in commit order -- the order the relay publishes them in.
 */
#include "store.h"
#include "events.h"
#include "sm_time.h"

#include <stdio.h>
#include <string.h>

#define CSV_MAX (MAX_INTERESTS * 33)

/* The codes as users.interests keeps them: "a,b,c". */
static void
interests_csv(const char *const *codes, int n, char csv[CSV_MAX])
{
	size_t used = 0;
	int i;

	csv[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(csv + used, CSV_MAX - used, "%s%s", i ? "," : "",
		    codes[i]);
}

/* Writes the user's interests, both as rows and as the users.interests copy. */
static int
insert_interests(struct sm_db *db, long long user_id, const char *const *codes, int n)
{
	char csv[CSV_MAX];
	int i;

	for (i = 0; i < n; i++) {
		if (sm_db_exec(db, NULL,
		    "INSERT INTO user_interests (user_id, code, position) VALUES (?, ?, ?)",
		    "isi", user_id, codes[i], (long long)i) != 0)
			return -1;
	}
	interests_csv(codes, n, csv);
	return sm_db_exec(db, NULL, "UPDATE users SET interests = ? WHERE id = ?", "si",
	    csv, user_id);
}

static json_object *interests_array(const char *csv);

struct create_args {
	const struct profile *p;
	const char *hash;
	const char *request_id;
	long long id;
	const char *subject, *jti;      /* an OAuth sign-up: the link and its token */
};

static int
create_tx(struct sm_db *db, void *arg)
{
	struct create_args *a = arg;
	const struct profile *p = a->p;
	char csv[CSV_MAX];
	json_object *data;

	if (a->jti != NULL && sm_db_exec(db, NULL,
	    "INSERT INTO oauth_signup_tokens (jti) VALUES (?)", "s", a->jti) != 0)
		return sm_db_errno(db) == 1062 ? STORE_REUSED : -1;
	if (sm_db_exec(db, NULL,
	    "INSERT INTO users (email, password_hash, name, region, mbti, profile_image)"
	    " VALUES (?, ?, ?, ?, ?, ?)", "ssssss",
	    p->email, a->hash, p->name, p->region, p->mbti, p->profile_image) != 0)
		return sm_db_errno(db) == 1062 ? STORE_DUPLICATE : -1;
	a->id = (long long)sm_db_insert_id(db);
	if (a->subject != NULL && sm_db_exec(db, NULL,
	    "INSERT INTO oauth_links (subject, user_id) VALUES (?, ?)", "si", a->subject,
	    a->id) != 0)
		return sm_db_errno(db) == 1062 ? STORE_LINKED : -1;
	if (insert_interests(db, a->id, p->interests, p->ninterests) != 0)
		return -1;
	interests_csv(p->interests, p->ninterests, csv);
	data = user_event_data(a->id, p->name, p->profile_image, p->region,
	    interests_array(csv), 1);
	json_object_object_add(data, "email", json_object_new_string(p->email));
	return user_event_add(db, "user-signed-up", a->id, data, a->request_id);
}

int
store_create_user(struct sm_db *db, const struct profile *p, const char *password_hash,
    const char *request_id, long long *user_id)
{
	struct create_args a = { p, password_hash, request_id, 0, NULL, NULL };
	int r = sm_db_tx(db, create_tx, &a);

	*user_id = a.id;
	return r;
}

int
store_create_oauth_user(struct sm_db *db, const struct profile *p, const char *password_hash,
    const char *request_id, const char *subject, const char *jti, long long *user_id)
{
	struct create_args a = { p, password_hash, request_id, 0, subject, jti };
	int r = sm_db_tx(db, create_tx, &a);

	*user_id = a.id;
	return r;
}

int
store_oauth_user(struct sm_db *db, const char *subject, long long *user_id)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT user_id FROM oauth_links WHERE subject = ?", "s",
	    subject) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		*user_id = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

static json_object *
interests_array(const char *csv)
{
	json_object *arr = json_object_new_array();
	const char *p = csv;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ",");

		json_object_array_add(arr, json_object_new_string_len(p, (int)n));
		p += n;
		if (*p == ',')
			p++;
	}
	return arr;
}

int
store_user_json(struct sm_db *db, long long id, int with_email, json_object **out)
{
	struct sm_rows *rows;
	json_object *u;
	int r;

	if (sm_db_exec(db, &rows,
	    "SELECT u.id, u.email, u.name, u.region, u.mbti, u.profile_image, "
	    SM_SQL_TIME("u.created_at") ", u.interests FROM users u WHERE u.id = ?", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) <= 0) {
		sm_rows_free(rows);
		return r == 0 ? STORE_NOT_FOUND : -1;
	}
	u = json_object_new_object();
	json_object_object_add(u, "id", json_object_new_int64(sm_rows_int(rows, 0)));
	if (with_email)
		json_object_object_add(u, "email", json_object_new_string(sm_rows_str(rows, 1)));
	json_object_object_add(u, "name", json_object_new_string(sm_rows_str(rows, 2)));
	json_object_object_add(u, "region", sm_json_string_or_null(sm_rows_str(rows, 3)));
	if (with_email)
		json_object_object_add(u, "mbti", sm_json_string_or_null(sm_rows_str(rows, 4)));
	json_object_object_add(u, "profile_image", sm_json_string_or_null(sm_rows_str(rows, 5)));
	json_object_object_add(u, "interests", interests_array(sm_rows_str(rows, 7)));
	if (with_email)
		json_object_object_add(u, "created_at", json_object_new_string(sm_rows_str(rows, 6)));
	sm_rows_free(rows);
	*out = u;
	return 0;
}

int
store_credentials(struct sm_db *db, const char *email, long long *user_id, char *hash,
    size_t hashlen)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT id, password_hash FROM users WHERE email = ?",
	    "s", email) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*user_id = sm_rows_int(rows, 0);
		snprintf(hash, hashlen, "%s", sm_rows_str(rows, 1));
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

int
store_set_password_hash(struct sm_db *db, long long user_id, const char *hash)
{
	return sm_db_exec(db, NULL, "UPDATE users SET password_hash = ? WHERE id = ?",
	    "si", hash, user_id);
}

int
store_email_exists(struct sm_db *db, const char *email, int *exists)
{
	return sm_db_exists(db, exists, "SELECT 1 FROM users WHERE email = ?", "s", email);
}

struct update_args {
	long long id;
	const struct profile *set;
	unsigned clear;
	const char *request_id;
	int changed;            /* out: how many fields changed */
};

/* NULL-aware string equality. */
static int
same(const char *a, const char *b)
{
	return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

/* A copy of a nullable column in buf; NULL for SQL NULL. */
static const char *
column(const struct sm_rows *rows, unsigned col, char *buf, size_t len)
{
	const char *v = sm_rows_str(rows, col);

	if (v == NULL)
		return NULL;
	snprintf(buf, len, "%s", v);
	return buf;
}

static int
update_tx(struct sm_db *db, void *arg)
{
	struct update_args *a = arg;
	const struct profile *s = a->set;
	unsigned c = a->clear;
	char old_name[256], old_region[256], old_mbti[32], old_image[2048], old_csv[CSV_MAX];
	char new_csv[CSV_MAX];
	const char *name, *region, *mbti, *image, *csv;
	json_object *changed, *data;
	struct sm_rows *rows;
	long long version;
	int r;

	/* Lock the row first: everything below, the outbox row too, is in commit order. */
	if (sm_db_exec(db, &rows,
	    "SELECT name, region, mbti, profile_image, interests, version"
	    " FROM users WHERE id = ? FOR UPDATE", "i", a->id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) <= 0) {
		sm_rows_free(rows);
		return r == 0 ? STORE_NOT_FOUND : -1;
	}
	name = column(rows, 0, old_name, sizeof(old_name));
	region = column(rows, 1, old_region, sizeof(old_region));
	mbti = column(rows, 2, old_mbti, sizeof(old_mbti));
	image = column(rows, 3, old_image, sizeof(old_image));
	csv = column(rows, 4, old_csv, sizeof(old_csv));
	version = sm_rows_int(rows, 5);
	sm_rows_free(rows);

	/* What the row becomes, and which fields that really changes. */
	changed = json_object_new_array();
#define CHANGE(field, var, value) do {                                          \
		const char *v_ = (value);                                       \
		if (!same(var, v_)) {                                           \
			json_object_array_add(changed, json_object_new_string(field)); \
			var = v_;                                               \
		}                                                               \
	} while (0)
	CHANGE("name", name, s->name ? s->name : name);
	CHANGE("region", region, (c & CLEAR_REGION) ? NULL : s->region ? s->region : region);
	CHANGE("mbti", mbti, (c & CLEAR_MBTI) ? NULL : s->mbti ? s->mbti : mbti);
	CHANGE("profile_image", image,
	    (c & CLEAR_IMAGE) ? NULL : s->profile_image ? s->profile_image : image);
#undef CHANGE
	if (s->ninterests > 0) {
		interests_csv(s->interests, s->ninterests, new_csv);
		if (!same(csv, new_csv)) {
			json_object_array_add(changed, json_object_new_string("interests"));
			csv = new_csv;
		}
	}
	a->changed = (int)json_object_array_length(changed);
	if (a->changed == 0) {
		json_object_put(changed);
		return 0;       /* nothing to write, no version, no event */
	}
	if (sm_db_exec(db, NULL,
	    "UPDATE users SET name = ?, region = ?, mbti = ?, profile_image = ?,"
	    " version = version + 1 WHERE id = ?", "ssssi",
	    name, region, mbti, image, a->id) != 0)
		goto fail;
	if (csv == new_csv &&
	    (sm_db_exec(db, NULL, "DELETE FROM user_interests WHERE user_id = ?", "i", a->id) != 0 ||
	    insert_interests(db, a->id, s->interests, s->ninterests) != 0))
		goto fail;
	data = user_event_data(a->id, name, image, region, interests_array(csv), version + 1);
	json_object_object_add(data, "changed", changed);
	return user_event_add(db, "user-updated", a->id, data, a->request_id);
fail:
	json_object_put(changed);
	return -1;
}

int
store_update_profile(struct sm_db *db, long long id, const struct profile *set, unsigned clear,
    const char *request_id, int *changed)
{
	struct update_args a = { id, set, clear, request_id, 0 };
	int r = sm_db_tx(db, update_tx, &a);

	*changed = r == 0 ? a.changed : 0;
	return r;
}

int
store_token_insert(struct sm_db *db, long long user_id, const char *family,
    const char *token_hash, long long ttl)
{
	char fresh[37];

	if (family == NULL) {
		sm_uuid_v4(fresh);
		family = fresh;
	}
	return sm_db_exec(db, NULL,
	    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)"
	    " VALUES (?, ?, ?, NOW(3) + INTERVAL ? SECOND)", "ssii",
	    token_hash, family, user_id, ttl);
}

struct rotate_args {
	const char *hash, *next;
	long long ttl, user_id;
};

static int
revoke_family(struct sm_db *db, const char *family)
{
	return sm_db_exec(db, NULL,
	    "UPDATE refresh_tokens SET revoked_at = NOW(3)"
	    " WHERE family_id = ? AND revoked_at IS NULL", "s", family);
}

static int
rotate_tx(struct sm_db *db, void *arg)
{
	struct rotate_args *a = arg;
	struct sm_rows *rows;
	char family[40];
	long long id;
	int used, dead, r;

	if (sm_db_exec(db, &rows,
	    "SELECT id, family_id, user_id, used_at IS NOT NULL,"
	    " revoked_at IS NOT NULL OR expires_at <= NOW(3)"
	    " FROM refresh_tokens WHERE token_hash = ? FOR UPDATE", "s", a->hash) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) <= 0) {
		sm_rows_free(rows);
		return r == 0 ? STORE_REVOKED : -1;
	}
	id = sm_rows_int(rows, 0);
	snprintf(family, sizeof(family), "%s", sm_rows_str(rows, 1));
	a->user_id = sm_rows_int(rows, 2);
	used = (int)sm_rows_int(rows, 3);
	dead = (int)sm_rows_int(rows, 4);
	sm_rows_free(rows);
	if (used && !dead) {
		/* Someone replayed a rotated token: end the whole login. */
		if (revoke_family(db, family) != 0)
			return -1;
		return -STORE_REUSED;   /* commit, then report (see below) */
	}
	if (used || dead)
		return STORE_REVOKED;
	if (sm_db_exec(db, NULL, "UPDATE refresh_tokens SET used_at = NOW(3) WHERE id = ?",
	    "i", id) != 0)
		return -1;
	return store_token_insert(db, a->user_id, family, a->next, a->ttl);
}

/* sm_db_tx rolls back on any non-zero result, but a detected reuse must
 * commit its revocation; so the reuse path runs its own transaction. */
static int
rotate_or_revoke_tx(struct sm_db *db, void *arg)
{
	int r = rotate_tx(db, arg);

	if (r == -STORE_REUSED) {
		((struct rotate_args *)arg)->user_id = -1;
		return 0;
	}
	return r;
}

int
store_token_rotate(struct sm_db *db, const char *token_hash, const char *next_hash,
    long long ttl, long long *user_id)
{
	struct rotate_args a = { token_hash, next_hash, ttl, 0 };
	int r = sm_db_tx(db, rotate_or_revoke_tx, &a);

	if (r != 0)
		return r;
	if (a.user_id < 0) {
		sm_log(SM_LOG_WARN, "refresh token reuse detected: the login was revoked");
		return STORE_REUSED;
	}
	*user_id = a.user_id;
	return 0;
}

int
store_token_revoke(struct sm_db *db, long long user_id, const char *token_hash)
{
	struct sm_rows *rows;
	char family[40] = "";
	int r;

	if (sm_db_exec(db, &rows,
	    "SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND user_id = ?",
	    "si", token_hash, user_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		snprintf(family, sizeof(family), "%s", sm_rows_str(rows, 0));
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	return r == 0 ? STORE_NOT_FOUND : revoke_family(db, family);
}

int
store_interests(struct sm_db *db, json_object **out)
{
	struct sm_rows *rows;
	json_object *arr;
	int r;

	if (sm_db_exec(db, &rows, "SELECT code, name FROM interests ORDER BY position, code",
	    "") != 0)
		return -1;
	arr = json_object_new_array();
	while ((r = sm_rows_next(rows)) == 1) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "code", json_object_new_string(sm_rows_str(rows, 0)));
		json_object_object_add(o, "name", json_object_new_string(sm_rows_str(rows, 1)));
		json_object_array_add(arr, o);
	}
	sm_rows_free(rows);
	if (r < 0) {
		json_object_put(arr);
		return -1;
	}
	*out = arr;
	return 0;
}
