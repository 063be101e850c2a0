/*
 * test_webpush.c -- lib/sm_webpush.c against RFC 8291 Appendix A (the whole
 * body, byte for byte, with the RFC's sender key and salt), the VAPID token's
 * shape, and the endpoint check that keeps user-given URLs off private and
 * loopback addresses unless the test stack allows loopback.
 */
#include "test.h"
#include "sm_webpush.h"

#include <string.h>

static const char *PLAIN = "V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24";
static const char *AS_PRIV = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
static const char *UA_PUB = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
static const char *AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
static const char *SALT = "DGv6ra1nlYgDCS1FRnbzlw";
static const char *BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

static void
rfc8291_appendix_a_body(void **state)
{
	uint8_t plain[64], as[40], ua[80], auth[20], salt[20], out[SM_WEBPUSH_MAX_BODY];
	char b64[6000];
	long pl, n;

	(void)state;
	pl = sm_b64url_decode(PLAIN, plain, sizeof(plain));
	assert_int_equal(sm_b64url_decode(AS_PRIV, as, sizeof(as)), 32);
	assert_int_equal(sm_b64url_decode(UA_PUB, ua, sizeof(ua)), 65);
	assert_int_equal(sm_b64url_decode(AUTH, auth, sizeof(auth)), 16);
	assert_int_equal(sm_b64url_decode(SALT, salt, sizeof(salt)), 16);
	n = sm_webpush_encrypt(ua, auth, plain, (size_t)pl, as, salt, out);
	assert_int_equal(n, SM_WEBPUSH_HEADER_LEN + pl + 1 + 16);
	sm_b64url_encode(out, (size_t)n, b64);
	assert_string_equal(b64, BODY);

	/* a fresh key and salt each time: two bodies differ */
	n = sm_webpush_encrypt(ua, auth, plain, (size_t)pl, NULL, NULL, out);
	assert_int_equal(n, SM_WEBPUSH_HEADER_LEN + pl + 1 + 16);
	sm_b64url_encode(out, (size_t)n, b64);
	assert_string_not_equal(b64, BODY);
	/* too long, and a key that is no point */
	assert_int_equal(sm_webpush_encrypt(ua, auth, out, SM_WEBPUSH_MAX_PLAINTEXT + 1, NULL,
	    NULL, out), -1);
	ua[10] ^= 1;
	assert_int_equal(sm_webpush_encrypt(ua, auth, plain, (size_t)pl, NULL, NULL, out), -1);
}

static void
plaintext_limit_fits_4096(void **state)
{
	uint8_t ua[80], auth[20], plain[SM_WEBPUSH_MAX_PLAINTEXT], out[SM_WEBPUSH_MAX_BODY];

	(void)state;
	memset(plain, 'x', sizeof(plain));
	sm_b64url_decode(UA_PUB, ua, sizeof(ua));
	sm_b64url_decode(AUTH, auth, sizeof(auth));
	assert_int_equal(sm_webpush_encrypt(ua, auth, plain, sizeof(plain), NULL, NULL, out),
	    SM_WEBPUSH_MAX_BODY);
}

static void
vapid_header_shape(void **state)
{
	char priv[64], pub[100], h[2048];
	struct sm_vapid *v;
	const char *t, *k, *dot1, *dot2;

	(void)state;
	assert_int_equal(sm_vapid_generate(priv, pub), 0);
	assert_int_equal(strlen(priv), 43);
	assert_int_equal(strlen(pub), 87);
	v = sm_vapid_new(priv, "mailto:ops@example.org");
	assert_non_null(v);
	assert_string_equal(sm_vapid_public_b64(v), pub);
	assert_int_equal(sm_vapid_header(v, "https://push.example.net", 1900000000, h,
	    sizeof(h)), 0);
	assert_int_equal(strncmp(h, "vapid t=", 8), 0);
	t = h + 8;
	k = strstr(h, ", k=");
	assert_non_null(k);
	assert_string_equal(k + 4, pub);
	dot1 = strchr(t, '.');
	assert_non_null(dot1);
	dot2 = strchr(dot1 + 1, '.');
	assert_non_null(dot2);
	assert_int_equal(k - (dot2 + 1), 86);           /* 64-byte R||S in base64url */
	assert_null(memchr(t, '=', (size_t)(k - t)));   /* no padding in the token */
	assert_null(strchr(k + 4, '='));                /* nor in the key */
	sm_vapid_free(v);
	assert_null(sm_vapid_new("not-a-key", NULL));
	assert_null(sm_vapid_new(NULL, NULL));
	sm_vapid_free(NULL);
}

static int
check(const char *url, int loopback)
{
	char err[256], origin[300];

	return sm_webpush_endpoint_check(url, loopback, 0, origin, sizeof(origin), err,
	    sizeof(err));
}

static void
endpoint_check_refuses_private_and_loopback(void **state)
{
	char origin[300], err[256];

	(void)state;
	assert_int_equal(sm_webpush_endpoint_check("https://fcm.googleapis.com/fcm/send/abc", 0,
	    0, origin, sizeof(origin), err, sizeof(err)), 0);
	assert_string_equal(origin, "https://fcm.googleapis.com");
	assert_int_equal(check("https://8.8.8.8:8443/x", 0), 0);
	assert_int_equal(check("http://10.0.0.1/", 0), -1);
	assert_int_equal(check("https://10.0.0.1/", 0), -1);
	assert_int_equal(check("https://10.0.0.1/", 1), -1);   /* private stays refused */
	assert_int_equal(check("https://localhost/", 0), -1);
	assert_int_equal(check("https://127.0.0.1/", 0), -1);
	assert_int_equal(check("https://[::1]/", 0), -1);
	assert_int_equal(check("https://[::ffff:192.168.1.1]/", 0), -1);
	assert_int_equal(check("https://169.254.169.254/latest", 0), -1);
	assert_int_equal(check("https://172.20.0.1/", 0), -1);
	assert_int_equal(check("https://[fd00::1]/", 0), -1);
	assert_int_equal(check("http://fcm.googleapis.com/x", 0), -1);   /* not https */
	assert_int_equal(check("http://fcm.googleapis.com/x", 1), -1);
	assert_int_equal(check("ftp://example.org/", 0), -1);
	assert_int_equal(check("https://user@example.org/", 0), -1);
	assert_int_equal(check("https://example.org:0/", 0), -1);
	assert_int_equal(check("https://example.org:99999/", 0), -1);
	assert_int_equal(check("https:///x", 0), -1);
	assert_int_equal(check("https://exa mple.org/", 0), -1);
	/* the test stack's setting: a loopback receiver, http allowed there only */
	assert_int_equal(sm_webpush_endpoint_check("http://127.0.0.1:26123/push/a", 1, 0, origin,
	    sizeof(origin), err, sizeof(err)), 0);
	assert_string_equal(origin, "http://127.0.0.1:26123");
	assert_int_equal(check("https://localhost/", 1), 0);
	/* resolving: localhost's addresses are loopback */
	assert_int_equal(sm_webpush_endpoint_check("https://localhost/", 0, 1, NULL, 0, err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc8291_appendix_a_body),
		cmocka_unit_test(plaintext_limit_fits_4096),
		cmocka_unit_test(vapid_header_shape),
		cmocka_unit_test(endpoint_check_refuses_private_and_loopback),
	};

	return RUN_TESTS("webpush", tests);
}
