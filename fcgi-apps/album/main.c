/*
 * main.c -- somoim-album: a community's photos (API.md "Album"): upload one
 * (the body is the image), list them newest first, read one, delete one (its
 * uploader or the community's owner/admin).
 *
 * nginx sends ^/api/v1/communities/{id}/photos$ (with its own 10 MiB body
 * limit) and /api/v1/photos/ here, and serves the files itself (/media/).
 */
#include "album.h"

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities/{id}/photos", photos_upload, 0 },
	{ "GET",    "/api/v1/communities/{id}/photos", photos_list,   0 },
	{ "GET",    "/api/v1/photos/{id}",             photos_get,    0 },
	{ "DELETE", "/api/v1/photos/{id}",             photos_delete, 0 },
};

static const struct sm_service service = {
	.name = "album",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
	.init = album_init,
	.fini = album_fini,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
