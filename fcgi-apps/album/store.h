/*
 * store.h -- the album service's SQL, kept in one place.
 *
 * Functions return 0 on success, -1 on a database error (the caller answers
 * with sm_reply_db_error), or a positive STORE_* code for a business outcome.
 * JSON objects handed out belong to the caller.  Photo objects carry signed
 * URLs for time `now`, made with the settings c.
 */
#ifndef STORE_H
#define STORE_H

#include "album.h"

enum {
	STORE_NOT_FOUND = 1,    /* no such photo or community (or it was deleted) */
	STORE_FORBIDDEN = 2,    /* the caller may not do this */
	STORE_PRIVATE = 3,      /* a private community's photo, the caller no member */
};

/* The caller's access to community_id (lib/sm_copy.h): 0 or -1. */
int store_access(struct sm_db *db, long long community_id, long long caller,
    struct sm_access *a);

/* Records that an upload is writing the files of key (committed at once). */
int store_pending_add(struct sm_db *db, const char *key, const char *format);
/* Forgets it (the upload failed and removed its files). */
int store_pending_del(struct sm_db *db, const char *key);
/*
 * Removes the files and rows of up to max uploads that died more than
 * older_s seconds ago between writing their files and their photo row.
 * One whose files cannot be removed (logged) waits for a later sweep.
 * Returns how many went, or -1.
 */
int store_pending_sweep(struct sm_db *db, const struct album_conf *c, int older_s, int max);

/*
 * Adds photo p (id set here) with caption, uploaded by p->uploader_id, in one
 * transaction with its pending row's delete and photo-created: members only
 * (STORE_FORBIDDEN), STORE_NOT_FOUND for a community gone meanwhile.
 * *out: the new `photo`.
 */
int store_photo_add(struct sm_db *db, const struct album_conf *c, struct album_photo *p,
    const char *caption, const char *request_id, json_object **out);

/* Photo id as `photo`: STORE_NOT_FOUND, STORE_PRIVATE. */
int store_photo_get(struct sm_db *db, const struct album_conf *c, long long id,
    long long caller, json_object **out);

/*
 * The photos of community_id, newest first, ids below after (-1: from the
 * newest), at most limit; *next the cursor when there may be more, else -1.
 * STORE_NOT_FOUND, STORE_PRIVATE.
 */
int store_photos(struct sm_db *db, const struct album_conf *c, long long community_id,
    long long caller, long long after, long long limit, json_object **items,
    long long *next);

/*
 * Deletes photo id if caller uploaded it or moderates its community
 * (STORE_FORBIDDEN), with photo-deleted; *gone: what was deleted (the caller
 * unlinks its files after the commit).  STORE_NOT_FOUND.
 */
int store_photo_delete(struct sm_db *db, long long id, long long caller,
    const char *request_id, struct album_photo *gone);

#endif
