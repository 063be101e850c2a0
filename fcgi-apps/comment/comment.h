/*
 * comment.h -- the comment service: comments on board posts.
 *
 * The one design decision: this service keeps its own copy of every post
 * (somoim-comment-events, from the board's post events) and that copy's row
 * is also the post's comment counter.  A comment write locks the post row,
 * inserts or deletes the comment, moves comment_count and seq by one and adds
 * v1.event.comment-created / -deleted to the outbox, all in one transaction:
 * the count an event carries is exact whatever the concurrency, and a post
 * being deleted (the daemon locks the same row) cannot get a comment after
 * its comments were removed.  Who may do what comes from the schema's copies
 * of communities and memberships (lib/sm_copy.h).
 */
#ifndef COMMENT_H
#define COMMENT_H

#include "sm_app.h"

#define COMMENT_MAX_CHARS 2000  /* a comment body: 1..2,000 characters, not blank */

/* Handlers (comments.c). */
sm_handler comments_create, comments_list, comments_delete;

#endif
