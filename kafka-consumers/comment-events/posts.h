/*
 * posts.h -- somoim-comment-events' handlers for the board's post events.
 */
#ifndef COMMENT_POSTS_H
#define COMMENT_POSTS_H

#include "sm_consumer.h"

sm_consumer_fn comment_post_upsert;     /* post-created, post-updated */
sm_consumer_fn comment_post_deleted;    /* post-deleted: tombstone, comments go */

/* users.c: user-deleted: the neutral author, and the name out of this outbox. */
sm_consumer_fn comment_user_deleted;

#endif
