/*
 * copies.h -- somoim-chat-events: the chat's copies of communities,
 * memberships and profiles, kept in the document store (fcgi-apps/chat/chat.h
 * has the layout) from the owners' events.
 *
 * The one design decision: FerretDB 1.x has no multi-document transaction,
 * so every write is a version-gated upsert keyed by the owner's own order
 * (a community's version, a membership's per-community seq, a profile's
 * version): update_one({_id, version: {$lt: v}}, {$set...}, upsert).  An
 * older or replayed event matches nothing and its upsert hits the existing
 * _id (E11000): "already applied".  Each handler is a series of such writes,
 * each idempotent on its own, so a redelivery after a crash half way simply
 * completes the series.  The loop's processed_events (MariaDB, schema chat)
 * still skips what was fully applied.
 */
#ifndef CHAT_EVENTS_COPIES_H
#define CHAT_EVENTS_COPIES_H

#include "sm_consumer.h"

struct sm_conf;

/* The process's store and config (main.c), made before the loop starts. */
int copies_open(struct sm_conf *conf);
void copies_close(void);

sm_consumer_fn copies_community, copies_community_deleted, copies_member, copies_profile;
/* user-deleted: the neutral profile (SM_COPY_DELETED_NAME, no image). */
sm_consumer_fn copies_user_deleted;

#endif
