/*
 * photos.c -- POST/GET /api/v1/communities/{id}/photos, GET/DELETE
 * /api/v1/photos/{id} (API.md "Album"), and the worker's setup.
 *
 * Decisions a client sees:
 *  - An upload is checked in this order: the community (404), membership
 *    (403), the declared Content-Type (415 unless image/jpeg, image/png or
 *    image/webp), the caption (400: at most 500 characters of UTF-8), then the
 *    bytes themselves (415 unless they decode whole as one of the three, 413
 *    over [album] max_pixels, seen from the header).  The stored type is what
 *    the bytes are, whatever the header said.
 *  - Reading needs membership only in a private community (403 otherwise);
 *    deleting needs the uploader or the community's owner/admin (403).  An
 *    unknown or deleted photo is 404.
 *  - A deleted photo's files are unlinked right after the commit, so its URLs
 *    are 404 at once; if this process dies in between, photo-deleted's
 *    consumer unlinks them.
 */
#include "store.h"
#include "image.h"
#include "sm_cursor.h"
#include "sm_outbox.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#define PHOTO_TAG "ph"          /* the photo list: ids descending */
#define PENDING_STALE_S 600     /* an upload's files with no row after 10 minutes: a crash */

int
album_init(struct sm_app *app)
{
	struct album *a = sm_xcalloc(1, sizeof(*a));
	struct stat st;

	app->data = a;
	if (album_conf_load(app->conf, &a->conf) != 0)
		return -1;
	if (stat(a->conf.media_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		sm_log(SM_LOG_ERROR, "[album] media_dir %s is not a directory", a->conf.media_dir);
		return -1;
	}
	if (image_init(a->conf.leak_check) != 0)
		return -1;
	a->vips_up = 1;
	/*
	 * An upload's big buffers (the body, the decoded picture, the encoded
	 * files) come from mmap and go back to the system when freed, instead
	 * of glibc raising its threshold and keeping them in the heap: a
	 * worker's RSS returns to its baseline after each upload.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	app->max_body = (size_t)a->conf.max_body;
	return 0;
}

void
album_fini(struct sm_app *app)
{
	struct album *a = app->data;

	if (a != NULL && a->vips_up)
		image_fini();
	free(app->data);
	app->data = NULL;
}

static const struct album_conf *
conf_of(struct sm_req *req)
{
	return &((struct album *)req->app->data)->conf;
}

/* Is the declared Content-Type one of the three (parameters allowed)? */
static int
declared_image(const char *ct)
{
	static const char *types[] = { "image/jpeg", "image/png", "image/webp" };
	size_t i, n;

	if (ct == NULL)
		return 0;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		n = strlen(types[i]);
		if (strncasecmp(ct, types[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';' ||
		    ct[n] == ' '))
			return 1;
	}
	return 0;
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void
new_key(char key[ALBUM_KEY_LEN + 1])
{
	unsigned char b[ALBUM_KEY_LEN / 2];
	size_t i, got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sm_log(SM_LOG_ERROR, "getrandom failed: %s", strerror(errno));
			abort();
		}
		got += (size_t)n;
	}
	for (i = 0; i < sizeof(b); i++)
		snprintf(key + 2 * i, 3, "%02x", b[i]);
}

/* Answers an access failure for community_id; 0 when the caller is a member. */
static int
member_or_reply(struct sm_req *req, long long community_id)
{
	struct sm_access acc;

	if (store_access(req->app->db, community_id, req->user_id, &acc) != 0) {
		sm_reply_db_error(req);
		return -1;
	}
	if (!acc.found) {
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		return -1;
	}
	if (!SM_IS_MEMBER(&acc)) {
		sm_reply_error(req, 403, "FORBIDDEN", "only the community's members upload photos");
		return -1;
	}
	return 0;
}

/* Writes both files; 0, or -1 with nothing left behind. */
static int
write_files(const struct album_conf *c, const struct album_photo *p,
    const struct image_result *img)
{
	if (album_media_write(c, p->file_key, p->format, 1, img->thumb.buf, img->thumb.len) == 0 &&
	    album_media_write(c, p->file_key, p->format, 0, img->full.buf, img->full.len) == 0)
		return 0;
	(void)album_media_remove(c, p->file_key, p->format);
	return -1;
}

void
photos_upload(struct sm_req *req)
{
	const struct album_conf *c = conf_of(req);
	const char *caption = sm_req_query(req, "caption");
	struct image_result img;
	struct album_photo p;
	json_object *out = NULL;
	struct timespec t0;
	double t_image, t_files;
	char why[256];
	size_t chars;
	int r;

	if (member_or_reply(req, req->ids[0]) != 0)
		return;
	if (!declared_image(req->content_type)) {
		sm_reply_error(req, 415, "UNSUPPORTED_MEDIA_TYPE",
		    "send the image itself as image/jpeg, image/png or image/webp");
		return;
	}
	if (caption == NULL)
		caption = "";
	chars = sm_utf8_chars(caption, strlen(caption));
	if (chars == (size_t)-1 || chars > ALBUM_CAPTION_MAX) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "caption", json_object_new_string(
		    "must be at most 500 characters of UTF-8"));
		sm_reply_invalid(req, f);
		return;
	}
	if (req->body == NULL || req->body_len == 0) {
		sm_reply_error(req, 415, "UNSUPPORTED_MEDIA_TYPE", "the body is empty");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = image_process(req->body, req->body_len, c->max_pixels, &img, why, sizeof(why));
	t_image = ms_since(&t0);
	if (r == IMAGE_UNSUPPORTED) {
		sm_reply_error(req, 415, "UNSUPPORTED_MEDIA_TYPE", "%s", why);
		return;
	}
	if (r == IMAGE_TOO_LARGE) {
		sm_reply_error(req, 413, "PAYLOAD_TOO_LARGE", "%s", why);
		return;
	}
	if (r != 0) {
		sm_reply_error(req, 500, "INTERNAL", "internal error");
		return;
	}

	memset(&p, 0, sizeof(p));
	p.community_id = req->ids[0];
	p.uploader_id = req->user_id;
	new_key(p.file_key);
	snprintf(p.format, sizeof(p.format), "%s", img.format);
	p.width = img.full.width;
	p.height = img.full.height;
	p.bytes = (long long)img.full.len;
	if (store_pending_add(req->app->db, p.file_key, p.format) != 0) {
		image_result_free(&img);
		sm_reply_db_error(req);
		return;
	}
	if (write_files(c, &p, &img) != 0) {
		image_result_free(&img);
		(void)store_pending_del(req->app->db, p.file_key);
		sm_reply_error(req, 500, "INTERNAL", "the photo could not be stored");
		return;
	}
	image_result_free(&img);
	t_files = ms_since(&t0) - t_image;
	r = store_photo_add(req->app->db, c, &p, caption, req->request_id, &out);
	if (r != 0) {
		(void)album_media_remove(c, p.file_key, p.format);
		(void)store_pending_del(req->app->db, p.file_key);
		if (r == STORE_NOT_FOUND)
			sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		else if (r == STORE_FORBIDDEN)
			sm_reply_error(req, 403, "FORBIDDEN",
			    "only the community's members upload photos");
		else
			sm_reply_db_error(req);
		return;
	}
	sm_outbox_wake(req->app->redis, "album");
	sm_log(SM_LOG_INFO, "photo %lld: %s %lldx%lld, %zu bytes in; image %.0f ms, files %.0f ms,"
	    " row %.0f ms", p.id, p.format, p.width, p.height, req->body_len, t_image, t_files,
	    ms_since(&t0) - t_image - t_files);
	if (image_tracked_mem() != 0)
		sm_log(SM_LOG_ERROR, "libvips still tracks %zu bytes after an upload",
		    image_tracked_mem());
	(void)store_pending_sweep(req->app->db, c, PENDING_STALE_S, 8);
	sm_reply_header(req, "Location", sm_pool_printf(req->pool, "/api/v1/photos/%lld", p.id));
	sm_reply_json(req, 201, out);
}

void
photos_list(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;
	int r;

	if (sm_page_or_reply(req, PHOTO_TAG, &limit, &after) != 0)
		return;
	r = store_photos(req->app->db, conf_of(req), req->ids[0], req->user_id, after, limit,
	    &items, &next);
	switch (r) {
	case 0:
		sm_reply_header(req, "Cache-Control", "private, no-store");
		sm_reply_page(req, PHOTO_TAG, items, next);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_PRIVATE:
		sm_reply_error(req, 403, "FORBIDDEN", "only members see a private community's photos");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
photos_get(struct sm_req *req)
{
	json_object *o;
	int r = store_photo_get(req->app->db, conf_of(req), req->ids[0], req->user_id, &o);

	switch (r) {
	case 0:
		sm_reply_header(req, "Cache-Control", "private, no-store");
		sm_reply_json(req, 200, o);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such photo");
		break;
	case STORE_PRIVATE:
		sm_reply_error(req, 403, "FORBIDDEN", "only members see a private community's photos");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
photos_delete(struct sm_req *req)
{
	struct album_photo gone;
	int r = store_photo_delete(req->app->db, req->ids[0], req->user_id, req->request_id, &gone);

	switch (r) {
	case 0:
		(void)album_media_remove(conf_of(req), gone.file_key, gone.format);
		sm_outbox_wake(req->app->redis, "album");
		sm_log(SM_LOG_INFO, "user %lld deleted photo %lld", req->user_id, req->ids[0]);
		sm_reply_empty(req, 204);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such photo");
		break;
	case STORE_PRIVATE:
		sm_reply_error(req, 403, "FORBIDDEN", "only members see a private community's photos");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN",
		    "only the uploader or the community's owner or admins delete a photo");
		break;
	default:
		sm_reply_db_error(req);
	}
}
