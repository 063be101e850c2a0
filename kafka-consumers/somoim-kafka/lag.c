/*
 * lag.c -- somoim-kafka lag [GROUP...]: each consumer group's lag per partition.
 *
 * Prints one line per partition the group has committed an offset for:
 *   GROUP TOPIC PARTITION COMMITTED HIGH LAG
 * then "GROUP total LAG".  Without arguments, every group the brokers know
 * (rd_kafka_list_groups).
 *
 * The one design decision: committed offsets are read with a throw-away
 * consumer per group that never subscribes (rd_kafka_committed is a plain
 * OffsetFetch, it does not join the group or disturb its members), over every
 * partition of every topic in the cluster's metadata.
 */
#include "somoim-kafka.h"
#include "sm_conf.h"
#include "sm_kafka.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static rd_kafka_t *
new_client(const struct sm_conf *conf, const char *group)
{
	const char *pairs[] = {
		"group.id", group,
		"enable.auto.commit", "false",
		NULL,
	};
	rd_kafka_conf_t *kc = sm_kafka_conf_new(conf, "somoim-kafka-lag", pairs);
	rd_kafka_t *rk;
	char err[512];

	if (kc == NULL)
		return NULL;
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "somoim-kafka lag: rd_kafka_new: %s\n", err);
		rd_kafka_conf_destroy(kc);
	}
	return rk;
}

/* One group: 0, or -1 when the brokers could not answer. */
static int
group_lag(const struct sm_conf *conf, const char *group)
{
	rd_kafka_t *rk = new_client(conf, group);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_partition_list_t *pl;
	rd_kafka_resp_err_t err;
	long long total = 0;
	int t, p, i, rc = 0;

	if (rk == NULL)
		return -1;
	if ((err = rd_kafka_metadata(rk, 1, NULL, &md, KT_TIMEOUT_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka lag: metadata: %s\n", rd_kafka_err2str(err));
		rd_kafka_destroy(rk);
		return -1;
	}
	pl = rd_kafka_topic_partition_list_new(64);
	for (t = 0; t < md->topic_cnt; t++) {
		if (md->topics[t].topic[0] == '_')       /* __consumer_offsets and friends */
			continue;
		for (p = 0; p < md->topics[t].partition_cnt; p++)
			rd_kafka_topic_partition_list_add(pl, md->topics[t].topic,
			    md->topics[t].partitions[p].id);
	}
	rd_kafka_metadata_destroy(md);
	rd_kafka_topic_partition_list_sort(pl, NULL, NULL);
	if ((err = rd_kafka_committed(rk, pl, KT_TIMEOUT_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka lag: %s: committed offsets: %s\n", group,
		    rd_kafka_err2str(err));
		rc = -1;
	}
	for (i = 0; rc == 0 && i < pl->cnt; i++) {
		rd_kafka_topic_partition_t *tp = &pl->elems[i];
		int64_t lo, hi;

		if (tp->offset < 0)
			continue;                      /* nothing committed there */
		if ((err = rd_kafka_query_watermark_offsets(rk, tp->topic, tp->partition, &lo, &hi,
		    KT_TIMEOUT_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "somoim-kafka lag: %s [%" PRId32 "]: watermarks: %s\n", tp->topic,
			    tp->partition, rd_kafka_err2str(err));
			rc = -1;
			break;
		}
		printf("%s %s %" PRId32 " %" PRId64 " %" PRId64 " %" PRId64 "\n", group, tp->topic,
		    tp->partition, tp->offset, hi, hi > tp->offset ? hi - tp->offset : 0);
		total += hi > tp->offset ? hi - tp->offset : 0;
	}
	if (rc == 0)
		printf("%s total %lld\n", group, total);
	rd_kafka_topic_partition_list_destroy(pl);
	rd_kafka_destroy(rk);
	return rc;
}

int
cmd_lag(const struct sm_conf *conf, int argc, char **argv)
{
	const struct rd_kafka_group_list *gl = NULL;
	rd_kafka_resp_err_t err;
	rd_kafka_t *rk;
	int i, rc = 0;

	printf("GROUP TOPIC PARTITION COMMITTED HIGH LAG\n");
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (group_lag(conf, argv[i]) != 0)
				rc = 1;
		return rc;
	}
	if ((rk = new_client(conf, "somoim-kafka-lag")) == NULL)
		return 1;
	if ((err = rd_kafka_list_groups(rk, NULL, &gl, KT_TIMEOUT_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "somoim-kafka lag: rd_kafka_list_groups: %s\n", rd_kafka_err2str(err));
		rd_kafka_destroy(rk);
		return 1;
	}
	for (i = 0; i < gl->group_cnt; i++)
		if (group_lag(conf, gl->groups[i].group) != 0)
			rc = 1;
	rd_kafka_group_list_destroy(gl);
	rd_kafka_destroy(rk);
	return rc;
}
