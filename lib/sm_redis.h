/*
 * sm_redis.h -- a Redis connection per worker that reconnects itself.
 *
 * Commands go through hiredis's printf-style formatter (arguments are sent
 * as separate bulk strings, so nothing is ever spliced into a command).  A
 * failed command is retried once on a fresh connection; when Redis stays
 * down the caller gets NULL and decides whether to fail open or closed.
 */
#ifndef SM_REDIS_H
#define SM_REDIS_H

#include <hiredis/hiredis.h>

struct sm_conf;
struct sm_redis;

struct sm_redis *sm_redis_new(const struct sm_conf *conf);    /* connects lazily */
void sm_redis_free(struct sm_redis *r);

/* The reply (caller frees with freeReplyObject) or NULL when Redis is down. */
redisReply *sm_redis_cmd(struct sm_redis *r, const char *fmt, ...);

#endif
