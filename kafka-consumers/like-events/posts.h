/*
 * posts.h -- somoim-like-events' handlers for the board's post events.
 */
#ifndef LIKE_POSTS_H
#define LIKE_POSTS_H

#include "sm_consumer.h"

sm_consumer_fn like_post_upsert;     /* post-created, post-updated */
sm_consumer_fn like_post_deleted;    /* post-deleted: tombstone, likes go */
sm_consumer_fn like_user_deleted;    /* users.c: user-deleted, the account's likes go */

#endif
