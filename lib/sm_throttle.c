/*
 * sm_throttle.c -- the failed-login throttle (see sm_throttle.h).
 */
#include "sm_throttle.h"
#include "sm_crypto.h"
#include "sm_redis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sm_throttle_key(const struct sm_throttle *t, const char *who, const char *addr, char *key,
    size_t len)
{
	char buf[320], hex[65];

	snprintf(buf, sizeof(buf), "%s|%s", who, addr ? addr : "-");
	sm_sha256_hex(buf, strlen(buf), hex);
	snprintf(key, len, "%s:%s", t->prefix, hex);
}

int
sm_throttle_blocked(const struct sm_throttle *t, struct sm_redis *r, const char *key)
{
	redisReply *rep = sm_redis_cmd(r, "GET %s", key);
	long long n = 0;

	if (rep != NULL && rep->type == REDIS_REPLY_STRING)
		n = atoll(rep->str);
	if (rep != NULL)
		freeReplyObject(rep);
	return n >= t->max;
}

void
sm_throttle_fail(const struct sm_throttle *t, struct sm_redis *r, const char *key)
{
	redisReply *rep = sm_redis_cmd(r, "INCR %s", key);

	if (rep != NULL && rep->type == REDIS_REPLY_INTEGER && rep->integer == 1) {
		freeReplyObject(rep);
		rep = sm_redis_cmd(r, "EXPIRE %s %d", key, t->window);
	}
	if (rep != NULL)
		freeReplyObject(rep);
}
