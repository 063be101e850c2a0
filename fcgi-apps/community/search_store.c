/*
 * search_store.c -- the SQL of search, over communities_search (ENGINE=Mroonga,
 * a TokenBigram full-text index of name and description; sql/community/008).
 *
 * The one design decision: Mroonga answers ids only, and the communities are
 * then read from InnoDB (communities.c's row shape and visibility rules), so
 * what a page shows is always the committed truth; the index only decides
 * which rows and in what order.  A page is ORDER BY score, member_count, id
 * with LIMIT/OFFSET: Mroonga sorts and limits inside Groonga for exactly that
 * shape (a MATCH plus simple comparisons, no JOIN), and a keyset condition
 * would defeat it (docs/search.md has both measured).  Offsets are capped
 * (SEARCH_MAX_OFFSET) and the first page's newest id bounds every later page,
 * so new communities cannot shift a client's pages.  search_stamp is the
 * index's version: search_cache.c keeps answers for one stamp.
 *
 * User text never reaches Groonga's query syntax: operator characters become
 * spaces (an unbalanced parenthesis is a syntax error there), and `*` is never
 * appended (it breaks Hangul prefixes longer than one bigram).
 */
#include "community.h"
#include "search.h"
#include "sm_db.h"
#include "sm_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DICT_COMMUNITIES 20000  /* names the typo dictionary is made of */
#define DICT_MAX_WORDS 50000

char *
search_query(struct sm_pool *pool, const char *q, int names_only)
{
	size_t len = strlen(q), o = 0, words = 0;
	char *out = sm_pool_alloc(pool, 3 * len + 32);
	const char *p = q;

	o += (size_t)sprintf(out, "%s", names_only ? "*D+" : "*W1:10,2:1");
	while (*p) {
		size_t n = 0;

		while (*p && (strchr("+-*\"()<>~@", *p) || (unsigned char)*p <= ' '))
			p++;
		while (p[n] && !strchr("+-*\"()<>~@", p[n]) && (unsigned char)p[n] > ' ')
			n++;
		if (n == 0)
			continue;
		out[o++] = ' ';
		if (!names_only)
			out[o++] = '+';
		memcpy(out + o, p, n);
		o += n;
		p += n;
		words++;
	}
	out[o] = '\0';
	return words > 0 ? out : NULL;
}

int
search_stamp(struct sm_db *db, unsigned long long *stamp, long long *max_id)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT stamp, max_id FROM search_stamp WHERE id = 1", "") != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		*stamp = (unsigned long long)sm_rows_int(rows, 0);
		*max_id = sm_rows_int(rows, 1);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : -1;
}

#define MATCH_ALL "MATCH(s.name, s.description) AGAINST(? IN BOOLEAN MODE)"
#define SEARCH_HEAD "SELECT s.id FROM communities_search s WHERE " MATCH_ALL " AND s.id <= ?"
#define SEARCH_TAIL " ORDER BY " MATCH_ALL " DESC, s.member_count DESC, s.id DESC LIMIT ? OFFSET ?"

int
search_ids(struct sm_db *db, const char *query, const struct community_filter *f,
    long long max_id, long long offset, long long count, long long *ids, int *n)
{
	struct sm_rows *rows;
	int r;

	/* One statement per filter combination: "? IS NULL OR" would end Groonga's sort. */
	if (f->interest != NULL && f->region != NULL)
		r = sm_db_exec(db, &rows, SEARCH_HEAD " AND s.interest = ? AND s.region = ?"
		    SEARCH_TAIL, "sisssii", query, max_id, f->interest, f->region, query, count,
		    offset);
	else if (f->interest != NULL)
		r = sm_db_exec(db, &rows, SEARCH_HEAD " AND s.interest = ?" SEARCH_TAIL, "sissii",
		    query, max_id, f->interest, query, count, offset);
	else if (f->region != NULL)
		r = sm_db_exec(db, &rows, SEARCH_HEAD " AND s.region = ?" SEARCH_TAIL, "sissii",
		    query, max_id, f->region, query, count, offset);
	else
		r = sm_db_exec(db, &rows, SEARCH_HEAD SEARCH_TAIL, "sisii", query, max_id, query,
		    count, offset);
	if (r != 0)
		return -1;
	*n = 0;
	while ((r = sm_rows_next(rows)) == 1 && *n < count)
		ids[(*n)++] = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	return r < 0 ? -1 : 0;
}

int
search_names(struct sm_db *db, const char *query, long long limit, json_object **items)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, &rows, "SELECT s.name FROM communities_search s"
	    " WHERE MATCH(s.name) AGAINST(? IN BOOLEAN MODE)"
	    " ORDER BY s.member_count DESC, s.id DESC LIMIT ?", "si", query, limit) != 0)
		return -1;
	*items = json_object_new_array();
	while ((r = sm_rows_next(rows)) == 1)
		json_object_array_add(*items, json_object_new_string(sm_rows_str(rows, 0)));
	sm_rows_free(rows);
	if (r < 0) {
		json_object_put(*items);
		return -1;
	}
	return 0;
}

struct word {
	char *text;
	int weight;
};

static int
by_text(const void *a, const void *b)
{
	return strcmp(((const struct word *)a)->text, ((const struct word *)b)->text);
}

int
search_dictionary(struct sm_db *db, char ***words, int **weights, size_t *n)
{
	struct sm_rows *rows;
	struct word *all;
	size_t cap = 1024, count = 0, k = 0;
	int r;

	if (sm_db_exec(db, &rows, "SELECT s.name, s.member_count FROM communities_search s"
	    " ORDER BY s.member_count DESC, s.id DESC LIMIT ?", "i", (long long)DICT_COMMUNITIES) != 0)
		return -1;
	all = sm_xmalloc(cap * sizeof(*all));
	while ((r = sm_rows_next(rows)) == 1 && count < DICT_MAX_WORDS) {
		char *name = sm_xstrdup(sm_rows_str(rows, 0)), *save = NULL;
		long long members = sm_rows_int(rows, 1);
		int w = (int)(members > 1000000 ? 1000000 : members) + 1;

		for (char *t = strtok_r(name, " \t", &save); t != NULL && count < DICT_MAX_WORDS;
		    t = strtok_r(NULL, " \t", &save)) {
			if (count == cap)
				all = sm_xrealloc(all, (cap *= 2) * sizeof(*all));
			all[count].text = sm_xstrdup(t);
			all[count++].weight = w;
		}
		free(name);
	}
	sm_rows_free(rows);
	/* Sorted, then each run of one word folded into its first entry with the summed weight. */
	qsort(all, count, sizeof(*all), by_text);
	*words = sm_xmalloc((count + 1) * sizeof(**words));
	*weights = sm_xmalloc((count + 1) * sizeof(**weights));
	for (size_t i = 0; i < count; i++) {
		if (k > 0 && strcmp((*words)[k - 1], all[i].text) == 0) {
			(*weights)[k - 1] += all[i].weight;
			free(all[i].text);
			continue;
		}
		(*words)[k] = all[i].text;
		(*weights)[k++] = all[i].weight;
	}
	free(all);
	*n = k;
	return r < 0 ? -1 : 0;
}
