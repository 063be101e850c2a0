/*
 * sm_bus.h -- an in-process, synchronous, typed publish/subscribe bus (the
 * seed's Guava EventBus) for one thread of one program.
 *
 * A message type is a struct sm_bus_type the publisher and its subscribers
 * share by address (so a subscriber registered for one type never sees
 * another's struct).  sm_bus_publish() calls every subscriber of the type in
 * the order they subscribed, on the caller's stack, and stops at the first
 * that fails: the publisher (a consumer handler inside its transaction) then
 * fails as a whole, so a notification is either fully delivered to every
 * channel or retried -- which is why subscribers must be idempotent.
 */
#ifndef SM_BUS_H
#define SM_BUS_H

#include <stddef.h>

struct sm_bus_type {
	const char *name;       /* for log lines */
};

/* Handles one message of its type: 0, or -1 after logging why. */
typedef int sm_bus_fn(void *arg, const void *msg);

struct sm_bus;

struct sm_bus *sm_bus_new(void);
void sm_bus_free(struct sm_bus *bus);    /* NULL is a no-op */

/* Adds fn (with arg) for messages of type. */
void sm_bus_subscribe(struct sm_bus *bus, const struct sm_bus_type *type, sm_bus_fn *fn,
    void *arg);

/* Delivers msg to type's subscribers: 0 when all returned 0 (or none exist), else -1. */
int sm_bus_publish(struct sm_bus *bus, const struct sm_bus_type *type, const void *msg);

#endif
