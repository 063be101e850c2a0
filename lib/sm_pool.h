/*
 * sm_pool.h -- per-request memory: allocate freely, free once.
 *
 * A pool hands out memory from large chunks and frees it all at once with
 * sm_pool_reset() when the request is over, the way nginx's pools do.  Objects
 * with their own destructor (json-c objects, MySQL results) register a cleanup
 * that runs at reset, so nothing a handler allocates can outlive its request.
 * Allocation failure aborts: there is no sane recovery inside a request.
 */
#ifndef SM_POOL_H
#define SM_POOL_H

#include <stdarg.h>
#include <stddef.h>

struct sm_pool;

struct sm_pool *sm_pool_new(size_t chunk_size);
void sm_pool_free(struct sm_pool *pool);          /* runs cleanups; NULL is a no-op */
void sm_pool_reset(struct sm_pool *pool);         /* runs cleanups, keeps one chunk */

void *sm_pool_alloc(struct sm_pool *pool, size_t size);   /* zeroed */
char *sm_pool_strdup(struct sm_pool *pool, const char *s);
char *sm_pool_strndup(struct sm_pool *pool, const char *s, size_t n);
char *sm_pool_printf(struct sm_pool *pool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A copy of s without leading and trailing white space. */
char *sm_pool_strtrim(struct sm_pool *pool, const char *s);

/* Runs fn(arg) at the next reset or free, newest first. */
void sm_pool_cleanup(struct sm_pool *pool, void (*fn)(void *), void *arg);

/* The abort-on-failure allocators every subsystem uses outside pools. */
void *sm_xmalloc(size_t size);
void *sm_xcalloc(size_t n, size_t size);
void *sm_xrealloc(void *p, size_t size);
char *sm_xstrdup(const char *s);

#endif
