/*
 * sm_mongo.c -- the document store through mongo-c-driver (see sm_mongo.h).
 *
 * One mongoc_client_t per process, made on first use (after the fork, never
 * in the master), in single-threaded mode: server selection tries once, so a
 * stopped server fails the call at once and the next call after it is back
 * succeeds.  After an "out of reach" error the client is dropped and made
 * anew on the next call, which also clears the driver's cooldown after a hung
 * server.  The driver's own log lines go through sm_log.
 */
#include "sm_mongo.h"
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_OPTS "serverSelectionTimeoutMS=2000&connectTimeoutMS=1000&socketTimeoutMS=5000"

struct sm_mongo {
	mongoc_uri_t *uri;
	mongoc_client_t *client;
	char db[64];
	bson_error_t err;
	int unavailable;
};

static void
log_handler(mongoc_log_level_t level, const char *domain, const char *message, void *data)
{
	(void)data;
	if (level <= MONGOC_LOG_LEVEL_WARNING) {
		/* FerretDB lacks endSessions: the driver says so at every client's end. */
		if (strstr(message, "endSessions") != NULL)
			return;
		sm_log(SM_LOG_WARN, "mongoc %s: %s", domain, message);
	}
}

static void
init_once(void)
{
	static int done;

	if (!done) {
		mongoc_init();
		mongoc_log_set_handler(log_handler, NULL);
		done = 1;
	}
}

struct sm_mongo *
sm_mongo_new(const struct sm_conf *conf, const char *appname, const char *db)
{
	const char *uri = sm_conf_get(conf, "mongo", "uri", "mongodb://127.0.0.1:27017/");
	struct sm_mongo *m;
	bson_error_t e;
	char *full;
	size_t n;

	init_once();
	m = sm_xcalloc(1, sizeof(*m));
	/* Short timeouts unless the URI sets its own (they are the outage behaviour). */
	n = strlen(uri) + sizeof(DEFAULT_OPTS) + 4;
	full = sm_xmalloc(n);
	if (strstr(uri, "TimeoutMS") != NULL)
		snprintf(full, n, "%s", uri);
	else
		snprintf(full, n, "%s%s%s", uri, strchr(uri, '?') != NULL ? "&" : "?", DEFAULT_OPTS);
	m->uri = mongoc_uri_new_with_error(full, &e);
	free(full);
	if (m->uri == NULL) {
		sm_log(SM_LOG_ERROR, "mongoc_uri_new_with_error([mongo] uri) failed: %s", e.message);
		free(m);
		return NULL;
	}
	if (appname != NULL)
		mongoc_uri_set_appname(m->uri, appname);
	snprintf(m->db, sizeof(m->db), "%s", db);
	return m;
}

void
sm_mongo_free(struct sm_mongo *m)
{
	if (m == NULL)
		return;
	if (m->client != NULL)
		mongoc_client_destroy(m->client);
	mongoc_uri_destroy(m->uri);
	free(m);
}

int
sm_mongo_reconnect(struct sm_mongo *m)
{
	if (m->client != NULL)
		mongoc_client_destroy(m->client);
	m->client = mongoc_client_new_from_uri(m->uri);
	if (m->client == NULL) {
		bson_set_error(&m->err, MONGOC_ERROR_CLIENT, 0, "mongoc_client_new_from_uri failed");
		m->unavailable = 1;
		return -1;
	}
	mongoc_client_set_error_api(m->client, MONGOC_ERROR_API_VERSION_2);
	return 0;
}

/*
 * Splits coll into its database (the default one, or the part before the
 * first '.' of a namespace "db.coll") into db, returning the collection's
 * own name.
 */
static const char *
ns_split(const struct sm_mongo *m, const char *coll, char *db, size_t dblen)
{
	const char *dot = strchr(coll, '.');

	if (dot == NULL || (size_t)(dot - coll) >= dblen) {
		snprintf(db, dblen, "%s", m->db);
		return coll;
	}
	memcpy(db, coll, (size_t)(dot - coll));
	db[dot - coll] = '\0';
	return dot + 1;
}

/* The collection handle of coll, connecting first when needed; NULL on failure. */
static mongoc_collection_t *
collection(struct sm_mongo *m, const char *coll)
{
	char db[64];
	const char *name = ns_split(m, coll, db, sizeof(db));

	m->unavailable = 0;
	m->err.message[0] = '\0';
	if (m->client == NULL && sm_mongo_reconnect(m) != 0)
		return NULL;
	return mongoc_client_get_collection(m->client, db, name);
}

/* Classifies the error in m->err; drops the client when the server is out of reach. */
static int
failed(struct sm_mongo *m, const char *call, const char *coll)
{
	const bson_error_t *e = &m->err;

	if (e->domain == MONGOC_ERROR_SERVER && e->code == 11000)
		return SM_MONGO_DUP;
	/*
	 * Out of reach: no server selected, a broken or timed-out connection
	 * (domain STREAM, or CLIENT with a stream code: "socket timeout calling
	 * hello" is CLIENT/STREAM_CONNECT), a client that could not get ready.
	 */
	m->unavailable = e->domain == MONGOC_ERROR_SERVER_SELECTION ||
	    e->domain == MONGOC_ERROR_STREAM || e->domain == MONGOC_ERROR_PROTOCOL ||
	    (e->domain == MONGOC_ERROR_CLIENT && (e->code <= MONGOC_ERROR_STREAM_NOT_ESTABLISHED ||
	    e->code == MONGOC_ERROR_CLIENT_NOT_READY ||
	    e->code == MONGOC_ERROR_CLIENT_AUTHENTICATE));
	sm_log(m->unavailable ? SM_LOG_WARN : SM_LOG_ERROR, "%s(%s%s%s) failed: %s (domain %u code %u)",
	    call, strchr(coll, '.') != NULL ? "" : m->db, strchr(coll, '.') != NULL ? "" : ".", coll,
	    e->message, e->domain, e->code);
	if (m->unavailable && m->client != NULL) {
		mongoc_client_destroy(m->client);
		m->client = NULL;
	}
	return -1;
}

int
sm_mongo_insert(struct sm_mongo *m, const char *coll, const bson_t *doc)
{
	mongoc_collection_t *c = collection(m, coll);
	int ok;

	if (c == NULL)
		return -1;
	ok = mongoc_collection_insert_one(c, doc, NULL, NULL, &m->err);
	mongoc_collection_destroy(c);
	return ok ? 0 : failed(m, "insert_one", coll);
}

int
sm_mongo_find_id(struct sm_mongo *m, const char *coll, const char *id, bson_t **out)
{
	mongoc_collection_t *c = collection(m, coll);
	mongoc_cursor_t *cur;
	const bson_t *doc;
	bson_t filter, opts;
	int r = 0;

	*out = NULL;
	if (c == NULL)
		return -1;
	bson_init(&filter);
	BSON_APPEND_UTF8(&filter, "_id", id);
	bson_init(&opts);
	BSON_APPEND_INT64(&opts, "limit", 1);
	cur = mongoc_collection_find_with_opts(c, &filter, &opts, NULL);
	if (mongoc_cursor_next(cur, &doc)) {
		*out = bson_copy(doc);
		r = 1;
	}
	if (mongoc_cursor_error(cur, &m->err)) {
		if (*out != NULL)
			bson_destroy(*out);
		*out = NULL;
		r = -1;
	}
	/* The cursor and the collection go before failed() may drop the client they use. */
	mongoc_cursor_destroy(cur);
	bson_destroy(&filter);
	bson_destroy(&opts);
	mongoc_collection_destroy(c);
	if (r < 0)
		(void)failed(m, "find", coll);
	return r;
}

int
sm_mongo_find(struct sm_mongo *m, const char *coll, const bson_t *filter, size_t max,
    bson_t ***docs, size_t *n)
{
	mongoc_collection_t *c = collection(m, coll);
	mongoc_cursor_t *cur;
	const bson_t *doc;
	bson_t opts;
	size_t cap = 0;

	*docs = NULL;
	*n = 0;
	if (c == NULL)
		return -1;
	bson_init(&opts);
	BSON_APPEND_INT64(&opts, "limit", (int64_t)max);
	cur = mongoc_collection_find_with_opts(c, filter, &opts, NULL);
	while (*n < max && mongoc_cursor_next(cur, &doc)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*docs = sm_xrealloc(*docs, cap * sizeof(**docs));
		}
		(*docs)[(*n)++] = bson_copy(doc);
	}
	bson_destroy(&opts);
	if (mongoc_cursor_error(cur, &m->err)) {
		mongoc_cursor_destroy(cur);
		mongoc_collection_destroy(c);
		sm_mongo_docs_free(*docs, *n);
		*docs = NULL;
		*n = 0;
		(void)failed(m, "find", coll);
		return -1;
	}
	mongoc_cursor_destroy(cur);
	mongoc_collection_destroy(c);
	return 0;
}

void
sm_mongo_docs_free(bson_t **docs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bson_destroy(docs[i]);
	free(docs);
}

int
sm_mongo_update(struct sm_mongo *m, const char *coll, const bson_t *filter,
    const bson_t *update, int upsert, long long *matched)
{
	mongoc_collection_t *c = collection(m, coll);
	bson_t opts, reply;
	bson_iter_t it;
	int ok;

	*matched = 0;
	if (c == NULL)
		return -1;
	bson_init(&opts);
	if (upsert)
		BSON_APPEND_BOOL(&opts, "upsert", true);
	ok = mongoc_collection_update_one(c, filter, update, &opts, &reply, &m->err);
	if (ok) {
		if (bson_iter_init_find(&it, &reply, "matchedCount") && BSON_ITER_HOLDS_NUMBER(&it))
			*matched += bson_iter_as_int64(&it);
		if (bson_iter_init_find(&it, &reply, "upsertedCount") && BSON_ITER_HOLDS_NUMBER(&it))
			*matched += bson_iter_as_int64(&it);
	}
	bson_destroy(&reply);
	bson_destroy(&opts);
	mongoc_collection_destroy(c);
	return ok ? 0 : failed(m, "update_one", coll);
}

int
sm_mongo_delete_id(struct sm_mongo *m, const char *coll, const char *id)
{
	mongoc_collection_t *c = collection(m, coll);
	bson_t filter;
	int ok;

	if (c == NULL)
		return -1;
	bson_init(&filter);
	BSON_APPEND_UTF8(&filter, "_id", id);
	ok = mongoc_collection_delete_one(c, &filter, NULL, NULL, &m->err);
	bson_destroy(&filter);
	mongoc_collection_destroy(c);
	if (ok)
		return 0;
	(void)failed(m, "delete_one", coll);
	return -1;
}

int
sm_mongo_unavailable(const struct sm_mongo *m)
{
	return m->unavailable;
}

const char *
sm_mongo_error(const struct sm_mongo *m)
{
	return m->err.message;
}

int
sm_mongo_collections(struct sm_mongo *m, const char *prefix, size_t max, char ***names,
    size_t *n)
{
	mongoc_database_t *db;
	mongoc_cursor_t *cur;
	const bson_t *doc;
	bson_t opts, filter, name;
	bson_iter_t it;
	char re[128], dbname[64];
	size_t cap = 0;
	const char *p, *full = prefix;

	*names = NULL;
	*n = 0;
	prefix = ns_split(m, full, dbname, sizeof(dbname));
	for (p = prefix; *p != '\0'; p++)
		if (!(*p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z')) || p - prefix > 100) {
			bson_set_error(&m->err, MONGOC_ERROR_CLIENT, 0, "bad collection prefix");
			m->unavailable = 0;
			return -1;
		}
	m->unavailable = 0;
	m->err.message[0] = '\0';
	if (m->client == NULL && sm_mongo_reconnect(m) != 0)
		return -1;
	snprintf(re, sizeof(re), "^%s", prefix);
	bson_init(&opts);
	BSON_APPEND_DOCUMENT_BEGIN(&opts, "filter", &filter);
	BSON_APPEND_DOCUMENT_BEGIN(&filter, "name", &name);
	BSON_APPEND_UTF8(&name, "$regex", re);
	bson_append_document_end(&filter, &name);
	bson_append_document_end(&opts, &filter);
	BSON_APPEND_BOOL(&opts, "nameOnly", true);
	db = mongoc_client_get_database(m->client, dbname);
	cur = mongoc_database_find_collections_with_opts(db, &opts);
	while (*n < max && mongoc_cursor_next(cur, &doc))
		if (bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it)) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				*names = sm_xrealloc(*names, cap * sizeof(**names));
			}
			(*names)[(*n)++] = sm_xstrdup(bson_iter_utf8(&it, NULL));
		}
	bson_destroy(&opts);
	if (mongoc_cursor_error(cur, &m->err)) {
		mongoc_cursor_destroy(cur);
		mongoc_database_destroy(db);
		sm_mongo_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		(void)failed(m, "listCollections", full);
		return -1;
	}
	mongoc_cursor_destroy(cur);
	mongoc_database_destroy(db);
	return 0;
}

void
sm_mongo_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
sm_mongo_drop(struct sm_mongo *m, const char *coll)
{
	mongoc_collection_t *c = collection(m, coll);
	int ok;

	if (c == NULL)
		return -1;
	ok = mongoc_collection_drop(c, &m->err);
	mongoc_collection_destroy(c);
	/* 26 NamespaceNotFound: already gone (a redelivery, or never written). */
	if (ok || (m->err.domain == MONGOC_ERROR_SERVER && m->err.code == 26))
		return 0;
	(void)failed(m, "drop", coll);
	return -1;
}
