/*
 * libalbum.h -- what the album's daemons may call (fcgi-apps/album/libalbum.a):
 * the [album] settings, the media files (where they are, their signed URLs,
 * removing them), the photo events, and the removal of a deleted community's
 * photos.
 *
 * The one design decision: nginx serves every photo file itself, from
 * [album] media_dir, and only through a signed URL -- secure_link's keyed MD5
 * over "<expires><uri> <secret>" (nginx/somoim.conf.in), with expires rounded
 * up to a half hour so a page reload reuses the same URLs (and the browser's
 * cache).  The album program only hands URLs to callers who may see the photo,
 * so a private community's files reach only its members (and whoever they pass
 * a URL to, for at most an hour); a deleted photo's files are unlinked at once,
 * so its URLs are 404.  secure_link costs what static serving costs; an
 * auth_request or X-Accel-Redirect check would run a FastCGI request for every
 * thumbnail of an album page (about half nginx's rate, and a worker each).
 */
#ifndef LIBALBUM_H
#define LIBALBUM_H

#include <limits.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

struct sm_conf;
struct sm_db;

#define ALBUM_KEY_LEN 32                /* file_key: 128 random bits, lower-case hex */
#define ALBUM_URL_MAX 256
#define ALBUM_URL_PREFIX "/media/"      /* nginx's media location */

struct album_conf {
	char media_dir[PATH_MAX];       /* [album] media_dir */
	char secret[256];               /* [album] url_secret: nginx's secure_link_md5 key */
	long long url_bucket;           /* [album] url_bucket: seconds (1800); URLs live 1..2 of them */
	long long max_pixels;           /* [album] max_pixels (50,000,000) */
	long long max_body;             /* [album] max_body: an upload's bytes (10 MiB) */
	int leak_check;                 /* [album] leak_check: vips_leak_set (local stacks) */
};

/* Reads [album]; 0, or -1 (logged) when a value is malformed or the secret is missing. */
int album_conf_load(const struct sm_conf *conf, struct album_conf *out);

/* "jpg", "png" or "webp" for format "jpeg", "png", "webp"; NULL for anything else. */
const char *album_ext(const char *format);

/* Is key ALBUM_KEY_LEN lower-case hex digits? */
int album_key_valid(const char *key);

/*
 * The file of photo key in format (thumb: its thumbnail) under the media dir
 * into out[n]: 0, or -1 when it does not fit or key/format are not valid.
 */
int album_media_path(const struct album_conf *c, const char *key, const char *format,
    int thumb, char *out, size_t n);

/* The signed URL (path and query) of that file, valid at time now, into out[n]. */
void album_media_url(const struct album_conf *c, const char *key, const char *format,
    int thumb, time_t now, char *out, size_t n);

/*
 * Writes len bytes as that file: a temporary file in the same directory,
 * flushed to disk, then renamed, so nginx never serves half a file.  0, or -1
 * (logged).
 */
int album_media_write(const struct album_conf *c, const char *key, const char *format,
    int thumb, const void *buf, size_t len);

/* Unlinks the picture and the thumbnail of key; a missing file is fine.  0 or -1 (logged). */
int album_media_remove(const struct album_conf *c, const char *key, const char *format);

/* A photo as its events describe it. */
struct album_photo {
	long long id, community_id, uploader_id;
	char file_key[ALBUM_KEY_LEN + 1];
	char format[8];
	long long width, height;
	long long bytes;                /* the picture's file size */
};

/*
 * v1.event.photo-created / photo-deleted for p into the album schema's
 * outbox (key: the photo id), in the caller's transaction.  0 or -1.
 */
int album_photo_created_add(struct sm_db *db, const struct album_photo *p,
    const char *caption, const char *created_at, const char *request_id);
int album_photo_deleted_add(struct sm_db *db, const struct album_photo *p,
    const char *request_id);

/*
 * Deletes every photo of community_id, each with its photo-deleted (whose
 * consumer unlinks the files), in the caller's transaction.  0 or -1.
 */
int album_community_deleted(struct sm_db *db, long long community_id, const char *request_id);

#endif
