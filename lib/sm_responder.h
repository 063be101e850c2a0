/*
 * sm_responder.h -- the answering side of request-reply (sm_reqreply.h) as
 * one loop: a daemon that answers the requests of a topic gives it a
 * function that turns a request into a reply, and nothing else.
 *
 * The loop joins a consumer group on the topic (auto.offset.reset=earliest:
 * a request produced between "ready" and the group's first position is
 * still answered; requesters drop answers nobody waits for), answers each
 * request with sm_reqreply_respond() on the partition its headers name, and
 * stores its offset once the reply is queued (a request redelivered after a
 * crash is answered again: answers must be idempotent).  It logs "ready"
 * once partitions are assigned, and leaves on SIGTERM/SIGINT after the
 * request in hand, flushing the replies.
 */
#ifndef SM_RESPONDER_H
#define SM_RESPONDER_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

struct sm_conf;

/*
 * Answers one request: 0 with *reply (malloc'd; the loop frees it) and
 * *len set, or -1 to leave the request unanswered (logged by the caller).
 */
typedef int sm_responder_fn(void *arg, const rd_kafka_message_t *request, char **reply,
    size_t *len);

struct sm_responder {
	const char *name;       /* client id and log prefix */
	const char *topic;      /* the requests */
	const char *group;      /* consumer group id */
	sm_responder_fn *answer;
	void *arg;
	/* Optional: called on each assignment of partitions (e.g. to print "ready"). */
	void (*on_assigned)(void *arg, int partitions);
	/* Optional: the loop runs in a thread of a program that handles the signals
	 * itself; it installs no handlers and leaves once *stop is set. */
	volatile int *stop;
};

/* Runs the loop until SIGTERM/SIGINT; returns the exit status (0, or 1 on a setup failure). */
int sm_responder_run(const struct sm_conf *conf, const struct sm_responder *r);

#endif
