/*
 * sm_mongo.h -- the one door to the document store (FerretDB here, any
 * MongoDB-wire server in general) through mongo-c-driver.
 *
 * The interface is deliberately small: connect (sm_mongo_new), reconnect,
 * insert, find one document by _id, a guarded update (a filter that must
 * match for the change to apply, optionally an upsert), and listing and
 * dropping collections by name prefix (a purge).  Those are the
 * operations that FerretDB 1.x serves from few documents and a real
 * MongoDB serves from its _id index, so a replica set replaces FerretDB by
 * changing [mongo] uri only.
 *
 * The one design decision: each process (each prefork worker, each daemon)
 * owns one single-threaded mongoc_client_t made after the fork, with short
 * timeouts, so an outage fails a call at once (server selection "try once")
 * instead of holding a FastCGI worker; every failure is classified as
 * "unavailable" (the server is out of reach: answer 503, nothing written)
 * or a bug.  Settings, section [mongo]: uri.
 *
 * Every coll argument is a collection of the store's database, or a
 * namespace "db.coll" in another database of the same server.
 */
#ifndef SM_MONGO_H
#define SM_MONGO_H

#include <bson/bson.h>

struct sm_conf;
struct sm_mongo;

#define SM_MONGO_DUP 1          /* a duplicate key (E11000): the guard refused */

/*
 * The store of database db ([mongo] uri; the program's name as appname).
 * Connects lazily; returns NULL (logged) only on a malformed URI.
 */
struct sm_mongo *sm_mongo_new(const struct sm_conf *conf, const char *appname, const char *db);
void sm_mongo_free(struct sm_mongo *m);

/* Drops the client and makes a new one (after an outage). 0 or -1. */
int sm_mongo_reconnect(struct sm_mongo *m);

/* Inserts doc into coll.  0, SM_MONGO_DUP, or -1 (see sm_mongo_unavailable). */
int sm_mongo_insert(struct sm_mongo *m, const char *coll, const bson_t *doc);

/*
 * The document of coll whose _id is the string id, into *out (the caller
 * frees it with bson_destroy; NULL when none).  1 found, 0 none, -1 error.
 */
int sm_mongo_find_id(struct sm_mongo *m, const char *coll, const char *id, bson_t **out);

/*
 * Every document of coll matching filter (at most max; a collection that
 * does not exist has none) into a new array *docs of *n copies, in the
 * server's order; free with sm_mongo_docs_free.  0 or -1.
 */
int sm_mongo_find(struct sm_mongo *m, const char *coll, const bson_t *filter, size_t max,
    bson_t ***docs, size_t *n);
void sm_mongo_docs_free(bson_t **docs, size_t n);

/*
 * update_one(filter, update) with upsert when asked.  *matched gets the
 * number of documents matched plus upserted (0: the guard did not match).
 * 0, SM_MONGO_DUP (an upsert whose guard failed on an existing _id), or -1.
 */
int sm_mongo_update(struct sm_mongo *m, const char *coll, const bson_t *filter,
    const bson_t *update, int upsert, long long *matched);

/* Deletes the document of coll with the string _id id.  0 or -1. */
int sm_mongo_delete_id(struct sm_mongo *m, const char *coll, const char *id);

/*
 * The names of the database's collections that begin with prefix (letters,
 * digits and '_' only; "db.prefix" for another database), at most max, into a new array *names of *n strings;
 * free with sm_mongo_names_free.  0 or -1.
 */
int sm_mongo_collections(struct sm_mongo *m, const char *prefix, size_t max, char ***names,
    size_t *n);
void sm_mongo_names_free(char **names, size_t n);

/* Drops collection coll with its documents; one that does not exist is done.  0 or -1. */
int sm_mongo_drop(struct sm_mongo *m, const char *coll);

/* After -1: was the server out of reach (503), rather than a bug (500)? */
int sm_mongo_unavailable(const struct sm_mongo *m);
/* After -1: the driver's message. */
const char *sm_mongo_error(const struct sm_mongo *m);

#endif
