/* test_route.c -- route matching, id captures, 404 versus 405 and its Allow. */
#include "test.h"
#include "sm_http.h"
#include "sm_pool.h"
#include "sm_route.h"

#include <string.h>

static void h(struct sm_req *req) { (void)req; }

static const struct sm_route routes[] = {
	{ "GET", "/api/v1/users/me", h, 0 },
	{ "PATCH", "/api/v1/users/me", h, 0 },
	{ "GET", "/api/v1/users/{id}", h, 0 },
	{ "PUT", "/api/v1/likes/{kind}/{target_id}", h, 0 },
	{ "PATCH", "/api/v1/posts/{id}", h, 0 },
	{ "GET", "/api/v1/posts/{id}", NULL, SM_ELSEWHERE },
	{ "PUT", "/api/v1/posts/{id}/pin", h, 0 },
};

static const struct sm_route *
find(const char *method, const char *path, struct sm_req *req, int *status, char *allow)
{
	memset(req, 0, sizeof(*req));
	req->pool = sm_pool_new(0);
	req->method = method;
	req->path = path;
	return sm_route_find(routes, sizeof(routes) / sizeof(routes[0]), req, status, allow, 64);
}

static void
literal_beats_capture_by_order(void **state)
{
	struct sm_req req;
	char allow[64];
	int status;

	assert_ptr_equal(find("GET", "/api/v1/users/me", &req, &status, allow), &routes[0]);
	sm_pool_free(req.pool);
	assert_ptr_equal(find("GET", "/api/v1/users/42", &req, &status, allow), &routes[2]);
	assert_int_equal(req.nparams, 1);
	assert_int_equal(req.ids[0], 42);
	sm_pool_free(req.pool);
	assert_ptr_equal(find("HEAD", "/api/v1/users/42", &req, &status, allow), &routes[2]);
	sm_pool_free(req.pool);
}

static void
ids_must_be_positive_integers(void **state)
{
	const char *bad[] = { "/api/v1/users/abc", "/api/v1/users/0", "/api/v1/users/-1",
	    "/api/v1/users/012", "/api/v1/users/99999999999999999", "/api/v1/users/",
	    "/api/v1/users/1/x", "/api/v1/users" };
	struct sm_req req;
	char allow[64];
	size_t i;
	int status;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(find("GET", bad[i], &req, &status, allow));
		assert_int_equal(status, 404);
		sm_pool_free(req.pool);
	}
}

static void
named_captures_and_405(void **state)
{
	struct sm_req req;
	char allow[64];
	int status;

	assert_ptr_equal(find("PUT", "/api/v1/likes/post/7", &req, &status, allow), &routes[3]);
	assert_string_equal(req.params[0], "post");
	assert_int_equal(req.ids[1], 7);
	sm_pool_free(req.pool);
	assert_null(find("DELETE", "/api/v1/users/me", &req, &status, allow));
	assert_int_equal(status, 405);
	assert_string_equal(allow, "GET, HEAD, PATCH");
	sm_pool_free(req.pool);
}

/* A method another program serves on the same path is named, never dispatched. */
static void
elsewhere_routes_only_in_allow(void **state)
{
	struct sm_req req;
	char allow[64];
	int status;

	(void)state;
	assert_null(find("OPTIONS", "/api/v1/posts/3", &req, &status, allow));
	assert_int_equal(status, 405);
	assert_string_equal(allow, "PATCH, GET, HEAD");
	sm_pool_free(req.pool);
	assert_null(find("GET", "/api/v1/posts/3", &req, &status, allow));
	assert_int_equal(status, 405);
	sm_pool_free(req.pool);
	assert_null(find("DELETE", "/api/v1/posts/3/pin", &req, &status, allow));
	assert_string_equal(allow, "PUT");
	sm_pool_free(req.pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_beats_capture_by_order),
		cmocka_unit_test(ids_must_be_positive_integers),
		cmocka_unit_test(named_captures_and_405),
		cmocka_unit_test(elsewhere_routes_only_in_allow),
	};

	return RUN_TESTS("route", tests);
}
