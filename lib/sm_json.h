/*
 * sm_json.h -- JSON request bodies in, field-level validation errors out.
 *
 * Validate at the edge: a handler parses the body with sm_json_body_or_reply()
 * and pulls each field through a pure validator on a struct sm_form.  The
 * validators record "field -> what is wrong" instead of replying, so one 400
 * VALIDATION_FAILED names every bad field at once; sm_form_done_or_reply()
 * sends it.  Strings returned are owned by the parsed document, which lives as
 * long as the request (its pool drops it).
 */
#ifndef SM_JSON_H
#define SM_JSON_H

#include <stddef.h>
#include <json-c/json.h>

struct sm_req;

enum {
	SM_OPTIONAL = 0,
	SM_REQUIRED = 1 << 0,   /* absent (or null) is an error */
	SM_NULLABLE = 1 << 1,   /* explicit null is allowed (reported as present) */
};

struct sm_form {
	struct sm_req *req;
	json_object *obj;
	json_object *fields;    /* NULL until the first error */
};

/*
 * Parses req's body as one JSON object (depth at most 16, valid UTF-8).
 * Returns 0 and the object (owned by the request) or -1 after answering
 * 415 (not application/json) or 400 INVALID_JSON.
 */
int sm_json_body_or_reply(struct sm_req *req, json_object **out);

/* Parses text; NULL when it is not one valid JSON value. Caller puts. */
json_object *sm_json_parse(const char *text, size_t len);

void sm_form_init(struct sm_form *f, struct sm_req *req, json_object *obj);

/*
 * Each getter returns 1 when the field is present and valid (*out set; for
 * an allowed null, *out is NULL / *is_null set), 0 when absent, -1 when
 * invalid (recorded).  Lengths of strings count Unicode characters.
 */
int sm_form_string(struct sm_form *f, const char *key, unsigned flags,
    size_t min_chars, size_t max_chars, const char **out);
int sm_form_int(struct sm_form *f, const char *key, unsigned flags,
    long long min, long long max, long long *out, int *is_null);
int sm_form_bool(struct sm_form *f, const char *key, unsigned flags, int *out);
int sm_form_array(struct sm_form *f, const char *key, unsigned flags,
    size_t min_items, size_t max_items, json_object **out);

void sm_form_invalid(struct sm_form *f, const char *key, const char *message);
int sm_form_has_errors(const struct sm_form *f);
/* 0 when no field failed; otherwise answers 400 VALIDATION_FAILED, -1. */
int sm_form_done_or_reply(struct sm_form *f);

/* Number of Unicode characters in valid UTF-8 s, or (size_t)-1 if invalid. */
size_t sm_utf8_chars(const char *s, size_t len);

/* json_object_new_string(s), or NULL (JSON null) when s is NULL. */
json_object *sm_json_string_or_null(const char *s);

#endif
