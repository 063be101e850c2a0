/*
 * sm_app.h -- the FastCGI runner every program is built on.
 *
 * A program declares a struct sm_service (its name, route table and what it
 * needs) and main() returns sm_app_run().  The runner reads somoim.conf,
 * forks the configured number of workers on the socket spawn-fcgi passed on
 * fd 0, restarts a worker that dies, and on SIGTERM lets each worker finish
 * the request in hand.  Per request it builds a struct sm_req, answers 404 /
 * 405 / 401 / 413 itself, reads the body, calls the handler, and frees the
 * request's memory at once afterwards.
 */
#ifndef SM_APP_H
#define SM_APP_H

#include <stddef.h>

#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_db.h"
#include "sm_http.h"
#include "sm_json.h"
#include "sm_jwt.h"
#include "sm_log.h"
#include "sm_pool.h"
#include "sm_redis.h"
#include "sm_route.h"

enum {
	SM_NEEDS_DB = 1 << 0,
	SM_NEEDS_REDIS = 1 << 1,
};

struct sm_app;

struct sm_service {
	const char *name;               /* config section, schema somoim_<name> */
	const struct sm_route *routes;
	size_t nroutes;
	unsigned needs;
	int (*init)(struct sm_app *app);        /* per worker; optional */
	void (*fini)(struct sm_app *app);       /* per worker; optional */
};

#define SM_ROUTES(table) (table), (sizeof(table) / sizeof((table)[0]))

struct sm_app {
	const struct sm_service *service;
	struct sm_conf *conf;
	struct sm_db *db;               /* when SM_NEEDS_DB */
	struct sm_redis *redis;         /* when SM_NEEDS_REDIS */
	struct sm_jwt jwt;
	size_t max_body;
	void *data;                     /* the service's own per-worker state */
};

int sm_app_run(const struct sm_service *service, int argc, char **argv);

/* Answers a failed database call: 503 UNAVAILABLE when the database is out
 * of reach (nothing was written), 500 INTERNAL otherwise (a bug). */
void sm_reply_db_error(struct sm_req *req);

/*
 * Marks user_id's access tokens as revoked in Redis for as long as an access
 * token lives: every program's auth path (with SM_NEEDS_REDIS) then answers
 * 401 to them.  Returns 0, or -1 when Redis did not take the mark.
 */
int sm_app_revoke_user(struct sm_app *app, long long user_id);

/* Serves one request; exposed for the unit tests, which pass fcgx NULL. */
void sm_app_handle(struct sm_app *app, struct sm_req *req);

#endif
