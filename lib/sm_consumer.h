/*
 * sm_consumer.h -- the one Kafka consumer loop every somoim daemon runs.
 *
 * A daemon declares its consumer group and a topic -> handler table and calls
 * sm_consumer_main().  The loop owns everything else: at-least-once delivery
 * (an offset is stored only after the handler's effect committed), the
 * exactly-once effect (each handler runs in one MariaDB transaction together
 * with the insert into processed_events, so a redelivered event is skipped),
 * the failure policy of the Spring app it replaces (retries with a backoff
 * that pauses only the failed partition, then the dead-letter topic with
 * Spring's kafka_dlt-* headers), rebalances and a clean SIGTERM.
 *
 * The daemon's schema needs:
 *   processed_events(consumer_group, event_id, processed_at,
 *                    PRIMARY KEY (consumer_group, event_id))
 * Settings, section [<name>]: retries (2), retry_backoff_ms (1000),
 * session_timeout_ms (10000: how soon the partitions of a crashed instance
 * move on; the broker's minimum is 6000); the DB account comes from section
 * [<schema>].
 */
#ifndef SM_CONSUMER_H
#define SM_CONSUMER_H

#include <stddef.h>

#include "sm_kafka.h"

struct sm_db;

/*
 * Applies one event inside the loop's transaction.  Returns 0 to commit, or
 * -1 after writing a one-line reason into err (a database error is taken from
 * the connection when err is left empty); the transaction is then rolled back
 * and the failure policy runs.  SM_CONSUMER_UNAVAILABLE (with a reason in
 * err) says another store the handler writes to is out of reach: the event
 * is retried after the backoff without counting towards the dead letter,
 * as for MariaDB itself.
 */
#define SM_CONSUMER_UNAVAILABLE (-2)

typedef int sm_consumer_fn(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen);

/*
 * Optional: applies n events at once (the same work as fn for each, typically
 * one multi-row statement), inside the loop's batch transaction.  Returns 0,
 * or -1 -- then the whole batch is rolled back and every event goes through
 * fn one at a time, so batch needs no error handling of its own beyond
 * refusing what it cannot take.
 */
typedef int sm_consumer_batch_fn(struct sm_db *db, const struct sm_event *evs, size_t n);

struct sm_consumer_handler {
	const char *topic;
	sm_consumer_fn *fn;
	sm_consumer_batch_fn *batch;    /* may be NULL */
};

struct sm_consumer {
	const char *name;       /* daemon: log program "somoim-<name>", config section */
	const char *group;      /* consumer group id, also processed_events.consumer_group */
	const char *schema;     /* config section of its database account */
	const struct sm_consumer_handler *handlers;
	size_t nhandlers;
};

/* Reads $SOMOIM_CONF, runs until SIGTERM/SIGINT; returns the exit status. */
int sm_consumer_main(const struct sm_consumer *c);

#endif
