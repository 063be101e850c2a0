/*
 * photos.h -- somoim-like-events' handlers for the album's photo events.
 */
#ifndef LIKE_PHOTOS_H
#define LIKE_PHOTOS_H

#include "sm_consumer.h"

sm_consumer_fn like_photo_created;    /* photo-created: the target row */
sm_consumer_fn like_photo_deleted;    /* photo-deleted: tombstone, likes go */

#endif
