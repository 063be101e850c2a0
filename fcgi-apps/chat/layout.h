/*
 * layout.h -- where the chat's documents live in the document store: the
 * names that somoim-chat, somoim-chat-events and bench/chat-fill share.
 *
 *   somoim_chat.p<user % 256>             profile copies
 *   somoim_chat_<c % S>.c<c>              community c's own collection (copies, head)
 *   somoim_chat_<(c + b) % S>.c<c>_b<b>   bucket b of community c's messages
 *
 * The one design decision: the collections are spread over CHAT_SHARDS
 * databases, a community's consecutive buckets in turn.  A FerretDB database
 * on SQLite is one file, and both reading a collection and creating one get
 * slower with the number of collections in the same file (measured: a bucket
 * read 3.6 ms in a database of 100 collections, 10-12 ms in one of 10,000;
 * creating the 10,000th 11 ms, against 4 ms flat over 16 databases), so no
 * database grows past 1/CHAT_SHARDS of the store, however large one
 * community's history gets.  A real MongoDB does not care either way.
 */
#ifndef CHAT_LAYOUT_H
#define CHAT_LAYOUT_H

#include <stdio.h>

#define CHAT_DB "somoim_chat"   /* the profiles' database, and the shards' name prefix */
#define CHAT_SHARDS 32          /* databases somoim_chat_0 .. somoim_chat_31 */

/* "somoim_chat_<n>.c<community>": the community's own collection. */
static inline void
chat_meta_ns(char *buf, size_t len, long long community_id)
{
	snprintf(buf, len, CHAT_DB "_%lld.c%lld", community_id % CHAT_SHARDS, community_id);
}

/* "somoim_chat_<n>.c<community>_b<bucket>": one bucket of messages. */
static inline void
chat_bucket_ns(char *buf, size_t len, long long community_id, long long bucket)
{
	snprintf(buf, len, CHAT_DB "_%lld.c%lld_b%lld", (community_id + bucket) % CHAT_SHARDS,
	    community_id, bucket);
}

/* "somoim_chat_<n>.c<community>_b": the buckets' prefix in shard n. */
static inline void
chat_bucket_prefix(char *buf, size_t len, int shard, long long community_id)
{
	snprintf(buf, len, CHAT_DB "_%d.c%lld_b", shard, community_id);
}

#endif
