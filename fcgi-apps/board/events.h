/*
 * events.h -- v1.event.post-created / post-updated / post-deleted, added to
 * the board schema's outbox inside the transaction that changed the post.
 */
#ifndef BOARD_EVENTS_H
#define BOARD_EVENTS_H

#include <json-c/json.h>

struct sm_db;

/* A post as the board's store reads it (store.c); the JSON fields are its own. */
struct post {
	long long id, community_id, author_id, version, like_count, comment_count;
	int deleted;
	json_object *title, *body, *created_at, *updated_at, *author_name, *author_image;
};

/*
 * Adds v1.event.<type> for p (key: the post id): post-created / -updated carry
 * the whole post, post-deleted its ids and version.  Returns 0 or -1.
 */
int post_event_add(struct sm_db *db, const char *type, const struct post *p,
    const char *request_id);

#endif
