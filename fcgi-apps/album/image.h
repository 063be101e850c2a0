/*
 * image.h -- an upload's bytes to the files we store, with libvips.
 *
 * The one design decision: the uploaded bytes are never stored or served.
 * What the bytes are is decided by libvips' own sniffing, allowed only for
 * three loader classes (JPEG, PNG, WebP; every other loader is also blocked
 * in libvips itself), the size is checked from the header before a pixel is
 * decoded, and then both files are decoded and re-encoded: the right way up
 * (EXIF orientation applied), converted to sRGB, with every metadata field
 * removed (libvips 8.14.1's webpsave ignores strip, so we remove the fields
 * ourselves).  A polyglot keeps nothing but its pixels.
 */
#ifndef ALBUM_IMAGE_H
#define ALBUM_IMAGE_H

#include <stddef.h>

#define ALBUM_THUMB_EDGE 320            /* the thumbnail's long edge, at most */

enum {
	IMAGE_UNSUPPORTED = 1,          /* not a whole JPEG, PNG or WebP: 415 */
	IMAGE_TOO_LARGE = 2,            /* over the pixel limit, seen from the header: 413 */
};

struct image_file {
	void *buf;                      /* encoded bytes, libvips' (g_free) */
	size_t len;
	int width, height;
};

struct image_result {
	const char *format;             /* "jpeg", "png" or "webp": what the bytes were */
	struct image_file full, thumb;
};

/* Once per process (a worker, after fork): 0 or -1. leak_check: vips_leak_set. */
int image_init(int leak_check);
void image_fini(void);

/*
 * Decodes buf[len] (which must outlive nothing: every libvips object made
 * from it is gone when this returns) into *out.  0; IMAGE_UNSUPPORTED or
 * IMAGE_TOO_LARGE with a reason in why[whylen]; -1 when libvips failed for
 * another reason (logged).  The caller frees *out with image_result_free().
 */
int image_process(const void *buf, size_t len, long long max_pixels, struct image_result *out,
    char *why, size_t whylen);
void image_result_free(struct image_result *r);

/* Bytes libvips still tracks (pixel buffers); 0 between requests. */
size_t image_tracked_mem(void);

#endif
