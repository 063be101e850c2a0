/*
 * sm_cursor.c -- opaque list cursors and the limit/cursor query parameters.
 *
 * The encoding is libsodium's unpadded base64url of "<tag>.<decimal>": opaque
 * enough that nobody builds one by hand, cheap to check strictly on the way in
 * (a cursor is untrusted input like any other).
 */
#include "sm_cursor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <json-c/json.h>

#include "sm_db.h"
#include "sm_http.h"
#include "sm_pool.h"

#define CURSOR_MAX 96

char *
sm_cursor_encode(struct sm_pool *pool, const char *tag, long long v)
{
	char plain[48], out[CURSOR_MAX];
	int n = snprintf(plain, sizeof(plain), "%s.%lld", tag, v);

	sodium_bin2base64(out, sizeof(out), (const unsigned char *)plain, (size_t)n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return sm_pool_strdup(pool, out);
}

int
sm_cursor_decode(const char *tag, const char *s, long long *v)
{
	unsigned char plain[48];
	size_t len, tlen = strlen(tag);
	char *end;
	long long n;

	if (strlen(s) == 0 || strlen(s) >= CURSOR_MAX)
		return -1;
	if (sodium_base642bin(plain, sizeof(plain) - 1, s, strlen(s), NULL, &len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	plain[len] = '\0';
	if (len <= tlen + 1 || memcmp(plain, tag, tlen) != 0 || plain[tlen] != '.')
		return -1;
	if (plain[tlen + 1] < '0' || plain[tlen + 1] > '9')
		return -1;
	errno = 0;
	n = strtoll((const char *)plain + tlen + 1, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0)
		return -1;
	*v = n;
	return 0;
}

int
sm_page_or_reply(struct sm_req *req, const char *tag, long long *limit, long long *after)
{
	const char *l = sm_req_query(req, "limit"), *c = sm_req_query(req, "cursor");
	json_object *fields = NULL;
	char *end;

	*limit = SM_PAGE_DEFAULT;
	*after = -1;
	if (l != NULL) {
		errno = 0;
		*limit = strtoll(l, &end, 10);
		if (*l < '0' || *l > '9' || errno != 0 || *end != '\0' || *limit < 1 ||
		    *limit > SM_PAGE_MAX) {
			fields = json_object_new_object();
			json_object_object_add(fields, "limit",
			    json_object_new_string("must be an integer between 1 and 100"));
		}
	}
	if (c != NULL && *c != '\0' && sm_cursor_decode(tag, c, after) != 0) {
		if (fields == NULL)
			fields = json_object_new_object();
		json_object_object_add(fields, "cursor",
		    json_object_new_string("is not a cursor this list gave out"));
	}
	if (fields != NULL) {
		sm_reply_invalid(req, fields);
		return -1;
	}
	return 0;
}

int
sm_page_collect(struct sm_rows *rows, long long limit,
    json_object *(*row_json)(const struct sm_rows *rows),
    long long (*position)(const struct sm_rows *rows), json_object **items, long long *next)
{
	json_object *arr = json_object_new_array();
	long long n = 0, last = -1;
	int r;

	*next = -1;
	while ((r = sm_rows_next(rows)) == 1) {
		if (n == limit) {
			*next = last;
			break;
		}
		json_object_array_add(arr, row_json(rows));
		last = position(rows);
		n++;
	}
	sm_rows_free(rows);
	if (r < 0) {
		json_object_put(arr);
		return -1;
	}
	*items = arr;
	return 0;
}

void
sm_reply_page(struct sm_req *req, const char *tag, json_object *items, long long next)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "items", items);
	json_object_object_add(o, "next_cursor", next < 0 ? NULL :
	    json_object_new_string(sm_cursor_encode(req->pool, tag, next)));
	sm_reply_json(req, 200, o);
}
