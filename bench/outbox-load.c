/*
 * outbox-load.c -- writes user-updated events into the user schema's outbox,
 * exactly as the user service does (sm_outbox_add inside a transaction, then
 * a wake-up for the relay), for bench/events.
 *
 *   outbox-load burst N PER_TX     N events, PER_TX per transaction, flat out
 *   outbox-load rate  R SECONDS    R events per second, one per transaction
 *
 * Users are 900000000 + i % 1000 (far above real ids); every event's version
 * is larger than the last, so the member-events daemon applies each one.
 * Prints the wall time spent writing.  Reads $SOMOIM_CONF.
 */
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_outbox.h"
#include "sm_redis.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USERS 1000
#define FIRST_USER 900000000LL

static long long version;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct job {
	long long first, count;
};

static int
write_tx(struct sm_db *db, void *arg)
{
	struct job *j = arg;
	long long i;

	for (i = j->first; i < j->first + j->count; i++) {
		long long user = FIRST_USER + i % USERS;
		json_object *data = json_object_new_object();
		char key[24], name[32];

		snprintf(key, sizeof(key), "%lld", user);
		snprintf(name, sizeof(name), "bench %lld", i);
		json_object_object_add(data, "user_id", json_object_new_int64(user));
		json_object_object_add(data, "name", json_object_new_string(name));
		json_object_object_add(data, "profile_image", NULL);
		json_object_object_add(data, "version", json_object_new_int64(++version));
		if (sm_outbox_add(db, "v1.event.user-updated", key, "user-updated", "bench", data,
		    "bench", NULL) != 0)
			return -1;
	}
	return 0;
}

static int
commit(struct sm_db *db, struct sm_redis *redis, long long first, long long count)
{
	struct job j = { first, count };

	if (sm_db_tx(db, write_tx, &j) != 0) {
		fprintf(stderr, "outbox-load: transaction failed: %s\n", sm_db_error(db));
		return -1;
	}
	sm_outbox_wake(redis, "user");
	return 0;
}

int
main(int argc, char **argv)
{
	struct sm_conf *conf;
	struct sm_db *db;
	struct sm_redis *redis;
	long long a, b, i;
	double t0;
	int rc = 0;

	sm_log_init("outbox-load", "warn");
	if (argc != 4 || (strcmp(argv[1], "burst") != 0 && strcmp(argv[1], "rate") != 0)) {
		fprintf(stderr, "usage: outbox-load burst N PER_TX | rate R SECONDS\n");
		return 2;
	}
	a = atoll(argv[2]);
	b = atoll(argv[3]);
	if (a <= 0 || b <= 0 || (conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 2;
	db = sm_db_new(conf, "user");
	redis = sm_redis_new(conf);
	version = (long long)time(NULL) * 1000000;      /* above any earlier run's */
	t0 = now();
	if (argv[1][0] == 'b') {
		for (i = 0; i < a && rc == 0; i += b)
			rc = commit(db, redis, i, i + b <= a ? b : a - i);
	} else {
		for (i = 0; i < a * b && rc == 0; i++) {
			double due = t0 + (double)i / (double)a, wait = due - now();

			if (wait > 0) {
				struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };

				nanosleep(&ts, NULL);
			}
			rc = commit(db, redis, i, 1);
		}
	}
	printf("%.3f\n", now() - t0);
	sm_redis_free(redis);
	sm_db_free(db);
	sm_conf_free(conf);
	return rc == 0 ? 0 : 1;
}
