/*
 * messages.c -- /api/v1/communities/{id}/chat/messages (API.md "Chat").
 *
 * Decisions a client sees:
 *  - text is trimmed (white space at both ends), then must be 1..2,000
 *    Unicode characters of valid UTF-8 with no control character but the
 *    newline (400 VALIDATION_FAILED naming "text").  The input is checked
 *    before the community, so bad text on an unknown community is 400.
 *  - Only members post and read (403; an unknown or deleted community 404).
 *  - A message is stored by one insert, then published to the community's
 *    nchan channel; a failed publish is logged and the answer is still 201:
 *    the message is in the history, which a client reads to catch up
 *    (?after=<last id it has> gives exactly what it missed, oldest first).
 *  - The list is newest first; ?before=<message id> (or ?cursor=) pages
 *    down, next_cursor is the id to pass next (null at the end).  ?after=
 *    <message id> lists what came after it, oldest first (a stream client
 *    filling a gap); its next_cursor continues with ?after=.
 */
#include "publish.h"
#include "store.h"
#include "text.h"
#include "sm_cursor.h"

#include <stdlib.h>
#include <string.h>

void
messages_create(struct sm_req *req)
{
	json_object *body, *v, *o;
	struct chat_member me;
	struct chat_msg msg;
	const char *raw, *problem;
	char *text;
	size_t rawlen, len, a;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	if (!json_object_is_type(body, json_type_object) ||
	    !json_object_object_get_ex(body, "text", &v) || v == NULL ||
	    !json_object_is_type(v, json_type_string)) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "text", json_object_new_string("is required (a string)"));
		sm_reply_invalid(req, f);
		return;
	}
	raw = json_object_get_string(v);
	rawlen = (size_t)json_object_get_string_len(v);
	text = NULL;
	len = 0;
	if (strlen(raw) != rawlen || sm_utf8_chars(raw, rawlen) == (size_t)-1) {
		problem = "must be valid UTF-8 text";
	} else {
		len = chat_trim(raw, rawlen, &a);
		text = sm_pool_strndup(req->pool, raw + a, len);
		problem = chat_text_problem(text, len);
	}
	if (problem != NULL) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "text", json_object_new_string(problem));
		sm_reply_invalid(req, f);
		return;
	}
	r = store_access(req->app, req->ids[0], req->user_id, &me);
	if (r == 0)
		r = store_append(req->app, req->ids[0], me.head, req->user_id, text, &msg);
	switch (r) {
	case 0:
		o = store_message_json(req->ids[0], &msg, me.name, me.image);
		chat_publish(req->app, req->ids[0], o);
		sm_reply_json(req, 201, o);
		break;
	default:
		chat_reply_failure(req, r);
	}
}

void
messages_list(struct sm_req *req)
{
	const char *limit_s = sm_req_query(req, "limit");
	const char *before = sm_req_query(req, "before");
	const char *after = sm_req_query(req, "after");
	const char *cursor = sm_req_query(req, "cursor");
	json_object *items, *o, *fields = NULL;
	struct chat_member me;
	long long limit = SM_PAGE_DEFAULT, before_seq = 0, after_seq = -1, next_seq = 0, cursor_seq;
	char next_id[32], *end;
	int r;

	if (before == NULL)
		before = cursor;
	else if (cursor != NULL && *cursor != '\0' && chat_parse_id(cursor, &cursor_seq) != 0) {
		/* ?before= wins, but a cursor that is not a message id is still refused */
		fields = json_object_new_object();
		json_object_object_add(fields, "cursor", json_object_new_string("must be a message id"));
	}
	if (limit_s != NULL) {
		limit = strtoll(limit_s, &end, 10);
		if (*limit_s == '\0' || *end != '\0' || limit < 1 || limit > SM_PAGE_MAX) {
			if (fields == NULL)
				fields = json_object_new_object();
			json_object_object_add(fields, "limit",
			    json_object_new_string("must be an integer from 1 to 100"));
		}
	}
	if (before != NULL && *before != '\0' && chat_parse_id(before, &before_seq) != 0) {
		if (fields == NULL)
			fields = json_object_new_object();
		json_object_object_add(fields, "before", json_object_new_string("must be a message id"));
	}
	if (after != NULL && chat_parse_id(after, &after_seq) != 0) {
		if (fields == NULL)
			fields = json_object_new_object();
		json_object_object_add(fields, "after", json_object_new_string("must be a message id"));
	} else if (after != NULL && before != NULL && *before != '\0') {
		if (fields == NULL)
			fields = json_object_new_object();
		json_object_object_add(fields, "after",
		    json_object_new_string("cannot be combined with before"));
	}
	if (fields != NULL) {
		sm_reply_invalid(req, fields);
		return;
	}
	r = store_access(req->app, req->ids[0], req->user_id, &me);
	if (r == 0 && after_seq >= 0) {
		r = store_page_after(req->app, req->ids[0], after_seq, limit, &items, next_id,
		    sizeof(next_id));
		next_seq = next_id[0] != '\0';
	} else if (r == 0) {
		r = store_page(req->app, req->ids[0], me.head, before_seq, limit, &items, &next_seq, next_id,
		    sizeof(next_id));
	}
	switch (r) {
	case 0:
		o = json_object_new_object();
		json_object_object_add(o, "items", items);
		json_object_object_add(o, "next_cursor",
		    next_seq > 0 ? json_object_new_string(next_id) : NULL);
		sm_reply_json(req, 200, o);
		break;
	default:
		chat_reply_failure(req, r);
	}
}
