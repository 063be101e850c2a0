/*
 * settings.c -- the [schedule] section: which strategy keeps concurrent
 * attendance apart, and its knobs.
 *
 * The one design decision: one reader for the service and for
 * somoim-schedule-events, so the events daemon's member-left give-back runs
 * under the same serializer as the HTTP side (the same Redis lock, the same
 * Kafka partition) from the same file and the same SOMOIM_SCHEDULE_*
 * environment overrides.  The defaults here are the ones dev/genconf writes.
 */
#include "schedule.h"

#include <string.h>

static const char *const names[] = {
	[STRATEGY_CONDITIONAL] = "conditional-update",
	[STRATEGY_OPTIMISTIC] = "optimistic",
	[STRATEGY_PESSIMISTIC] = "pessimistic",
	[STRATEGY_REDIS_LOCK] = "redis-lock",
	[STRATEGY_KAFKA] = "kafka",
};

int
strategy_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
strategy_name(enum strategy s)
{
	return names[s];
}

int
schedule_settings_load(const struct sm_conf *conf, struct schedule_settings *s)
{
	const char *name = sm_conf_get(conf, "schedule", "strategy", "conditional-update");
	int n = strategy_parse(name);

	memset(s, 0, sizeof(*s));
	if (n < 0) {
		sm_log(SM_LOG_ERROR, "[schedule] strategy \"%s\" is not one of conditional-update,"
		    " optimistic, pessimistic, redis-lock, kafka", name);
		return -1;
	}
	s->strategy = (enum strategy)n;
	name = sm_conf_get(conf, "schedule", "lock_scope", "schedule");
	if (strcmp(name, "schedule") != 0 && strcmp(name, "global") != 0) {
		sm_log(SM_LOG_ERROR, "[schedule] lock_scope \"%s\" is not schedule or global", name);
		return -1;
	}
	s->lock_global = strcmp(name, "global") == 0;
	if (sm_conf_int(conf, "schedule", "lock_lease_ms", 5000, 100, 60000,
	    &s->lock_lease_ms) != 0 ||
	    sm_conf_int(conf, "schedule", "lock_wait_ms", 10000, 10, 60000,
	    &s->lock_wait_ms) != 0 ||
	    sm_conf_int(conf, "schedule", "kafka_timeout_ms", 10000, 2000, 60000,
	    &s->kafka_timeout_ms) != 0)
		return -1;
	return 0;
}
