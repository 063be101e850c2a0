/*
 * sm_throttle.h -- failed logins per account and client address, in Redis.
 *
 * After `max` failures within `window` seconds the pair (who, address) is
 * refused until the window passes.  Keyed by the address too, so nobody can
 * lock a victim out from elsewhere; the key is a SHA-256 of both, so no
 * address or email sits in Redis in the clear.  Redis down fails open: a
 * login is never refused because the counter cannot be read.  The user
 * service and the auth server use the same rule with their own prefixes.
 */
#ifndef SM_THROTTLE_H
#define SM_THROTTLE_H

#include <stddef.h>

struct sm_redis;

struct sm_throttle {
	const char *prefix;     /* e.g. "login:fail" */
	long long max;          /* failures allowed in the window */
	int window;             /* seconds */
};

/* The Redis key for (who, addr) into key (size >= 100). */
void sm_throttle_key(const struct sm_throttle *t, const char *who, const char *addr,
    char *key, size_t len);
/* 1 when the key has reached max failures, else 0 (also when Redis is down). */
int sm_throttle_blocked(const struct sm_throttle *t, struct sm_redis *r, const char *key);
/* Counts one failure; the first one starts the window. */
void sm_throttle_fail(const struct sm_throttle *t, struct sm_redis *r, const char *key);

#endif
