/*
 * sm_signal.c -- the stop flag and its handler (see sm_signal.h).
 *
 * One flag for the whole process: a program that runs two loops (a consumer
 * and a request-reply responder) stops both with one signal.
 */
#include "sm_signal.h"
#include "sm_log.h"

#include <errno.h>
#include <string.h>

volatile sig_atomic_t sm_stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	sm_stop_requested = 1;
}

int
sm_signal_init(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;        /* no SA_RESTART: blocking calls return EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0 ||
	    ((flags & SM_SIGNAL_HUP) && sigaction(SIGHUP, &sa, NULL) != 0))
		goto fail;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		goto fail;
	return 0;
fail:
	sm_log(SM_LOG_ERROR, "sigaction failed: %s", strerror(errno));
	return -1;
}
