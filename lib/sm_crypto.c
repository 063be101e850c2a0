/*
 * sm_crypto.c -- passwords, random tokens and digests (see sm_crypto.h).
 */
#include "sm_crypto.h"
#include "sm_conf.h"
#include "sm_log.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char burn_hash[crypto_pwhash_STRBYTES];

int
sm_crypto_init(const struct sm_conf *conf)
{
	long long ops, mem_kib;

	if (sodium_init() < 0) {
		sm_log(SM_LOG_ERROR, "sodium_init failed");
		return -1;
	}
	if (sm_conf_int(conf, "password", "opslimit", (long long)opslimit,
	    crypto_pwhash_OPSLIMIT_MIN, 16, &ops) != 0 ||
	    sm_conf_int(conf, "password", "memlimit_kib", (long long)(memlimit / 1024),
	    8, 1024 * 1024, &mem_kib) != 0)
		return -1;
	opslimit = (unsigned long long)ops;
	memlimit = (size_t)mem_kib * 1024;
	/* A real hash to verify against when the account does not exist. */
	if (crypto_pwhash_str(burn_hash, "somoim-no-such-account", 22, opslimit, memlimit) != 0) {
		sm_log(SM_LOG_ERROR, "crypto_pwhash_str failed: out of memory?");
		return -1;
	}
	return 0;
}

int
sm_password_hash(const char *password, char out[SM_PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, password, strlen(password), opslimit, memlimit) != 0) {
		sm_log(SM_LOG_ERROR, "crypto_pwhash_str failed: out of memory?");
		return -1;
	}
	return 0;
}

int
sm_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
sm_password_burn(const char *password)
{
	if (crypto_pwhash_str_verify(burn_hash, password, strlen(password)) == 0)
		sm_log(SM_LOG_WARN, "a password matched the burn hash");
}

int
sm_password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, opslimit, memlimit) != 0;
}

void
sm_random_token(char *out, size_t outlen, size_t nbytes)
{
	unsigned char buf[64];

	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	randombytes_buf(buf, nbytes);
	sodium_bin2base64(out, outlen, buf, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(buf, sizeof(buf));
}

void
sm_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, data, len);
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static void
uuid_format(const unsigned char b[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	    b[12], b[13], b[14], b[15]);
}

void
sm_uuid_v4(char out[37])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	uuid_format(b, out);
}

void
sm_uuid_v7(char out[37])
{
	/* The last (milliseconds << 12 | fraction) handed out: never repeat or go back. */
	static uint64_t last;
	unsigned char b[16];
	struct timespec ts;
	uint64_t t;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000) << 12 |
	    (uint64_t)(ts.tv_nsec % 1000000) * 4096 / 1000000;
	if (t <= last)
		t = last + 1;
	last = t;
	randombytes_buf(b, sizeof(b));
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(t >> (12 + 8 * (5 - i)));
	b[6] = (unsigned char)(0x70 | ((t >> 8) & 0x0f));
	b[7] = (unsigned char)t;
	b[8] = (b[8] & 0x3f) | 0x80;
	uuid_format(b, out);
}
