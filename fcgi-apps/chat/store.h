/*
 * store.h -- the chat service's documents (see chat.h for their layout).
 * Every function returns 0 or STORE_* on success paths, -1 on a store error
 * (chat_reply_failure answers any of them).
 */
#ifndef CHAT_STORE_H
#define CHAT_STORE_H

#include "chat.h"
#include "sm_mongo.h"

enum { STORE_NOT_FOUND = 1, STORE_FORBIDDEN = 2 };

struct chat_member {
	int member;             /* a member now */
	long long head;         /* the community's head bucket (a lower bound of the newest) */
	char name[256];         /* the profile copy (empty when not known yet) */
	char image[2048];
};

/* One message as stored. */
struct chat_msg {
	char id[32];            /* "<ms:13>-<seq:10>": sorts by time and by seq */
	long long seq;
	long long sender_id;
	const char *text;
	long long ms;           /* created, Unix milliseconds */
};

/* Per worker (app->data): the store and the seq hints. */
int store_open(struct sm_app *app);
void store_close(struct sm_app *app);
struct sm_mongo *store_mongo(struct sm_app *app);

/*
 * May user_id read and write community_id's chat?  0 (member: *m filled),
 * STORE_NOT_FOUND (no such community, or deleted), STORE_FORBIDDEN (not a
 * member), -1.  One read of the community's small collection.
 */
int store_access(struct sm_app *app, long long community_id, long long user_id,
    struct chat_member *m);

/* Stores a message (one insert: all or nothing), filling msg; head from store_access.  0 or -1. */
int store_append(struct sm_app *app, long long community_id, long long head,
    long long sender_id, const char *text, struct chat_msg *msg);

/*
 * A page of up to limit messages with seq < before_seq (0: the newest),
 * newest first, as JSON message objects; *next_seq is the seq to continue
 * below (0 at the end).  0 or -1.
 */
int store_page(struct sm_app *app, long long community_id, long long head, long long before_seq,
    long long limit, json_object **items, long long *next_id_seq, char *next_id,
    size_t next_id_len);

/*
 * Up to limit messages with seq > after_seq, oldest first (what a stream
 * client missed); next_id gets the id to continue after when more exist,
 * "" otherwise.  0 or -1.
 */
int store_page_after(struct sm_app *app, long long community_id, long long after_seq,
    long long limit, json_object **items, char *next_id, size_t next_id_len);

/* The JSON message of msg (sender from the member copies). */
json_object *store_message_json(long long community_id, const struct chat_msg *msg,
    const char *name, const char *image);

/*
 * Answers what a store call returned when it was not 0: 404 for
 * STORE_NOT_FOUND, 403 for STORE_FORBIDDEN, and for -1 503 UNAVAILABLE when
 * the store was out of reach (nothing written), else 500.
 */
void chat_reply_failure(struct sm_req *req, int r);

#endif
