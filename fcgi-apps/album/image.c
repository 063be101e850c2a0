/*
 * image.c -- libvips from the upload's bytes to the stored files (see image.h).
 *
 * Why libvips: it sniffs formats by content, reads a header without decoding
 * pixels (a 30000x30000 PNG bomb costs 2 ms and 1 MB), shrinks JPEGs while
 * decoding (a 12 MP thumbnail in about 60 ms), applies EXIF orientation and
 * ICC conversion in the same pipeline, and streams: its peak memory is a few
 * megabytes per thumbnail.  Each of those had to be assembled by hand around
 * libjpeg/libpng/libwebp, and ImageMagick decodes everything it is given
 * (SVG, PDF, ...) into memory first.
 *
 * Traps of Debian's libvips 8.14.1 (measured, see the ChangeLog):
 *  - vips_foreign_find_load_buffer() names loader classes, and libvips
 *    links ImageMagick, librsvg, poppler...: we allow three classes by name
 *    and block every other loader in libvips as well;
 *  - vips_thumbnail_buffer() ignores its fail_on argument: we pass
 *    "fail_on=truncated" as its option_string, so a cut-off file fails;
 *  - webpsave ignores strip: the metadata fields are removed from a copy of
 *    the image before any save;
 *  - libvips' warnings (1,400 lines for one truncated PNG) go to our own
 *    GLib log handler, which drops them.
 *  - a saver whose input fails mid-save keeps its input alive (a leak per
 *    damaged upload): everything is decoded into memory before any save.
 * Every VipsImage made here is unreferenced before image_process() returns,
 * so nothing of libvips points into the request's pool when it is reset.
 */
#include "image.h"
#include "sm_log.h"

#include <string.h>
#include <vips/vips.h>

static const struct {
	const char *cls, *format, *loader;
} allowed[] = {
	{ "VipsForeignLoadJpegBuffer", "jpeg", "jpegload" },
	{ "VipsForeignLoadPngBuffer",  "png",  "pngload" },
	{ "VipsForeignLoadWebpBuffer", "webp", "webpload" },
};

static unsigned long warnings;

static void
on_vips_warning(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)domain;
	(void)level;
	(void)message;
	(void)data;
	warnings++;
}

int
image_init(int leak_check)
{
	if (VIPS_INIT("somoim-album") != 0) {
		sm_log(SM_LOG_ERROR, "VIPS_INIT failed: %s", vips_error_buffer());
		return -1;
	}
	if (leak_check)
		vips_leak_set(TRUE);
	vips_concurrency_set(1);        /* workers x threads on few cores: one each */
	vips_cache_set_max(0);          /* nothing is shared between requests */
	vips_operation_block_set("VipsForeignLoad", TRUE);
	vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
	vips_operation_block_set("VipsForeignLoadPng", FALSE);
	vips_operation_block_set("VipsForeignLoadWebp", FALSE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
	    on_vips_warning, NULL);
	return 0;
}

void
image_fini(void)
{
	vips_shutdown();
}

size_t
image_tracked_mem(void)
{
	return vips_tracked_get_mem();
}

/* libvips' last error, first line, into why; clears it. */
static void
vips_why(const char *what, char *why, size_t whylen)
{
	const char *e = vips_error_buffer();
	size_t n = strcspn(e, "\n");

	snprintf(why, whylen, "%s: %.*s", what, (int)(n > 200 ? 200 : n), e);
	vips_error_clear();
}

/* A copy of in without any metadata field but libvips' own ("vips-*"); NULL on error. */
static VipsImage *
without_metadata(VipsImage *in)
{
	VipsImage *c;
	gchar **fields;
	int i;

	if (vips_copy(in, &c, NULL) != 0)
		return NULL;
	fields = vips_image_get_fields(c);
	for (i = 0; fields[i] != NULL; i++)
		if (strncmp(fields[i], "vips-", 5) != 0)
			(void)vips_image_remove(c, fields[i]);
	g_strfreev(fields);
	return c;
}

/* Encodes in, without metadata, in format into *f: 0 or -1 (why filled). */
static int
encode(VipsImage *in, const char *format, int q, struct image_file *f, char *why,
    size_t whylen)
{
	VipsImage *bare = without_metadata(in);
	int r;

	if (bare == NULL) {
		vips_why("copy", why, whylen);
		return -1;
	}
	f->width = vips_image_get_width(bare);
	f->height = vips_image_get_height(bare);
	if (strcmp(format, "jpeg") == 0)
		r = vips_jpegsave_buffer(bare, &f->buf, &f->len, "Q", q, "strip", TRUE,
		    "optimize_coding", TRUE, NULL);
	else if (strcmp(format, "png") == 0)
		r = vips_pngsave_buffer(bare, &f->buf, &f->len, "strip", TRUE, "compression", 6,
		    NULL);
	else
		r = vips_webpsave_buffer(bare, &f->buf, &f->len, "Q", q, "strip", TRUE, NULL);
	g_object_unref(bare);
	if (r != 0) {
		f->buf = NULL;
		vips_why("encoding", why, whylen);
		return -1;
	}
	return 0;
}

/*
 * A JPEG's thumbnail, decoded again from buf with libjpeg's shrink-on-load
 * (an eighth of the pixels or fewer: cheaper than resizing the whole decoded
 * picture), into memory: 0 or -1 (why filled).
 */
static int
jpeg_thumbnail(const void *buf, size_t len, VipsImage **out, char *why, size_t whylen)
{
	VipsImage *img;

	if (vips_thumbnail_buffer((void *)buf, len, &img, ALBUM_THUMB_EDGE,
	    "height", ALBUM_THUMB_EDGE, "size", VIPS_SIZE_DOWN, "export_profile", "srgb",
	    "option_string", "fail_on=truncated", NULL) != 0) {
		vips_why("it does not decode", why, whylen);
		return -1;
	}
	*out = vips_image_copy_memory(img);
	g_object_unref(img);
	if (*out == NULL) {
		vips_why("it does not decode", why, whylen);
		return -1;
	}
	return 0;
}

/*
 * Decodes buf whole into memory, the right way up and in sRGB, then encodes
 * the picture and a thumbnail from that memory image (a JPEG's from buf
 * again, with shrink-on-load).  Decoding into memory
 * first is deliberate: a damaged file fails there, where we unreference
 * everything, and never inside a save -- libvips 8.14.1's savers keep a
 * reference to their input when its pixels fail mid-save (measured: a whole
 * pipeline stayed alive per damaged WebP).  The cost is the decoded picture in memory: width x height x bands
 * bytes, bounded by [album] max_pixels.  0 or -1 (why filled).
 */
static int
render(const void *buf, size_t len, int box, const char *format, struct image_result *out,
    char *why, size_t whylen)
{
	VipsImage *img = NULL, *mem, *thumb = NULL;
	int r;

	if (vips_thumbnail_buffer((void *)buf, len, &img, box, "height", box,
	    "size", VIPS_SIZE_DOWN, "export_profile", "srgb",
	    "option_string", "fail_on=truncated", NULL) != 0) {
		vips_why("it does not decode", why, whylen);
		return -1;
	}
	mem = vips_image_copy_memory(img);
	g_object_unref(img);
	if (mem == NULL) {
		vips_why("it does not decode", why, whylen);
		return -1;
	}
	r = encode(mem, format, 85, &out->full, why, whylen);
	if (r == 0 && strcmp(format, "jpeg") == 0)
		r = jpeg_thumbnail(buf, len, &thumb, why, whylen);
	else if (r == 0 && vips_thumbnail_image(mem, &thumb, ALBUM_THUMB_EDGE, "height",
	    ALBUM_THUMB_EDGE, "size", VIPS_SIZE_DOWN, NULL) != 0) {
		vips_why("thumbnail", why, whylen);
		r = -1;
	}
	if (r == 0)
		r = encode(thumb, format, 80, &out->thumb, why, whylen);
	if (thumb != NULL)
		g_object_unref(thumb);
	g_object_unref(mem);
	return r;
}

int
image_process(const void *buf, size_t len, long long max_pixels, struct image_result *out,
    char *why, size_t whylen)
{
	const char *cls, *loader = NULL;
	VipsImage *hdr;
	long long w, h;
	int bands, i, ok;
	size_t k;

	memset(out, 0, sizeof(*out));
	if ((cls = vips_foreign_find_load_buffer(buf, len)) == NULL) {
		vips_error_clear();
		snprintf(why, whylen, "the body is not an image");
		return IMAGE_UNSUPPORTED;
	}
	for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
		if (strcmp(cls, allowed[k].cls) == 0)
			break;
	if (k == sizeof(allowed) / sizeof(allowed[0])) {
		snprintf(why, whylen, "only JPEG, PNG and WebP are accepted");
		return IMAGE_UNSUPPORTED;
	}
	out->format = allowed[k].format;

	/* The header only: lazy, no pixel is decoded. */
	hdr = vips_image_new_from_buffer(buf, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (hdr == NULL) {
		vips_why("the header does not decode", why, whylen);
		return IMAGE_UNSUPPORTED;
	}
	w = vips_image_get_width(hdr);
	h = vips_image_get_height(hdr);
	bands = vips_image_get_bands(hdr);
	ok = vips_image_get_string(hdr, "vips-loader", &loader) == 0 && loader != NULL &&
	    strncmp(loader, allowed[k].loader, strlen(allowed[k].loader)) == 0;
	g_object_unref(hdr);
	vips_error_clear();
	if (!ok || bands < 1 || bands > 4) {
		snprintf(why, whylen, "only JPEG, PNG and WebP of 1 to 4 bands are accepted");
		return IMAGE_UNSUPPORTED;
	}
	if (w * h > max_pixels) {
		snprintf(why, whylen, "%lldx%lld is more than %lld pixels", w, h, max_pixels);
		return IMAGE_TOO_LARGE;
	}

	i = render(buf, len, (int)(w > h ? w : h), out->format, out, why, whylen);
	if (i != 0) {
		image_result_free(out);
		return IMAGE_UNSUPPORTED;
	}
	return 0;
}

void
image_result_free(struct image_result *r)
{
	g_free(r->full.buf);
	g_free(r->thumb.buf);
	r->full.buf = r->thumb.buf = NULL;
}
