/* test_jwt.c -- issue and verify; every way a token can be wrong. */
#include "test.h"
#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_jwt.h"

#include <jwt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sm_jwt jwt;

static int
setup(void **state)
{
	struct sm_conf *c = sm_conf_parse("[jwt]\nsecret = 0123456789abcdef0123456789abcdef\n"
	    "access_ttl = 900\n[password]\nopslimit = 1\nmemlimit_kib = 64\n");

	assert_int_equal(sm_crypto_init(c), 0);
	assert_int_equal(sm_jwt_init(&jwt, c), 0);
	sm_conf_free(c);
	return 0;
}

static int
teardown(void **state)
{
	sm_jwt_fini(&jwt);
	return 0;
}

static void
round_trip_and_expiry(void **state)
{
	time_t now = 1800000000;
	char *t = sm_jwt_issue(&jwt, 42, now);
	long long id = 0;

	assert_non_null(t);
	assert_int_equal(sm_jwt_verify(&jwt, t, now + 10, &id), SM_JWT_OK);
	assert_int_equal(id, 42);
	assert_int_equal(sm_jwt_verify(&jwt, t, now + 900, &id), SM_JWT_EXPIRED);
	assert_int_equal(sm_jwt_verify(&jwt, t, now - 3600, &id), SM_JWT_INVALID);
	free(t);
}

static char *
b64(const char *s)
{
	size_t n = sodium_base64_ENCODED_LEN(strlen(s), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(n);

	sodium_bin2base64(out, n, (const unsigned char *)s, strlen(s),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static void
forged_tokens(void **state)
{
	time_t now = 1800000000;
	char *good = sm_jwt_issue(&jwt, 42, now), *dot = strchr(good, '.');
	char *none_hdr = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
	char *hs512_hdr = b64("{\"alg\":\"HS512\"}");
	char forged[4096];
	long long id;

	/* alg none, payload kept, no signature */
	snprintf(forged, sizeof(forged), "%s.%.*s.", none_hdr,
	    (int)(strrchr(good, '.') - dot - 1), dot + 1);
	assert_int_equal(sm_jwt_verify(&jwt, forged, now, &id), SM_JWT_INVALID);
	snprintf(forged, sizeof(forged), "%s%s", hs512_hdr, dot);
	assert_int_equal(sm_jwt_verify(&jwt, forged, now, &id), SM_JWT_INVALID);
	/* flip one character of the signature */
	snprintf(forged, sizeof(forged), "%s", good);
	forged[strlen(forged) - 2] ^= 1;
	assert_int_equal(sm_jwt_verify(&jwt, forged, now, &id), SM_JWT_INVALID);
	assert_int_equal(sm_jwt_verify(&jwt, "garbage", now, &id), SM_JWT_INVALID);
	assert_int_equal(sm_jwt_verify(&jwt, "a.b.c", now, &id), SM_JWT_INVALID);
	assert_int_equal(sm_jwt_verify(&jwt, "", now, &id), SM_JWT_INVALID);
	free(good);
	free(none_hdr);
	free(hs512_hdr);
}

/* A token of ours with extra claims, signed with the test secret. */
static char *
mint_with(time_t now, const char *claim, const char *json_value)
{
	jwt_t *t = NULL;
	char grants[256], *out;

	snprintf(grants, sizeof(grants), "{\"%s\":%s}", claim, json_value);
	assert_int_equal(jwt_new(&t), 0);
	assert_int_equal(jwt_add_grant(t, "sub", "42"), 0);
	assert_int_equal(jwt_add_grant(t, "iss", jwt.issuer), 0);
	assert_int_equal(jwt_add_grant(t, "aud", jwt.audience), 0);
	assert_int_equal(jwt_add_grant_int(t, "iat", (long)now), 0);
	assert_int_equal(jwt_add_grant_int(t, "exp", (long)now + 900), 0);
	assert_int_equal(jwt_add_grants_json(t, grants), 0);
	assert_int_equal(jwt_set_alg(t, JWT_ALG_HS256, jwt.secret, (int)jwt.secret_len), 0);
	out = jwt_encode_str(t);
	jwt_free(t);
	assert_non_null(out);
	return out;
}

static void
not_before_is_honoured(void **state)
{
	time_t now = 1800000000;
	char later[32], earlier[32], *t;
	long long id = 0;

	snprintf(later, sizeof(later), "%ld", (long)now + 300);
	snprintf(earlier, sizeof(earlier), "%ld", (long)now - 10);
	t = mint_with(now, "nbf", later);
	assert_int_equal(sm_jwt_verify(&jwt, t, now, &id), SM_JWT_INVALID);
	assert_int_equal(sm_jwt_verify_cached(&jwt, t, now, &id), SM_JWT_INVALID);
	assert_int_equal(sm_jwt_verify(&jwt, t, now + 301, &id), SM_JWT_OK);
	free(t);
	t = mint_with(now, "nbf", earlier);
	assert_int_equal(sm_jwt_verify(&jwt, t, now, &id), SM_JWT_OK);
	assert_int_equal(id, 42);
	free(t);
	t = mint_with(now, "nbf", "\"soon\"");
	assert_int_equal(sm_jwt_verify(&jwt, t, now, &id), SM_JWT_INVALID);
	free(t);
}

static void
cache_still_checks_expiry(void **state)
{
	time_t now = 1800000000;
	char *t = sm_jwt_issue(&jwt, 7, now);
	long long id = 0;

	assert_int_equal(sm_jwt_verify_cached(&jwt, t, now, &id), SM_JWT_OK);
	assert_int_equal(id, 7);
	id = 0;
	assert_int_equal(sm_jwt_verify_cached(&jwt, t, now + 1, &id), SM_JWT_OK);  /* a hit */
	assert_int_equal(id, 7);
	assert_int_equal(sm_jwt_verify_cached(&jwt, t, now + 900, &id), SM_JWT_EXPIRED);
	t[strlen(t) - 2] ^= 1;
	assert_int_equal(sm_jwt_verify_cached(&jwt, t, now + 1, &id), SM_JWT_INVALID);
	free(t);
}

/* A token "<base64url(header)>.e30.x": only the header matters to sm_jwt_header_is. */
static char *
with_header(const char *header)
{
	static char out[512];
	size_t n = strlen(header);

	sodium_bin2base64(out, sizeof(out), (const unsigned char *)header, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	strcat(out, ".e30.x");
	return out;
}

static void
pinned_header(void **state)
{
	(void)state;
	assert_true(sm_jwt_header_is(with_header("{\"alg\":\"HS256\"}"), "HS256", NULL));
	assert_true(sm_jwt_header_is(with_header("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), "HS256", NULL));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"none\"}"), "HS256", NULL));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"HS256\",\"typ\":\"JOSE\"}"), "HS256", NULL));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"HS256\",\"crit\":[\"x\"]}"), "HS256", NULL));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"HS256\",\"kid\":\"k\"}"), "HS256", NULL));
	assert_false(sm_jwt_header_is(with_header("{\"typ\":\"JWT\"}"), "HS256", NULL));
	assert_false(sm_jwt_header_is(with_header("[\"HS256\"]"), "HS256", NULL));
	assert_true(sm_jwt_header_is(with_header("{\"alg\":\"ES256\",\"kid\":\"k1\"}"), "ES256", "k1"));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"ES256\",\"kid\":\"k2\"}"), "ES256", "k1"));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"ES256\"}"), "ES256", "k1"));
	assert_false(sm_jwt_header_is(with_header("{\"alg\":\"HS256\",\"kid\":\"k1\"}"), "ES256", "k1"));
	assert_false(sm_jwt_header_is("no-dot-here", "HS256", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_and_expiry),
		cmocka_unit_test(forged_tokens),
		cmocka_unit_test(cache_still_checks_expiry),
		cmocka_unit_test(not_before_is_honoured),
		cmocka_unit_test(pinned_header),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("jwt", tests, setup, teardown);
}
