/*
 * sm_pool.c -- per-request memory (see sm_pool.h).
 *
 * Chunks are singly linked; big allocations get a chunk of their own so a
 * large request body cannot make every later chunk large.  Reset keeps the
 * first chunk so a steady stream of small requests never calls malloc.
 */
#include "sm_pool.h"
#include "sm_log.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *arg;
};

struct sm_pool {
	struct chunk *head;
	struct chunk *first;            /* kept across resets */
	struct cleanup *cleanups;
	size_t chunk_size;
};

void *
sm_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL) {
		sm_log(SM_LOG_ERROR, "malloc(%zu) failed: out of memory", size);
		abort();
	}
	return p;
}

void *
sm_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL) {
		sm_log(SM_LOG_ERROR, "calloc(%zu, %zu) failed: out of memory", n, size);
		abort();
	}
	return p;
}

void *
sm_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (q == NULL) {
		sm_log(SM_LOG_ERROR, "realloc(%zu) failed: out of memory", size);
		abort();
	}
	return q;
}

char *
sm_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(sm_xmalloc(n), s, n);
}

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = sm_xmalloc(sizeof(*c) + size);

	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct sm_pool *
sm_pool_new(size_t chunk_size)
{
	struct sm_pool *pool = sm_xcalloc(1, sizeof(*pool));

	pool->chunk_size = chunk_size < 1024 ? 1024 : chunk_size;
	pool->head = pool->first = chunk_new(pool->chunk_size);
	return pool;
}

static void
run_cleanups(struct sm_pool *pool)
{
	while (pool->cleanups != NULL) {
		struct cleanup *c = pool->cleanups;

		pool->cleanups = c->next;
		c->fn(c->arg);
	}
}

void
sm_pool_reset(struct sm_pool *pool)
{
	struct chunk *c, *next;

	if (pool == NULL)
		return;
	run_cleanups(pool);
	for (c = pool->head; c != NULL; c = next) {
		next = c->next;
		if (c != pool->first)
			free(c);
	}
	pool->head = pool->first;
	pool->head->next = NULL;
	pool->head->used = 0;
}

void
sm_pool_free(struct sm_pool *pool)
{
	struct chunk *c, *next;

	if (pool == NULL)
		return;
	run_cleanups(pool);
	for (c = pool->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(pool);
}

void *
sm_pool_alloc(struct sm_pool *pool, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct chunk *c = pool->head;
	void *p;

	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	if (size > pool->chunk_size / 4) {
		/* Large: a chunk of its own, linked behind the current one. */
		struct chunk *big = chunk_new(size);

		big->used = size;
		big->next = c->next;
		c->next = big;
		memset(big->data, 0, size);
		return big->data;
	}
	if (c->size - c->used < size) {
		c = chunk_new(pool->chunk_size);
		c->next = pool->head;
		pool->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *
sm_pool_strndup(struct sm_pool *pool, const char *s, size_t n)
{
	char *p = sm_pool_alloc(pool, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sm_pool_strdup(struct sm_pool *pool, const char *s)
{
	return sm_pool_strndup(pool, s, strlen(s));
}

char *
sm_pool_strtrim(struct sm_pool *pool, const char *s)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return sm_pool_strndup(pool, s, len);
}

char *
sm_pool_printf(struct sm_pool *pool, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sm_log(SM_LOG_ERROR, "vsnprintf(\"%s\") failed", fmt);
		abort();
	}
	p = sm_pool_alloc(pool, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
sm_pool_cleanup(struct sm_pool *pool, void (*fn)(void *), void *arg)
{
	struct cleanup *c = sm_pool_alloc(pool, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = pool->cleanups;
	pool->cleanups = c;
}
