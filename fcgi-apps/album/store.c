/*
 * store.c -- the album service's SQL (see store.h; album_community_deleted
 * is libalbum.h's, run by somoim-album-events).
 *
 * A photo write runs in one transaction with its event.  An upload re-reads
 * the caller's membership with sm_copy_access_locked(), so a community being
 * deleted (its handler writes the community's copy row first) either waits for
 * the new photo and deletes it too, or has committed and the upload is a 404.
 * Uploaders' names and images come from copy_profiles at read time, so a
 * renamed user shows the new name on old photos.  Times are RFC 3339 UTC in
 * seconds (connections run with time_zone = '+00:00').
 */
#include "store.h"
#include "sm_cursor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns photo_json() reads, in its order. */
#define PHOTO_COLS "ph.id, ph.community_id, ph.uploader_id, COALESCE(pr.name, '')," \
	" pr.profile_image, ph.caption, ph.file_key, ph.format, ph.width, ph.height," \
	" ph.like_count, DATE_FORMAT(ph.created_at, '%Y-%m-%dT%H:%i:%sZ')"
#define PHOTO_FROM "FROM photos ph LEFT JOIN copy_profiles pr ON pr.user_id = ph.uploader_id"

/* For photo_json, which sm_page_collect calls without a context: set per call. */
static const struct album_conf *url_conf;
static time_t url_now;

static json_object *
photo_json(const struct sm_rows *rows)
{
	json_object *o = json_object_new_object(), *u = json_object_new_object();
	const char *key = sm_rows_str(rows, 6), *format = sm_rows_str(rows, 7);
	char url[ALBUM_URL_MAX];

	json_object_object_add(o, "id", json_object_new_int64(sm_rows_int(rows, 0)));
	json_object_object_add(o, "community_id", json_object_new_int64(sm_rows_int(rows, 1)));
	json_object_object_add(u, "id", json_object_new_int64(sm_rows_int(rows, 2)));
	json_object_object_add(u, "name", json_object_new_string(sm_rows_str(rows, 3)));
	json_object_object_add(u, "profile_image", sm_json_string_or_null(sm_rows_str(rows, 4)));
	json_object_object_add(o, "uploader", u);
	json_object_object_add(o, "caption", json_object_new_string_len(sm_rows_str(rows, 5),
	    (int)sm_rows_len(rows, 5)));
	album_media_url(url_conf, key, format, 0, url_now, url, sizeof(url));
	json_object_object_add(o, "url", json_object_new_string(url));
	album_media_url(url_conf, key, format, 1, url_now, url, sizeof(url));
	json_object_object_add(o, "thumbnail_url", json_object_new_string(url));
	json_object_object_add(o, "format", json_object_new_string(format));
	json_object_object_add(o, "width", json_object_new_int64(sm_rows_int(rows, 8)));
	json_object_object_add(o, "height", json_object_new_int64(sm_rows_int(rows, 9)));
	json_object_object_add(o, "like_count", json_object_new_int64(sm_rows_int(rows, 10)));
	json_object_object_add(o, "created_at", json_object_new_string(sm_rows_str(rows, 11)));
	return o;
}

static long long
photo_position(const struct sm_rows *rows)
{
	return sm_rows_int(rows, 0);
}

static void
urls_for(const struct album_conf *c)
{
	url_conf = c;
	url_now = time(NULL);
}

int
store_access(struct sm_db *db, long long community_id, long long caller, struct sm_access *a)
{
	return sm_copy_access(db, community_id, caller, a);
}

int
store_pending_add(struct sm_db *db, const char *key, const char *format)
{
	return sm_db_exec(db, NULL, "INSERT INTO pending_files (file_key, format) VALUES (?, ?)",
	    "ss", key, format);
}

int
store_pending_del(struct sm_db *db, const char *key)
{
	return sm_db_exec(db, NULL, "DELETE FROM pending_files WHERE file_key = ?", "s", key);
}

int
store_pending_sweep(struct sm_db *db, const struct album_conf *c, int older_s, int max)
{
	struct sm_rows *rows;
	char keys[16][ALBUM_KEY_LEN + 1], formats[16][8];
	int n = 0, r, i;

	if (max > 16)
		max = 16;
	if (sm_db_exec(db, &rows, "SELECT file_key, format FROM pending_files"
	    " WHERE created_at < NOW(3) - INTERVAL ? SECOND ORDER BY created_at LIMIT ?", "ii",
	    (long long)older_s, (long long)max) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1 && n < max) {
		snprintf(keys[n], sizeof(keys[n]), "%s", sm_rows_str(rows, 0));
		snprintf(formats[n], sizeof(formats[n]), "%s", sm_rows_str(rows, 1));
		n++;
	}
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	for (i = 0, r = 0; i < n; i++) {
		if (album_media_remove(c, keys[i], formats[i]) != 0) {
			/* kept for the next sweep; the ones behind it still go */
			(void)sm_db_exec(db, NULL, "UPDATE pending_files SET created_at = NOW(3)"
			    " WHERE file_key = ?", "s", keys[i]);
			continue;
		}
		if (store_pending_del(db, keys[i]) != 0)
			return -1;
		sm_log(SM_LOG_WARN, "removed the files of upload %s, which died before its row",
		    keys[i]);
		r++;
	}
	return r;
}

/* Photo id as `photo` (and its community) into *out; STORE_NOT_FOUND. */
static int
get_photo(struct sm_db *db, long long id, json_object **out, long long *community_id)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT " PHOTO_COLS " " PHOTO_FROM " WHERE ph.id = ?",
	    "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*out = photo_json(rows);
		*community_id = sm_rows_int(rows, 1);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

struct add_args {
	struct album_photo *p;
	const char *caption, *request_id;
	json_object *out;
};

static int
add_tx(struct sm_db *db, void *arg)
{
	struct add_args *a = arg;
	struct album_photo *p = a->p;
	struct sm_access acc;
	long long cid;
	const char *created_at;
	int r;

	json_object_put(a->out);        /* a retried attempt's read */
	a->out = NULL;
	if (sm_copy_access_locked(db, p->community_id, p->uploader_id, &acc) != 0)
		return -1;
	if (!acc.found)
		return STORE_NOT_FOUND;
	if (!SM_IS_MEMBER(&acc))
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "INSERT INTO photos (community_id, uploader_id, caption,"
	    " file_key, format, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "iisssiii",
	    p->community_id, p->uploader_id, a->caption, p->file_key, p->format, p->width,
	    p->height, p->bytes) != 0)
		return -1;
	p->id = (long long)sm_db_insert_id(db);
	if ((r = get_photo(db, p->id, &a->out, &cid)) != 0)
		return r < 0 ? -1 : r;
	if (store_pending_del(db, p->file_key) != 0)
		return -1;
	created_at = json_object_get_string(json_object_object_get(a->out, "created_at"));
	return album_photo_created_add(db, p, a->caption, created_at, a->request_id);
}

int
store_photo_add(struct sm_db *db, const struct album_conf *c, struct album_photo *p,
    const char *caption, const char *request_id, json_object **out)
{
	struct add_args a = { .p = p, .caption = caption, .request_id = request_id };
	int r;

	urls_for(c);
	r = sm_db_tx(db, add_tx, &a);
	if (r != 0) {
		json_object_put(a.out);
		return r;
	}
	*out = a.out;
	return 0;
}

int
store_photo_get(struct sm_db *db, const struct album_conf *c, long long id, long long caller,
    json_object **out)
{
	struct sm_access acc;
	long long cid;
	int r;

	urls_for(c);
	if ((r = get_photo(db, id, out, &cid)) != 0)
		return r;
	if (sm_copy_access(db, cid, caller, &acc) != 0)
		r = -1;
	else if (!acc.found)
		r = STORE_NOT_FOUND;
	else if (!SM_CAN_READ(&acc))
		r = STORE_PRIVATE;
	if (r != 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_photos(struct sm_db *db, const struct album_conf *c, long long community_id,
    long long caller, long long after, long long limit, json_object **items, long long *next)
{
	struct sm_access acc;
	struct sm_rows *rows;

	urls_for(c);
	if (sm_copy_access(db, community_id, caller, &acc) != 0)
		return -1;
	if (!acc.found)
		return STORE_NOT_FOUND;
	if (!SM_CAN_READ(&acc))
		return STORE_PRIVATE;
	if (sm_db_exec(db, &rows, "SELECT " PHOTO_COLS " " PHOTO_FROM
	    " WHERE ph.community_id = ? AND ph.id < ? ORDER BY ph.id DESC LIMIT ?", "iii",
	    community_id, after < 0 ? (long long)1 << 62 : after, limit + 1) != 0)
		return -1;
	return sm_page_collect(rows, limit, photo_json, photo_position, items, next);
}

/* The photo row id, locked, into *p; STORE_NOT_FOUND. */
static int
lock_photo(struct sm_db *db, long long id, struct album_photo *p)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT id, community_id, uploader_id, file_key, format,"
	    " width, height FROM photos WHERE id = ? FOR UPDATE", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		p->id = sm_rows_int(rows, 0);
		p->community_id = sm_rows_int(rows, 1);
		p->uploader_id = sm_rows_int(rows, 2);
		snprintf(p->file_key, sizeof(p->file_key), "%s", sm_rows_str(rows, 3));
		snprintf(p->format, sizeof(p->format), "%s", sm_rows_str(rows, 4));
		p->width = sm_rows_int(rows, 5);
		p->height = sm_rows_int(rows, 6);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : r == 0 ? STORE_NOT_FOUND : -1;
}

struct delete_args {
	long long id, caller;
	const char *request_id;
	struct album_photo *gone;
};

static int
delete_tx(struct sm_db *db, void *arg)
{
	struct delete_args *a = arg;
	struct sm_access acc;
	int r;

	if ((r = lock_photo(db, a->id, a->gone)) != 0)
		return r;
	if (sm_copy_access(db, a->gone->community_id, a->caller, &acc) != 0)
		return -1;
	if (!acc.found)
		return STORE_NOT_FOUND;
	if (!SM_CAN_READ(&acc))
		return STORE_PRIVATE;
	if (a->gone->uploader_id != a->caller && !SM_IS_MODERATOR(&acc))
		return STORE_FORBIDDEN;
	if (sm_db_exec(db, NULL, "DELETE FROM photos WHERE id = ?", "i", a->id) != 0)
		return -1;
	return album_photo_deleted_add(db, a->gone, a->request_id);
}

int
store_photo_delete(struct sm_db *db, long long id, long long caller, const char *request_id,
    struct album_photo *gone)
{
	struct delete_args a = { .id = id, .caller = caller, .request_id = request_id,
	    .gone = gone };

	memset(gone, 0, sizeof(*gone));
	return sm_db_tx(db, delete_tx, &a);
}

int
album_community_deleted(struct sm_db *db, long long community_id, const char *request_id)
{
	struct album_photo *ps = NULL;
	struct sm_rows *rows;
	size_t n = 0, cap = 0, i;
	int r, rc = -1;

	if (sm_db_exec(db, &rows, "SELECT id, community_id, uploader_id, file_key, format,"
	    " width, height FROM photos WHERE community_id = ? FOR UPDATE", "i",
	    community_id) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ps = sm_xrealloc(ps, cap * sizeof(*ps));
		}
		memset(&ps[n], 0, sizeof(ps[n]));
		ps[n].id = sm_rows_int(rows, 0);
		ps[n].community_id = sm_rows_int(rows, 1);
		ps[n].uploader_id = sm_rows_int(rows, 2);
		snprintf(ps[n].file_key, sizeof(ps[n].file_key), "%s", sm_rows_str(rows, 3));
		snprintf(ps[n].format, sizeof(ps[n].format), "%s", sm_rows_str(rows, 4));
		ps[n].width = sm_rows_int(rows, 5);
		ps[n].height = sm_rows_int(rows, 6);
		n++;
	}
	sm_rows_free(rows);
	if (r == 0 && (n == 0 || sm_db_exec(db, NULL, "DELETE FROM photos WHERE community_id = ?",
	    "i", community_id) == 0)) {
		for (i = 0; i < n && album_photo_deleted_add(db, &ps[i], request_id) == 0; i++)
			;
		rc = i == n ? 0 : -1;
	}
	free(ps);
	return rc;
}
