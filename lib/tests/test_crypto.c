/* test_crypto.c -- password hashing, tokens, digests, uuids. */
#include "test.h"
#include "sm_conf.h"
#include "sm_crypto.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
passwords(void **state)
{
	struct sm_conf *c = sm_conf_parse("[password]\nopslimit = 1\nmemlimit_kib = 64\n");
	char hash[SM_PASSWORD_HASH_MAX], hash2[SM_PASSWORD_HASH_MAX];

	assert_int_equal(sm_crypto_init(c), 0);
	assert_int_equal(sm_password_hash("correct horse", hash), 0);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_true(sm_password_verify(hash, "correct horse"));
	assert_false(sm_password_verify(hash, "correct horsf"));
	assert_int_equal(sm_password_hash("correct horse", hash2), 0);
	assert_string_not_equal(hash, hash2);           /* salted */
	assert_false(sm_password_needs_rehash(hash));
	sm_conf_free(c);
}

static void
tokens_digests_uuids(void **state)
{
	char a[64], b[64], hex[65], uuid[37];

	sm_random_token(a, sizeof(a), 32);
	sm_random_token(b, sizeof(b), 32);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	sm_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sm_uuid_v4(uuid);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '4');
	assert_non_null(strchr("89ab", uuid[19]));
}

static void
uuid_v7_order(void **state)
{
	char prev[37], uuid[37], hex[13];
	time_t now = time(NULL);
	unsigned long long ms;
	int i;

	(void)state;
	sm_uuid_v7(prev);
	assert_int_equal(strlen(prev), 36);
	assert_int_equal(prev[14], '7');
	assert_non_null(strchr("89ab", prev[19]));
	/* The first 48 bits are the Unix time in milliseconds. */
	memcpy(hex, prev, 8);
	memcpy(hex + 8, prev + 9, 4);
	hex[12] = '\0';
	ms = strtoull(hex, NULL, 16);
	assert_true(ms / 1000 >= (unsigned long long)now - 1 &&
	    ms / 1000 <= (unsigned long long)now + 1);
	/* Strictly increasing, as text too (what an index sorts by). */
	for (i = 0; i < 100000; i++) {
		sm_uuid_v7(uuid);
		assert_true(strcmp(prev, uuid) < 0);
		memcpy(prev, uuid, sizeof(uuid));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passwords),
		cmocka_unit_test(tokens_digests_uuids),
		cmocka_unit_test(uuid_v7_order),
	};

	return RUN_TESTS("crypto", tests);
}
