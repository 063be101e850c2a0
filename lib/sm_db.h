/*
 * sm_db.h -- MySQL/MariaDB access: prepared statements only, reconnects itself.
 *
 * One connection per worker process.  Every statement is prepared once and
 * cached by its SQL text, parameters are bound from a type string ('i' long
 * long, 's' const char * or NULL, 'b' const void * + size_t, 'd' double), and
 * result columns come back as NUL-terminated strings.  A connection the server
 * closed (restart, idle timeout) is noticed before use and reopened; a read
 * that fails because the connection broke mid-flight is retried once on a new
 * connection, a write never is (it might have been applied).
 */
#ifndef SM_DB_H
#define SM_DB_H

#include <stddef.h>

struct sm_conf;
struct sm_db;
struct sm_rows;

/* Reads [mysql] and [<service>] db_name/db_user/db_password; connects lazily. */
struct sm_db *sm_db_new(const struct sm_conf *conf, const char *service);
void sm_db_free(struct sm_db *db);
/* Connect to HOST (a MariaDB replica, same port and user) first, and to the primary only
 * when it cannot be reached: for a program that only reads and accepts a moment's lag
 * ([<service>] db_read_host, read by sm_app; docs/deploy.md). NULL or "" turns it off. */
void sm_db_read_from(struct sm_db *db, const char *host);

/* Connects, or reconnects when the server has closed the connection. */
int sm_db_ensure(struct sm_db *db);
int sm_db_ping(struct sm_db *db);

/*
 * Runs sql with parameters described by types.  For a statement that returns
 * rows and rows != NULL, *rows is set; the caller frees it with sm_rows_free()
 * before running the same SQL again.  Returns 0 or -1 (sm_db_errno() tells).
 */
int sm_db_exec(struct sm_db *db, struct sm_rows **rows, const char *sql,
    const char *types, ...);

/* Does sql return at least one row?  0 with *exists set (0 or 1), or -1. */
int sm_db_exists(struct sm_db *db, int *exists, const char *sql, const char *types, ...);

/*
 * The first column of every row of sql, as integers, into a new array *ids
 * of *n (the caller frees it; NULL when there are none).  0, or -1.
 */
int sm_db_ids(struct sm_db *db, long long **ids, size_t *n, const char *sql,
    const char *types, ...);

unsigned long long sm_db_affected(const struct sm_db *db);
unsigned long long sm_db_insert_id(const struct sm_db *db);
unsigned sm_db_errno(const struct sm_db *db);     /* 1062 = duplicate key, ... */
const char *sm_db_error(const struct sm_db *db);
int sm_db_unavailable(const struct sm_db *db);    /* last error: no server */

int sm_db_begin(struct sm_db *db);
int sm_db_commit(struct sm_db *db);
void sm_db_rollback(struct sm_db *db);

/*
 * Runs fn inside a transaction, retrying the whole of it (up to 3 times) on
 * deadlock or lock-wait timeout.  fn returns 0 to commit, -1 on a database
 * error, or a positive code to roll back and return that code unchanged.
 */
int sm_db_tx(struct sm_db *db, int (*fn)(struct sm_db *db, void *arg), void *arg);

/* 1 with a row, 0 at the end, -1 on error. */
int sm_rows_next(struct sm_rows *rows);
const char *sm_rows_str(const struct sm_rows *rows, unsigned col);  /* NULL for SQL NULL */
size_t sm_rows_len(const struct sm_rows *rows, unsigned col);
long long sm_rows_int(const struct sm_rows *rows, unsigned col);    /* 0 for NULL */
unsigned long long sm_rows_count(const struct sm_rows *rows);
void sm_rows_free(struct sm_rows *rows);

#endif
