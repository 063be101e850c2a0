/*
 * chat.h -- the chat service (API.md "Chat"): messages stored in FerretDB
 * through lib/sm_mongo, live delivery by nginx's nchan.
 *
 * The one design decision: every read is an equality lookup on few
 * documents, because FerretDB 1.x pushes no sort, limit or range down and
 * scans a whole collection (its bytes) for any filter.  So a community's
 * history is cut into buckets of CHAT_BUCKET messages, each bucket its own
 * small collection "c<community>_b<bucket>" read whole, and a message's
 * number within its community (seq, from 1, no gaps) says which bucket holds
 * it: a page costs one to three bucket reads however long the history.  The
 * seq is claimed by the insert itself (the bucket's _id is the seq, unique),
 * so two workers can never take the same number and nothing else needs a
 * transaction.  The community's small collection "c<community>" holds the
 * copies the events daemon keeps (membership with the member's name and
 * image, the community itself) and the head (the newest bucket); layout.h
 * says in which database each lives.
 */
#ifndef CHAT_H
#define CHAT_H

#include "layout.h"
#include "sm_app.h"

#define CHAT_BUCKET 100         /* messages per bucket collection (>= the page maximum) */

/* Handlers (messages.c, stream.c). */
sm_handler messages_create, messages_list, stream_authorize;

#endif
