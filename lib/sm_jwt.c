/*
 * sm_jwt.c -- access tokens (see sm_jwt.h).
 */
#include "sm_jwt.h"
#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_json.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <errno.h>
#include <jwt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKEN 4096
#define CACHE_SLOTS 256
#define CACHE_TOKEN 512         /* longer tokens are verified every time */

struct cached_token {
	char token[CACHE_TOKEN];
	long long user_id;
	time_t exp;
};

static struct cached_token cache[CACHE_SLOTS];

int
sm_jwt_init(struct sm_jwt *jwt, const struct sm_conf *conf)
{
	const char *secret = sm_conf_get(conf, "jwt", "secret", "");

	memset(jwt, 0, sizeof(*jwt));
	if (strlen(secret) < 32) {
		sm_log(SM_LOG_ERROR, "config [jwt] secret must be at least 32 characters");
		return -1;
	}
	if (sm_conf_int(conf, "jwt", "access_ttl", 900, 1, 86400, &jwt->access_ttl) != 0 ||
	    sm_conf_int(conf, "jwt", "leeway", 30, 0, 300, &jwt->leeway) != 0)
		return -1;
	jwt->secret = (unsigned char *)sm_xstrdup(secret);
	jwt->secret_len = strlen(secret);
	jwt->issuer = sm_xstrdup(sm_conf_get(conf, "jwt", "issuer", "somoim"));
	jwt->audience = sm_xstrdup(sm_conf_get(conf, "jwt", "audience", "somoim-api"));
	return 0;
}

void
sm_jwt_fini(struct sm_jwt *jwt)
{
	if (jwt->secret != NULL)
		sodium_memzero(jwt->secret, jwt->secret_len);
	free(jwt->secret);
	free(jwt->issuer);
	free(jwt->audience);
	memset(jwt, 0, sizeof(*jwt));
}

char *
sm_jwt_issue(const struct sm_jwt *jwt, long long user_id, time_t now)
{
	jwt_t *t = NULL;
	char sub[24], jti[32];
	char *out = NULL;

	snprintf(sub, sizeof(sub), "%lld", user_id);
	sm_random_token(jti, sizeof(jti), 16);
	if (jwt_new(&t) != 0 ||
	    jwt_add_grant(t, "sub", sub) != 0 ||
	    jwt_add_grant(t, "iss", jwt->issuer) != 0 ||
	    jwt_add_grant(t, "aud", jwt->audience) != 0 ||
	    jwt_add_grant(t, "jti", jti) != 0 ||
	    jwt_add_grant_int(t, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(t, "exp", (long)(now + jwt->access_ttl)) != 0 ||
	    jwt_set_alg(t, JWT_ALG_HS256, jwt->secret, (int)jwt->secret_len) != 0 ||
	    (out = jwt_encode_str(t)) == NULL)
		sm_log(SM_LOG_ERROR, "jwt_encode_str failed: %s", strerror(errno));
	jwt_free(t);
	return out;
}

static int
member_is(json_object *h, const char *key, const char *want)
{
	json_object *v;

	return json_object_object_get_ex(h, key, &v) && json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), want) == 0;
}

int
sm_jwt_header_is(const char *token, const char *alg, const char *kid)
{
	const char *dot = strchr(token, '.');
	unsigned char raw[256];
	size_t rawlen;
	json_object *h;
	int ok;

	if (dot == NULL || dot - token > 300 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, token, (size_t)(dot - token), NULL,
	    &rawlen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return 0;
	raw[rawlen] = '\0';
	if ((h = sm_json_parse((const char *)raw, rawlen)) == NULL)
		return 0;
	/* Every member is one we know, each with the value we issue: no "crit", no other "kid". */
	ok = json_object_is_type(h, json_type_object) && member_is(h, "alg", alg) &&
	    (kid == NULL || member_is(h, "kid", kid));
	if (ok) {
		json_object_object_foreach(h, key, val) {
			(void)val;
			if (strcmp(key, "alg") != 0 && !(kid != NULL && strcmp(key, "kid") == 0) &&
			    !(strcmp(key, "typ") == 0 && member_is(h, "typ", "JWT")))
				ok = 0;
		}
	}
	json_object_put(h);
	return ok;
}

static int
grant_is(jwt_t *t, const char *name, const char *want)
{
	const char *v = jwt_get_grant(t, name);

	return v != NULL && strcmp(v, want) == 0;
}

/*
 * RFC 7519 4.1.5: a token is not accepted before its "nbf".  Ours carry none;
 * one that does must give an integer (its JSON text, read strictly: libjwt's
 * int getter takes a string claim for 0), and any other type is refused.
 */
static int
nbf_passed(jwt_t *t, time_t now)
{
	char *any = jwt_get_grants_json(t, "nbf"), *end;
	long long nbf;
	int ok;

	if (any == NULL)
		return 1;
	errno = 0;
	nbf = strtoll(any, &end, 10);
	ok = errno == 0 && end != any && *end == '\0' && (any[0] == '-' || (any[0] >= '0' &&
	    any[0] <= '9')) && nbf <= (long long)now;
	free(any);
	return ok;
}

/* The expiry of the token sm_jwt_verify() accepted last, for the cache. */
static time_t last_exp;

enum sm_jwt_result
sm_jwt_verify(const struct sm_jwt *jwt, const char *token, time_t now, long long *user_id)
{
	enum sm_jwt_result res = SM_JWT_INVALID;
	jwt_t *t = NULL;
	const char *sub;
	long exp, iat;
	char *end;
	long long id;

	if (token == NULL || strlen(token) > MAX_TOKEN || !sm_jwt_header_is(token, "HS256", NULL))
		return SM_JWT_INVALID;
	if (jwt_decode(&t, token, jwt->secret, (int)jwt->secret_len) != 0 || t == NULL)
		return SM_JWT_INVALID;
	if (jwt_get_alg(t) != JWT_ALG_HS256 || !grant_is(t, "iss", jwt->issuer) ||
	    !grant_is(t, "aud", jwt->audience))
		goto out;
	errno = 0;
	exp = jwt_get_grant_int(t, "exp");
	if (errno != 0)
		goto out;
	iat = jwt_get_grant_int(t, "iat");
	if (errno != 0 || iat > now + jwt->leeway || exp <= iat)
		goto out;
	if (!nbf_passed(t, now + jwt->leeway))
		goto out;
	if ((sub = jwt_get_grant(t, "sub")) == NULL || *sub < '1' || *sub > '9')
		goto out;
	errno = 0;
	id = strtoll(sub, &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0)
		goto out;
	if (exp <= now) {
		res = SM_JWT_EXPIRED;
		goto out;
	}
	*user_id = id;
	res = SM_JWT_OK;
	last_exp = exp;
out:
	jwt_free(t);
	return res;
}

static size_t
slot_of(const char *token, size_t len)
{
	unsigned long long h = 1469598103934665603ULL;     /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)token[i]) * 1099511628211ULL;
	return (size_t)(h % CACHE_SLOTS);
}

enum sm_jwt_result
sm_jwt_verify_cached(const struct sm_jwt *jwt, const char *token, time_t now,
    long long *user_id)
{
	size_t len = token ? strlen(token) : 0;
	struct cached_token *c;
	enum sm_jwt_result r;

	if (len == 0 || len >= CACHE_TOKEN)
		return sm_jwt_verify(jwt, token, now, user_id);
	c = &cache[slot_of(token, len)];
	if (c->exp != 0 && strcmp(c->token, token) == 0) {
		if (c->exp <= now)
			return SM_JWT_EXPIRED;
		*user_id = c->user_id;
		return SM_JWT_OK;
	}
	if ((r = sm_jwt_verify(jwt, token, now, user_id)) == SM_JWT_OK) {
		memcpy(c->token, token, len + 1);
		c->user_id = *user_id;
		c->exp = last_exp;
	}
	return r;
}
