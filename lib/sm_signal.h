/*
 * sm_signal.h -- the stop signal, set up once for every long-running program.
 *
 * The one design decision (librdkafka's examples/consumer.c): the handler only
 * sets a flag; each loop polls with short timeouts and checks it.  The
 * handler is installed without SA_RESTART, so a blocking accept() or wait
 * returns EINTR at once; SIGPIPE is ignored so a peer that went away is an
 * EPIPE to handle, not a death.
 */
#ifndef SM_SIGNAL_H
#define SM_SIGNAL_H

#include <signal.h>

/* Set to 1 by SIGTERM and SIGINT (and SIGHUP when asked); never reset. */
extern volatile sig_atomic_t sm_stop_requested;

enum {
	SM_SIGNAL_HUP = 1,      /* SIGHUP stops too (the FastCGI programs) */
};

/* Installs the handler (flags: SM_SIGNAL_*); 0, or -1 after logging why. */
int sm_signal_init(int flags);

#endif
