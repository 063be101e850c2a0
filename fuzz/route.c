/*
 * route.c -- fuzz target: sm_route_find, which matches every request's method
 * and path (with {id} captures) against a service's table.  Input: METHOD,
 * a space, the path.  Properties: a match is for the method asked (HEAD: GET), its id
 * captures are above 0, and a miss says 404 or 405 (with the methods allowed).
 */
#include "fuzz.h"
#include "sm_http.h"
#include "sm_pool.h"
#include "sm_route.h"

#include <stdlib.h>
#include <string.h>

static void h(struct sm_req *req) { (void)req; }

static const struct sm_route routes[] = {
	{ "GET", "/api/v1/communities", h, SM_PUBLIC },
	{ "POST", "/api/v1/communities", h, 0 },
	{ "GET", "/api/v1/communities/{id}", h, SM_PUBLIC | SM_CALLER },
	{ "PATCH", "/api/v1/communities/{id}", h, 0 },
	{ "DELETE", "/api/v1/communities/{id}", h, 0 },
	{ "GET", "/api/v1/communities/{id}/members", h, 0 },
	{ "PATCH", "/api/v1/communities/{id}/members/{user_id}", h, 0 },
	{ "PUT", "/api/v1/likes/{kind}/{target_id}", h, 0 },
	{ "GET", "/api/v1/users/me", h, 0 },
};

const char fuzz_name[] = "route";
const char *fuzz_seeds[] = {
	"GET /api/v1/communities/42", "PATCH /api/v1/communities/42/members/7",
	"PUT /api/v1/likes/post/9", "DELETE /api/v1/communities/0", "GET /api/v1/users/me/",
	"POST /api/v1/communities/18446744073709551616", "GET //api/v1/communities/%34%32",
	"OPTIONS /api/v1/communities/1/members", "HEAD /api/v1/communities",
	NULL,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *sp = strchr(s, ' '), allow[128];
	const struct sm_route *r;
	struct sm_req req;
	int status = 0, i;

	if (sp == NULL) {
		free(s);
		return 0;
	}
	*sp = '\0';
	memset(&req, 0, sizeof(req));
	req.pool = sm_pool_new(0);
	req.method = s;
	req.path = sp + 1;
	allow[0] = '\0';
	r = sm_route_find(routes, sizeof(routes) / sizeof(routes[0]), &req, &status, allow,
	    sizeof(allow));
	if (r != NULL) {
		FUZZ_CHECK(strcmp(r->method, s) == 0 ||
		    (strcmp(s, "HEAD") == 0 && strcmp(r->method, "GET") == 0));
		for (i = 0; i < req.nparams; i++)
			FUZZ_CHECK(req.ids[i] > 0 || strcmp(r->pattern, "/api/v1/likes/{kind}/{target_id}") == 0);
	} else {
		FUZZ_CHECK(status == 404 || (status == 405 && allow[0] != '\0'));
	}
	sm_pool_free(req.pool);
	free(s);
	return 0;
}
