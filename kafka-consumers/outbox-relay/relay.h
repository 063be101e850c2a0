/*
 * relay.h -- somoim-outbox-relay: publishes the services' outbox tables to Kafka.
 *
 * relay.c moves rows from the outbox to Kafka; wakeup.c waits for the next
 * reason to look (a Redis PUBLISH from a service, or the polling interval);
 * main.c is the loop and the signals.
 */
#ifndef RELAY_H
#define RELAY_H

struct sm_conf;
struct relay;
struct wakeup;

/* The schemas of [outbox-relay] schemas and one producer; NULL on a bad config. */
struct relay *relay_new(const struct sm_conf *conf);
/* Flushes the producer (every report is served first) and frees everything. */
void relay_free(struct relay *r);

/*
 * Connects every schema's database: 0 once at least one answers (the others
 * are retried by the rounds), -1 while none does.
 */
int relay_connect(struct relay *r);

/*
 * One pass over every schema whose lock we hold (taking it when free): at most
 * one batch each, published and marked.  *more is set when a batch was full
 * (look again at once).  Returns 0, or -1 when a schema's batch could not be
 * read, published or marked: that schema alone then backs off (200 ms
 * doubling to 5 s) and the rest are served as usual.
 */
int relay_round(struct relay *r, int *more);

/* Deletes published rows older than [outbox-relay] retention_seconds. */
void relay_sweep(struct relay *r);

/* The Redis wake-up channel (SM_OUTBOX_CHANNEL) on its own connection. */
struct wakeup *wakeup_new(const struct sm_conf *conf);
void wakeup_free(struct wakeup *w);
/* Waits up to timeout_ms for a wake-up message: 1 woken, 0 timed out or interrupted. */
int wakeup_wait(struct wakeup *w, int timeout_ms);

#endif
