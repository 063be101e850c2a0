/*
 * copies.c -- the chat's copies in the document store, by version-gated
 * upserts (see copies.h).
 *
 *   c<community> "community"  {is_private, version, deleted}
 *   c<community> "u<user>"    {role (null once left), seq, name, image, pversion}
 *   p<user % 256> "u<user>"   {name, image, version, communities: [ids]}
 * (each in the database layout.h names)
 *
 * A member's document carries the sender name and image the chat shows, so a
 * history page finds its senders in the community's own small collection.
 * The profile collection is split 256 ways only to stay small (FerretDB scans
 * a collection for any lookup); its communities list says where a rename must
 * go.  A leave or a deleted community also closes the community's nchan
 * channel, so every subscriber re-authorizes at once and a leaver is refused;
 * a deleted community's collections are all dropped, and the MariaDB table
 * deleted_communities keeps later events from writing there again.
 */
#include "copies.h"
#include "layout.h"
#include "publish.h"
#include "sm_conf.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_json.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_mongo.h"

#include <stdio.h>
#include <string.h>

#define PROFILE_SHARDS 256

static struct sm_mongo *store;
static struct sm_conf *config;

int
copies_open(struct sm_conf *conf)
{
	config = conf;
	return (store = sm_mongo_new(conf, "somoim-chat-events", CHAT_DB)) == NULL ? -1 : 0;
}

void
copies_close(void)
{
	sm_mongo_free(store);
	store = NULL;
}

/* A store failure: out of reach → retried without counting, else counted. */
static int
store_failed(const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sm_mongo_error(store));
	return sm_mongo_unavailable(store) ? SM_CONSUMER_UNAVAILABLE : -1;
}

/*
 * update_one(filter {_id: id, <gate>: {$lt: v}} (no gate when gate is NULL),
 * set) with upsert as asked; an upsert refused on the existing _id is an
 * older or replayed event: fine.  0, or the handler's failure code.
 */
static int
gated(const char *coll, const char *id, const char *gate, long long v, const bson_t *update,
    int upsert, char *err, size_t errlen)
{
	bson_t f, lt;
	long long matched;
	int r;

	bson_init(&f);
	BSON_APPEND_UTF8(&f, "_id", id);
	if (gate != NULL) {
		BSON_APPEND_DOCUMENT_BEGIN(&f, gate, &lt);
		BSON_APPEND_INT64(&lt, "$lt", v);
		bson_append_document_end(&f, &lt);
	}
	r = sm_mongo_update(store, coll, &f, update, upsert, &matched);
	bson_destroy(&f);
	if (r < 0)
		return store_failed(coll, err, errlen);
	return 0;
}

/* Was community_id purged (sql/chat/002-deleted-communities.sql)?  0 with *gone set, or -1. */
static int
purged(struct sm_db *db, long long community_id, int *gone, char *err, size_t errlen)
{
	if (sm_db_exists(db, gone, "SELECT 1 FROM deleted_communities WHERE community_id = ?", "i",
	    community_id) == 0)
		return 0;
	snprintf(err, errlen, "deleted_communities: %s", sm_db_error(db));
	return -1;
}

static void
member_key(char *coll, size_t clen, char *id, size_t ilen, long long community_id,
    long long user_id)
{
	chat_meta_ns(coll, clen, community_id);
	snprintf(id, ilen, "u%lld", user_id);
}

static void
profile_key(char *coll, size_t clen, char *id, size_t ilen, long long user_id)
{
	snprintf(coll, clen, "p%lld", user_id % PROFILE_SHARDS);
	snprintf(id, ilen, "u%lld", user_id);
}

int
copies_community(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id, version;
	char coll[80];
	json_object *v;
	bson_t u, set;
	int r, gone;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "version", &version) != 0)
		return sm_event_bad(ev, "version", err, errlen);
	if (purged(db, id, &gone, err, errlen) != 0)
		return -1;
	if (gone)
		return 0;
	chat_meta_ns(coll, sizeof(coll), id);
	bson_init(&u);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$set", &set);
	BSON_APPEND_BOOL(&set, "is_private",
	    json_object_object_get_ex(ev->data, "is_private", &v) && json_object_get_boolean(v));
	BSON_APPEND_INT64(&set, "version", version);
	bson_append_document_end(&u, &set);
	/* A deleted community's tombstone has version INT64_MAX: nothing passes it. */
	r = gated(coll, "community", "version", version, &u, 1, err, errlen);
	bson_destroy(&u);
	return r;
}

/*
 * Drops every collection of community_id: the buckets first (listed by name
 * in each shard, in rounds of PURGE_ROUND), then c<community>, whose tombstone answers 404
 * until the very end.  Each drop is idempotent, so a redelivery after a crash
 * half way finishes the job.  0, or the handler's failure code.
 */
#define PURGE_ROUND 1000
static int
purge(long long community_id, char *err, size_t errlen)
{
	char prefix[80], coll[80], db[80], **names;
	size_t n, i;
	int shard;

	for (shard = 0; shard < CHAT_SHARDS; shard++) {
		chat_bucket_prefix(prefix, sizeof(prefix), shard, community_id);
		snprintf(db, sizeof(db), "%.*s", (int)(strchr(prefix, '.') - prefix + 1), prefix);
		do {
			if (sm_mongo_collections(store, prefix, PURGE_ROUND, &names, &n) != 0)
				return store_failed(prefix, err, errlen);
			for (i = 0; i < n; i++) {
				snprintf(coll, sizeof(coll), "%s%s", db, names[i]);
				if (sm_mongo_drop(store, coll) != 0) {
					sm_mongo_names_free(names, n);
					return store_failed(coll, err, errlen);
				}
			}
			sm_mongo_names_free(names, n);
		} while (n == PURGE_ROUND);
	}
	chat_meta_ns(coll, sizeof(coll), community_id);
	if (sm_mongo_drop(store, coll) != 0)
		return store_failed(coll, err, errlen);
	return 0;
}

/*
 * v1.event.community-deleted: the community's chat is purged.  1. The
 * tombstone (the chat answers 404 from now on, and no later event writes
 * there again: deleted_communities, committed with the event).  2. Every
 * subscriber of its channel is closed; their reconnects are refused (404).
 * 3. Every collection of the community is dropped.
 */
int
copies_community_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id;
	char coll[80];
	bson_t u, set;
	int r;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO deleted_communities (community_id) VALUES (?)",
	    "i", id) != 0) {
		snprintf(err, errlen, "deleted_communities: %s", sm_db_error(db));
		return -1;
	}
	/* Already there: an earlier delivery purged it all (the row commits only then). */
	if (sm_db_affected(db) == 0)
		return 0;
	chat_meta_ns(coll, sizeof(coll), id);
	bson_init(&u);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$set", &set);
	BSON_APPEND_BOOL(&set, "deleted", true);
	BSON_APPEND_INT64(&set, "version", INT64_MAX);
	bson_append_document_end(&u, &set);
	r = gated(coll, "community", NULL, 0, &u, 1, err, errlen);
	bson_destroy(&u);
	if (r != 0)
		return r;
	if (chat_close_channel(config, id) != 0) {
		snprintf(err, errlen, "closing the channel of community %lld failed", id);
		return SM_CONSUMER_UNAVAILABLE;
	}
	return purge(id, err, errlen);
}

/* Copies the profile in p<user> (when known) onto the member's document in c<community>. */
static int
copy_profile_to(long long community_id, long long user_id, const bson_t *profile,
    char *err, size_t errlen)
{
	char coll[80], id[32];
	bson_iter_t it;
	long long version = 0;
	bson_t u, set;
	int r;

	if (bson_iter_init_find(&it, profile, "version") && BSON_ITER_HOLDS_NUMBER(&it))
		version = bson_iter_as_int64(&it);
	if (version <= 0)
		return 0;               /* only a list of communities so far */
	member_key(coll, sizeof(coll), id, sizeof(id), community_id, user_id);
	bson_init(&u);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$set", &set);
	if (bson_iter_init_find(&it, profile, "name"))
		bson_append_iter(&set, "name", -1, &it);
	if (bson_iter_init_find(&it, profile, "image"))
		bson_append_iter(&set, "image", -1, &it);
	BSON_APPEND_INT64(&set, "pversion", version);
	bson_append_document_end(&u, &set);
	r = gated(coll, id, "pversion", version, &u, 0, err, errlen);
	bson_destroy(&u);
	return r;
}

int
copies_member(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long community_id, user_id, seq;
	const char *role = NULL;
	char coll[80], id[32], pcoll[32];
	bson_t u, set, soi, add, *profile = NULL;
	int left, r, gone;

	left = m != NULL && m->rkt != NULL &&
	    strcmp(rd_kafka_topic_name(m->rkt), "v1.event.member-left") == 0;
	if (sm_event_ids(ev, err, errlen, "community_id", &community_id, "user_id", &user_id,
	    "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (!left && ((role = sm_event_str(ev->data, "role")) == NULL ||
	    (strcmp(role, "owner") != 0 && strcmp(role, "admin") != 0 &&
	    strcmp(role, "member") != 0)))
		return sm_event_bad(ev, "role", err, errlen);
	if (purged(db, community_id, &gone, err, errlen) != 0)
		return -1;
	if (gone)
		return 0;

	/* 1. The membership, only forward in the community's seq. */
	member_key(coll, sizeof(coll), id, sizeof(id), community_id, user_id);
	bson_init(&u);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$set", &set);
	if (role != NULL)
		BSON_APPEND_UTF8(&set, "role", role);
	else
		BSON_APPEND_NULL(&set, "role");
	BSON_APPEND_INT64(&set, "seq", seq);
	bson_append_document_end(&u, &set);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$setOnInsert", &soi);
	BSON_APPEND_INT64(&soi, "pversion", 0);
	bson_append_document_end(&u, &soi);
	r = gated(coll, id, "seq", seq, &u, 1, err, errlen);
	bson_destroy(&u);
	if (r != 0)
		return r;
	if (left) {
		/* 2. Cut off the live streams: everyone re-authorizes, the leaver is refused. */
		if (chat_close_channel(config, community_id) != 0) {
			snprintf(err, errlen, "closing the channel of community %lld failed",
			    community_id);
			return SM_CONSUMER_UNAVAILABLE;
		}
		return 0;
	}
	/* 2. Where the user's renames must go. */
	profile_key(pcoll, sizeof(pcoll), id, sizeof(id), user_id);
	bson_init(&u);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$addToSet", &add);
	BSON_APPEND_INT64(&add, "communities", community_id);
	bson_append_document_end(&u, &add);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$setOnInsert", &soi);
	BSON_APPEND_INT64(&soi, "version", 0);
	bson_append_document_end(&u, &soi);
	r = gated(pcoll, id, NULL, 0, &u, 1, err, errlen);
	bson_destroy(&u);
	if (r != 0)
		return r;
	/* 3. The member's name and image from the profile known so far. */
	if ((r = sm_mongo_find_id(store, pcoll, id, &profile)) < 0)
		return store_failed(pcoll, err, errlen);
	if (r == 1) {
		r = copy_profile_to(community_id, user_id, profile, err, errlen);
		bson_destroy(profile);
		return r;
	}
	return 0;
}

/* copy_profile_to, unless the community was purged (an update would recreate it). */
static int
copy_profile_to_live(struct sm_db *db, long long community_id, long long user_id,
    const bson_t *profile, char *err, size_t errlen)
{
	int gone;

	if (purged(db, community_id, &gone, err, errlen) != 0)
		return -1;
	return gone ? 0 : copy_profile_to(community_id, user_id, profile, err, errlen);
}

int
copies_profile(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id, version;
	const char *name;
	char pcoll[32], id[32];
	json_object *v;
	bson_t u, set, *profile = NULL;
	bson_iter_t it, arr;
	int r;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "version", &version) != 0 || version <= 0)
		return sm_event_bad(ev, "version", err, errlen);
	if ((name = sm_event_str(ev->data, "name")) == NULL)
		return sm_event_bad(ev, "name", err, errlen);
	/* 1. The profile, only forward in its version. */
	profile_key(pcoll, sizeof(pcoll), id, sizeof(id), user_id);
	bson_init(&u);
	BSON_APPEND_DOCUMENT_BEGIN(&u, "$set", &set);
	BSON_APPEND_UTF8(&set, "name", name);
	if (json_object_object_get_ex(ev->data, "profile_image", &v) && v != NULL &&
	    json_object_is_type(v, json_type_string))
		BSON_APPEND_UTF8(&set, "image", json_object_get_string(v));
	else
		BSON_APPEND_NULL(&set, "image");
	BSON_APPEND_INT64(&set, "version", version);
	bson_append_document_end(&u, &set);
	r = gated(pcoll, id, "version", version, &u, 1, err, errlen);
	bson_destroy(&u);
	if (r != 0)
		return r;
	/* 2. The newest profile onto each of the user's member documents (a replay redoes it). */
	if ((r = sm_mongo_find_id(store, pcoll, id, &profile)) < 0)
		return store_failed(pcoll, err, errlen);
	if (r == 0)
		return 0;
	r = 0;
	if (bson_iter_init_find(&it, profile, "communities") && BSON_ITER_HOLDS_ARRAY(&it) &&
	    bson_iter_recurse(&it, &arr))
		while (r == 0 && bson_iter_next(&arr))
			if (BSON_ITER_HOLDS_NUMBER(&arr))
				r = copy_profile_to_live(db, bson_iter_as_int64(&arr), user_id,
				    profile, err, errlen);
	bson_destroy(profile);
	return r;
}

/*
 * v1.event.user-deleted ({user_id, version}): the profile becomes the neutral
 * one (SM_COPY_DELETED_NAME, no image) at the event's version, which is above
 * every version the account ever had, so no late user-updated brings the name
 * back.  It is copies_profile with that profile, so it reaches the member
 * documents the same way.
 */
int
copies_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	struct sm_event neutral = *ev;
	long long user_id, version;
	int r;

	if (sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "version", &version) != 0 || version <= 0)
		return sm_event_bad(ev, "version", err, errlen);
	neutral.data = json_object_new_object();
	json_object_object_add(neutral.data, "user_id", json_object_new_int64(user_id));
	json_object_object_add(neutral.data, "version", json_object_new_int64(version));
	json_object_object_add(neutral.data, "name", json_object_new_string(SM_COPY_DELETED_NAME));
	json_object_object_add(neutral.data, "profile_image", NULL);
	r = copies_profile(db, &neutral, m, err, errlen);
	json_object_put(neutral.data);
	return r;
}
