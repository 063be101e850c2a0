/*
 * store.c -- the chat service's documents in the document store (chat.h).
 *
 * (each in the database layout.h names)
 *   c<community>              the community's copies, kept by somoim-chat-events:
 *                             "community" {deleted, is_private, version},
 *                             "u<user>" {role (null once left), seq, name, image, pversion},
 *                             and "head" {bucket}: a lower bound of the newest bucket
 *   c<community>_b<bucket>    one document per message, _id = its seq (10 digits):
 *                             {seq, id, sender_id, text, ms}
 *
 * A message's seq is claimed by inserting it: the worker tries one past the
 * newest seq it knows of, and a duplicate _id (another worker was first)
 * sends it to re-read the newest bucket and try the next number.  A seq is
 * tried only once the one before it exists, so the seqs have no gaps and a
 * page below seq S is exactly the seqs S-1, S-2, ...  The time part of the id
 * never goes below the previous message's, so ids sort as seqs do.
 */
#include "store.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define HINTS 64                /* communities whose newest seq a worker remembers */
#define CLAIM_ATTEMPTS 16

struct hint {
	long long community_id, seq, ms;
};

struct state {
	struct sm_mongo *mongo;
	struct hint hints[HINTS];
};

int
store_open(struct sm_app *app)
{
	struct state *st = sm_xcalloc(1, sizeof(*st));

	if ((st->mongo = sm_mongo_new(app->conf, "somoim-chat", CHAT_DB)) == NULL) {
		free(st);
		return -1;
	}
	app->data = st;
	return 0;
}

void
store_close(struct sm_app *app)
{
	struct state *st = app->data;

	if (st == NULL)
		return;
	sm_mongo_free(st->mongo);
	free(st);
	app->data = NULL;
}

struct sm_mongo *
store_mongo(struct sm_app *app)
{
	return ((struct state *)app->data)->mongo;
}

void
chat_reply_failure(struct sm_req *req, int r)
{
	if (r == STORE_NOT_FOUND)
		sm_reply_error(req, 404, "NOT_FOUND", "no such community");
	else if (r == STORE_FORBIDDEN)
		sm_reply_error(req, 403, "FORBIDDEN", "only the community's members use its chat");
	else if (sm_mongo_unavailable(store_mongo(req->app)))
		sm_reply_error(req, 503, "UNAVAILABLE",
		    "the message store is unavailable; nothing was changed, try again");
	else
		sm_reply_error(req, 500, "INTERNAL", "internal error");
}

static void
meta_coll(char *buf, size_t len, long long community_id)
{
	chat_meta_ns(buf, len, community_id);
}

static void
bucket_coll(char *buf, size_t len, long long community_id, long long bucket)
{
	chat_bucket_ns(buf, len, community_id, bucket);
}

static const char *
doc_str(const bson_t *doc, const char *key)
{
	bson_iter_t it;

	if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it))
		return bson_iter_utf8(&it, NULL);
	return NULL;
}

static long long
doc_int(const bson_t *doc, const char *key, long long def)
{
	bson_iter_t it;

	if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_NUMBER(&it))
		return bson_iter_as_int64(&it);
	return def;
}

static int
doc_bool(const bson_t *doc, const char *key)
{
	bson_iter_t it;

	return bson_iter_init_find(&it, doc, key) && bson_iter_as_bool(&it);
}

int
store_access(struct sm_app *app, long long community_id, long long user_id,
    struct chat_member *m)
{
	struct sm_mongo *mg = store_mongo(app);
	char coll[80], uid[32];
	bson_t filter, in, arr, **docs;
	size_t n, i;
	int found = 0, deleted = 0, known = 0, r;

	memset(m, 0, sizeof(*m));
	meta_coll(coll, sizeof(coll), community_id);
	snprintf(uid, sizeof(uid), "u%lld", user_id);
	/* One read for the community, the caller's membership and the head. */
	bson_init(&filter);
	BSON_APPEND_DOCUMENT_BEGIN(&filter, "_id", &in);
	BSON_APPEND_ARRAY_BEGIN(&in, "$in", &arr);
	BSON_APPEND_UTF8(&arr, "0", "community");
	BSON_APPEND_UTF8(&arr, "1", "head");
	BSON_APPEND_UTF8(&arr, "2", uid);
	bson_append_array_end(&in, &arr);
	bson_append_document_end(&filter, &in);
	r = sm_mongo_find(mg, coll, &filter, 3, &docs, &n);
	bson_destroy(&filter);
	if (r != 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *id = doc_str(docs[i], "_id"), *s;

		if (id == NULL)
			continue;
		if (strcmp(id, "community") == 0) {
			found = 1;
			deleted = doc_bool(docs[i], "deleted");
		} else if (strcmp(id, "head") == 0) {
			m->head = doc_int(docs[i], "bucket", 0);
		} else if (strcmp(id, uid) == 0) {
			known = 1;
			m->member = doc_str(docs[i], "role") != NULL;
			snprintf(m->name, sizeof(m->name), "%s", (s = doc_str(docs[i], "name")) ? s : "");
			snprintf(m->image, sizeof(m->image), "%s",
			    (s = doc_str(docs[i], "image")) ? s : "");
		}
	}
	sm_mongo_docs_free(docs, n);
	if (!found || deleted)
		return STORE_NOT_FOUND;
	return known && m->member ? 0 : STORE_FORBIDDEN;
}

/* ---- buckets ----------------------------------------------------------- */

struct bucket {
	bson_t **docs;
	size_t n;
};

static int
by_seq_desc(const void *a, const void *b)
{
	long long x = doc_int(*(bson_t *const *)a, "seq", 0);
	long long y = doc_int(*(bson_t *const *)b, "seq", 0);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Reads bucket number b of community_id, sorted newest first.  0 or -1. */
static int
read_bucket(struct sm_mongo *mg, long long community_id, long long b, struct bucket *out)
{
	char coll[80];
	bson_t filter;
	int r;

	bucket_coll(coll, sizeof(coll), community_id, b);
	bson_init(&filter);
	r = sm_mongo_find(mg, coll, &filter, CHAT_BUCKET + 1, &out->docs, &out->n);
	bson_destroy(&filter);
	if (r == 0 && out->n > 1)
		qsort(out->docs, out->n, sizeof(*out->docs), by_seq_desc);
	return r;
}

static void
bucket_free(struct bucket *b)
{
	sm_mongo_docs_free(b->docs, b->n);
	b->docs = NULL;
	b->n = 0;
}

/*
 * The newest message of community_id: *seq (0 when none) and its *ms, and
 * in *top the bucket holding it (read), which the caller frees.  0 or -1.
 */
static int
newest(struct sm_mongo *mg, long long community_id, long long head, long long *seq,
    long long *ms, struct bucket *top, long long *top_no)
{
	char coll[80];
	bson_t *doc;
	long long b = head;
	int r, steps;

	*seq = 0;
	*ms = 0;
	if (b < 0) {            /* not read yet */
		b = 0;
		meta_coll(coll, sizeof(coll), community_id);
		if ((r = sm_mongo_find_id(mg, coll, "head", &doc)) < 0)
			return -1;
		if (r == 1) {
			b = doc_int(doc, "bucket", 0);
			bson_destroy(doc);
		}
	}
	for (steps = 0; steps < 1000; steps++) {
		if (read_bucket(mg, community_id, b, top) != 0)
			return -1;
		if (top->n == 0 && b > 0) {             /* the head ran ahead: not expected */
			bucket_free(top);
			b--;
			continue;
		}
		if (top->n > 0) {
			*seq = doc_int(top->docs[0], "seq", 0);
			*ms = doc_int(top->docs[0], "ms", 0);
		}
		if (*seq == b * CHAT_BUCKET + CHAT_BUCKET - 1) {  /* full: look in the next one */
			struct bucket next = { NULL, 0 };

			if (read_bucket(mg, community_id, b + 1, &next) != 0) {
				bucket_free(top);
				return -1;
			}
			if (next.n > 0) {
				bucket_free(top);
				*top = next;
				b++;
				*seq = doc_int(top->docs[0], "seq", 0);
				*ms = doc_int(top->docs[0], "ms", 0);
				if (*seq == b * CHAT_BUCKET + CHAT_BUCKET - 1) {
					bucket_free(top);
					continue;       /* that one is full too */
				}
			} else {
				bucket_free(&next);
			}
		}
		*top_no = b;
		return 0;
	}
	sm_log(SM_LOG_ERROR, "community %lld: no end of buckets after %lld", community_id, b);
	return -1;
}

static long long
now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int
store_append(struct sm_app *app, long long community_id, long long head,
    long long sender_id, const char *text, struct chat_msg *msg)
{
	struct state *st = app->data;
	struct hint *h = &st->hints[(unsigned long long)community_id % HINTS];
	struct sm_mongo *mg = st->mongo;
	char coll[80], seqs[16];
	int attempt, r;

	if (h->community_id != community_id) {
		struct bucket top = { NULL, 0 };
		long long top_no;

		h->community_id = 0;
		if (newest(mg, community_id, head, &h->seq, &h->ms, &top, &top_no) != 0)
			return -1;
		bucket_free(&top);
		h->community_id = community_id;
	}
	for (attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
		long long seq = h->seq + 1, ms = now_ms();
		bson_t doc;

		if (ms < h->ms)
			ms = h->ms;
		snprintf(seqs, sizeof(seqs), "%010lld", seq);
		snprintf(msg->id, sizeof(msg->id), "%013lld-%s", ms, seqs);
		msg->seq = seq;
		msg->sender_id = sender_id;
		msg->text = text;
		msg->ms = ms;
		bson_init(&doc);
		BSON_APPEND_UTF8(&doc, "_id", seqs);
		BSON_APPEND_INT64(&doc, "seq", seq);
		BSON_APPEND_UTF8(&doc, "id", msg->id);
		BSON_APPEND_INT64(&doc, "sender_id", sender_id);
		BSON_APPEND_UTF8(&doc, "text", text);
		BSON_APPEND_INT64(&doc, "ms", ms);
		bucket_coll(coll, sizeof(coll), community_id, seq / CHAT_BUCKET);
		r = sm_mongo_insert(mg, coll, &doc);
		bson_destroy(&doc);
		if (r == 0) {
			h->seq = seq;
			h->ms = ms;
			if (seq % CHAT_BUCKET == 0) {   /* a new bucket: move the head (a hint) */
				bson_t f, u, max;
				long long matched;

				meta_coll(coll, sizeof(coll), community_id);
				bson_init(&f);
				BSON_APPEND_UTF8(&f, "_id", "head");
				bson_init(&u);
				BSON_APPEND_DOCUMENT_BEGIN(&u, "$max", &max);
				BSON_APPEND_INT64(&max, "bucket", seq / CHAT_BUCKET);
				bson_append_document_end(&u, &max);
				if (sm_mongo_update(mg, coll, &f, &u, 1, &matched) < 0)
					sm_log(SM_LOG_WARN, "community %lld: head not moved to bucket %lld "
					    "(found again by the next writer)", community_id, seq / CHAT_BUCKET);
				bson_destroy(&f);
				bson_destroy(&u);
			}
			return 0;
		}
		if (r != SM_MONGO_DUP) {
			h->community_id = 0;
			return -1;
		}
		{               /* another worker took seq: find the newest again */
			struct bucket top = { NULL, 0 };
			long long top_no;

			/*
			 * After a jittered pause growing with the attempts: writers that
			 * collided would otherwise re-read and collide again in step.
			 */
			usleep((useconds_t)(rand() % (1000 * (attempt + 1))));

			h->community_id = 0;
			if (newest(mg, community_id, -1, &h->seq, &h->ms, &top, &top_no) != 0)
				return -1;
			bucket_free(&top);
			h->community_id = community_id;
		}
	}
	sm_log(SM_LOG_WARN, "community %lld: no seq claimed after %d attempts", community_id,
	    CLAIM_ATTEMPTS);
	return -1;
}

/* ---- pages ------------------------------------------------------------- */

static void
rfc3339(char *buf, size_t len, long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_object *
store_message_json(long long community_id, const struct chat_msg *msg, const char *name,
    const char *image)
{
	json_object *o = json_object_new_object(), *s = json_object_new_object();
	char at[32];

	rfc3339(at, sizeof(at), msg->ms);
	json_object_object_add(o, "id", json_object_new_string(msg->id));
	json_object_object_add(o, "community_id", json_object_new_int64(community_id));
	json_object_object_add(s, "id", json_object_new_int64(msg->sender_id));
	json_object_object_add(s, "name", json_object_new_string(name != NULL ? name : ""));
	json_object_object_add(s, "profile_image",
	    image != NULL && *image != '\0' ? json_object_new_string(image) : NULL);
	json_object_object_add(o, "sender", s);
	json_object_object_add(o, "text", json_object_new_string(msg->text));
	json_object_object_add(o, "created_at", json_object_new_string(at));
	return o;
}

/* The member copies (name, image) of the senders of msgs[n]: one find. */
static int
senders(struct sm_mongo *mg, long long community_id, bson_t **msgs, size_t n,
    bson_t ***docs, size_t *ndocs)
{
	char coll[80], key[16], uid[32];
	bson_t filter, in, arr;
	size_t i, k = 0;
	int r;

	meta_coll(coll, sizeof(coll), community_id);
	bson_init(&filter);
	BSON_APPEND_DOCUMENT_BEGIN(&filter, "_id", &in);
	BSON_APPEND_ARRAY_BEGIN(&in, "$in", &arr);
	for (i = 0; i < n; i++) {
		size_t j;
		long long s = doc_int(msgs[i], "sender_id", 0);

		for (j = 0; j < i; j++)
			if (doc_int(msgs[j], "sender_id", 0) == s)
				break;
		if (j < i)
			continue;
		snprintf(key, sizeof(key), "%zu", k++);
		snprintf(uid, sizeof(uid), "u%lld", s);
		BSON_APPEND_UTF8(&arr, key, uid);
	}
	bson_append_array_end(&in, &arr);
	bson_append_document_end(&filter, &in);
	r = sm_mongo_find(mg, coll, &filter, k + 1, docs, ndocs);
	bson_destroy(&filter);
	return r;
}

/* The JSON array of page[n] (messages as stored), senders from the member copies. */
static int
page_json(struct sm_mongo *mg, long long community_id, bson_t **page, size_t n,
    json_object **items)
{
	bson_t **who = NULL;
	size_t nwho = 0, i, j;

	if (n > 0 && senders(mg, community_id, page, n, &who, &nwho) != 0)
		return -1;
	*items = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct chat_msg m;
		const char *name = "", *image = "", *s;
		char uid[32];

		memset(&m, 0, sizeof(m));
		snprintf(m.id, sizeof(m.id), "%s", (s = doc_str(page[i], "id")) ? s : "");
		m.seq = doc_int(page[i], "seq", 0);
		m.sender_id = doc_int(page[i], "sender_id", 0);
		m.text = (s = doc_str(page[i], "text")) ? s : "";
		m.ms = doc_int(page[i], "ms", 0);
		snprintf(uid, sizeof(uid), "u%lld", m.sender_id);
		for (j = 0; j < nwho; j++)
			if ((s = doc_str(who[j], "_id")) != NULL && strcmp(s, uid) == 0) {
				name = (s = doc_str(who[j], "name")) ? s : "";
				image = (s = doc_str(who[j], "image")) ? s : "";
				break;
			}
		json_object_array_add(*items, store_message_json(community_id, &m, name, image));
	}
	sm_mongo_docs_free(who, nwho);
	return 0;
}

int
store_page(struct sm_app *app, long long community_id, long long head, long long before_seq,
    long long limit, json_object **items, long long *next_seq, char *next_id,
    size_t next_id_len)
{
	struct sm_mongo *mg = store_mongo(app);
	struct bucket bk[3];
	bson_t **page;
	size_t nb = 0, npage = 0, i;
	long long start, b, top_seq, top_ms, top_no;
	int rc = -1;

	*items = NULL;
	*next_seq = 0;
	next_id[0] = '\0';
	memset(bk, 0, sizeof(bk));
	if (before_seq <= 0) {
		if (newest(mg, community_id, head, &top_seq, &top_ms, &bk[0], &top_no) != 0)
			return -1;
		nb = 1;
		start = top_seq;
		b = top_no;
	} else {
		start = before_seq - 1;
		b = start / CHAT_BUCKET;
		if (start <= 0)
			b = -1;
		else if (read_bucket(mg, community_id, b, &bk[nb++]) != 0)
			goto out;
	}
	page = sm_xcalloc((size_t)limit, sizeof(*page));
	while (nb > 0) {
		struct bucket *cur = &bk[nb - 1];

		for (i = 0; nb > 0 && i < cur->n && npage < (size_t)limit; i++)
			if (doc_int(cur->docs[i], "seq", 0) <= start)
				page[npage++] = cur->docs[i];
		if (npage == (size_t)limit || b <= 0 || nb == 3)
			break;
		b--;
		if (read_bucket(mg, community_id, b, &bk[nb++]) != 0)
			goto out_page;
	}
	if (page_json(mg, community_id, page, npage, items) != 0)
		goto out_page;
	/* No gaps: below a seq > 1 there is always more. */
	if (npage == (size_t)limit && doc_int(page[npage - 1], "seq", 0) > 1) {
		const char *s = doc_str(page[npage - 1], "id");

		*next_seq = doc_int(page[npage - 1], "seq", 0);
		snprintf(next_id, next_id_len, "%s", s ? s : "");
	}
	rc = 0;
out_page:
	free(page);
out:
	for (i = 0; i < nb; i++)
		bucket_free(&bk[i]);
	return rc;
}

int
store_page_after(struct sm_app *app, long long community_id, long long after_seq,
    long long limit, json_object **items, char *next_id, size_t next_id_len)
{
	struct sm_mongo *mg = store_mongo(app);
	struct bucket bk[3];
	bson_t **page;
	size_t nb = 0, npage = 0, i, want = (size_t)limit + 1;
	long long b = (after_seq + 1) / CHAT_BUCKET;
	int rc = -1;

	*items = NULL;
	next_id[0] = '\0';
	memset(bk, 0, sizeof(bk));
	page = sm_xcalloc(want, sizeof(*page));
	/* limit + 1 <= 101 messages span at most 3 buckets; a bucket not full is the last. */
	while (nb < 3 && npage < want) {
		struct bucket *cur = &bk[nb];
		size_t k;

		if (read_bucket(mg, community_id, b, cur) != 0)
			goto out;
		nb++;
		for (k = cur->n; k > 0 && npage < want; k--)       /* oldest first */
			if (doc_int(cur->docs[k - 1], "seq", 0) > after_seq)
				page[npage++] = cur->docs[k - 1];
		if (cur->n == 0 || doc_int(cur->docs[0], "seq", 0) != b * CHAT_BUCKET + CHAT_BUCKET - 1)
			break;
		b++;
	}
	if (npage == want) {
		const char *s = doc_str(page[limit - 1], "id");

		snprintf(next_id, next_id_len, "%s", s ? s : "");
		npage--;
	}
	if (page_json(mg, community_id, page, npage, items) != 0)
		goto out;
	rc = 0;
out:
	free(page);
	for (i = 0; i < nb; i++)
		bucket_free(&bk[i]);
	return rc;
}
