/*
 * events.c -- the comment events (see events.h).
 *
 * The one design decision: comment-created carries everything a notification
 * needs (the post's title and author, the commenter's name, an excerpt), so
 * the notification service never has to ask anyone; comment_count and seq are
 * the post row's values as this transaction left them, so a consumer can both
 * set the exact count and drop an event older than what it holds.
 */
#include "events.h"
#include "sm_db.h"
#include "sm_outbox.h"

#include <string.h>

#define SOURCE "comment"

size_t
utf8_prefix(const char *s, size_t max_chars)
{
	size_t i = 0, n = 0;

	while (s[i] != '\0' && n < max_chars) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)    /* continuation bytes */
			i++;
		n++;
	}
	return i;
}

static json_object *
post_data(const struct post_state *p)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "post_id", json_object_new_int64(p->id));
	json_object_object_add(data, "community_id", json_object_new_int64(p->community_id));
	json_object_object_add(data, "comment_count", json_object_new_int64(p->comment_count));
	json_object_object_add(data, "seq", json_object_new_int64(p->seq));
	return data;
}

static int
add(struct sm_db *db, const char *type, const struct post_state *p, json_object *data,
    const char *request_id)
{
	return sm_outbox_event(db, SOURCE, type, p->id, data, request_id);
}

/* c's member key, or NULL. */
static json_object *
get(json_object *c, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(c, key, &v) ? v : NULL;
}

int
comment_created_add(struct sm_db *db, const struct post_state *p, json_object *c,
    const char *request_id)
{
	json_object *data = post_data(p), *author = get(c, "author");
	const char *body = json_object_get_string(get(c, "body"));

	json_object_object_add(data, "id", json_object_get(get(c, "id")));
	json_object_object_add(data, "post_title", json_object_new_string(p->title));
	json_object_object_add(data, "post_author_id", json_object_new_int64(p->author_id));
	json_object_object_add(data, "author_id", json_object_get(get(author, "id")));
	json_object_object_add(data, "author_name", json_object_get(get(author, "name")));
	json_object_object_add(data, "excerpt",
	    json_object_new_string_len(body, (int)utf8_prefix(body, EXCERPT_CHARS)));
	json_object_object_add(data, "body", json_object_new_string(body));
	json_object_object_add(data, "created_at", json_object_get(get(c, "created_at")));
	return add(db, "comment-created", p, data, request_id);
}

int
comment_deleted_add(struct sm_db *db, const struct post_state *p, long long id,
    const char *request_id)
{
	json_object *data = post_data(p);

	json_object_object_add(data, "id", json_object_new_int64(id));
	return add(db, "comment-deleted", p, data, request_id);
}
