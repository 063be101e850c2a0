/*
 * oauth_client.c -- server-to-server calls to the auth server over libcurl.
 *
 * One easy handle per worker, reset before each call but never cleaned up
 * between them, so its connection to the auth server is kept alive and
 * reused (the worker serves one request at a time).  The auth server's URL
 * comes only from somoim.conf ([oauth_client] url), never from a request;
 * only http and https are allowed, redirects are not followed, TLS peers and
 * host names are verified, answers are capped at 64 KiB, and every call has a
 * connect and a total timeout, so a dead or slow auth server costs a bounded
 * time and ends as OAUTH_UNAVAILABLE (503), never as a hang.
 */
#include "oauth.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define MAX_ANSWER (64 * 1024)

static CURL *handle;
static int curl_ready;

struct buf {
	char *data;
	size_t len;
	struct sm_pool *pool;
};

static size_t
on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t add = size * n;

	if (b->len + add > MAX_ANSWER)
		return 0;               /* CURLE_WRITE_ERROR: too big to be a real answer */
	if (b->data == NULL)
		b->data = sm_pool_alloc(b->pool, MAX_ANSWER + 1);
	memcpy(b->data + b->len, ptr, add);
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

void
oauth_client_free(void)
{
	if (handle != NULL)
		curl_easy_cleanup(handle);
	handle = NULL;
	if (curl_ready)
		curl_global_cleanup();
	curl_ready = 0;
}

static CURL *
get_handle(void)
{
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			sm_log(SM_LOG_ERROR, "curl_global_init failed");
			return NULL;
		}
		curl_ready = 1;
	}
	if (handle == NULL && (handle = curl_easy_init()) == NULL)
		sm_log(SM_LOG_ERROR, "curl_easy_init failed");
	return handle;
}

struct settings {
	const char *url, *client_id;
	long long timeout_ms, connect_ms;
};

static int
settings(struct sm_app *app, struct settings *s)
{
	s->url = sm_conf_get(app->conf, "oauth_client", "url", NULL);
	s->client_id = sm_conf_get(app->conf, "oauth_client", "client_id", "somoim-web");
	if (s->url == NULL || (strncmp(s->url, "http://", 7) != 0 &&
	    strncmp(s->url, "https://", 8) != 0)) {
		sm_log(SM_LOG_ERROR, "config [oauth_client] url must be an http(s) URL");
		return -1;
	}
	if (sm_conf_int(app->conf, "oauth_client", "timeout_ms", 3000, 100, 60000,
	    &s->timeout_ms) != 0 ||
	    sm_conf_int(app->conf, "oauth_client", "connect_timeout_ms", 1000, 50, 60000,
	    &s->connect_ms) != 0)
		return -1;
	return 0;
}

/*
 * One call: POST form (when form != NULL) or GET with a Bearer token.  Returns
 * the HTTP status with the body in *b, or -1 when no answer came (logged).
 */
static long
call(struct sm_req *req, const struct settings *s, const char *path, const char *form,
    const char *bearer, struct buf *b)
{
	CURL *c = get_handle();
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *url = sm_pool_printf(req->pool, "%s%s", s->url, path);
	CURLcode rc;
	long status = -1;

	if (c == NULL)
		return -1;
	curl_easy_reset(c);
	b->pool = req->pool;
	headers = curl_slist_append(headers, "Accept: application/json");
	if (bearer != NULL)
		headers = curl_slist_append(headers,
		    sm_pool_printf(req->pool, "Authorization: Bearer %s", bearer));
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)s->connect_ms);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "somoim-user/1");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (form != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		sm_log(SM_LOG_WARN, "auth server %s: %s", path,
		    errbuf[0] ? errbuf : curl_easy_strerror(rc));
	/* The handle keeps no pointer into headers once reset by the next call. */
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	return rc == CURLE_OK ? status : -1;
}

static char *
escape(struct sm_req *req, const char *s)
{
	char *e = curl_easy_escape(handle, s, 0), *copy;

	if (e == NULL)
		return NULL;
	copy = sm_pool_strdup(req->pool, e);
	curl_free(e);
	return copy;
}

/* A string member of 1..max characters, copied into the pool, or NULL. */
static const char *
member(struct sm_req *req, json_object *o, const char *key, size_t max)
{
	json_object *v;
	size_t n;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	n = (size_t)json_object_get_string_len(v);
	if (n == 0 || sm_utf8_chars(json_object_get_string(v), n) > max ||
	    strlen(json_object_get_string(v)) != n)
		return NULL;
	return sm_pool_strdup(req->pool, json_object_get_string(v));
}

static json_object *
parse(struct buf *b)
{
	json_object *o;

	if (b->data == NULL || (o = sm_json_parse(b->data, b->len)) == NULL)
		return NULL;
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

enum oauth_result
oauth_exchange(struct sm_req *req, const char *code, const char *verifier,
    const char *redirect_uri, struct oauth_identity *out)
{
	struct settings s;
	struct buf tb = { 0 }, ub = { 0 };
	const char *form, *token;
	char *e_code, *e_verifier, *e_redirect, *e_client;
	json_object *o;
	long status;

	if (settings(req->app, &s) != 0 || get_handle() == NULL)
		return OAUTH_UNAVAILABLE;
	if ((e_code = escape(req, code)) == NULL || (e_verifier = escape(req, verifier)) == NULL ||
	    (e_redirect = escape(req, redirect_uri)) == NULL ||
	    (e_client = escape(req, s.client_id)) == NULL)
		return OAUTH_UNAVAILABLE;
	form = sm_pool_printf(req->pool, "grant_type=authorization_code&code=%s&redirect_uri=%s"
	    "&client_id=%s&code_verifier=%s", e_code, e_redirect, e_client, e_verifier);
	status = call(req, &s, "/oauth/token", form, NULL, &tb);
	if (status == 400) {
		/* invalid_grant / invalid_request: the code (or verifier) is no good. */
		return OAUTH_REJECTED;
	}
	if (status != 200 || (o = parse(&tb)) == NULL) {
		if (status > 0)
			sm_log(SM_LOG_WARN, "auth server /oauth/token answered %ld", status);
		return OAUTH_UNAVAILABLE;
	}
	token = member(req, o, "access_token", 4096);
	json_object_put(o);
	if (token == NULL) {
		sm_log(SM_LOG_WARN, "auth server /oauth/token: no access_token in the answer");
		return OAUTH_UNAVAILABLE;
	}
	status = call(req, &s, "/oauth/userinfo", NULL, token, &ub);
	if (status != 200 || (o = parse(&ub)) == NULL) {
		if (status > 0)
			sm_log(SM_LOG_WARN, "auth server /oauth/userinfo answered %ld", status);
		return OAUTH_UNAVAILABLE;
	}
	out->subject = member(req, o, "sub", 64);
	out->email = member(req, o, "email", 254);
	out->name = member(req, o, "name", 50);
	json_object_put(o);
	if (out->subject == NULL || out->email == NULL || out->name == NULL) {
		sm_log(SM_LOG_WARN, "auth server /oauth/userinfo: sub, email or name missing");
		return OAUTH_UNAVAILABLE;
	}
	return OAUTH_OK;
}
