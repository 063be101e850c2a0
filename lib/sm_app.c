/*
 * sm_app.c -- the FastCGI runner (see sm_app.h).
 *
 * Process model: spawn-fcgi starts one master per instance with the listening
 * socket on fd 0; the master forks `workers` processes that each run a plain
 * blocking FCGX_Accept_r loop (libfcgi serves one connection at a time, which
 * is why nginx must not keep connections to us alive: see the gateway).
 * Workers ask the kernel to SIGTERM them when the master dies, so killing an
 * instance's master takes the whole instance down, and nginx fails over.
 */
#include "sm_app.h"
#include "sm_signal.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define MAX_WORKERS 64

void
sm_reply_db_error(struct sm_req *req)
{
	if (req->app->db != NULL && sm_db_unavailable(req->app->db))
		sm_reply_error(req, 503, "UNAVAILABLE",
		    "the database is unavailable; nothing was changed, try again");
	else
		sm_reply_error(req, 500, "INTERNAL", "internal error");
}

static void
health(struct sm_app *app, struct sm_req *req)
{
	json_object *o = json_object_new_object();
	int ok = app->db == NULL || sm_db_ping(app->db) == 0;

	json_object_object_add(o, "status", json_object_new_string(ok ? "ok" : "db-down"));
	json_object_object_add(o, "service", json_object_new_string(app->service->name));
	sm_reply_json(req, ok ? 200 : 503, o);
}

/*
 * Revoked accounts (deleted ones: fcgi-apps/user/deletion.c).  A mark per
 * user id in Redis, kept as long as an access token lives (plus a minute of
 * clock slack), is checked after every good signature: one GET on the
 * worker's connection.  Ids are never reused, so a mark can only ever hit the
 * deleted account.  Redis out of reach fails open: the token then lives out
 * its lifetime, which is the bound without the mark.
 */
#define REVOKED_KEY "somoim:revoked-user:%lld"
#define REVOKED_SLACK 60

static int
user_revoked(struct sm_app *app, long long user_id)
{
	redisReply *r;
	int revoked;

	if (app->redis == NULL)
		return 0;
	if ((r = sm_redis_cmd(app->redis, "EXISTS " REVOKED_KEY, user_id)) == NULL)
		return 0;
	revoked = r->type == REDIS_REPLY_INTEGER && r->integer > 0;
	freeReplyObject(r);
	return revoked;
}

int
sm_app_revoke_user(struct sm_app *app, long long user_id)
{
	redisReply *r;
	int ok;

	if (app->redis == NULL)
		return -1;
	r = sm_redis_cmd(app->redis, "SET " REVOKED_KEY " 1 EX %lld", user_id,
	    app->jwt.access_ttl + REVOKED_SLACK);
	ok = r != NULL && r->type == REDIS_REPLY_STATUS;
	if (r != NULL)
		freeReplyObject(r);
	return ok ? 0 : -1;
}

static int
authenticate_or_reply(struct sm_app *app, struct sm_req *req)
{
	const char *h = sm_req_env(req, "HTTP_AUTHORIZATION");

	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
		const char *token = h + 7;

		while (*token == ' ')
			token++;
		switch (sm_jwt_verify_cached(&app->jwt, token, time(NULL), &req->user_id)) {
		case SM_JWT_OK:
			if (!user_revoked(app, req->user_id))
				return 0;
			sm_reply_header(req, "WWW-Authenticate",
			    "Bearer error=\"invalid_token\", error_description=\"revoked\"");
			sm_reply_error(req, 401, "UNAUTHORIZED", "this account has been deleted");
			return -1;
		case SM_JWT_EXPIRED:
			sm_reply_header(req, "WWW-Authenticate",
			    "Bearer error=\"invalid_token\", error_description=\"expired\"");
			sm_reply_error(req, 401, "TOKEN_EXPIRED", "the access token has expired");
			return -1;
		case SM_JWT_INVALID:
			break;
		}
	}
	sm_reply_header(req, "WWW-Authenticate", "Bearer");
	sm_reply_error(req, 401, "UNAUTHORIZED", h ? "the access token is not valid"
	    : "an access token is required (Authorization: Bearer ...)");
	return -1;
}

static int
read_body_or_reply(struct sm_app *app, struct sm_req *req)
{
	const char *cl = sm_req_env(req, "CONTENT_LENGTH");
	FCGX_Request *r = req->fcgx;
	unsigned long long len;
	char *end, *buf;
	size_t got = 0;

	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	len = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0') {
		sm_reply_error(req, 400, "INVALID_JSON", "bad Content-Length");
		return -1;
	}
	if (len > app->max_body) {
		sm_reply_error(req, 413, "PAYLOAD_TOO_LARGE",
		    "the body is larger than %zu bytes", app->max_body);
		return -1;
	}
	if (len == 0)
		return 0;
	buf = sm_pool_alloc(req->pool, (size_t)len + 1);
	while (r != NULL && got < len) {
		int n = FCGX_GetStr(buf + got, (int)(len - got), r->in);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != len) {
		sm_reply_error(req, 400, "INVALID_JSON", "the body was cut short");
		return -1;
	}
	buf[len] = '\0';
	req->body = buf;
	req->body_len = (size_t)len;
	return 0;
}

void
sm_app_handle(struct sm_app *app, struct sm_req *req)
{
	const struct sm_route *route;
	char allow[128];
	int status;

	if (strcmp(req->path, "/_health") == 0) {
		health(app, req);
		return;
	}
	/*
	 * nginx has decoded the path; the query is still raw (sm_http.h).  No
	 * route has a control character, so such a path names nothing (404); in
	 * a query value one would cut the value short of what was checked (400).
	 */
	if (sm_has_control(req->path)) {
		sm_reply_error(req, 404, "NOT_FOUND", "no such resource");
		return;
	}
	if (sm_has_control(req->query)) {
		sm_reply_error(req, 400, "VALIDATION_FAILED",
		    "control characters (such as %%00) are not allowed in a query value");
		return;
	}
	route = sm_route_find(app->service->routes, app->service->nroutes, req,
	    &status, allow, sizeof(allow));
	if (route == NULL) {
		if (status == 405) {
			sm_reply_header(req, "Allow", sm_pool_strdup(req->pool, allow));
			sm_reply_error(req, 405, "METHOD_NOT_ALLOWED",
			    "%s is not allowed here (allowed: %s)", req->method, allow);
		} else {
			sm_reply_error(req, 404, "NOT_FOUND", "no such resource");
		}
		return;
	}
	if ((!(route->flags & SM_PUBLIC) || ((route->flags & SM_CALLER) &&
	    sm_req_env(req, "HTTP_AUTHORIZATION") != NULL)) && authenticate_or_reply(app, req) != 0)
		return;
	if (read_body_or_reply(app, req) != 0)
		return;
	route->handler(req);
	if (req->status == 0) {
		sm_log(SM_LOG_ERROR, "handler for %s %s returned without replying",
		    req->method, route->pattern);
		sm_reply_error(req, 500, "INTERNAL", "internal error");
	}
}

static void
serve(struct sm_app *app, FCGX_Request *r, struct sm_pool *pool)
{
	struct sm_req req;
	const char *v;

	memset(&req, 0, sizeof(req));
	req.pool = pool;
	req.app = app;
	req.fcgx = r;
	req.method = (v = FCGX_GetParam("REQUEST_METHOD", r->envp)) ? v : "GET";
	if ((v = FCGX_GetParam("DOCUMENT_URI", r->envp)) != NULL && *v) {
		req.path = v;
	} else if ((v = FCGX_GetParam("REQUEST_URI", r->envp)) != NULL && *v) {
		req.path = sm_pool_strndup(pool, v, strcspn(v, "?"));
	} else {
		req.path = "/";
	}
	req.query = (v = FCGX_GetParam("QUERY_STRING", r->envp)) ? v : "";
	req.content_type = FCGX_GetParam("CONTENT_TYPE", r->envp);
	req.request_id = (v = FCGX_GetParam("REQUEST_ID", r->envp)) && *v ? v : "-";
	sm_log_set_request_id(req.request_id);
	sm_app_handle(app, &req);
}

static int
app_open(struct sm_app *app, const struct sm_service *service, struct sm_conf *conf)
{
	long long max_body;

	memset(app, 0, sizeof(*app));
	app->service = service;
	app->conf = conf;
	if (sm_conf_int(conf, "http", "max_body", 1 << 20, 1024, 64LL << 20, &max_body) != 0 ||
	    sm_jwt_init(&app->jwt, conf) != 0)
		return -1;
	app->max_body = (size_t)max_body;
	if (service->needs & SM_NEEDS_DB) {
		app->db = sm_db_new(conf, service->name);
		/* Only a program that only reads may set it (board-query: the read model). */
		sm_db_read_from(app->db, sm_conf_get(conf, service->name, "db_read_host", NULL));
	}
	if (service->needs & SM_NEEDS_REDIS)
		app->redis = sm_redis_new(conf);
	if (service->init != NULL && service->init(app) != 0)
		return -1;
	return 0;
}

static void
app_close(struct sm_app *app)
{
	if (app->service != NULL && app->service->fini != NULL)
		app->service->fini(app);
	sm_db_free(app->db);
	sm_redis_free(app->redis);
	sm_jwt_fini(&app->jwt);
}

static int
worker_main(const struct sm_service *service, struct sm_conf *conf)
{
	struct sm_app app;
	struct sm_pool *pool;
	FCGX_Request r;
	int rc = 0;

	if (sm_signal_init(SM_SIGNAL_HUP) != 0)
		return 1;
	if (app_open(&app, service, conf) != 0) {
		app_close(&app);
		return 1;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		sm_log(SM_LOG_ERROR, "FCGX_Init failed");
		app_close(&app);
		return 1;
	}
	pool = sm_pool_new(16 * 1024);
	while (!sm_stop_requested) {
		if (FCGX_Accept_r(&r) < 0) {
			if (sm_stop_requested || errno == EINTR)
				continue;
			sm_log(SM_LOG_ERROR, "FCGX_Accept_r failed: %s", strerror(errno));
			rc = 1;
			break;
		}
		serve(&app, &r, pool);
		FCGX_Finish_r(&r);
		sm_pool_reset(pool);
		sm_log_set_request_id(NULL);
	}
	FCGX_Free(&r, 1);
	sm_pool_free(pool);
	app_close(&app);
	return rc;
}

static pid_t
spawn_worker(const struct sm_service *service, struct sm_conf *conf, pid_t master)
{
	pid_t pid = fork();

	if (pid < 0) {
		sm_log(SM_LOG_ERROR, "fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != master)
		_exit(0);
	exit(worker_main(service, conf));
}

/* Stops the workers: SIGTERM, then up to 10 s to finish, then SIGKILL. */
static void
stop_workers(pid_t *pids, int n)
{
	int i, left, waited;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (waited = 0; waited < 200; waited++) {
		for (i = 0, left = 0; i < n; i++) {
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = 0;
			left += pids[i] > 0;
		}
		if (left == 0)
			return;
		usleep(50000);
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0) {
			sm_log(SM_LOG_WARN, "worker %ld did not stop; killing it", (long)pids[i]);
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
}

static int
master_main(const struct sm_service *service, struct sm_conf *conf, int nworkers)
{
	pid_t pids[MAX_WORKERS] = { 0 }, master = getpid();
	time_t window = time(NULL);
	int i, restarts = 0;

	if (sm_signal_init(SM_SIGNAL_HUP) != 0)
		return 1;
	sm_log(SM_LOG_INFO, "starting %d workers", nworkers);
	while (!sm_stop_requested) {
		int status;
		pid_t pid;

		for (i = 0; i < nworkers && !sm_stop_requested; i++)
			if (pids[i] <= 0 && (pids[i] = spawn_worker(service, conf, master)) < 0)
				pids[i] = 0;
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno != EINTR)
				sleep(1);
			continue;
		}
		for (i = 0; i < nworkers; i++)
			if (pids[i] == pid)
				pids[i] = 0;
		if (sm_stop_requested)
			break;
		sm_log(SM_LOG_WARN, "worker %ld exited (%s %d); starting another", (long)pid,
		    WIFSIGNALED(status) ? "signal" : "status",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		if (time(NULL) - window > 10) {
			window = time(NULL);
			restarts = 0;
		}
		if (++restarts > 10)
			sleep(1);       /* crashing in a loop: do not spin */
	}
	sm_log(SM_LOG_INFO, "stopping");
	stop_workers(pids, nworkers);
	return 0;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-c somoim.conf] [-w workers] | -r\n"
	    "Run under spawn-fcgi, which passes the listening socket on fd 0.\n"
	    "The configuration file defaults to $SOMOIM_CONF.\n"
	    "-r prints the route table (\"METHOD PATTERN\" a line) and exits.\n", prog);
}

/*
 * The route table as text: what t/002-routes.t checks nginx's locations
 * against, so the table in main.c stays the one declaration of the routes.
 */
static int
print_routes(const struct sm_service *service)
{
	size_t i;

	/* SM_ELSEWHERE routes are another program's (listed for Allow only). */
	for (i = 0; i < service->nroutes; i++)
		if (!(service->routes[i].flags & SM_ELSEWHERE))
			printf("%s %s\n", service->routes[i].method, service->routes[i].pattern);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

int
sm_app_run(const struct sm_service *service, int argc, char **argv)
{
	const char *path = getenv("SOMOIM_CONF");
	struct sm_conf *conf;
	long long workers = -1;
	int opt, rc;

	while ((opt = getopt(argc, argv, "c:w:hr")) != -1) {
		switch (opt) {
		case 'r':
			return print_routes(service);
		case 'c':
			path = optarg;
			break;
		case 'w':
			workers = atoll(optarg);
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	sm_log_init(argv[0], getenv("SOMOIM_LOG_LEVEL"));
	if (path == NULL) {
		usage(argv[0]);
		return 2;
	}
	if ((conf = sm_conf_load(path)) == NULL)
		return 1;
	sm_log_init(argv[0], sm_conf_get(conf, "log", "level", "info"));
	if (workers < 0 &&
	    sm_conf_int(conf, service->name, "workers", 2, 0, MAX_WORKERS, &workers) != 0) {
		sm_conf_free(conf);
		return 1;
	}
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	if (sm_crypto_init(conf) != 0) {
		sm_conf_free(conf);
		return 1;
	}
	if (FCGX_IsCGI()) {
		sm_log(SM_LOG_ERROR, "fd 0 is not a FastCGI socket: start me with spawn-fcgi");
		sm_conf_free(conf);
		return 2;
	}
	rc = workers == 0 ? worker_main(service, conf) : master_main(service, conf, (int)workers);
	sm_conf_free(conf);
	return rc;
}
