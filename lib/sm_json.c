/*
 * sm_json.c -- JSON bodies and field validation (see sm_json.h).
 *
 * json-c is told to be strict (no single quotes, no trailing garbage) and to
 * validate UTF-8; we add a nesting limit and reject strings with NUL bytes,
 * which C string handling would otherwise silently truncate.
 */
#include "sm_json.h"
#include "sm_http.h"
#include "sm_pool.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 16

size_t
sm_utf8_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;

	while (p < end) {
		unsigned c = *p;
		size_t k;
		unsigned cp;

		if (c < 0x80) {
			p++;
			n++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return (size_t)-1;
		}
		if ((size_t)(end - p) <= k)
			return (size_t)-1;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (size_t)-1;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return (size_t)-1;
		p += k + 1;
		n++;
	}
	return n;
}

static int
hex4(const char *s, const char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (end - s < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Length of the RFC 8259 number at p, 0 if there is none:
 * -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, and not followed by
 * anything a number could continue with ("01", "5.", "1.e5", "1e" are none).
 */
static size_t
number_len(const char *p, const char *end)
{
	const char *q = p;

	if (q < end && *q == '-')
		q++;
	if (q < end && *q == '0')
		q++;
	else if (q < end && *q >= '1' && *q <= '9')
		while (q < end && is_digit(*q))
			q++;
	else
		return 0;
	if (q < end && *q == '.') {
		if (++q >= end || !is_digit(*q))
			return 0;
		while (q < end && is_digit(*q))
			q++;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		if (++q < end && (*q == '+' || *q == '-'))
			q++;
		if (q >= end || !is_digit(*q))
			return 0;
		while (q < end && is_digit(*q))
			q++;
	}
	if (q < end && (is_digit(*q) || *q == '.' || *q == 'e' || *q == 'E' || *q == '+' ||
	    *q == '-'))
		return 0;
	return (size_t)(q - p);
}

/*
 * What json-c lets through even when strict: raw control characters inside
 * strings, lone UTF-16 surrogate escapes, bare words such as NaN or Infinity,
 * and numbers RFC 8259 does not have ("5.", "1.e5", "01", "+1").  One pass
 * over the text, tracking whether we are in a string; outside strings only
 * structure, whitespace, literals and strict numbers may appear.
 */
static int
strict_enough(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int in_string = 0;

	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (in_string) {
			if (c < 0x20)
				return 0;
			if (c == '"') {
				in_string = 0;
			} else if (c == '\\') {
				unsigned u, lo;

				if (p + 1 >= end)
					return 0;
				if (p[1] == 'u') {
					if (hex4(p + 2, end, &u) != 0)
						return 0;
					if (u >= 0xdc00 && u <= 0xdfff)
						return 0;               /* low half alone */
					if (u >= 0xd800 && u <= 0xdbff) {
						if (end - (p + 6) < 6 || p[6] != '\\' || p[7] != 'u' ||
						    hex4(p + 8, end, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
							return 0;
						p += 6;
					}
					p += 6;
					continue;
				}
				p += 2;
				continue;
			}
			p++;
			continue;
		}
		if (c == '"') {
			in_string = 1;
		} else if (c == '-' || is_digit(c)) {
			size_t n = number_len(p, end);

			if (n == 0)
				return 0;
			p += n;
			continue;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			if ((end - p >= 4 && (memcmp(p, "true", 4) == 0 || memcmp(p, "null", 4) == 0)))
				p += 4;
			else if (end - p >= 5 && memcmp(p, "false", 5) == 0)
				p += 5;
			else
				return 0;
			if (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
				return 0;
			continue;
		} else if (!strchr("{}[]:, \t\r\n", c) || c == '\0') {
			return 0;
		}
		p++;
	}
	return 1;
}

json_object *
sm_json_parse(const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(MAX_DEPTH);
	json_object *obj;
	size_t end;

	if (tok == NULL)
		return NULL;
	if (len > 0x7fffffff || sm_utf8_chars(text, len) == (size_t)-1 ||
	    !strict_enough(text, len)) {
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (obj == NULL && json_tokener_get_error(tok) == json_tokener_continue) {
		/* A bare number at the end: the NUL ends it, and all of text was read. */
		obj = json_tokener_parse_ex(tok, "", 1);
		end = len;
	}
	if (obj != NULL && json_tokener_get_error(tok) == json_tokener_success) {
		while (end < len && isspace((unsigned char)text[end]))
			end++;
		if (end != len) {
			json_object_put(obj);
			obj = NULL;
		}
	} else if (obj != NULL) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static int
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	return strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static void
put_json(void *obj)
{
	json_object_put(obj);
}

int
sm_json_body_or_reply(struct sm_req *req, json_object **out)
{
	json_object *obj;

	if (req->content_type != NULL && req->content_type[0] != '\0' &&
	    !is_json_type(req->content_type)) {
		sm_reply_error(req, 415, "UNSUPPORTED_MEDIA_TYPE",
		    "the body must be application/json");
		return -1;
	}
	if (req->body == NULL || req->body_len == 0) {
		sm_reply_error(req, 400, "INVALID_JSON", "a JSON object body is required");
		return -1;
	}
	obj = sm_json_parse(req->body, req->body_len);
	if (obj == NULL) {
		sm_reply_error(req, 400, "INVALID_JSON",
		    "the body is not valid JSON (UTF-8, nesting at most %d)", MAX_DEPTH);
		return -1;
	}
	sm_pool_cleanup(req->pool, put_json, obj);
	if (!json_object_is_type(obj, json_type_object)) {
		sm_reply_error(req, 400, "INVALID_JSON", "the body must be a JSON object");
		return -1;
	}
	*out = obj;
	return 0;
}

void
sm_form_init(struct sm_form *f, struct sm_req *req, json_object *obj)
{
	f->req = req;
	f->obj = obj;
	f->fields = NULL;
}

void
sm_form_invalid(struct sm_form *f, const char *key, const char *message)
{
	if (f->fields == NULL)
		f->fields = json_object_new_object();
	if (!json_object_object_get_ex(f->fields, key, NULL))
		json_object_object_add(f->fields, key, json_object_new_string(message));
}

int
sm_form_has_errors(const struct sm_form *f)
{
	return f->fields != NULL;
}

int
sm_form_done_or_reply(struct sm_form *f)
{
	if (f->fields == NULL)
		return 0;
	sm_reply_invalid(f->req, f->fields);
	f->fields = NULL;
	return -1;
}

/*
 * Common prologue: 0 absent, 2 null (allowed), -1 invalid (recorded), 1 value
 * present in *val.
 */
static int
lookup(struct sm_form *f, const char *key, unsigned flags, json_object **val)
{
	if (!json_object_object_get_ex(f->obj, key, val)) {
		if (flags & SM_REQUIRED) {
			sm_form_invalid(f, key, "is required");
			return -1;
		}
		return 0;
	}
	if (*val == NULL) {
		if (flags & SM_NULLABLE)
			return 2;
		sm_form_invalid(f, key, (flags & SM_REQUIRED) ? "is required" : "must not be null");
		return -1;
	}
	return 1;
}

int
sm_form_string(struct sm_form *f, const char *key, unsigned flags,
    size_t min_chars, size_t max_chars, const char **out)
{
	json_object *val;
	const char *s;
	size_t len, chars;
	int r = lookup(f, key, flags, &val);
	char msg[96];

	*out = NULL;
	if (r <= 0)
		return r;
	if (r == 2)
		return 1;
	if (!json_object_is_type(val, json_type_string)) {
		sm_form_invalid(f, key, "must be a string");
		return -1;
	}
	s = json_object_get_string(val);
	len = (size_t)json_object_get_string_len(val);
	if (strlen(s) != len || (chars = sm_utf8_chars(s, len)) == (size_t)-1) {
		sm_form_invalid(f, key, "must be valid UTF-8 text without NUL characters");
		return -1;
	}
	if (chars < min_chars || chars > max_chars) {
		if (min_chars > 0 && chars < min_chars && min_chars == 1)
			snprintf(msg, sizeof(msg), "must not be empty");
		else
			snprintf(msg, sizeof(msg), "must be %zu to %zu characters long",
			    min_chars, max_chars);
		sm_form_invalid(f, key, msg);
		return -1;
	}
	*out = s;
	return 1;
}

int
sm_form_int(struct sm_form *f, const char *key, unsigned flags, long long min,
    long long max, long long *out, int *is_null)
{
	json_object *val;
	int r = lookup(f, key, flags, &val);
	long long v;
	char msg[96];

	if (is_null != NULL)
		*is_null = (r == 2);
	if (r <= 0 || r == 2)
		return r == 2 ? 1 : r;
	if (!json_object_is_type(val, json_type_int)) {
		sm_form_invalid(f, key, "must be an integer");
		return -1;
	}
	v = json_object_get_int64(val);
	if (v < min || v > max) {
		snprintf(msg, sizeof(msg), "must be between %lld and %lld", min, max);
		sm_form_invalid(f, key, msg);
		return -1;
	}
	*out = v;
	return 1;
}

int
sm_form_bool(struct sm_form *f, const char *key, unsigned flags, int *out)
{
	json_object *val;
	int r = lookup(f, key, flags, &val);

	if (r <= 0 || r == 2)
		return r == 2 ? 1 : r;
	if (!json_object_is_type(val, json_type_boolean)) {
		sm_form_invalid(f, key, "must be true or false");
		return -1;
	}
	*out = json_object_get_boolean(val);
	return 1;
}

int
sm_form_array(struct sm_form *f, const char *key, unsigned flags,
    size_t min_items, size_t max_items, json_object **out)
{
	json_object *val;
	int r = lookup(f, key, flags, &val);
	size_t n;
	char msg[96];

	*out = NULL;
	if (r <= 0 || r == 2)
		return r == 2 ? 1 : r;
	if (!json_object_is_type(val, json_type_array)) {
		sm_form_invalid(f, key, "must be an array");
		return -1;
	}
	n = json_object_array_length(val);
	if (n < min_items || n > max_items) {
		snprintf(msg, sizeof(msg), "must have %zu to %zu items", min_items, max_items);
		sm_form_invalid(f, key, msg);
		return -1;
	}
	*out = val;
	return 1;
}

json_object *
sm_json_string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}
