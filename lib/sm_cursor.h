/*
 * sm_cursor.h -- list pages: ?limit= and an opaque ?cursor= (docs/openapi.yaml: `limit`, `cursor`).
 *
 * A cursor is the position after the last item of a page, never a page number:
 * for a list ordered by id descending it is the last id shown, so rows created
 * while a client pages through do not shift the pages it has yet to read (no
 * duplicates, no gaps).  The client must not read anything into it, so it goes
 * out as base64url of "<tag>.<number>"; the tag names the kind of list, and a
 * cursor of one list handed to another is refused as invalid.
 */
#ifndef SM_CURSOR_H
#define SM_CURSOR_H

#include <json-c/json.h>

struct sm_pool;
struct sm_req;
struct sm_rows;

#define SM_PAGE_DEFAULT 20
#define SM_PAGE_MAX 100

/* The cursor for position v of a list of kind tag (letters only); pool string. */
char *sm_cursor_encode(struct sm_pool *pool, const char *tag, long long v);

/* Decodes s (a cursor of kind tag) into *v (>= 0): 0, or -1 when it is not one. */
int sm_cursor_decode(const char *tag, const char *s, long long *v);

/*
 * Reads ?limit= (1..SM_PAGE_MAX, default SM_PAGE_DEFAULT) and ?cursor= of
 * kind tag (*after = -1 when absent).  Returns 0, or -1 after answering 400
 * VALIDATION_FAILED naming the bad parameter(s).
 */
int sm_page_or_reply(struct sm_req *req, const char *tag, long long *limit, long long *after);

/*
 * Turns the rows of a query that asked for limit + 1 into a page: up to limit
 * items (row_json of each), and in *next the position of the last item kept
 * when one more row exists (a next page), else -1.  Frees rows.  Returns 0,
 * or -1 on a fetch error (nothing to free).
 */
int sm_page_collect(struct sm_rows *rows, long long limit,
    json_object *(*row_json)(const struct sm_rows *rows),
    long long (*position)(const struct sm_rows *rows), json_object **items, long long *next);

/*
 * Answers 200 {items, next_cursor}: the cursor of position next under tag,
 * or null when next < 0 (the last page).  Takes items.
 */
void sm_reply_page(struct sm_req *req, const char *tag, json_object *items, long long next);

#endif
