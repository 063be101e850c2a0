/*
 * chat-fill.c -- bench/chat's loader: appends N messages to a community's
 * chat history straight into the document store, in exactly the layout
 * somoim-chat writes (fcgi-apps/chat/store.c and layout.h: one collection
 * per bucket of 100 in the community's shard databases, _id = the 10-digit
 * seq, and the community's "head"), so the history API can then be timed at
 * 100,000 or 1,000,000 messages without posting them one by one.  Also
 * prints the raw insert rate (the ceiling a POST is compared with).
 *
 *   chat-fill MONGO_URI COMMUNITY_ID SENDER_ID FIRST_SEQ COUNT [WORKERS]
 *
 * WORKERS processes (default 1) fill every WORKERS-th bucket each: buckets
 * in different shard databases are different SQLite files, written at once.
 */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "layout.h"

#define BUCKET 100

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The driver's log, but for FerretDB's missing endSessions at every client's end. */
static void
log_handler(mongoc_log_level_t level, const char *domain, const char *message, void *data)
{
	(void)data;
	if (level <= MONGOC_LOG_LEVEL_WARNING && strstr(message, "endSessions") == NULL)
		fprintf(stderr, "chat-fill: mongoc %s: %s\n", domain, message);
}

/* The collection handle of namespace ns ("db.coll"). */
static mongoc_collection_t *
ns_collection(mongoc_client_t *client, const char *ns)
{
	char db[64];
	const char *dot = strchr(ns, '.');

	snprintf(db, sizeof(db), "%.*s", (int)(dot - ns), ns);
	return mongoc_client_get_collection(client, db, dot + 1);
}

/* Fills buckets b with b % workers == k of seqs [first, first + count).  0 or 1. */
static int
fill(const char *uri, long long cid, long long sender, long long first, long long count,
    int workers, int k, long long ms)
{
	mongoc_client_t *client;
	mongoc_collection_t *c;
	bson_error_t err;
	long long seq, done = 0, report = 100000;
	char coll[80], text[200];

	if ((client = mongoc_client_new(uri)) == NULL) {
		fprintf(stderr, "chat-fill: bad URI\n");
		return 1;
	}
	for (seq = first; seq < first + count;) {
		long long b = seq / BUCKET, end = (b + 1) * BUCKET;
		mongoc_bulk_operation_t *bulk;
		bson_t reply;

		if (end > first + count)
			end = first + count;
		if (b % workers != k) {
			seq = end;
			continue;
		}
		chat_bucket_ns(coll, sizeof(coll), cid, b);
		c = ns_collection(client, coll);
		bulk = mongoc_collection_create_bulk_operation_with_opts(c, NULL);
		for (; seq < end; seq++) {
			char id[48], sid[24];
			bson_t d;

			snprintf(sid, sizeof(sid), "%010lld", seq);
			snprintf(id, sizeof(id), "%013lld-%s", ms, sid);
			snprintf(text, sizeof(text), "벤치마크 메시지 %lld: 이번 주 토요일 산행 가실 분 계신가요?", seq);
			bson_init(&d);
			BSON_APPEND_UTF8(&d, "_id", sid);
			BSON_APPEND_INT64(&d, "seq", seq);
			BSON_APPEND_UTF8(&d, "id", id);
			BSON_APPEND_INT64(&d, "sender_id", sender);
			BSON_APPEND_UTF8(&d, "text", text);
			BSON_APPEND_INT64(&d, "ms", ms);
			mongoc_bulk_operation_insert(bulk, &d);
			bson_destroy(&d);
			done++;
		}
		if (!mongoc_bulk_operation_execute(bulk, &reply, &err)) {
			fprintf(stderr, "chat-fill: %s: %s\n", coll, err.message);
			return 1;
		}
		bson_destroy(&reply);
		mongoc_bulk_operation_destroy(bulk);
		mongoc_collection_destroy(c);
		if (k == 0 && done * workers >= report) {
			fprintf(stderr, "chat-fill: %lld messages\n", report);
			report += 100000;
		}
	}
	mongoc_client_destroy(client);
	return 0;
}

int
main(int argc, char **argv)
{
	mongoc_client_t *client;
	mongoc_collection_t *c;
	bson_error_t err;
	long long cid, sender, first, count, ms;
	struct timeval tv;
	double t0;
	char coll[80];
	int workers = 1, k, status, rc = 0;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: chat-fill MONGO_URI COMMUNITY_ID SENDER_ID FIRST_SEQ COUNT "
		    "[WORKERS]\n");
		return 2;
	}
	cid = atoll(argv[2]);
	sender = atoll(argv[3]);
	first = atoll(argv[4]);
	count = atoll(argv[5]);
	if (argc == 7 && ((workers = atoi(argv[6])) < 1 || workers > 64)) {
		fprintf(stderr, "chat-fill: WORKERS is 1..64\n");
		return 2;
	}
	gettimeofday(&tv, NULL);
	ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	t0 = now();
	/* The driver is set up in each child, after its fork. */
	for (k = 0; k < workers; k++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("chat-fill: fork");
			return 1;
		}
		if (pid == 0) {
			mongoc_init();
			mongoc_log_set_handler(log_handler, NULL);
			rc = fill(argv[1], cid, sender, first, count, workers, k, ms);
			mongoc_cleanup();
			_exit(rc);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	if (rc != 0)
		return 1;
	mongoc_init();
	mongoc_log_set_handler(log_handler, NULL);
	if ((client = mongoc_client_new(argv[1])) == NULL)
		return 1;
	{
		bson_t f, u, max, opts;

		chat_meta_ns(coll, sizeof(coll), cid);
		c = ns_collection(client, coll);
		bson_init(&f);
		BSON_APPEND_UTF8(&f, "_id", "head");
		bson_init(&u);
		BSON_APPEND_DOCUMENT_BEGIN(&u, "$max", &max);
		BSON_APPEND_INT64(&max, "bucket", (first + count - 1) / BUCKET);
		bson_append_document_end(&u, &max);
		bson_init(&opts);
		BSON_APPEND_BOOL(&opts, "upsert", true);
		if (!mongoc_collection_update_one(c, &f, &u, &opts, NULL, &err)) {
			fprintf(stderr, "chat-fill: head: %s\n", err.message);
			return 1;
		}
		bson_destroy(&f);
		bson_destroy(&u);
		bson_destroy(&opts);
		mongoc_collection_destroy(c);
	}
	printf("inserted %lld messages in %.1f s (%.0f/s, bulk of 100 per bucket, %d writer%s)\n",
	    count, now() - t0, count / (now() - t0), workers, workers > 1 ? "s" : "");
	mongoc_client_destroy(client);
	mongoc_cleanup();
	return 0;
}
