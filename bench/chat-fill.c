/*
 * chat-fill.c -- bench/chat's loader: appends N messages to a community's
 * chat history straight into the document store, in exactly the layout
 * somoim-chat writes (fcgi-apps/chat/store.c: one collection per bucket of
 * 100, _id = the 10-digit seq, and the community's "head"), so the history
 * API can then be timed at 100,000 or 1,000,000 messages without posting
 * them one by one.  Also prints the raw insert rate (the ceiling a POST
 * is compared with).
 *
 *   chat-fill MONGO_URI COMMUNITY_ID SENDER_ID FIRST_SEQ COUNT
 */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#define BUCKET 100

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	mongoc_client_t *client;
	mongoc_collection_t *c;
	bson_error_t err;
	long long cid, sender, first, count, seq, ms;
	struct timeval tv;
	double t0;
	char coll[64], text[200];

	if (argc != 6) {
		fprintf(stderr, "usage: chat-fill MONGO_URI COMMUNITY_ID SENDER_ID FIRST_SEQ COUNT\n");
		return 2;
	}
	cid = atoll(argv[2]);
	sender = atoll(argv[3]);
	first = atoll(argv[4]);
	count = atoll(argv[5]);
	mongoc_init();
	if ((client = mongoc_client_new(argv[1])) == NULL) {
		fprintf(stderr, "chat-fill: bad URI\n");
		return 1;
	}
	gettimeofday(&tv, NULL);
	ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	t0 = now();
	for (seq = first; seq < first + count;) {
		long long b = seq / BUCKET, end = (b + 1) * BUCKET;
		mongoc_bulk_operation_t *bulk;
		bson_t reply;

		if (end > first + count)
			end = first + count;
		snprintf(coll, sizeof(coll), "c%lld_b%lld", cid, b);
		c = mongoc_client_get_collection(client, "somoim_chat", coll);
		bulk = mongoc_collection_create_bulk_operation_with_opts(c, NULL);
		for (; seq < end; seq++) {
			char id[32], sid[16];
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
		}
		if (!mongoc_bulk_operation_execute(bulk, &reply, &err)) {
			fprintf(stderr, "chat-fill: %s: %s\n", coll, err.message);
			return 1;
		}
		bson_destroy(&reply);
		mongoc_bulk_operation_destroy(bulk);
		mongoc_collection_destroy(c);
		if (seq % 100000 == 0)
			fprintf(stderr, "chat-fill: %lld messages\n", seq);
	}
	{
		bson_t f, u, max, opts;

		snprintf(coll, sizeof(coll), "c%lld", cid);
		c = mongoc_client_get_collection(client, "somoim_chat", coll);
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
	printf("inserted %lld messages in %.1f s (%.0f/s, bulk of 100 per bucket)\n", count,
	    now() - t0, count / (now() - t0));
	mongoc_client_destroy(client);
	mongoc_cleanup();
	return 0;
}
