/*
 * comments.c -- /api/v1/posts/{id}/comments and /api/v1/comments/{id}
 * (docs/openapi.yaml, tag comments).
 *
 * Decisions a client sees:
 *  - A body is 1..2,000 characters of valid UTF-8 and not only white space
 *    (400 VALIDATION_FAILED naming "body"); the body is checked before the
 *    post, so a bad body on an unknown post is 400.
 *  - An unknown or deleted post is 404; writing needs membership (403), the
 *    list needs membership only in a private community (403 otherwise).
 *  - Deleting needs the comment's author or the community's owner/admin
 *    (403); an unknown comment, also one already deleted, is 404.
 * Every change wakes the outbox relay after its commit.
 */
#include "store.h"
#include "sm_cursor.h"
#include "sm_outbox.h"

#include <string.h>

#define COMMENT_TAG "c"         /* the comment list: comment ids ascending */

/* Is s made of white space only (ASCII blanks and U+3000 / U+00A0)? */
static int
blank(const char *s)
{
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
		    *s == '\v')
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else if (strncmp(s, "\xC2\xA0", 2) == 0)
			s += 2;
		else
			return 0;
	}
	return 1;
}

void
comments_create(struct sm_req *req)
{
	json_object *body, *c;
	const char *text = NULL;
	struct sm_form f;
	int r;

	if (sm_json_body_or_reply(req, &body) != 0)
		return;
	sm_form_init(&f, req, body);
	if (sm_form_string(&f, "body", SM_REQUIRED, 1, COMMENT_MAX_CHARS, &text) == 1 &&
	    blank(text))
		sm_form_invalid(&f, "body", "must not be blank");
	if (sm_form_done_or_reply(&f) != 0)
		return;
	r = store_comment_add(req->app->db, req->ids[0], req->user_id, text, req->request_id, &c);
	switch (r) {
	case 0:
		sm_outbox_wake(req->app->redis, "comment");
		sm_reply_json(req, 201, c);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such post");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the community's members comment");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
comments_list(struct sm_req *req)
{
	long long limit, after, next;
	json_object *items;
	int r;

	if (sm_page_or_reply(req, COMMENT_TAG, &limit, &after) != 0)
		return;
	r = store_comments(req->app->db, req->ids[0], req->user_id, after, limit, &items, &next);
	switch (r) {
	case 0:
		sm_reply_page(req, COMMENT_TAG, items, next);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such post");
		break;
	case STORE_PRIVATE:
		sm_reply_error(req, 403, "FORBIDDEN",
		    "only members see a private community's comments");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
comments_delete(struct sm_req *req)
{
	int r = store_comment_delete(req->app->db, req->ids[0], req->user_id, req->request_id);

	switch (r) {
	case 0:
		sm_outbox_wake(req->app->redis, "comment");
		sm_log(SM_LOG_INFO, "user %lld deleted comment %lld", req->user_id, req->ids[0]);
		sm_reply_empty(req, 204);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such comment");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN",
		    "only the author or the community's owner or admins delete a comment");
		break;
	default:
		sm_reply_db_error(req);
	}
}
