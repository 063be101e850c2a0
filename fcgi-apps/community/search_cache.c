/*
 * search_cache.c -- each worker's cache of search answers, valid for one
 * stamp of the index.
 *
 * Groonga scores every hit before it sorts, so a common word (thousands of
 * hits) costs a few milliseconds however few rows a page shows, and that cost
 * grows with the number of communities; yet the common words are exactly the
 * ones users repeat.  So the ids of the first SEARCH_CACHE_IDS hits of a query
 * (five pages of 20), its did-you-mean answer, and the names a prefix
 * suggests are kept here, in a direct-mapped table of CACHE_SLOTS entries.
 *
 * The one design decision: an entry is valid only for the index stamp it was
 * read at (search_stamp, bumped in the same transaction as every index
 * write), so a cached answer is never older than the index itself: no expiry
 * to tune, and nothing shown that a fresh query would not show.  The rows of
 * a page are still read from communities on every request.
 */
#include "community.h"
#include "search.h"
#include "sm_pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256

struct slot {
	unsigned long long stamp;
	char *key;                      /* NULL: empty */
	struct search_hits hits;
};

static struct slot slots[CACHE_SLOTS];

/* kind, query and filters as one string: fields split by 0x1f, which no input may hold. */
static char *
key_of(char kind, const char *query, const struct community_filter *f)
{
	const char *in = f != NULL && f->interest != NULL ? f->interest : "";
	const char *re = f != NULL && f->region != NULL ? f->region : "";
	size_t n = strlen(query) + strlen(in) + strlen(re) + 5;
	char *k = sm_xmalloc(n);

	k[0] = kind;
	k[1] = 0x1f;
	strcpy(k + 2, query);
	strcat(k, "\x1f");
	strcat(k, in);
	strcat(k, "\x1f");
	strcat(k, re);
	return k;
}

static struct slot *
slot_of(const char *key, unsigned long long stamp)
{
	uint64_t h = 1469598103934665603ULL ^ stamp;      /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return &slots[h % CACHE_SLOTS];
}

struct search_hits *
search_cache_get(char kind, const char *query, const struct community_filter *f,
    unsigned long long stamp)
{
	char *key = key_of(kind, query, f);
	struct slot *s = slot_of(key, stamp);
	int hit = s->stamp == stamp && s->key != NULL && strcmp(s->key, key) == 0;

	free(key);
	return hit ? &s->hits : NULL;
}

struct search_hits *
search_cache_put(char kind, const char *query, const struct community_filter *f,
    unsigned long long stamp)
{
	char *key = key_of(kind, query, f);
	struct slot *s = slot_of(key, stamp);

	free(s->key);
	free(s->hits.text);
	memset(s, 0, sizeof(*s));
	s->key = key;
	s->stamp = stamp;
	return &s->hits;
}
