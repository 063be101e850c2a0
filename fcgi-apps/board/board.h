/*
 * board.h -- somoim-board, the command side of the board (CQRS): posts are
 * created, edited and deleted here; every read of a post is served by
 * somoim-board-query from its own read model (sql/board_query/), which the
 * projector daemon builds from this service's events.
 *
 * The one design decision: this service writes and announces, it never
 * lists.  Its posts table is the source of truth (a deleted post stays as a
 * tombstone with its version), every change adds its v1.event.post-* in the
 * same transaction, and who may do what comes from this schema's event-fed
 * copies of communities, memberships and profiles (lib/sm_copy.h, kept by
 * somoim-board-events).
 */
#ifndef BOARD_H
#define BOARD_H

#include "sm_app.h"

#define BOARD_TITLE_MAX 200     /* characters */
#define BOARD_BODY_MAX 20000    /* characters */

/* Handlers (posts.c). */
sm_handler posts_create, posts_patch, posts_delete;

#endif
