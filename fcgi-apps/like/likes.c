/*
 * likes.c -- PUT / DELETE /api/v1/likes/{post|photo}/{id}.
 *
 * Decisions a client sees: both are idempotent and answer 200 {liked,
 * like_count} with the target's exact count after the call (a repeat gets the
 * same answer); an unknown or deleted target is 404; a private community's
 * target is 403 for a non-member.  Liking one's own post is allowed.
 */
#include "store.h"
#include "sm_outbox.h"

static void
like(struct sm_req *req, const char *type, int liked)
{
	long long count;
	json_object *o;
	int changed;
	int r = store_like_set(req->app->db, type, req->ids[0], req->user_id, liked,
	    req->request_id, &changed, &count);

	switch (r) {
	case 0:
		if (changed)
			sm_outbox_wake(req->app->redis, "like");
		o = json_object_new_object();
		json_object_object_add(o, "target_type", json_object_new_string(type));
		json_object_object_add(o, "target_id", json_object_new_int64(req->ids[0]));
		json_object_object_add(o, "liked", json_object_new_boolean(liked));
		json_object_object_add(o, "like_count", json_object_new_int64(count));
		sm_reply_json(req, 200, o);
		break;
	case STORE_NOT_FOUND:
		sm_reply_error(req, 404, "NOT_FOUND", "no such %s", type);
		break;
	case STORE_FORBIDDEN:
		sm_reply_error(req, 403, "FORBIDDEN", "only members like in a private community");
		break;
	default:
		sm_reply_db_error(req);
	}
}

void
likes_put_post(struct sm_req *req)
{
	like(req, "post", 1);
}

void
likes_delete_post(struct sm_req *req)
{
	like(req, "post", 0);
}

void
likes_put_photo(struct sm_req *req)
{
	like(req, "photo", 1);
}

void
likes_delete_photo(struct sm_req *req)
{
	like(req, "photo", 0);
}
