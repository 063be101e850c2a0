/*
 * main.c -- somoim-community: communities, their search and the wishlist.
 *
 * "/communities/recommended" cannot be taken for "/communities/{id}": an {id}
 * capture matches only a positive integer (sm_route.h).
 */
#include "community.h"
#include "search.h"

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities",                     communities_create,      0 },
	{ "GET",    "/api/v1/communities",                     communities_list,        SM_PUBLIC | SM_CALLER },
	{ "GET",    "/api/v1/communities/recommended",         communities_recommended, 0 },
	{ "GET",    "/api/v1/communities/{id}",                communities_get,         SM_PUBLIC | SM_CALLER },
	{ "PATCH",  "/api/v1/communities/{id}",                communities_patch,       0 },
	{ "DELETE", "/api/v1/communities/{id}",                communities_delete,      0 },
	{ "GET",    "/api/v1/users/me/wishlist",               wishlist_list,           0 },
	{ "PUT",    "/api/v1/users/me/wishlist/{community_id}", wishlist_put,           0 },
	{ "DELETE", "/api/v1/users/me/wishlist/{community_id}", wishlist_delete,        0 },
	{ "GET",    "/api/v1/search/suggest",                  search_suggest,          SM_PUBLIC },
	{ "GET",    "/api/v1/search/trending",                 search_trending,         SM_PUBLIC },
};

static const struct sm_service service = {
	.name = "community",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
