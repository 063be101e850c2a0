/*
 * posts.c -- POST /api/v1/communities/{id}/posts, PATCH and DELETE
 * /api/v1/posts/{id} (docs/openapi.yaml, tag board).
 *
 * Decisions a client sees:
 *  - Only members post (403 otherwise; 404 for an unknown community).
 *  - Only the author edits (403 for anyone else who can see the post); the
 *    author, the community's owner and its admins delete (403 otherwise).
 *  - A post in a private community is 404 to whoever is not a member, as on
 *    the read side: non-members see nothing, not even that it exists.  A
 *    deleted post is 404, so a second DELETE is 404.
 *  - title 1..200 and body 1..20,000 characters, neither blank; a PATCH
 *    names at least one of them.  Invalid UTF-8 is 400 INVALID_JSON (the
 *    parser's check), everything else 400 VALIDATION_FAILED.
 *  - The answer to a PATCH carries the read model's like_count and
 *    comment_count (a moment behind, like every read); a new post has none.
 * Every change wakes the outbox relay after its commit.
 */
#include "store.h"
#include "sm_outbox.h"

/*
 * Field key of f as a trimmed, non-blank string of 1..max characters into
 * *out (NULL when absent and optional).
 */
static void
text_field(struct sm_form *f, const char *key, unsigned flags, size_t max, const char **out)
{
	*out = NULL;
	if (sm_form_string(f, key, flags, 1, max, out) == 1 &&
	    *(*out = sm_pool_strtrim(f->req->pool, *out)) == '\0') {
		sm_form_invalid(f, key, "must not be blank");
		*out = NULL;
	}
}

/* Reads {title, body}; both required unless patch.  0, or -1 after a 400. */
static int
input_or_reply(struct sm_req *req, int patch, const char **title, const char **body)
{
	json_object *obj;
	struct sm_form f;
	unsigned flags = patch ? SM_OPTIONAL : SM_REQUIRED;

	if (sm_json_body_or_reply(req, &obj) != 0)
		return -1;
	sm_form_init(&f, req, obj);
	text_field(&f, "title", flags, BOARD_TITLE_MAX, title);
	text_field(&f, "body", flags, BOARD_BODY_MAX, body);
	if (patch && !sm_form_has_errors(&f) && *title == NULL && *body == NULL)
		sm_form_invalid(&f, "title", "give a new title or body");
	return sm_form_done_or_reply(&f);
}

static void
wake_relay(struct sm_req *req)
{
	sm_outbox_wake(req->app->redis, "board");
}

void
posts_create(struct sm_req *req)
{
	const char *title, *body;
	json_object *post;
	int r;

	if (input_or_reply(req, 0, &title, &body) != 0)
		return;
	r = store_create(req->app->db, req->ids[0], req->user_id, title, body, req->request_id,
	    &post);
	switch (r) {
	case 0:
		wake_relay(req);
		sm_log(SM_LOG_INFO, "user %lld posted %lld in community %lld", req->user_id,
		    (long long)json_object_get_int64(json_object_object_get(post, "id")),
		    req->ids[0]);
		sm_reply_json(req, 201, post);
		break;
	case STORE_NO_COMMUNITY:
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only members post in a community");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
posts_patch(struct sm_req *req)
{
	const char *title, *body;
	json_object *post;
	int r;

	if (input_or_reply(req, 1, &title, &body) != 0)
		return;
	r = store_update(req->app->db, req->ids[0], req->user_id, title, body, req->request_id,
	    &post);
	switch (r) {
	case 0:
		wake_relay(req);
		sm_reply_json(req, 200, post);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such post");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only the author edits a post");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
posts_delete(struct sm_req *req)
{
	int r = store_delete(req->app->db, req->ids[0], req->user_id, req->request_id);

	switch (r) {
	case 0:
		wake_relay(req);
		sm_log(SM_LOG_INFO, "user %lld deleted post %lld", req->user_id, req->ids[0]);
		sm_reply_empty(req, 204);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such post");
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN",
		    "only the author or the community's owner or admins delete a post");
		break;
	default:
		sm_reply_db_error(req);
	}
}
