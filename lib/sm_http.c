/*
 * sm_http.c -- request accessors and replies (see sm_http.h).
 *
 * The reply is written in one FCGX_PutStr for the headers and one for the body;
 * Content-Length is always sent so nginx never has to buffer to find the end.
 */
#include "sm_http.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <fcgiapp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sm_header {
	struct sm_header *next;
	const char *name;
	const char *value;
};

const char *
sm_http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Unknown";
	}
}

const char *
sm_req_env(const struct sm_req *req, const char *name)
{
	FCGX_Request *r = req->fcgx;

	return r ? FCGX_GetParam(name, r->envp) : NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
sm_url_decode(struct sm_pool *pool, const char *s, size_t len)
{
	char *out = sm_pool_alloc(pool, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int
is_control(int c)
{
	return (c >= 0 && c < 0x20) || c == 0x7f;
}

int
sm_has_control(const char *s)
{
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (is_control((unsigned char)*s))
			return 1;
		if (*s == '%' && (hi = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0) {
			if (is_control(hi << 4 | lo))
				return 1;
			s += 2;
		}
	}
	return 0;
}

const char *
sm_urlenc_get(struct sm_pool *pool, const char *text, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);

		if (plen > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=')
			return sm_url_decode(pool, p + nlen + 1, plen - nlen - 1);
		if (plen == nlen && strncmp(p, name, nlen) == 0)
			return "";
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

int
sm_urlenc_count(const char *text, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = text;
	int n = 0;

	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);

		if (plen >= nlen && strncmp(p, name, nlen) == 0 && (plen == nlen || p[nlen] == '='))
			n++;
		p = amp ? amp + 1 : NULL;
	}
	return n;
}

const char *
sm_req_query(const struct sm_req *req, const char *name)
{
	return sm_urlenc_get(req->pool, req->query, name);
}

void
sm_reply_header(struct sm_req *req, const char *name, const char *value)
{
	struct sm_header *h = sm_pool_alloc(req->pool, sizeof(*h));

	h->name = name;
	h->value = value;
	h->next = req->headers;
	req->headers = h;
}

void
sm_reply(struct sm_req *req, int status, const char *content_type,
    const char *body, size_t len)
{
	FCGX_Request *r = req->fcgx;
	char head[1024];
	struct sm_header *h;
	int n;

	if (req->status != 0) {
		sm_log(SM_LOG_ERROR, "second reply (%d after %d) to %s %s ignored",
		    status, req->status, req->method, req->path);
		return;
	}
	req->status = status;
	if (r == NULL)
		return;
	n = snprintf(head, sizeof(head), "Status: %d %s\r\n", status,
	    sm_http_status_text(status));
	if (content_type != NULL)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Content-Type: %s\r\nContent-Length: %zu\r\n", content_type, len);
	for (h = req->headers; h != NULL && (size_t)n < sizeof(head); h = h->next)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "%s: %s\r\n", h->name, h->value);
	if ((size_t)n >= sizeof(head) - 2) {
		sm_log(SM_LOG_ERROR, "reply headers for %s %s longer than %zu bytes",
		    req->method, req->path, sizeof(head));
		n = snprintf(head, sizeof(head), "Status: 500 Internal Server Error\r\n");
		len = 0;
	}
	n += snprintf(head + n, sizeof(head) - (size_t)n, "\r\n");
	FCGX_PutStr(head, n, r->out);
	if (len > 0 && strcmp(req->method, "HEAD") != 0)
		FCGX_PutStr(body, (int)len, r->out);
}

void
sm_reply_json(struct sm_req *req, int status, json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	sm_reply(req, status, "application/json; charset=utf-8", s, len);
	json_object_put(obj);
}

void
sm_reply_empty(struct sm_req *req, int status)
{
	sm_reply(req, status, NULL, NULL, 0);
}

static void
reply_error_obj(struct sm_req *req, int status, const char *code,
    const char *message, json_object *fields)
{
	json_object *err = json_object_new_object(), *root = json_object_new_object();

	json_object_object_add(err, "code", json_object_new_string(code));
	json_object_object_add(err, "message", json_object_new_string(message));
	if (fields != NULL)
		json_object_object_add(err, "fields", fields);
	json_object_object_add(err, "request_id", json_object_new_string(req->request_id));
	json_object_object_add(root, "error", err);
	sm_reply_json(req, status, root);
}

void
sm_reply_error(struct sm_req *req, int status, const char *code, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (status >= 500)
		sm_log(SM_LOG_WARN, "%s %s -> %d %s: %s", req->method, req->path, status,
		    code, message);
	reply_error_obj(req, status, code, message, NULL);
}

void
sm_reply_invalid(struct sm_req *req, json_object *fields)
{
	reply_error_obj(req, 400, "VALIDATION_FAILED", "some fields are invalid", fields);
}
