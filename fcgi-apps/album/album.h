/*
 * album.h -- the album service (사진첩): photos of a community, uploaded as the
 * image itself, checked and re-encoded by libvips, served by nginx.
 *
 * The one design decision: the program never streams a photo.  An upload is
 * decoded and re-encoded in the request (image.c) -- the picture the right way
 * up without metadata, and a 320 px thumbnail -- and both files are written
 * under [album] media_dir before the photo row commits, so the 201 answer's
 * thumbnail_url works the moment the client fetches it.  nginx serves the
 * files through short-lived signed URLs (libalbum.h says why secure_link).
 * Who may do what comes from the schema's copies (lib/sm_copy.h).
 */
#ifndef ALBUM_H
#define ALBUM_H

#include "libalbum.h"
#include "sm_app.h"
#include "sm_copy.h"

#define ALBUM_CAPTION_MAX 500   /* characters */

/* The worker's state (app->data). */
struct album {
	struct album_conf conf;
	int vips_up;                    /* image_init() succeeded */
};

/* Handlers (photos.c). */
sm_handler photos_upload, photos_list, photos_get, photos_delete;

/* Worker init/fini (photos.c): settings, libvips. */
int album_init(struct sm_app *app);
void album_fini(struct sm_app *app);

#endif
