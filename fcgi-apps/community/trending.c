/*
 * trending.c -- 실시간 검색어: the most searched queries of the last hour, in Redis.
 *
 * A search that found something counts its normalised query once per searcher
 * (the user, or the client address when anonymous) per hour: SET NX on
 * "search:seen:<who>:<q>" with a one-hour expiry, and only when that key is new
 * a ZINCRBY on the current minute's sorted set "search:min:<minute>" (kept two
 * hours).  So a script repeating one query counts once an hour, however fast.
 *
 * The one design decision: the top list is computed by one worker at most
 * every [search] trending_refresh seconds (30), summing the last 60 minute sets, and kept as JSON under
 * "search:top"; every other read is one GET.  Redis down: nothing is counted and
 * the list is empty (search itself does not depend on Redis).
 */
#include "search.h"
#include "sm_pool.h"
#include "sm_redis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MINUTES 60
#define TOP_KEEP 100            /* queries kept in the cached list (suggest reads them too) */

void
trending_count(struct sm_redis *r, const char *who, const char *q)
{
	long long minute = (long long)time(NULL) / 60;
	char seen[512], bucket[64];
	redisReply *rep;

	if (snprintf(seen, sizeof(seen), "search:seen:%s:%s", who, q) >= (int)sizeof(seen))
		return;
	if ((rep = sm_redis_cmd(r, "SET %s 1 NX EX 3600", seen)) == NULL)
		return;
	if (rep->type != REDIS_REPLY_STATUS) {     /* nil: counted within the hour already */
		freeReplyObject(rep);
		return;
	}
	freeReplyObject(rep);
	snprintf(bucket, sizeof(bucket), "search:min:%lld", minute);
	if ((rep = sm_redis_cmd(r, "ZINCRBY %s 1 %s", bucket, q)) != NULL)
		freeReplyObject(rep);
	if ((rep = sm_redis_cmd(r, "EXPIRE %s %d", bucket, 2 * 3600)) != NULL)
		freeReplyObject(rep);
}

struct tally {
	char *q;
	double n;
};

static int
by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->q, y->q);
}

/* Sums the last hour's minute sets into a JSON array of {query, count}, most first. */
static json_object *
compute(struct sm_redis *r)
{
	long long now = (long long)time(NULL) / 60;
	struct tally *t = NULL;
	size_t n = 0, cap = 0;
	json_object *out = json_object_new_array();

	for (long long m = now - MINUTES + 1; m <= now; m++) {
		redisReply *rep = sm_redis_cmd(r, "ZRANGE search:min:%lld 0 -1 WITHSCORES", m);

		if (rep == NULL)
			break;
		for (size_t i = 0; rep->type == REDIS_REPLY_ARRAY && i + 1 < rep->elements; i += 2) {
			const char *q = rep->element[i]->str;
			double c = atof(rep->element[i + 1]->str);
			size_t k;

			for (k = 0; k < n && strcmp(t[k].q, q) != 0; k++)
				;
			if (k == n) {
				if (n == cap)
					t = sm_xrealloc(t, (cap = cap ? 2 * cap : 64) * sizeof(*t));
				t[n].q = sm_xstrdup(q);
				t[n++].n = 0;
			}
			t[k].n += c;
		}
		freeReplyObject(rep);
	}
	if (n > 0)
		qsort(t, n, sizeof(*t), by_count);
	for (size_t k = 0; k < n; k++) {
		if (k < TOP_KEEP) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "query", json_object_new_string(t[k].q));
			json_object_object_add(o, "count", json_object_new_int64((long long)t[k].n));
			json_object_array_add(out, o);
		}
		free(t[k].q);
	}
	free(t);
	return out;
}

json_object *
trending_top(struct sm_redis *r, size_t max, int refresh)
{
	redisReply *rep = sm_redis_cmd(r, "GET search:top");
	json_object *all = NULL, *out;

	if (rep != NULL && rep->type == REDIS_REPLY_STRING)
		all = json_tokener_parse(rep->str);
	if (rep != NULL)
		freeReplyObject(rep);
	if (all == NULL || !json_object_is_type(all, json_type_array)) {
		json_object_put(all);
		all = compute(r);
		rep = sm_redis_cmd(r, "SET search:top %s EX %d", json_object_to_json_string_ext(all,
		    JSON_C_TO_STRING_PLAIN), refresh);
		if (rep != NULL)
			freeReplyObject(rep);
	}
	out = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(all) && i < max; i++)
		json_object_array_add(out, json_object_get(json_object_array_get_idx(all, i)));
	json_object_put(all);
	return out;
}
