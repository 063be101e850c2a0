/* copies.h -- the handlers of somoim-community-events (see main.c). */
#ifndef COPIES_H
#define COPIES_H

#include "sm_consumer.h"

/* user-signed-up / user-updated: replaces the user's user_interests when version is newer. */
sm_consumer_fn copies_user_apply;
sm_consumer_batch_fn copies_user_batch;        /* the same, many at once */

/*
 * member-joined / member-left / member-updated: the memberships row and
 * communities.member_count, each only from an event newer (by seq) than the
 * one it last took.  An unknown (deleted) community is ignored.
 */
sm_consumer_fn copies_member_apply;

/*
 * user-deleted (departed.c): the account's interests and wishlist go, and a
 * community it still owns is deleted; the account is recorded in
 * departed_users, which community creation checks.
 */
sm_consumer_fn copies_user_deleted;

#endif
