/*
 * sm_db.c -- MySQL/MariaDB access (see sm_db.h).
 *
 * The one design decision: a broken connection is detected *before* a
 * statement is sent, by polling the idle socket (an idle MySQL connection
 * never has bytes to read, so readability means the server hung up).  That
 * makes a server restart invisible to the next request, reads and writes
 * alike, without a ping round trip on every request.
 */
#include "sm_db.h"
#include "sm_conf.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <poll.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define CACHE_SIZE 96
#define MAX_PARAMS 32

struct cached {
	const char *sql;        /* the caller's string; compared by pointer, then text */
	MYSQL_STMT *stmt;
	struct sm_rows *rows;   /* result buffers, reused by every execution */
};

struct sm_db {
	MYSQL *mysql;
	char *host, *socket, *user, *password, *name;
	char *read_host;        /* a replica tried first (sm_db_read_from), or NULL */
	unsigned port;
	struct cached cache[CACHE_SIZE];
	int ncache;
	int in_tx;
	unsigned err;
	char errmsg[256];
	unsigned long long affected, insert_id;
};

struct sm_rows {
	MYSQL_STMT *stmt;
	int cached;             /* owned by a cache entry: "free" only ends the result */
	unsigned ncols;
	MYSQL_BIND *bind;
	char **buf;
	size_t *cap;
	unsigned long *len;
	my_bool *isnull;
	my_bool *error;
};

static int
is_connection_error(unsigned err)
{
	switch (err) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONN_HOST_ERROR:
	case CR_CONNECTION_ERROR:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case 4031:      /* ER_CLIENT_INTERACTION_TIMEOUT */
		return 1;
	default:
		return 0;
	}
}

struct sm_db *
sm_db_new(const struct sm_conf *conf, const char *service)
{
	struct sm_db *db = sm_xcalloc(1, sizeof(*db));
	char def_name[96];
	long long port;
	const char *socket;

	snprintf(def_name, sizeof(def_name), "somoim_%s", service);
	db->host = sm_xstrdup(sm_conf_get(conf, "mysql", "host", "127.0.0.1"));
	socket = sm_conf_get(conf, "mysql", "socket", NULL);
	db->socket = socket && *socket ? sm_xstrdup(socket) : NULL;
	if (sm_conf_int(conf, "mysql", "port", 3306, 1, 65535, &port) != 0)
		port = 3306;
	db->port = (unsigned)port;
	db->name = sm_xstrdup(sm_conf_get(conf, service, "db_name", def_name));
	db->user = sm_xstrdup(sm_conf_get(conf, service, "db_user", def_name));
	db->password = sm_xstrdup(sm_conf_get(conf, service, "db_password", ""));
	return db;
}

static void
disconnect(struct sm_db *db)
{
	int i;

	for (i = 0; i < db->ncache; i++) {
		if (db->cache[i].rows != NULL)
			db->cache[i].rows->cached = 0;
		sm_rows_free(db->cache[i].rows);
		mysql_stmt_close(db->cache[i].stmt);
	}
	db->ncache = 0;
	if (db->mysql != NULL)
		mysql_close(db->mysql);
	db->mysql = NULL;
	db->in_tx = 0;
}

void
sm_db_free(struct sm_db *db)
{
	if (db == NULL)
		return;
	disconnect(db);
	free(db->host);
	free(db->read_host);
	free(db->socket);
	free(db->user);
	free(db->password);
	free(db->name);
	free(db);
}

static void
set_error(struct sm_db *db, unsigned err, const char *call, const char *msg)
{
	db->err = err;
	snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg);
	if (err != ER_DUP_ENTRY)
		sm_log(is_connection_error(err) ? SM_LOG_WARN : SM_LOG_ERROR,
		    "%s failed (db %s): %u %s", call, db->name, err, msg);
}

void
sm_db_read_from(struct sm_db *db, const char *host)
{
	free(db->read_host);
	db->read_host = host != NULL && *host ? sm_xstrdup(host) : NULL;
}

static int connect_to(struct sm_db *db, const char *host);

/* The replica first (when set and no socket is), then the primary. */
static int
connect_db(struct sm_db *db)
{
	if (db->read_host != NULL && db->socket == NULL) {
		if (connect_to(db, db->read_host) == 0)
			return 0;
		sm_log(SM_LOG_WARN, "db %s: replica %s unreachable; reading from the primary %s",
		    db->name, db->read_host, db->host);
	}
	return connect_to(db, db->socket ? "localhost" : db->host);
}

static int
connect_to(struct sm_db *db, const char *host)
{
	unsigned timeout = 3, rw_timeout = 30;
	MYSQL *m = mysql_init(NULL);

	if (m == NULL) {
		set_error(db, CR_OUT_OF_MEMORY, "mysql_init", "out of memory");
		return -1;
	}
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_INIT_COMMAND,
	    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
	if (mysql_real_connect(m, host, db->user,
	    db->password, db->name, db->port, db->socket, 0) == NULL) {
		set_error(db, mysql_errno(m), "mysql_real_connect", mysql_error(m));
		mysql_close(m);
		return -1;
	}
	db->mysql = m;
	return 0;
}

/* Has the server closed our idle connection?  (See the comment at the top.) */
static int
peer_closed(struct sm_db *db)
{
	struct pollfd p = { .fd = (int)mysql_get_socket(db->mysql), .events = POLLIN };

	if (p.fd < 0)
		return 1;
	return poll(&p, 1, 0) != 0;
}

int
sm_db_ensure(struct sm_db *db)
{
	if (db->mysql != NULL && !db->in_tx && peer_closed(db)) {
		sm_log(SM_LOG_INFO, "db %s: server closed the connection; reconnecting", db->name);
		disconnect(db);
	}
	if (db->mysql == NULL && connect_db(db) != 0)
		return -1;
	return 0;
}

int
sm_db_ping(struct sm_db *db)
{
	if (sm_db_ensure(db) != 0)
		return -1;
	if (mysql_ping(db->mysql) != 0) {
		set_error(db, mysql_errno(db->mysql), "mysql_ping", mysql_error(db->mysql));
		disconnect(db);
		return -1;
	}
	return 0;
}

static struct cached *
prepare(struct sm_db *db, const char *sql)
{
	MYSQL_STMT *stmt;
	int i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql || strcmp(db->cache[i].sql, sql) == 0)
			return &db->cache[i];
	if ((stmt = mysql_stmt_init(db->mysql)) == NULL) {
		set_error(db, CR_OUT_OF_MEMORY, "mysql_stmt_init", "out of memory");
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0) {
		set_error(db, mysql_stmt_errno(stmt), "mysql_stmt_prepare", mysql_stmt_error(stmt));
		sm_log(SM_LOG_DEBUG, "statement: %s", sql);
		mysql_stmt_close(stmt);
		return NULL;
	}
	if (db->ncache == CACHE_SIZE) {
		/* Full: drop the oldest.  Programs have far fewer statements. */
		if (db->cache[0].rows != NULL)
			db->cache[0].rows->cached = 0;
		sm_rows_free(db->cache[0].rows);
		mysql_stmt_close(db->cache[0].stmt);
		memmove(db->cache, db->cache + 1, sizeof(db->cache[0]) * (CACHE_SIZE - 1));
		db->ncache--;
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].stmt = stmt;
	db->cache[db->ncache].rows = NULL;
	return &db->cache[db->ncache++];
}

struct params {
	MYSQL_BIND bind[MAX_PARAMS];
	long long ints[MAX_PARAMS];
	double dbls[MAX_PARAMS];
	unsigned long lens[MAX_PARAMS];
	my_bool nulls[MAX_PARAMS];
	unsigned n;
};

static int
bind_params(struct params *p, const char *types, va_list ap)
{
	memset(p->bind, 0, sizeof(p->bind));
	for (p->n = 0; types[p->n] != '\0'; p->n++) {
		MYSQL_BIND *b = &p->bind[p->n];
		unsigned i = p->n;

		if (i == MAX_PARAMS)
			return -1;
		p->nulls[i] = 0;
		b->is_null = &p->nulls[i];
		switch (types[i]) {
		case 'i':
			p->ints[i] = va_arg(ap, long long);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->ints[i];
			break;
		case 'd':
			p->dbls[i] = va_arg(ap, double);
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &p->dbls[i];
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = (void *)s;
			p->lens[i] = s ? (unsigned long)strlen(s) : 0;
			p->nulls[i] = (s == NULL);
			b->length = &p->lens[i];
			break;
		}
		case 'b': {
			const void *v = va_arg(ap, const void *);

			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = (void *)v;
			p->lens[i] = (unsigned long)va_arg(ap, size_t);
			p->nulls[i] = (v == NULL);
			b->length = &p->lens[i];
			break;
		}
		default:
			return -1;
		}
	}
	return 0;
}

static int
is_read(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
		sql++;
	return strncasecmp(sql, "SELECT", 6) == 0 && strcasestr(sql, "FOR UPDATE") == NULL;
}

static void
rows_bind(struct sm_rows *r)
{
	unsigned i;

	for (i = 0; i < r->ncols; i++) {
		r->bind[i].buffer_type = MYSQL_TYPE_STRING;
		r->bind[i].buffer = r->buf[i];
		r->bind[i].buffer_length = r->cap[i] - 1;     /* room for the NUL */
		r->bind[i].length = &r->len[i];
		r->bind[i].is_null = &r->isnull[i];
		r->bind[i].error = &r->error[i];
	}
}

static struct sm_rows *
rows_new(MYSQL_STMT *stmt, MYSQL_RES *meta)
{
	struct sm_rows *r = sm_xcalloc(1, sizeof(*r));
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	unsigned i;

	r->stmt = stmt;
	r->ncols = mysql_num_fields(meta);
	r->bind = sm_xcalloc(r->ncols, sizeof(*r->bind));
	r->buf = sm_xcalloc(r->ncols, sizeof(*r->buf));
	r->cap = sm_xcalloc(r->ncols, sizeof(*r->cap));
	r->len = sm_xcalloc(r->ncols, sizeof(*r->len));
	r->isnull = sm_xcalloc(r->ncols, sizeof(*r->isnull));
	r->error = sm_xcalloc(r->ncols, sizeof(*r->error));
	for (i = 0; i < r->ncols; i++) {
		size_t want = fields[i].length + 1;

		r->cap[i] = want < 64 ? 64 : want > 1024 ? 1024 : want;
		r->buf[i] = sm_xmalloc(r->cap[i]);
	}
	return r;
}

/* The statement's result buffers: made at its first execution, then reused. */
static struct sm_rows *
rows_for(struct sm_db *db, struct cached *c, MYSQL_RES *meta)
{
	struct sm_rows *r = c->rows;

	if (r == NULL || r->ncols != mysql_num_fields(meta)) {
		if (r != NULL)
			r->cached = 0;
		sm_rows_free(r);
		r = c->rows = rows_new(c->stmt, meta);
		r->cached = 1;
	}
	rows_bind(r);
	if (mysql_stmt_bind_result(c->stmt, r->bind) != 0) {
		set_error(db, mysql_stmt_errno(c->stmt), "mysql_stmt_bind_result",
		    mysql_stmt_error(c->stmt));
		return NULL;
	}
	return r;
}

/* One attempt: 0 done, -1 failed (db->err set). */
static int
exec_once(struct sm_db *db, struct sm_rows **rows, const char *sql, struct params *p)
{
	struct cached *c;
	MYSQL_STMT *stmt;
	MYSQL_RES *meta;

	if (sm_db_ensure(db) != 0)
		return -1;
	if ((c = prepare(db, sql)) == NULL)
		return -1;
	stmt = c->stmt;
	if (mysql_stmt_param_count(stmt) != p->n) {
		set_error(db, CR_PARAMS_NOT_BOUND, "sm_db_exec", "parameter count mismatch");
		return -1;
	}
	if ((p->n > 0 && mysql_stmt_bind_param(stmt, p->bind) != 0) ||
	    mysql_stmt_execute(stmt) != 0) {
		set_error(db, mysql_stmt_errno(stmt), "mysql_stmt_execute", mysql_stmt_error(stmt));
		return -1;
	}
	db->affected = mysql_stmt_affected_rows(stmt);
	db->insert_id = mysql_stmt_insert_id(stmt);
	if ((meta = mysql_stmt_result_metadata(stmt)) == NULL)
		return 0;
	if (mysql_stmt_store_result(stmt) != 0) {
		set_error(db, mysql_stmt_errno(stmt), "mysql_stmt_store_result",
		    mysql_stmt_error(stmt));
		mysql_free_result(meta);
		return -1;
	}
	if (rows == NULL) {
		mysql_free_result(meta);
		mysql_stmt_free_result(stmt);
		return 0;
	}
	*rows = rows_for(db, c, meta);
	mysql_free_result(meta);
	if (*rows == NULL) {
		mysql_stmt_free_result(stmt);
		return -1;
	}
	return 0;
}

static int
exec_va(struct sm_db *db, struct sm_rows **rows, const char *sql, const char *types, va_list ap)
{
	struct params p;
	int attempt;

	if (rows != NULL)
		*rows = NULL;
	if (bind_params(&p, types, ap) != 0) {
		set_error(db, CR_UNKNOWN_ERROR, "sm_db_exec", "bad parameter type string");
		return -1;
	}
	db->err = 0;
	for (attempt = 0; attempt < 2; attempt++) {
		if (exec_once(db, rows, sql, &p) == 0)
			return 0;
		if (!is_connection_error(db->err))
			return -1;
		if (db->in_tx) {
			disconnect(db);
			return -1;
		}
		disconnect(db);
		if (!is_read(sql))
			return -1;
	}
	return -1;
}

int
sm_db_exec(struct sm_db *db, struct sm_rows **rows, const char *sql, const char *types, ...)
{
	va_list ap;
	int r;

	va_start(ap, types);
	r = exec_va(db, rows, sql, types, ap);
	va_end(ap);
	return r;
}

int
sm_db_exists(struct sm_db *db, int *exists, const char *sql, const char *types, ...)
{
	struct sm_rows *rows;
	va_list ap;
	int r;

	va_start(ap, types);
	r = exec_va(db, &rows, sql, types, ap);
	va_end(ap);
	if (r != 0)
		return -1;
	r = sm_rows_next(rows);
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	*exists = r;
	return 0;
}

int
sm_db_ids(struct sm_db *db, long long **ids, size_t *n, const char *sql, const char *types, ...)
{
	struct sm_rows *rows;
	va_list ap;
	int r;

	*ids = NULL;
	*n = 0;
	va_start(ap, types);
	r = exec_va(db, &rows, sql, types, ap);
	va_end(ap);
	if (r != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1) {
		if (*n % 64 == 0)
			*ids = sm_xrealloc(*ids, (*n + 64) * sizeof(**ids));
		(*ids)[(*n)++] = sm_rows_int(rows, 0);
	}
	sm_rows_free(rows);
	if (r < 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

unsigned long long sm_db_affected(const struct sm_db *db) { return db->affected; }
unsigned long long sm_db_insert_id(const struct sm_db *db) { return db->insert_id; }
unsigned sm_db_errno(const struct sm_db *db) { return db->err; }
const char *sm_db_error(const struct sm_db *db) { return db->errmsg; }

int
sm_db_unavailable(const struct sm_db *db)
{
	return db->err == 0 || is_connection_error(db->err) || db->err == 1045 ||
	    db->err == ER_LOCK_DEADLOCK || db->err == ER_LOCK_WAIT_TIMEOUT;
}

int
sm_db_begin(struct sm_db *db)
{
	db->err = 0;
	if (sm_db_ensure(db) != 0)
		return -1;
	if (mysql_query(db->mysql, "START TRANSACTION") != 0) {
		set_error(db, mysql_errno(db->mysql), "START TRANSACTION", mysql_error(db->mysql));
		disconnect(db);
		return -1;
	}
	db->in_tx = 1;
	return 0;
}

int
sm_db_commit(struct sm_db *db)
{
	if (db->mysql == NULL) {
		db->in_tx = 0;
		return -1;
	}
	if (mysql_commit(db->mysql) != 0) {
		set_error(db, mysql_errno(db->mysql), "COMMIT", mysql_error(db->mysql));
		db->in_tx = 0;
		if (is_connection_error(db->err))
			disconnect(db);
		return -1;
	}
	db->in_tx = 0;
	return 0;
}

void
sm_db_rollback(struct sm_db *db)
{
	if (db->mysql != NULL && mysql_rollback(db->mysql) != 0) {
		sm_log(SM_LOG_WARN, "ROLLBACK failed (db %s): %s", db->name, mysql_error(db->mysql));
		disconnect(db);
	}
	db->in_tx = 0;
}

int
sm_db_tx(struct sm_db *db, int (*fn)(struct sm_db *, void *), void *arg)
{
	int attempt, r;

	for (attempt = 0; attempt < 3; attempt++) {
		unsigned err;

		if (sm_db_begin(db) != 0)
			return -1;
		r = fn(db, arg);
		if (r == 0 && sm_db_commit(db) == 0)
			return 0;
		err = db->err;
		sm_db_rollback(db);
		db->err = err;
		if (r > 0)
			return r;
		if (err != ER_LOCK_DEADLOCK && err != ER_LOCK_WAIT_TIMEOUT)
			return -1;
		/* Both sides of a deadlock retry: spread them out a little. */
		usleep((useconds_t)(1000 * (1 + attempt) + rand() % 4000));
	}
	return -1;
}

int
sm_rows_next(struct sm_rows *r)
{
	int rc = mysql_stmt_fetch(r->stmt);
	unsigned i;

	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1) {
		sm_log(SM_LOG_ERROR, "mysql_stmt_fetch failed: %s", mysql_stmt_error(r->stmt));
		return -1;
	}
	if (rc == MYSQL_DATA_TRUNCATED) {
		int rebind = 0;

		for (i = 0; i < r->ncols; i++) {
			if (!r->error[i] || r->len[i] + 1 <= r->cap[i])
				continue;
			r->cap[i] = r->len[i] + 1;
			r->buf[i] = sm_xrealloc(r->buf[i], r->cap[i]);
			r->bind[i].buffer = r->buf[i];
			r->bind[i].buffer_length = r->cap[i] - 1;
			if (mysql_stmt_fetch_column(r->stmt, &r->bind[i], i, 0) != 0) {
				sm_log(SM_LOG_ERROR, "mysql_stmt_fetch_column failed: %s",
				    mysql_stmt_error(r->stmt));
				return -1;
			}
			rebind = 1;
		}
		if (rebind) {
			rows_bind(r);
			if (mysql_stmt_bind_result(r->stmt, r->bind) != 0)
				return -1;
		}
	}
	for (i = 0; i < r->ncols; i++)
		r->buf[i][r->isnull[i] ? 0 : r->len[i]] = '\0';
	return 1;
}

const char *
sm_rows_str(const struct sm_rows *r, unsigned col)
{
	return col < r->ncols && !r->isnull[col] ? r->buf[col] : NULL;
}

size_t
sm_rows_len(const struct sm_rows *r, unsigned col)
{
	return col < r->ncols && !r->isnull[col] ? r->len[col] : 0;
}

long long
sm_rows_int(const struct sm_rows *r, unsigned col)
{
	const char *s = sm_rows_str(r, col);

	return s ? strtoll(s, NULL, 10) : 0;
}

unsigned long long
sm_rows_count(const struct sm_rows *r)
{
	return mysql_stmt_num_rows(r->stmt);
}

void
sm_rows_free(struct sm_rows *r)
{
	unsigned i;

	if (r == NULL)
		return;
	mysql_stmt_free_result(r->stmt);
	if (r->cached)
		return;
	for (i = 0; i < r->ncols; i++)
		free(r->buf[i]);
	free(r->buf);
	free(r->bind);
	free(r->cap);
	free(r->len);
	free(r->isnull);
	free(r->error);
	free(r);
}
