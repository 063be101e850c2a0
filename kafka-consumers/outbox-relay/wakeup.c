/*
 * wakeup.c -- the relay's "something was written" signal: Redis pub/sub.
 *
 * Services PUBLISH somoim:outbox <schema> after committing an event.  We keep
 * a separate hiredis connection in SUBSCRIBE mode and wait on its socket with
 * poll() and a timeout (the polling interval), then parse whatever arrived
 * with hiredis's reader; hiredis's own blocking read cannot be used because a
 * read timeout marks its context as failed.  The message content does not
 * matter: any message means "look now".  Redis down only means we fall back
 * to polling -- the outbox table, not Redis, is what guarantees delivery.
 */
#include "relay.h"
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_outbox.h"
#include "sm_pool.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct wakeup {
	redisContext *ctx;
	char *host;
	int port;
	time_t retry_after;
	int warned;
};

struct wakeup *
wakeup_new(const struct sm_conf *conf)
{
	struct wakeup *w = sm_xcalloc(1, sizeof(*w));
	long long port;

	w->host = sm_xstrdup(sm_conf_get(conf, "redis", "host", "127.0.0.1"));
	if (sm_conf_int(conf, "redis", "port", 6379, 1, 65535, &port) != 0)
		port = 6379;
	w->port = (int)port;
	return w;
}

static void
drop(struct wakeup *w, const char *why)
{
	if (!w->warned++)
		sm_log(SM_LOG_WARN, "wake-up channel (redis %s:%d): %s; polling only until it is back",
		    w->host, w->port, why);
	if (w->ctx != NULL)
		redisFree(w->ctx);
	w->ctx = NULL;
	w->retry_after = time(NULL) + 1;
}

void
wakeup_free(struct wakeup *w)
{
	if (w == NULL)
		return;
	if (w->ctx != NULL)
		redisFree(w->ctx);
	free(w->host);
	free(w);
}

/* Connects and subscribes: 0, or -1 (retried at most once a second). */
static int
subscribe(struct wakeup *w)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 500000 };
	redisReply *reply;

	if (w->ctx != NULL)
		return 0;
	if (time(NULL) < w->retry_after)
		return -1;
	w->ctx = redisConnectWithTimeout(w->host, w->port, tv);
	if (w->ctx == NULL || w->ctx->err) {
		drop(w, w->ctx ? w->ctx->errstr : "out of memory");
		return -1;
	}
	redisSetTimeout(w->ctx, tv);
	reply = redisCommand(w->ctx, "SUBSCRIBE %s", SM_OUTBOX_CHANNEL);
	if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
		if (reply != NULL)
			freeReplyObject(reply);
		drop(w, w->ctx->err ? w->ctx->errstr : "SUBSCRIBE refused");
		return -1;
	}
	freeReplyObject(reply);
	if (w->warned)
		sm_log(SM_LOG_INFO, "wake-up channel (redis %s:%d) is back", w->host, w->port);
	w->warned = 0;
	return 0;
}

/* Takes every complete message already read: how many; -1 when the connection broke. */
static int
drain(struct wakeup *w)
{
	void *reply;
	int n = 0;

	for (;;) {
		if (redisGetReplyFromReader(w->ctx, &reply) != REDIS_OK) {
			drop(w, w->ctx->errstr);
			return -1;
		}
		if (reply == NULL)
			return n;
		freeReplyObject(reply);
		n++;
	}
}

int
wakeup_wait(struct wakeup *w, int timeout_ms)
{
	struct pollfd p = { .fd = -1, .events = POLLIN };
	int n;

	if (subscribe(w) != 0) {
		poll(NULL, 0, timeout_ms);      /* Redis down: plain polling */
		return 0;
	}
	if ((n = drain(w)) != 0)
		return n > 0;
	p.fd = w->ctx->fd;
	n = poll(&p, 1, timeout_ms);
	if (n < 0) {
		if (errno != EINTR)
			drop(w, strerror(errno));
		return 0;
	}
	if (n == 0)
		return 0;
	if (redisBufferRead(w->ctx) != REDIS_OK) {
		drop(w, w->ctx->errstr);
		return 0;
	}
	/* Readable with nothing complete (a partial message) still means "look". */
	return drain(w) >= 0;
}
