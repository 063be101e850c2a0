/*
 * search.h -- community search: q over the Mroonga index (communities_search,
 * kept from the community and member events by somoim-community-search),
 * suggestions, "did you mean" and trending queries.  docs/search.md says why
 * Mroonga and how the index stays right.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stddef.h>

#include "sm_app.h"
#include "sm_cursor.h"

struct sm_db;
struct sm_redis;
struct community_filter;

/* Handlers (search.c): GET /api/v1/search/suggest, GET /api/v1/search/trending. */
sm_handler search_suggest, search_trending;

/*
 * search.c.  GET /api/v1/communities with q: answers the page (relevance,
 * then member_count, then id; the cursor pins the newest id of the first
 * page, so communities created meanwhile cannot shift the pages) with
 * `did_you_mean` when nothing was found and a close spelling finds something.
 */
void search_list(struct sm_req *req, const struct community_filter *f, const char *q);

/*
 * search_store.c.  The Mroonga side.  search_query() turns user text into a
 * BOOLEAN MODE query (operators removed; every word required and the name
 * weighted over the description, or, names_only, the words as typed for a
 * prefix); NULL when no word is left.  search_ids() reads up to count ids of a
 * page into ids and their number into *n; search_stamp() the index's stamp
 * (bumped by every index write) and the newest indexed id; search_names() up
 * to limit names for a prefix query.  0 or -1.
 */
char *search_query(struct sm_pool *pool, const char *q, int names_only);
int search_ids(struct sm_db *db, const char *query, const struct community_filter *f,
    long long max_id, long long offset, long long count, long long *ids, int *n);
int search_stamp(struct sm_db *db, unsigned long long *stamp, long long *max_id);
int search_names(struct sm_db *db, const char *query, long long limit, json_object **items);
/* Every word of the names of the most active communities, with its weight; 0 or -1. */
int search_dictionary(struct sm_db *db, char ***words, int **weights, size_t *n);

/*
 * search_cache.c.  What one query found, kept per worker for one index stamp:
 * search_cache_get() the entry of (kind, query, filters) at stamp, or NULL;
 * search_cache_put() an emptied entry for them, replacing what its slot held
 * (text is freed with it).  Kinds: 'q' a list query, 's' a suggest prefix.
 */
#define SEARCH_CACHE_IDS (SM_PAGE_MAX + 1)
struct search_hits {
	long long max_id;               /* the pin the ids were read under */
	long long ids[SEARCH_CACHE_IDS];
	int n;                          /* below SEARCH_CACHE_IDS: every hit there is */
	char *text;                     /* 'q': did_you_mean ("" none, NULL not asked yet);
					   's': the suggested names, a JSON array */
};
struct search_hits *search_cache_get(char kind, const char *query,
    const struct community_filter *f, unsigned long long stamp);
struct search_hits *search_cache_put(char kind, const char *query,
    const struct community_filter *f, unsigned long long stamp);

/* trending.c.  Counts q (once per who and hour) and reads the top queries. */
void trending_count(struct sm_redis *r, const char *who, const char *q);
json_object *trending_top(struct sm_redis *r, size_t max, int refresh);

/*
 * typo.c.  typo_distance(): edit distance over jamo (-1: a word too long);
 * typo_closest(): the dictionary word closest to word within one edit (short
 * words) or two, ties to the higher weight; NULL when none, or when word
 * itself is in the dictionary.
 */
int typo_distance(const char *a, const char *b);
const char *typo_closest(const char *word, const char *const *dict, const int *weight,
    size_t n);

#endif
