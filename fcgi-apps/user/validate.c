/*
 * validate.c -- pure validators for the user service's input.
 *
 * Each takes a string the JSON layer already checked for UTF-8 and length,
 * and answers yes or no; none touches the database (known interest codes come
 * from the per-worker catalogue in interests.c).
 */
#include "user.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/*
 * A practical address check, not RFC 5322: one '@', a local part of 1..64
 * printable ASCII characters without spaces or quotes and without leading,
 * trailing or doubled dots, and a domain of dot-separated labels of letters,
 * digits and inner hyphens with at least two labels.
 */
int
valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *p, *label;
	size_t local;

	if (at == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '(' || *p == ')' ||
		    *p == ',' || *p == ':' || *p == ';' || *p == '<' || *p == '>' ||
		    *p == '[' || *p == ']' || *p == '\\' || (*p == '.' && p[1] == '.'))
			return 0;
	if (strchr(at + 1, '.') == NULL)
		return 0;
	for (label = at + 1;; label = p + 1) {
		for (p = label; *p && *p != '.'; p++)
			if (!isalnum((unsigned char)*p) && *p != '-')
				return 0;
		if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
			return 0;
		if (*p == '\0')
			break;
	}
	return 1;
}

static int
one_of(const char *set, char c)
{
	c = (char)toupper((unsigned char)c);
	return c != '\0' && strchr(set, c) != NULL;
}

int
valid_mbti(const char *s)
{
	return strlen(s) == 4 && one_of("EI", s[0]) && one_of("NS", s[1]) &&
	    one_of("TF", s[2]) && one_of("JP", s[3]);
}

int
valid_image_url(const char *s)
{
	const char *p;

	if (strncasecmp(s, "https://", 8) != 0 && strncasecmp(s, "http://", 7) != 0)
		return 0;
	if (strlen(s) <= strlen("https://"))
		return 0;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\')
			return 0;
	return 1;
}

char *
lowercase(char *s)
{
	char *p;

	for (p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

int
form_interests(struct sm_form *f, unsigned flags, const char *codes[MAX_INTERESTS])
{
	json_object *arr;
	size_t i, n;
	int count = 0, j;

	if (sm_form_array(f, "interests", flags, 1, MAX_INTERESTS, &arr) != 1)
		return sm_form_has_errors(f) ? -1 : 0;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		const char *code;

		if (!json_object_is_type(v, json_type_string)) {
			sm_form_invalid(f, "interests", "must be an array of interest codes");
			return -1;
		}
		code = json_object_get_string(v);
		switch (interest_known(f->req->app, code)) {
		case -1:
			return INTERESTS_UNAVAILABLE;
		case 0:
			sm_form_invalid(f, "interests",
			    "contains an unknown interest code (see GET /api/v1/interests)");
			return -1;
		default:
			break;
		}
		for (j = 0; j < count && strcmp(codes[j], code) != 0; j++)
			;
		if (j == count)
			codes[count++] = code;
	}
	return count;
}

void
profile_fields(struct sm_form *f, struct profile *p, unsigned *clear)
{
	struct sm_pool *pool = f->req->pool;
	const char *s;

	if (sm_form_string(f, "region", SM_NULLABLE, 0, 50, &s) == 1) {
		if (s == NULL || *(s = sm_pool_strtrim(pool, s)) == '\0')
			*clear |= CLEAR_REGION;
		else
			p->region = s;
	}
	if (sm_form_string(f, "mbti", SM_NULLABLE, 0, 4, &s) == 1) {
		if (s == NULL)
			*clear |= CLEAR_MBTI;
		else if (!valid_mbti(s))
			sm_form_invalid(f, "mbti", "must be one of the 16 types, like INTJ");
		else {
			char *up = sm_pool_strdup(pool, s);

			for (char *c = up; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			p->mbti = up;
		}
	}
	if (sm_form_string(f, "profile_image", SM_NULLABLE, 0, 500, &s) == 1) {
		if (s == NULL || *s == '\0')
			*clear |= CLEAR_IMAGE;
		else if (!valid_image_url(s))
			sm_form_invalid(f, "profile_image", "must be an http(s) URL");
		else
			p->profile_image = s;
	}
}
