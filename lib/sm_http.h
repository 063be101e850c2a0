/*
 * sm_http.h -- one HTTP request as a FastCGI program sees it, and its reply.
 *
 * The runner (sm_app.c) fills a struct sm_req from the FastCGI parameters nginx
 * sends, reads the body under the configured size limit, and hands it to the
 * handler.  A handler answers exactly once with one of the sm_reply_* calls;
 * every error leaves as {"error": {"code", "message", "fields"?, "request_id"}}
 * with the status docs/openapi.yaml gives.  All strings hang off req->pool.
 */
#ifndef SM_HTTP_H
#define SM_HTTP_H

#include <stddef.h>
#include <json-c/json.h>

#define SM_MAX_PARAMS 4

struct sm_app;
struct sm_pool;

struct sm_req {
	struct sm_pool *pool;
	struct sm_app *app;
	void *fcgx;                     /* FCGX_Request * */
	const char *method;             /* "GET", ... */
	const char *path;               /* decoded, normalised by nginx ($uri) */
	const char *query;              /* raw query string, "" when none */
	const char *content_type;       /* NULL when absent */
	const char *request_id;         /* nginx's $request_id, "-" when absent */
	const char *body;               /* NUL-terminated copy, NULL when none */
	size_t body_len;
	const char *params[SM_MAX_PARAMS];  /* path captures, in order */
	long long ids[SM_MAX_PARAMS];       /* their values for {..id} captures */
	int nparams;
	long long user_id;              /* the authenticated caller; 0 for public */
	int status;                     /* 0 until answered */
	struct sm_header *headers;      /* extra reply headers */
};

/* A FastCGI parameter (e.g. "HTTP_AUTHORIZATION") or NULL. */
const char *sm_req_env(const struct sm_req *req, const char *name);

/* The decoded value of a query parameter, or NULL when absent. */
const char *sm_req_query(const struct sm_req *req, const char *name);

/*
 * The decoded value of name in application/x-www-form-urlencoded text (a query
 * string or a form body), or NULL when absent; the first one wins.
 * sm_urlenc_count() says how many times name occurs (RFC 6749 refuses repeats).
 */
const char *sm_urlenc_get(struct sm_pool *pool, const char *text, const char *name);
int sm_urlenc_count(const char *text, const char *name);

/* Adds a reply header; name and value must live as long as the request. */
void sm_reply_header(struct sm_req *req, const char *name, const char *value);

void sm_reply(struct sm_req *req, int status, const char *content_type,
    const char *body, size_t len);
/* Serialises obj and drops the caller's reference to it (json_object_put). */
void sm_reply_json(struct sm_req *req, int status, json_object *obj);
void sm_reply_empty(struct sm_req *req, int status);
void sm_reply_error(struct sm_req *req, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* 400 VALIDATION_FAILED; takes the reference to fields (field -> message). */
void sm_reply_invalid(struct sm_req *req, json_object *fields);

/* "/api/v1/x?cursor=..." style helpers: percent-decoding into the pool. */
char *sm_url_decode(struct sm_pool *pool, const char *s, size_t len);

/*
 * Returns 1 when s (a path or a query string, percent-escapes decoded as
 * sm_url_decode would) holds a control character (U+0000..U+001F, U+007F),
 * else 0.  A decoded NUL would cut the value short of what was validated
 * ("q=abc%00zzz" reads as "q=abc"), so the runner refuses such requests.
 */
int sm_has_control(const char *s);

const char *sm_http_status_text(int status);

#endif
