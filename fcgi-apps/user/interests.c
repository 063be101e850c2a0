/*
 * interests.c -- the interest categories (GET /api/v1/interests).
 *
 * The catalogue changes only with a migration, so each worker keeps it in
 * memory and reloads it at most once a minute; validation of a signup's codes
 * then costs no query.
 */
#include "store.h"

#include <string.h>
#include <time.h>

#define RELOAD_SECONDS 60

struct catalogue {
	json_object *items;     /* [{code, name}] */
	time_t loaded;
};

static struct catalogue cat;

static json_object *
catalogue(struct sm_app *app)
{
	json_object *fresh;

	if (cat.items != NULL && time(NULL) - cat.loaded < RELOAD_SECONDS)
		return cat.items;
	if (store_interests(app->db, &fresh) != 0)
		return cat.items;       /* stale beats nothing */
	json_object_put(cat.items);
	cat.items = fresh;
	cat.loaded = time(NULL);
	return cat.items;
}

int
interest_known(struct sm_app *app, const char *code)
{
	json_object *items = catalogue(app);
	size_t i, n;

	if (items == NULL)
		return -1;
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		json_object *c = json_object_object_get(json_object_array_get_idx(items, i), "code");

		if (strcmp(json_object_get_string(c), code) == 0)
			return 1;
	}
	return 0;
}

void
interests_list(struct sm_req *req)
{
	json_object *items = catalogue(req->app), *o;

	if (items == NULL) {
		sm_reply_db_error(req);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", json_object_get(items));
	sm_reply_json(req, 200, o);
}

void
interests_free(void)
{
	json_object_put(cat.items);
	cat.items = NULL;
}
