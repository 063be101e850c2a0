/*
 * photos.h -- somoim-album-events' own handlers (the rest are lib/sm_copy.h's).
 */
#ifndef ALBUM_EVENTS_PHOTOS_H
#define ALBUM_EVENTS_PHOTOS_H

#include "sm_consumer.h"

struct sm_conf;

/* Reads [album] (the media directory); 0 or -1 (logged). */
int album_events_init(const struct sm_conf *conf);

sm_consumer_fn album_on_community_deleted;  /* copy tombstone; photos go, with photo-deleted */
sm_consumer_fn album_on_photo_deleted;      /* the photo's files are unlinked */
sm_consumer_fn album_on_like_changed;       /* a photo's like_count, newest seq wins */

#endif
