/* test_conf.c -- the INI parser and environment overrides. */
#include "test.h"
#include "sm_conf.h"

#include <stdlib.h>

static void
sections_keys_and_comments(void **state)
{
	struct sm_conf *c = sm_conf_parse(
	    "; comment\n[jwt]\nsecret = abc;def  ; trailing comment\n"
	    "  issuer=somoim \n\n[user]\nworkers = 4\n# another\n");
	long long v;

	assert_non_null(c);
	assert_string_equal(sm_conf_get(c, "jwt", "secret", NULL), "abc;def");
	assert_string_equal(sm_conf_get(c, "jwt", "issuer", NULL), "somoim");
	assert_null(sm_conf_get(c, "jwt", "nope", NULL));
	assert_string_equal(sm_conf_get(c, "user", "nope", "dflt"), "dflt");
	assert_int_equal(sm_conf_int(c, "user", "workers", 2, 0, 64, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(sm_conf_int(c, "user", "missing", 7, 0, 64, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(sm_conf_int(c, "user", "workers", 2, 5, 64, &v), -1);
	assert_int_equal(sm_conf_int(c, "jwt", "issuer", 2, 0, 64, &v), -1);
	sm_conf_free(c);
}

static void
environment_wins(void **state)
{
	struct sm_conf *c = sm_conf_parse("[jwt]\naccess_ttl = 900\n");
	long long v;

	setenv("SOMOIM_JWT_ACCESS_TTL", "5", 1);
	assert_int_equal(sm_conf_int(c, "jwt", "access_ttl", 1, 1, 1000, &v), 0);
	assert_int_equal(v, 5);
	unsetenv("SOMOIM_JWT_ACCESS_TTL");
	assert_int_equal(sm_conf_int(c, "jwt", "access_ttl", 1, 1, 1000, &v), 0);
	assert_int_equal(v, 900);
	setenv("SOMOIM_MY_SVC_DB_NAME", "x", 1);
	assert_string_equal(sm_conf_get(c, "my-svc", "db.name", NULL), "x");
	unsetenv("SOMOIM_MY_SVC_DB_NAME");
	sm_conf_free(c);
}

static void
syntax_errors(void **state)
{
	assert_null(sm_conf_parse("[broken\n"));
	assert_null(sm_conf_parse("[ok]\njust words\n"));
	assert_null(sm_conf_load("/nonexistent/somoim.conf"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sections_keys_and_comments),
		cmocka_unit_test(environment_wins),
		cmocka_unit_test(syntax_errors),
	};

	return RUN_TESTS("conf", tests);
}
