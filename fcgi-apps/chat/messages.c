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
#include "sm_cursor.h"

#include <stdlib.h>
#include <string.h>

/*
 * Checks text (NUL-terminated, len bytes): a reason string when it is not
 * acceptable, NULL when it is.  C0 controls but '\n', DEL and the C1
 * controls (U+0080..U+009F) are refused.
 */
static const char *
text_problem(const char *s, size_t len)
{
	size_t chars, i;

	if (strlen(s) != len || (chars = sm_utf8_chars(s, len)) == (size_t)-1)
		return "must be valid UTF-8 text";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f ||
		    (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f))
			return "must not contain control characters (a newline is fine)";
	}
	if (chars < 1)
		return "must not be empty or only white space";
	if (chars > CHAT_MAX_CHARS)
		return "must be at most 2000 characters long";
	return NULL;
}

/* Is the byte at s the start of white space to trim (ASCII, U+3000, U+00A0)?  Its length. */
static size_t
space_len(const char *s, size_t left)
{
	if (left >= 1 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
	    *s == '\v'))
		return 1;
	if (left >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	if (left >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
		return 2;
	return 0;
}

/* The trimmed copy of s[len] in the request's pool. */
static char *
trim(struct sm_req *req, const char *s, size_t len, size_t *out_len)
{
	size_t a = 0, b = len, k;

	while (a < b && (k = space_len(s + a, b - a)) > 0)
		a += k;
	for (;;) {
		if (b > a && space_len(s + b - 1, 1) == 1) {
			b--;
		} else if (b - a >= 2 && memcmp(s + b - 2, "\xC2\xA0", 2) == 0) {
			b -= 2;
		} else if (b - a >= 3 && memcmp(s + b - 3, "\xE3\x80\x80", 3) == 0) {
			b -= 3;
		} else {
			break;
		}
	}
	*out_len = b - a;
	return sm_pool_strndup(req->pool, s + a, b - a);
}

void
messages_create(struct sm_req *req)
{
	json_object *body, *v, *o;
	struct chat_member me;
	struct chat_msg msg;
	const char *raw, *problem;
	char *text;
	size_t rawlen, len;
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
		text = trim(req, raw, rawlen, &len);
		problem = text_problem(text, len);
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
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the community's members chat");
		break;
	default:
		chat_reply_store_error(req);
	}
}

void
messages_list(struct sm_req *req)
{
	const char *limit_s = sm_req_query(req, "limit");
	const char *before = sm_req_query(req, "before");
	const char *after = sm_req_query(req, "after");
	json_object *items, *o, *fields = NULL;
	struct chat_member me;
	long long limit = SM_PAGE_DEFAULT, before_seq = 0, after_seq = -1, next_seq = 0;
	char next_id[32], *end;
	int r;

	if (before == NULL)
		before = sm_req_query(req, "cursor");
	if (limit_s != NULL) {
		limit = strtoll(limit_s, &end, 10);
		if (*limit_s == '\0' || *end != '\0' || limit < 1 || limit > SM_PAGE_MAX) {
			fields = json_object_new_object();
			json_object_object_add(fields, "limit",
			    json_object_new_string("must be an integer from 1 to 100"));
		}
	}
	if (before != NULL && *before != '\0' && store_parse_id(before, &before_seq) != 0) {
		if (fields == NULL)
			fields = json_object_new_object();
		json_object_object_add(fields, "before", json_object_new_string("must be a message id"));
	}
	if (after != NULL && store_parse_id(after, &after_seq) != 0) {
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
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the community's members read its chat");
		break;
	default:
		chat_reply_store_error(req);
	}
}
