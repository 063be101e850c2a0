/*
 * main.c -- somoim-member: who belongs to which community, with which role
 * (the seed's CommunityMember server): join, leave, the member list, role
 * changes, and the caller's own communities.
 *
 * nginx sends /api/v1/communities/{id}/members* and /api/v1/users/me/communities
 * here; every other /api/v1/communities path is the community service's.
 */
#include "member.h"

static const struct sm_route routes[] = {
	{ "POST",   "/api/v1/communities/{id}/members",             members_join,   0 },
	{ "GET",    "/api/v1/communities/{id}/members",             members_list,   0 },
	{ "DELETE", "/api/v1/communities/{id}/members/me",          members_leave,  0 },
	{ "PATCH",  "/api/v1/communities/{id}/members/{member_id}", members_patch,  0 },
	{ "GET",    "/api/v1/users/me/communities",                 my_communities, 0 },
};

static const struct sm_service service = {
	.name = "member",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB | SM_NEEDS_REDIS,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
