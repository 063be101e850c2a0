/* test_json.c -- body parsing and field validation without a server. */
#include "test.h"
#include "sm_http.h"
#include "sm_json.h"
#include "sm_pool.h"

#include <string.h>

static struct sm_req *
request(const char *body, const char *content_type)
{
	struct sm_pool *pool = sm_pool_new(0);
	struct sm_req *req = sm_pool_alloc(pool, sizeof(*req));

	req->pool = pool;
	req->method = "POST";
	req->path = "/x";
	req->request_id = "t";
	req->content_type = content_type;
	req->body = body;
	req->body_len = body ? strlen(body) : 0;
	return req;
}

static void
parse_rejects_what_it_should(void **state)
{
	const char *bad[] = { "", "{", "{\"a\":1}x", "[1,]", "{\"a\":01}",
	    "\xff\xfe", "{\"a\":\"\xc3\x28\"}", "{\"a\":\"\xed\xa0\x80\"}",
	    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", "{\"a\":NaN}", "[Infinity]",
	    "{\"a\":\"\x01\"}", "[\"\\ud800\"]", "[\"\\udc00x\"]", "[truex]", "[nul]",
	    /* numbers RFC 8259 does not have */
	    "[5.]", "[0.]", "[1.e5]", "5.", "[.5]", "[+1]", "[-]", "[1e]", "[1e+]", "[-01]",
	    "[00]", "[1.5.2]", "[0x10]", "[1_000]", "[--1]", "[1-2]", "{\"a\":1.}",
	    "[1]\f", "\v[1]" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(sm_json_parse(bad[i], strlen(bad[i])));
}

static void
parse_accepts_what_it_should(void **state)
{
	const char *good[] = { "{}", "[1e5, 2E-3, 0.5e+1]", "[true, false, null]",
	    "{\"a\":\"\\ud83c\\udfd4 \\n \\\" e\"}", " 42 ", "\"x\"", "42", "-0.5", "1e5",
	    "[0, -0, 0.0, 10, -10.25e-2, 1E+2]", "{\"a\":[1,2],\"b\":{\"c\":-3}}\r\n" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_object *o = sm_json_parse(good[i], strlen(good[i]));

		assert_non_null(o);
		json_object_put(o);
	}
}

static void
body_status_codes(void **state)
{
	struct sm_req *req;
	json_object *o;

	req = request("{\"a\":1}", "text/plain");
	assert_int_equal(sm_json_body_or_reply(req, &o), -1);
	assert_int_equal(req->status, 415);
	sm_pool_free(req->pool);
	req = request("[1]", "application/json; charset=utf-8");
	assert_int_equal(sm_json_body_or_reply(req, &o), -1);
	assert_int_equal(req->status, 400);
	sm_pool_free(req->pool);
	req = request(" {\"a\": \"등산\"} \n", NULL);
	assert_int_equal(sm_json_body_or_reply(req, &o), 0);
	assert_int_equal(req->status, 0);
	sm_pool_free(req->pool);
}

static void
form_collects_every_field_error(void **state)
{
	struct sm_req *req = request("{\"name\":\"\",\"age\":\"3\",\"nick\":\"a\\u0000b\","
	    "\"bio\":\"북한산 등산\",\"n\":null,\"tags\":[1,2,3],\"ok\":true}", NULL);
	json_object *o, *tags;
	const char *s;
	long long v;
	int b, is_null;
	struct sm_form f;

	assert_int_equal(sm_json_body_or_reply(req, &o), 0);
	sm_form_init(&f, req, o);
	assert_int_equal(sm_form_string(&f, "name", SM_REQUIRED, 1, 10, &s), -1);
	assert_int_equal(sm_form_int(&f, "age", SM_REQUIRED, 0, 200, &v, NULL), -1);
	assert_int_equal(sm_form_string(&f, "nick", 0, 0, 10, &s), -1);
	assert_int_equal(sm_form_string(&f, "bio", 0, 0, 6, &s), 1);   /* 6 characters */
	assert_int_equal(sm_form_string(&f, "bio", 0, 0, 5, &s), -1);
	assert_int_equal(sm_form_int(&f, "n", SM_NULLABLE, 0, 1, &v, &is_null), 1);
	assert_true(is_null);
	assert_int_equal(sm_form_string(&f, "missing", 0, 0, 1, &s), 0);
	assert_int_equal(sm_form_string(&f, "required", SM_REQUIRED, 0, 1, &s), -1);
	assert_int_equal(sm_form_array(&f, "tags", 0, 1, 2, &tags), -1);
	assert_int_equal(sm_form_bool(&f, "ok", 0, &b), 1);
	assert_true(b);
	assert_true(sm_form_has_errors(&f));
	assert_int_equal(json_object_object_length(f.fields), 6);
	assert_int_equal(sm_form_done_or_reply(&f), -1);
	assert_int_equal(req->status, 400);
	sm_pool_free(req->pool);
}

static void
utf8_counting(void **state)
{
	assert_int_equal(sm_utf8_chars("abc", 3), 3);
	assert_int_equal(sm_utf8_chars("등산", 6), 2);
	assert_int_equal(sm_utf8_chars("\xf0\x9f\x8f\x94", 4), 1);
	assert_int_equal(sm_utf8_chars("\xc0\xaf", 2), (size_t)-1);
	assert_int_equal(sm_utf8_chars("\xe0\x80\xaf", 3), (size_t)-1);
	assert_int_equal(sm_utf8_chars("\xe2\x82", 2), (size_t)-1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_rejects_what_it_should),
		cmocka_unit_test(parse_accepts_what_it_should),
		cmocka_unit_test(body_status_codes),
		cmocka_unit_test(form_collects_every_field_error),
		cmocka_unit_test(utf8_counting),
	};

	return RUN_TESTS("json", tests);
}
