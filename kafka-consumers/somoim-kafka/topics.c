/*
 * topics.c -- `somoim-kafka topics FILE`: create every topic somoim uses.
 *
 * FILE (kafka-consumers/topics) has "name partitions" per line and '#'
 * comments.  Each topic is created together with its dead-letter twin
 * (sm_kafka_dlt_topic, same partition count so a failed record keeps its
 * partition number), replication factor [kafka] replication (default 1).
 *
 * The one design decision: the command is idempotent.  All topics go to the
 * broker in one CreateTopics request and TOPIC_ALREADY_EXISTS counts as
 * success, so dev/stack and installers can run it on every start; only a
 * real failure (or no answer within the timeout) gives a non-zero exit.
 * Existing topics are not altered (a changed partition count is reported,
 * not applied).
 */
#include "somoim-kafka.h"
#include "sm_conf.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct topic_list {
	char **names;
	int *partitions;
	size_t n, cap;
};

static void
list_add(struct topic_list *l, const char *name, int partitions)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->names = sm_xrealloc(l->names, l->cap * sizeof(*l->names));
		l->partitions = sm_xrealloc(l->partitions, l->cap * sizeof(*l->partitions));
	}
	l->names[l->n] = sm_xstrdup(name);
	l->partitions[l->n++] = partitions;
}

static int
list_has(const struct topic_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return 1;
	return 0;
}

static void
list_free(struct topic_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->partitions);
}

/* Reads FILE into l, each topic followed by its DLT: 0, or -1 (logged). */
static int
read_topics(const struct sm_conf *conf, const char *path, struct topic_list *l)
{
	char line[512], name[256], extra[8], dlt[300];
	unsigned lineno = 0;
	int partitions, rc = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		sm_log(SM_LOG_ERROR, "topics: fopen(\"%s\") failed: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *hash = strchr(line, '#');
		int n;

		lineno++;
		if (hash != NULL)
			*hash = '\0';
		n = sscanf(line, "%255s %d %7s", name, &partitions, extra);
		if (n <= 0)
			continue;       /* blank or comment */
		if (n != 2 || partitions < 1 || partitions > 10000) {
			sm_log(SM_LOG_ERROR, "topics: %s:%u: want \"name partitions\"", path, lineno);
			rc = -1;
			continue;
		}
		if (list_has(l, name)) {
			/* CreateTopics refuses a request that names a topic twice. */
			sm_log(SM_LOG_ERROR, "topics: %s:%u: %s is listed twice", path, lineno, name);
			rc = -1;
			continue;
		}
		list_add(l, name, partitions);
		sm_kafka_dlt_topic(conf, name, dlt, sizeof(dlt));
		list_add(l, dlt, partitions);
	}
	if (ferror(f)) {
		sm_log(SM_LOG_ERROR, "topics: reading \"%s\" failed: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* Sends one CreateTopics request for all of l and checks each result. */
static int
create_all(rd_kafka_t *rk, const struct topic_list *l, int replication)
{
	rd_kafka_NewTopic_t **nt = sm_xcalloc(l->n, sizeof(*nt));
	rd_kafka_AdminOptions_t *opt = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_event_t *ev = NULL;
	const rd_kafka_CreateTopics_result_t *res;
	const rd_kafka_topic_result_t **tr;
	size_t i, ntr, created = 0, existed = 0;
	char err[512];
	int rc = -1;

	for (i = 0; i < l->n; i++) {
		nt[i] = rd_kafka_NewTopic_new(l->names[i], l->partitions[i], replication,
		    err, sizeof(err));
		if (nt[i] == NULL) {
			sm_log(SM_LOG_ERROR, "topics: rd_kafka_NewTopic_new(\"%s\") failed: %s",
			    l->names[i], err);
			goto out;
		}
	}
	if (rd_kafka_AdminOptions_set_request_timeout(opt, KT_TIMEOUT_MS, err, sizeof(err)) ||
	    rd_kafka_AdminOptions_set_operation_timeout(opt, KT_TIMEOUT_MS, err, sizeof(err))) {
		sm_log(SM_LOG_ERROR, "topics: admin options: %s", err);
		goto out;
	}
	rd_kafka_CreateTopics(rk, nt, l->n, opt, q);
	/* The request timeout bounds the answer; the margin covers the connect. */
	ev = rd_kafka_queue_poll(q, KT_TIMEOUT_MS + 5000);
	if (ev == NULL) {
		sm_log(SM_LOG_ERROR, "topics: no CreateTopics result within %d ms", KT_TIMEOUT_MS + 5000);
		goto out;
	}
	if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		sm_log(SM_LOG_ERROR, "topics: CreateTopics failed: %s",
		    rd_kafka_event_error_string(ev));
		goto out;
	}
	if ((res = rd_kafka_event_CreateTopics_result(ev)) == NULL) {
		sm_log(SM_LOG_ERROR, "topics: unexpected event %s", rd_kafka_event_name(ev));
		goto out;
	}
	tr = rd_kafka_CreateTopics_result_topics(res, &ntr);
	rc = 0;
	for (i = 0; i < ntr; i++) {
		rd_kafka_resp_err_t e = rd_kafka_topic_result_error(tr[i]);

		if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
			created++;
		} else if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
			existed++;
		} else {
			sm_log(SM_LOG_ERROR, "topics: creating %s failed: %s: %s",
			    rd_kafka_topic_result_name(tr[i]), rd_kafka_err2name(e),
			    rd_kafka_topic_result_error_string(tr[i]));
			rc = -1;
		}
	}
	sm_log(rc == 0 ? SM_LOG_INFO : SM_LOG_ERROR,
	    "topics: %zu created, %zu already existed, %zu failed (replication %d)",
	    created, existed, ntr - created - existed, replication);
out:
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	for (i = 0; i < l->n; i++)
		if (nt[i] != NULL)
			rd_kafka_NewTopic_destroy(nt[i]);
	free(nt);
	rd_kafka_AdminOptions_destroy(opt);
	rd_kafka_queue_destroy(q);
	return rc;
}

int
cmd_topics(const struct sm_conf *conf, int argc, char **argv)
{
	struct topic_list l = { 0 };
	rd_kafka_conf_t *kc;
	rd_kafka_t *rk;
	long long replication;
	char err[512];
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: somoim-kafka topics FILE\n");
		return 2;
	}
	if (sm_conf_int(conf, "kafka", "replication", 1, 1, 32767, &replication) != 0)
		return 1;
	if (read_topics(conf, argv[1], &l) != 0) {
		list_free(&l);
		return 1;
	}
	if (l.n == 0) {
		sm_log(SM_LOG_WARN, "topics: no topics in %s", argv[1]);
		list_free(&l);
		return 0;
	}
	if ((kc = sm_kafka_conf_new(conf, "somoim-kafka-topics", NULL)) == NULL) {
		list_free(&l);
		return 1;
	}
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))) == NULL) {
		sm_log(SM_LOG_ERROR, "topics: rd_kafka_new failed: %s", err);
		rd_kafka_conf_destroy(kc);
		list_free(&l);
		return 1;
	}
	rc = create_all(rk, &l, (int)replication);
	rd_kafka_destroy(rk);
	list_free(&l);
	return rc == 0 ? 0 : 1;
}
