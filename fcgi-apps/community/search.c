/*
 * search.c -- GET /api/v1/communities?q=, GET /api/v1/search/suggest and
 * GET /api/v1/search/trending.
 *
 * The one design decision: the index trails the truth by the moment an event
 * takes (somoim-community-search applies the community and member events), and
 * every page is read back from the communities table (search_store.c), so a
 * page never shows a deleted community or an old name even while the index
 * catches up.  "Did you mean" runs only when a first page is empty: it is the
 * one query kind that costs more than an index lookup (typo.c over the words
 * of the most active communities' names, kept per worker and re-read when older
 * than DICT_MAX_AGE seconds).  What a query found (the first pages' ids, the
 * did-you-mean answer, a prefix's names) is kept per worker for as long as the
 * index's stamp stays the same (search_cache.c), so a repeated query costs
 * the stamp's read and its rows, not Groonga's scoring of every hit.
 */
#include "community.h"
#include "search.h"
#include "store.h"
#include "sm_conf.h"
#include "sm_cursor.h"
#include "sm_json.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEARCH_TAG "s"
#define OFFSET_BITS 13                  /* a cursor is max_id << 13 | offset */
#define SEARCH_MAX_OFFSET 5000          /* 50 pages of 100: deeper is refining q's job */
#define MAX_QUERY_CHARS 100
#define SUGGEST_MAX 10
#define DICT_MAX_AGE 5

/* The per-worker typo dictionary (process memory, re-read whole). */
static struct {
	char **words;
	int *weights;
	size_t n;
	time_t loaded;
} dict;

static void
dict_refresh(struct sm_db *db)
{
	char **words;
	int *weights;
	size_t n;

	if (dict.words != NULL && time(NULL) - dict.loaded < DICT_MAX_AGE)
		return;
	if (search_dictionary(db, &words, &weights, &n) != 0) {
		sm_log(SM_LOG_WARN, "search: reading the typo dictionary failed");
		return;
	}
	for (size_t i = 0; i < dict.n; i++)
		free(dict.words[i]);
	free(dict.words);
	free(dict.weights);
	dict.words = words;
	dict.weights = weights;
	dict.n = n;
	dict.loaded = time(NULL);
}

/* The query with each word replaced by its closest dictionary word; NULL when none changed. */
static char *
corrected(struct sm_req *req, const char *q)
{
	char *copy = sm_pool_strdup(req->pool, q), *save = NULL, *out;
	size_t o = 0, cap = strlen(q) * 4 + 256;
	int changed = 0, n;

	dict_refresh(req->app->db);
	if (dict.n == 0)
		return NULL;
	out = sm_pool_alloc(req->pool, cap);
	for (char *t = strtok_r(copy, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		const char *w = typo_closest(t, (const char *const *)dict.words, dict.weights, dict.n);

		if (w != NULL)
			changed = 1;
		else
			w = t;
		/* A word within two edits is a few bytes longer at most; a full buffer ends it. */
		n = snprintf(out + o, cap - o, "%s%s", o > 0 ? " " : "", w);
		if (n < 0 || (size_t)n >= cap - o)
			return NULL;
		o += (size_t)n;
	}
	return changed ? out : NULL;
}

/* The query as trending counts it: trimmed, runs of space as one, Latin lower case. */
static char *
normalised(struct sm_pool *pool, const char *q)
{
	char *out = sm_pool_alloc(pool, strlen(q) + 1), *o = out;

	for (const char *p = q; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = (char)tolower((unsigned char)*p);
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

static const char *
searcher(struct sm_req *req)
{
	const char *addr = sm_req_env(req, "REMOTE_ADDR");

	if (req->user_id > 0)
		return sm_pool_printf(req->pool, "u%lld", req->user_id);
	return sm_pool_printf(req->pool, "a%s", addr != NULL ? addr : "-");
}

/* Ids as the JSON array text store_by_ids() takes. */
static char *
ids_json(struct sm_pool *pool, const long long *ids, int n)
{
	char *out = sm_pool_alloc(pool, (size_t)n * 21 + 3);
	size_t o = 0;

	out[o++] = '[';
	for (int i = 0; i < n; i++)
		o += (size_t)sprintf(out + o, "%s%lld", i > 0 ? "," : "", ids[i]);
	out[o++] = ']';
	out[o] = '\0';
	return out;
}

/*
 * The ids of a page: from the cache when its window holds them (reading the
 * window on a miss), else straight from Mroonga.  0 or -1.
 */
static int
page_ids(struct sm_db *db, const char *query, const struct community_filter *f,
    unsigned long long stamp, long long max_id, long long offset, long long count,
    long long *ids, int *n)
{
	struct search_hits *c = search_cache_get('q', query, f, stamp);

	if (c == NULL || c->max_id != max_id) {
		long long window[SEARCH_CACHE_IDS];
		int got;

		if (offset + count > SEARCH_CACHE_IDS)
			return search_ids(db, query, f, max_id, offset, count, ids, n);
		if (search_ids(db, query, f, max_id, 0, SEARCH_CACHE_IDS, window, &got) != 0)
			return -1;
		c = search_cache_put('q', query, f, stamp);
		c->max_id = max_id;
		c->n = got;
		memcpy(c->ids, window, (size_t)got * sizeof(*window));
	} else if (c->n == SEARCH_CACHE_IDS && offset + count > SEARCH_CACHE_IDS) {
		return search_ids(db, query, f, max_id, offset, count, ids, n);
	}
	*n = 0;
	for (long long i = offset; i < c->n && *n < count; i++)
		ids[(*n)++] = c->ids[i];
	return 0;
}

/* A close spelling of q that finds something, or NULL; kept with q's cached answer. */
static const char *
did_you_mean(struct sm_req *req, const char *q, const char *query,
    const struct community_filter *f, unsigned long long stamp, long long max_id)
{
	struct search_hits *c = query != NULL ? search_cache_get('q', query, f, stamp) : NULL;
	const char *fix, *fixq, *hint = NULL;
	long long one;
	int found = 0;

	if (c != NULL && c->max_id == max_id && c->text != NULL)
		return *c->text != '\0' ? sm_pool_strdup(req->pool, c->text) : NULL;
	if ((fix = corrected(req, q)) != NULL && (fixq = search_query(req->pool, fix, 0)) != NULL &&
	    search_ids(req->app->db, fixq, f, max_id, 0, 1, &one, &found) == 0 && found > 0)
		hint = fix;
	if (c != NULL && c->max_id == max_id)
		c->text = sm_xstrdup(hint != NULL ? hint : "");
	return hint;
}

void
search_list(struct sm_req *req, const struct community_filter *f, const char *q)
{
	long long limit, after, max_id = 0, offset = 0, ids[SM_PAGE_MAX + 1];
	const char *query = search_query(req->pool, q, 0), *hint = NULL;
	unsigned long long stamp;
	json_object *o, *items;
	int n = 0;

	if (sm_page_or_reply(req, SEARCH_TAG, &limit, &after) != 0)
		return;
	if (search_stamp(req->app->db, &stamp, &max_id) != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (after >= 0) {
		max_id = after >> OFFSET_BITS;
		offset = after & ((1 << OFFSET_BITS) - 1);
	}
	if (query != NULL && page_ids(req->app->db, query, f, stamp, max_id, offset, limit + 1,
	    ids, &n) != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (store_by_ids(req->app->db, f->caller, ids_json(req->pool, ids, n < limit ? n : (int)limit),
	    &items) != 0) {
		sm_reply_db_error(req);
		return;
	}
	if (after < 0 && n > 0)
		trending_count(req->app->redis, searcher(req), normalised(req->pool, q));
	else if (after < 0)
		hint = did_you_mean(req, q, query, f, stamp, max_id);
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	if (n > limit && offset + limit <= SEARCH_MAX_OFFSET)
		json_object_object_add(o, "next_cursor", json_object_new_string(sm_cursor_encode(
		    req->pool, SEARCH_TAG, max_id << OFFSET_BITS | (offset + limit))));
	else
		json_object_object_add(o, "next_cursor", NULL);
	if (hint != NULL)
		json_object_object_add(o, "did_you_mean", json_object_new_string(hint));
	sm_reply_json(req, 200, o);
}

/* ?q= of 1..MAX_QUERY_CHARS characters without control characters; NULL after a 400. */
static const char *
prefix_or_reply(struct sm_req *req)
{
	const char *q = sm_req_query(req, "q"), *why = NULL;
	size_t n;

	if (q == NULL || *(q = sm_pool_strtrim(req->pool, q)) == '\0')
		why = "is required (1 to 100 characters)";
	else if ((n = sm_utf8_chars(q, strlen(q))) == (size_t)-1)
		why = "must be valid UTF-8";
	else if (n > MAX_QUERY_CHARS)
		why = "is too long";
	else
		for (const char *p = q; *p && why == NULL; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				why = "must not contain control characters";
	if (why != NULL) {
		json_object *fields = json_object_new_object();

		json_object_object_add(fields, "q", json_object_new_string(why));
		sm_reply_invalid(req, fields);
		return NULL;
	}
	return q;
}

static int
has_text(json_object *items, const char *text)
{
	for (size_t i = 0; i < json_object_array_length(items); i++)
		if (strcmp(json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(items, i), "text")), text) == 0)
			return 1;
	return 0;
}

static void
add_item(json_object *items, const char *text, const char *kind)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "text", json_object_new_string(text));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_array_add(items, o);
}

static int
refresh_seconds(struct sm_req *req)
{
	long long v = 30;

	if (sm_conf_int(req->app->conf, "search", "trending_refresh", 30, 1, 60, &v) != 0)
		v = 30;
	return (int)v;
}

/* The names a prefix query suggests, through the cache; 0 or -1. */
static int
suggested_names(struct sm_db *db, const char *query, json_object **names)
{
	unsigned long long stamp;
	struct search_hits *c;
	long long max_id;

	if (search_stamp(db, &stamp, &max_id) != 0)
		return -1;
	if ((c = search_cache_get('s', query, NULL, stamp)) != NULL &&
	    (*names = json_tokener_parse(c->text)) != NULL)
		return 0;
	if (search_names(db, query, SUGGEST_MAX, names) != 0)
		return -1;
	search_cache_put('s', query, NULL, stamp)->text =
	    sm_xstrdup(json_object_to_json_string_ext(*names, JSON_C_TO_STRING_PLAIN));
	return 0;
}

void
search_suggest(struct sm_req *req)
{
	const char *q = prefix_or_reply(req), *query, *lower;
	json_object *names = NULL, *items, *top, *o;
	size_t len;

	if (q == NULL)
		return;
	items = json_object_new_array();
	if ((query = search_query(req->pool, q, 1)) != NULL &&
	    suggested_names(req->app->db, query, &names) != 0) {
		json_object_put(items);
		sm_reply_db_error(req);
		return;
	}
	for (size_t i = 0; names != NULL && i < json_object_array_length(names); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(names, i));

		if (!has_text(items, s))
			add_item(items, s, "community");
	}
	json_object_put(names);
	/* Popular queries that start with what was typed fill what is left. */
	lower = normalised(req->pool, q);
	len = strlen(lower);
	top = trending_top(req->app->redis, 100, refresh_seconds(req));
	for (size_t i = 0; i < json_object_array_length(top) &&
	    json_object_array_length(items) < SUGGEST_MAX; i++) {
		const char *s = json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(top, i), "query"));

		if (strncmp(s, lower, len) == 0 && !has_text(items, s))
			add_item(items, s, "query");
	}
	json_object_put(top);
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	sm_reply_json(req, 200, o);
}

void
search_trending(struct sm_req *req)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "items", trending_top(req->app->redis, 10, refresh_seconds(req)));
	sm_reply_json(req, 200, o);
}
