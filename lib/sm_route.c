/*
 * sm_route.c -- match a request against a route table (see sm_route.h).
 *
 * Tables are a few dozen entries, so a linear scan with segment-by-segment
 * comparison beats anything cleverer; it allocates nothing unless it matches.
 */
#include "sm_route.h"
#include "sm_http.h"
#include "sm_pool.h"

#include <stdio.h>
#include <string.h>

/* A positive integer that fits in a JSON-safe 53-bit id, or -1. */
static long long
parse_id(const char *s, size_t len)
{
	long long v = 0;
	size_t i;

	if (len == 0 || len > 16 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 9007199254740991LL ? v : -1;
}

static int
is_id_capture(const char *seg, size_t len)
{
	/* "{id}" or "{..._id}": ends in "id}" */
	return len >= 4 && seg[len - 3] == 'i' && seg[len - 2] == 'd';
}

/* Does path match pattern?  Captures go to req when req is not NULL. */
static int
match(const char *pattern, const char *path, struct sm_req *req)
{
	int n = 0;

	while (*pattern == '/' && *path == '/') {
		const char *pe = strchr(pattern + 1, '/'), *se = strchr(path + 1, '/');
		size_t plen, slen;

		pattern++;
		path++;
		plen = pe ? (size_t)(pe - pattern) : strlen(pattern);
		slen = se ? (size_t)(se - path) : strlen(path);
		if (plen >= 2 && pattern[0] == '{' && pattern[plen - 1] == '}') {
			long long id = -1;

			if (slen == 0 || n == SM_MAX_PARAMS)
				return 0;
			if (is_id_capture(pattern, plen) && (id = parse_id(path, slen)) < 0)
				return 0;
			if (req != NULL) {
				req->params[n] = sm_pool_strndup(req->pool, path, slen);
				req->ids[n] = id;
			}
			n++;
		} else if (plen != slen || memcmp(pattern, path, plen) != 0) {
			return 0;
		}
		pattern += plen;
		path += slen;
	}
	if (*pattern != '\0' || *path != '\0')
		return 0;
	if (req != NULL)
		req->nparams = n;
	return 1;
}

/* Appends method to the comma-separated list once; returns the new length. */
static size_t
allow_add(char *allow, size_t allow_len, size_t used, const char *method)
{
	const char *p = allow;
	size_t mlen = strlen(method);
	int w;

	while ((p = strstr(p, method)) != NULL) {
		if ((p == allow || p[-1] == ' ') && (p[mlen] == ',' || p[mlen] == '\0'))
			return used;
		p += mlen;
	}
	if (used + mlen + 3 > allow_len)
		return used;
	w = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", method);
	return used + (size_t)w;
}

const struct sm_route *
sm_route_find(const struct sm_route *routes, size_t n, struct sm_req *req,
    int *status, char *allow, size_t allow_len)
{
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
	size_t i, used = 0;
	int path_known = 0;

	allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!match(routes[i].pattern, req->path, NULL))
			continue;
		if (strcmp(routes[i].method, method) == 0 && !(routes[i].flags & SM_ELSEWHERE)) {
			match(routes[i].pattern, req->path, req);
			return &routes[i];
		}
		path_known = 1;
		used = allow_add(allow, allow_len, used, routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			used = allow_add(allow, allow_len, used, "HEAD");
	}
	*status = path_known ? 405 : 404;
	return NULL;
}
