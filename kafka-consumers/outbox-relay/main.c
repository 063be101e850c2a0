/*
 * main.c -- somoim-outbox-relay: the loop (see relay.h and relay.c).
 *
 * Round after round: publish what the outboxes hold; when nothing is left,
 * sleep until a service says "I wrote an event" on Redis or the polling
 * interval passes.  A schema whose batch failed backs off on its own (200 ms
 * doubling to 5 s, relay.c), so a Kafka outage costs nothing but a retry now
 * and then, and one unreachable schema does not hold up the others.  SIGTERM only sets a
 * flag: the batch in hand is finished, the producer flushed, exit 0.
 */
#include "relay.h"
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_signal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Sleeps ms in short steps so SIGTERM is noticed at once. */
static void
nap(long ms)
{
	for (; ms > 0 && !sm_stop_requested; ms -= 50)
		usleep(50000);
}

int
main(int argc, char **argv)
{
	const char *path = getenv("SOMOIM_CONF");
	struct sm_conf *conf;
	struct relay *relay;
	struct wakeup *wake;
	long long poll_ms;
	time_t next_sweep = 0;
	int more;

	sm_log_init("somoim-outbox-relay", getenv("SOMOIM_LOG_LEVEL"));
	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		path = argv[2];
	if ((conf = sm_conf_load(path)) == NULL)
		return 1;
	if (sm_conf_int(conf, "outbox-relay", "poll_ms", 150, 10, 60000, &poll_ms) != 0 ||
	    (relay = relay_new(conf)) == NULL) {
		sm_conf_free(conf);
		return 1;
	}
	if (sm_signal_init(0) != 0) {
		relay_free(relay);
		sm_conf_free(conf);
		return 1;
	}

	while (!sm_stop_requested && relay_connect(relay) != 0)
		nap(1000);
	wake = wakeup_new(conf);
	if (!sm_stop_requested)
		sm_log(SM_LOG_INFO, "somoim-outbox-relay ready (polling every %lld ms)", poll_ms);
	while (!sm_stop_requested) {
		if (relay_round(relay, &more) != 0)
			more = 0;       /* the failed schemas wait their backoff */
		if (time(NULL) >= next_sweep) {
			relay_sweep(relay);
			next_sweep = time(NULL) + 60;
		}
		if (!more)
			wakeup_wait(wake, (int)poll_ms);
	}
	sm_log(SM_LOG_INFO, "stopping: flushing the producer");
	wakeup_free(wake);
	relay_free(relay);
	sm_conf_free(conf);
	return 0;
}
