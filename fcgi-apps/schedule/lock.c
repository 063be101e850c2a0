/*
 * lock.c -- a per-schedule Redis lock for the redis-lock strategy.
 *
 * The seed locked one global key for every schedule and called unlock in a
 * finally block even when the lock had never been acquired, so a request that
 * timed out freed somebody else's lock.  Here: one key per schedule
 * (somoim:schedule:lock:<id>), taken with SET NX PX and a random token, so
 * the lease frees it if the holder dies; released only by a compare-and-delete
 * in Lua that deletes the key when it still holds our token, and only after
 * lock_acquire() succeeded.  Waiting is polling with short random pauses
 * under a deadline (Redis has no fair queue for SET NX); a lease that runs out
 * under a slow holder cannot pass the seat cap, because the database guard in
 * seats.c still holds (the late writer retries instead).
 */
#include "lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char RELEASE_LUA[] =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
    "else return 0 end";

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
lock_acquire(struct sm_redis *r, long long id, int global, long long lease_ms,
    long long wait_ms, struct seat_lock *l)
{
	long long deadline = now_ms() + wait_ms;
	redisReply *rep;
	int ok, pause = 500;

	if (global)
		snprintf(l->key, sizeof(l->key), "somoim:schedule:lock:all");
	else
		snprintf(l->key, sizeof(l->key), "somoim:schedule:lock:%lld", id);
	sm_random_token(l->token, sizeof(l->token), 16);
	for (;;) {
		if ((rep = sm_redis_cmd(r, "SET %s %s NX PX %lld", l->key, l->token, lease_ms)) ==
		    NULL)
			return -1;
		ok = rep->type == REDIS_REPLY_STATUS && strcmp(rep->str, "OK") == 0;
		freeReplyObject(rep);
		if (ok)
			return 0;
		if (now_ms() >= deadline)
			return 1;
		usleep((useconds_t)(pause / 2 + rand() % pause));
		if (pause < 8000)
			pause *= 2;
	}
}

int
lock_release(struct sm_redis *r, const struct seat_lock *l)
{
	redisReply *rep;

	if ((rep = sm_redis_cmd(r, "EVAL %s 1 %s %s", RELEASE_LUA, l->key, l->token)) == NULL)
		return -1;
	if (rep->type == REDIS_REPLY_INTEGER && rep->integer == 0)
		sm_log(SM_LOG_WARN, "%s: lease ran out before release (held too long)", l->key);
	freeReplyObject(rep);
	return 0;
}
