/*
 * media.c -- the [album] settings, the photo files and their signed URLs
 * (see libalbum.h).
 *
 * The one design decision: a URL's signature is nginx's secure_link_md5 over
 * "<expires><uri> <secret>" -- the secret last, so no one can extend a signed
 * string -- as unpadded base64url, and expires is rounded up to the end of
 * the next url_bucket: every URL handed out within one bucket is the same, so
 * browsers keep their cached copies, and none lives longer than two buckets.
 * The files are 0640 in directories that nginx's group reads (dev/stack makes
 * the media directory setgid to it).
 */
#include "libalbum.h"
#include "sm_conf.h"
#include "sm_log.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
album_conf_load(const struct sm_conf *conf, struct album_conf *out)
{
	const char *dir = sm_conf_get(conf, "album", "media_dir", NULL);
	const char *secret = sm_conf_get(conf, "album", "url_secret", NULL);
	long long leak;

	memset(out, 0, sizeof(*out));
	if (dir == NULL || *dir != '/' || strlen(dir) >= sizeof(out->media_dir) - 64) {
		sm_log(SM_LOG_ERROR, "[album] media_dir must be an absolute path");
		return -1;
	}
	if (secret == NULL || strlen(secret) < 32 || strlen(secret) >= sizeof(out->secret) ||
	    strpbrk(secret, " \t\"'\\;$") != NULL) {
		sm_log(SM_LOG_ERROR, "[album] url_secret must be 32..255 characters without"
		    " blanks, quotes, ';', '$' or '\\' (it goes into nginx's config)");
		return -1;
	}
	snprintf(out->media_dir, sizeof(out->media_dir), "%s", dir);
	snprintf(out->secret, sizeof(out->secret), "%s", secret);
	if (sm_conf_int(conf, "album", "url_bucket", 1800, 60, 1800, &out->url_bucket) != 0 ||
	    sm_conf_int(conf, "album", "max_pixels", 50000000, 1, 500000000,
	    &out->max_pixels) != 0 ||
	    sm_conf_int(conf, "album", "max_body", 10 << 20, 1024, 64 << 20, &out->max_body) != 0 ||
	    sm_conf_int(conf, "album", "leak_check", 0, 0, 1, &leak) != 0)
		return -1;
	out->leak_check = (int)leak;
	return 0;
}

const char *
album_ext(const char *format)
{
	if (format == NULL)
		return NULL;
	if (strcmp(format, "jpeg") == 0)
		return "jpg";
	if (strcmp(format, "png") == 0)
		return "png";
	if (strcmp(format, "webp") == 0)
		return "webp";
	return NULL;
}

int
album_key_valid(const char *key)
{
	size_t i;

	for (i = 0; i < ALBUM_KEY_LEN; i++)
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return 0;
	return key[i] == '\0';
}

/* "ab/<key>[_t].<ext>" into out[n]; 0 or -1. */
static int
rel_path(const char *key, const char *format, int thumb, char *out, size_t n)
{
	const char *ext = album_ext(format);
	int len;

	if (ext == NULL || !album_key_valid(key))
		return -1;
	len = snprintf(out, n, "%.2s/%s%s.%s", key, key, thumb ? "_t" : "", ext);
	return len > 0 && (size_t)len < n ? 0 : -1;
}

int
album_media_path(const struct album_conf *c, const char *key, const char *format,
    int thumb, char *out, size_t n)
{
	char rel[64];
	int len;

	if (rel_path(key, format, thumb, rel, sizeof(rel)) != 0)
		return -1;
	len = snprintf(out, n, "%s/%s", c->media_dir, rel);
	return len > 0 && (size_t)len < n ? 0 : -1;
}

void
album_media_url(const struct album_conf *c, const char *key, const char *format, int thumb,
    time_t now, char *out, size_t n)
{
	char rel[64], uri[128], *sig, *p;
	long long expires = ((long long)now / c->url_bucket + 2) * c->url_bucket;
	guint8 digest[16];
	gsize dlen = sizeof(digest);
	GChecksum *md5;

	if (rel_path(key, format, thumb, rel, sizeof(rel)) != 0) {
		snprintf(out, n, "%s", "");
		return;
	}
	snprintf(uri, sizeof(uri), "%s%s", ALBUM_URL_PREFIX, rel);
	md5 = g_checksum_new(G_CHECKSUM_MD5);
	{
		char head[32];

		snprintf(head, sizeof(head), "%lld", expires);
		g_checksum_update(md5, (const guchar *)head, (gssize)strlen(head));
	}
	g_checksum_update(md5, (const guchar *)uri, (gssize)strlen(uri));
	g_checksum_update(md5, (const guchar *)" ", 1);
	g_checksum_update(md5, (const guchar *)c->secret, (gssize)strlen(c->secret));
	g_checksum_get_digest(md5, digest, &dlen);
	g_checksum_free(md5);
	sig = g_base64_encode(digest, dlen);
	for (p = sig; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
		if (*p == '\0')
			break;
	}
	snprintf(out, n, "%s?e=%lld&s=%s", uri, expires, sig);
	g_free(sig);
}

int
album_media_write(const struct album_conf *c, const char *key, const char *format, int thumb,
    const void *buf, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], dir[PATH_MAX + 8];
	const char *p = buf;
	size_t done = 0;
	int fd;

	if (album_media_path(c, key, format, thumb, path, sizeof(path)) != 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/%.2s", c->media_dir, key);
	if (mkdir(dir, 02750) != 0 && errno != EEXIST) {
		sm_log(SM_LOG_ERROR, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0) {
		sm_log(SM_LOG_ERROR, "open %s: %s", tmp, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			sm_log(SM_LOG_ERROR, "write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		done += (size_t)w;
	}
	if (fdatasync(fd) != 0 || close(fd) != 0) {
		sm_log(SM_LOG_ERROR, "fdatasync/close %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		sm_log(SM_LOG_ERROR, "rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
album_media_remove(const struct album_conf *c, const char *key, const char *format)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	int thumb, rc = 0;

	for (thumb = 0; thumb <= 1; thumb++) {
		if (album_media_path(c, key, format, thumb, path, sizeof(path)) != 0)
			return -1;
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		if (unlink(path) != 0 && errno != ENOENT) {
			sm_log(SM_LOG_ERROR, "unlink %s: %s", path, strerror(errno));
			rc = -1;
		}
		(void)unlink(tmp);      /* an upload that died while writing */
	}
	return rc;
}
