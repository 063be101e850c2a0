/*
 * like.h -- the like service: one like per member per post (or photo).
 *
 * The one design decision: the seed's like server sent the board one counter
 * query per like; here the count lives beside the likes.  The target's row
 * (this service's copy of the post, kept by somoim-like-events) is also its
 * counter: a PUT or DELETE locks it, inserts or deletes the like row, and only
 * when a row really changed moves like_count and seq by one and adds
 * v1.event.like-changed (with the exact count) to the outbox -- one
 * transaction.  A repeated PUT changes nothing and emits nothing; readers
 * (the board's read model) set the count from the event, newest seq wins,
 * instead of adding to it.
 */
#ifndef LIKE_H
#define LIKE_H

#include "sm_app.h"

/* Handlers (likes.c). */
sm_handler likes_put_post, likes_delete_post, likes_put_photo, likes_delete_photo;

#endif
