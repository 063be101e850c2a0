/*
 * kafka-raw.c -- librdkafka's own produce -> consume rate on our broker: the
 * ceiling bench/events compares the event backbone with.
 *
 *   kafka-raw TOPIC N SIZE
 *
 * Produces N messages of SIZE bytes (keyed, like our events; idempotent, like
 * our relay), then reads them back from the start of every partition with a
 * plain consumer.  Prints "produce_s consume_s" (seconds).  Reads $SOMOIM_CONF.
 */
#include "sm_conf.h"
#include "sm_kafka.h"
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
produce(const struct sm_conf *conf, const char *topic, long n, size_t size)
{
	static const char *const settings[] = { "enable.idempotence", "true",
	    "partitioner", "murmur2_random", "linger.ms", "5", NULL };
	rd_kafka_conf_t *kc = sm_kafka_conf_new(conf, "bench-raw-producer", settings);
	char err[256], key[24], *value = malloc(size);
	rd_kafka_t *rk;
	long i;

	if (kc == NULL || value == NULL ||
	    (rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "kafka-raw: producer: %s\n", err);
		return -1;
	}
	memset(value, 'x', size);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%ld", i % 1000);
		while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, strlen(key)),
		    RD_KAFKA_V_VALUE(value, size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		    RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
			rd_kafka_poll(rk, 10);
		rd_kafka_poll(rk, 0);
	}
	rd_kafka_flush(rk, 30000);
	i = rd_kafka_outq_len(rk);
	rd_kafka_destroy(rk);
	free(value);
	return i == 0 ? 0 : -1;
}

static long
consume(const struct sm_conf *conf, const char *topic, long n)
{
	char group[64];
	const char *settings[] = { "group.id", group, "auto.offset.reset", "earliest",
	    "enable.auto.commit", "false", NULL };
	rd_kafka_conf_t *kc;
	rd_kafka_topic_partition_list_t *pl;
	rd_kafka_t *rk;
	char err[256];
	long got = 0;
	double deadline = now() + 60;

	snprintf(group, sizeof(group), "bench-raw-%ld", (long)time(NULL));
	if ((kc = sm_kafka_conf_new(conf, "bench-raw-consumer", settings)) == NULL ||
	    (rk = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err))) == NULL)
		return -1;
	rd_kafka_poll_set_consumer(rk);
	pl = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(pl, topic, RD_KAFKA_PARTITION_UA);
	rd_kafka_subscribe(rk, pl);
	rd_kafka_topic_partition_list_destroy(pl);
	while (got < n && now() < deadline) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);

		if (m == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			got++;
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return got;
}

int
main(int argc, char **argv)
{
	struct sm_conf *conf;
	double t0, t1, t2;
	long n;

	sm_log_init("kafka-raw", "warn");
	if (argc != 4 || (n = atol(argv[2])) <= 0 || atol(argv[3]) <= 0) {
		fprintf(stderr, "usage: kafka-raw TOPIC N SIZE\n");
		return 2;
	}
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 2;
	t0 = now();
	if (produce(conf, argv[1], n, (size_t)atol(argv[3])) != 0)
		return 1;
	t1 = now();
	if (consume(conf, argv[1], n) != n)
		return 1;
	t2 = now();
	printf("%.3f %.3f\n", t1 - t0, t2 - t1);
	sm_conf_free(conf);
	return 0;
}
