/*
 * sm_redis.c -- Redis with reconnect (see sm_redis.h).
 *
 * After a failure we wait a second before trying to connect again, so a dead
 * Redis costs each request one fast failure instead of a connect timeout.
 */
#include "sm_redis.h"
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

struct sm_redis {
	redisContext *ctx;
	char *host;
	int port;
	time_t retry_after;
};

struct sm_redis *
sm_redis_new(const struct sm_conf *conf)
{
	struct sm_redis *r = sm_xcalloc(1, sizeof(*r));
	long long port;

	r->host = sm_xstrdup(sm_conf_get(conf, "redis", "host", "127.0.0.1"));
	if (sm_conf_int(conf, "redis", "port", 6379, 1, 65535, &port) != 0)
		port = 6379;
	r->port = (int)port;
	return r;
}

void
sm_redis_free(struct sm_redis *r)
{
	if (r == NULL)
		return;
	if (r->ctx != NULL)
		redisFree(r->ctx);
	free(r->host);
	free(r);
}

static int
connect_redis(struct sm_redis *r)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 500000 };

	if (r->ctx != NULL)
		return 0;
	if (time(NULL) < r->retry_after)
		return -1;
	r->ctx = redisConnectWithTimeout(r->host, r->port, tv);
	if (r->ctx == NULL || r->ctx->err) {
		sm_log(SM_LOG_WARN, "redisConnect(%s:%d) failed: %s", r->host, r->port,
		    r->ctx ? r->ctx->errstr : "out of memory");
		if (r->ctx != NULL)
			redisFree(r->ctx);
		r->ctx = NULL;
		r->retry_after = time(NULL) + 1;
		return -1;
	}
	tv.tv_sec = 2;
	tv.tv_usec = 0;
	redisSetTimeout(r->ctx, tv);
	return 0;
}

redisReply *
sm_redis_cmd(struct sm_redis *r, const char *fmt, ...)
{
	redisReply *reply = NULL;
	int attempt;
	va_list ap;

	for (attempt = 0; attempt < 2 && reply == NULL; attempt++) {
		if (connect_redis(r) != 0)
			return NULL;
		va_start(ap, fmt);
		reply = redisvCommand(r->ctx, fmt, ap);
		va_end(ap);
		if (reply == NULL) {
			sm_log(SM_LOG_WARN, "redis command failed: %s", r->ctx->errstr);
			redisFree(r->ctx);
			r->ctx = NULL;
		}
	}
	return reply;
}
