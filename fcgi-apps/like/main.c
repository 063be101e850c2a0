/*
 * main.c -- somoim-like: PUT and DELETE /api/v1/likes/{post|photo}/{id}
 * (docs/openapi.yaml, tag likes), both idempotent, both answering
 * {liked, like_count}.
 *
 * nginx sends /api/v1/likes/ here; any other target type is a 404 from the
 * route table.  Photos are known from the album's photo events
 * (somoim-like-events).
 */
#include "like.h"

static const struct sm_route routes[] = {
	{ "PUT",    "/api/v1/likes/post/{id}",  likes_put_post,     0 },
	{ "DELETE", "/api/v1/likes/post/{id}",  likes_delete_post,  0 },
	{ "PUT",    "/api/v1/likes/photo/{id}", likes_put_photo,    0 },
	{ "DELETE", "/api/v1/likes/photo/{id}", likes_delete_photo, 0 },
};

static const struct sm_service service = {
	.name = "like",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
