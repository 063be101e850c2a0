/*
 * sm_crypto.h -- passwords, random tokens and digests, all on libsodium.
 *
 * Passwords use Argon2id (crypto_pwhash_str): memory-hard, the first choice of
 * RFC 9106 and OWASP, and libsodium stores the parameters in the hash string,
 * so raising the cost later only needs sm_password_needs_rehash() at login.
 * libsodium over libxcrypt's yescrypt: the same library also gives us the
 * CSPRNG, SHA-256, constant-time compares and base64url we need elsewhere.
 */
#ifndef SM_CRYPTO_H
#define SM_CRYPTO_H

#include <stddef.h>

struct sm_conf;

#define SM_PASSWORD_HASH_MAX 128        /* >= crypto_pwhash_STRBYTES */

/* sodium_init() and the cost parameters from [password]; 0 or -1 (logged). */
int sm_crypto_init(const struct sm_conf *conf);

int sm_password_hash(const char *password, char out[SM_PASSWORD_HASH_MAX]);
/* 1 when password matches hash, 0 otherwise. */
int sm_password_verify(const char *hash, const char *password);
/* Spends the time a verify would, so unknown accounts answer as slowly. */
void sm_password_burn(const char *password);
int sm_password_needs_rehash(const char *hash);

/* nbytes of randomness as unpadded base64url into out (size >= 4/3 n + 1). */
void sm_random_token(char *out, size_t outlen, size_t nbytes);
/* Lower-case hex SHA-256 of data. */
void sm_sha256_hex(const void *data, size_t len, char out[65]);
/* A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
void sm_uuid_v4(char out[37]);
/*
 * A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds,
 * 12 bits of sub-millisecond time (RFC 9562 method 3), 62 random bits;
 * strictly increasing within a process.  Event ids are these, so the inbox
 * and outbox indexes on them grow at their right edge instead of splitting
 * pages all over the B-tree.
 */
void sm_uuid_v7(char out[37]);

#endif
