/*
 * sm_bus.c -- the in-process event bus (see sm_bus.h).
 *
 * A growing array of (type, fn, arg) scanned on each publish: buses hold a
 * handful of subscribers, so a table would cost more than it saves.
 */
#include "sm_bus.h"
#include "sm_log.h"

#include <stdlib.h>

struct sub {
	const struct sm_bus_type *type;
	sm_bus_fn *fn;
	void *arg;
};

struct sm_bus {
	struct sub *subs;
	size_t n, cap;
};

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL) {
		sm_log(SM_LOG_ERROR, "bus: out of memory");
		abort();
	}
	return p;
}

struct sm_bus *
sm_bus_new(void)
{
	struct sm_bus *bus = xrealloc(NULL, sizeof(*bus));

	bus->subs = NULL;
	bus->n = bus->cap = 0;
	return bus;
}

void
sm_bus_free(struct sm_bus *bus)
{
	if (bus == NULL)
		return;
	free(bus->subs);
	free(bus);
}

void
sm_bus_subscribe(struct sm_bus *bus, const struct sm_bus_type *type, sm_bus_fn *fn, void *arg)
{
	if (bus->n == bus->cap) {
		bus->cap = bus->cap ? bus->cap * 2 : 4;
		bus->subs = xrealloc(bus->subs, bus->cap * sizeof(*bus->subs));
	}
	bus->subs[bus->n++] = (struct sub){ type, fn, arg };
}

int
sm_bus_publish(struct sm_bus *bus, const struct sm_bus_type *type, const void *msg)
{
	size_t i;

	for (i = 0; i < bus->n; i++) {
		if (bus->subs[i].type != type)
			continue;
		if (bus->subs[i].fn(bus->subs[i].arg, msg) != 0) {
			sm_log(SM_LOG_WARN, "bus: a subscriber of %s failed", type->name);
			return -1;
		}
	}
	return 0;
}
