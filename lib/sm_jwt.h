/*
 * sm_jwt.h -- access tokens: HS256 JWTs on libjwt, with the algorithm pinned.
 *
 * The header is checked by us before libjwt sees the token: it must say
 * exactly HS256, so "alg": "none" and algorithm-confusion tokens are refused
 * whatever the library would do.  Then signature, "iss", "aud", "exp" and
 * "iat" are checked, and "sub" must be a positive user id.
 */
#ifndef SM_JWT_H
#define SM_JWT_H

#include <stddef.h>
#include <time.h>

struct sm_conf;

struct sm_jwt {
	unsigned char *secret;
	size_t secret_len;
	char *issuer;
	char *audience;
	long long access_ttl;           /* seconds */
	long long leeway;               /* clock skew allowed on iat, seconds */
};

enum sm_jwt_result { SM_JWT_OK, SM_JWT_INVALID, SM_JWT_EXPIRED };

/* Reads [jwt]; the secret must be at least 32 bytes.  Returns 0 or -1 (logged). */
int sm_jwt_init(struct sm_jwt *jwt, const struct sm_conf *conf);
void sm_jwt_fini(struct sm_jwt *jwt);

/* A new signed token for user_id (caller frees), or NULL (logged). */
char *sm_jwt_issue(const struct sm_jwt *jwt, long long user_id, time_t now);

enum sm_jwt_result sm_jwt_verify(const struct sm_jwt *jwt, const char *token,
    time_t now, long long *user_id);

/*
 * The pinned header check, before any signature is looked at: is token's header
 * exactly what we issue -- "alg" equal to alg, "kid" equal to kid when kid is
 * given, "typ" absent or "JWT", and no other member ("crit" included)?  1 or 0.
 * The main service's HS256 tokens and the auth server's ES256 ones both use it.
 */
int sm_jwt_header_is(const char *token, const char *alg, const char *kid);

/*
 * sm_jwt_verify() with a small per-process cache of tokens that verified: a
 * client sends the same access token for its whole life, so a hit skips the
 * HMAC and the JSON parsing; the expiry is still checked on every use.
 */
enum sm_jwt_result sm_jwt_verify_cached(const struct sm_jwt *jwt, const char *token,
    time_t now, long long *user_id);

#endif
