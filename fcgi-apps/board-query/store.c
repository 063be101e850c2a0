/*
 * store.c -- the read model's queries (see query.h).
 *
 * A list is the caller's access to the community and the community's list
 * version (primary-key lookups in one statement), then either a page this
 * worker read before under the same version (page_keep: the projector raises
 * the version with every change of the community's posts, in the same
 * transaction, so a kept page is never older than what the version says) or
 * a backward range scan of the primary key (community_id, id) -- posts_view
 * is clustered by community -- for limit + 1 rows (one more says whether a
 * next page exists).  Each row's doc is its post already as JSON text (kept
 * by the projector), so an answer is the docs joined with commas -- no JSON
 * is built or parsed per request.  (A UNION of access row and page was
 * tried: with a MEDIUMTEXT column MariaDB puts every UNION result in an
 * on-disk temporary table, five times slower.)
 * Placeholder rows (version 0: counters that came before their post) have
 * community_id 0 and never match a list.
 *
 * The access row itself is kept ACCESS_TTL_MS per (community, caller): a
 * list read under load then costs no database round trip at all.  The
 * price is that a new post, or a member's removal, shows in the list up to
 * 100 ms later than the read model has it -- less than the event path's own
 * delay, and far less than an access token outlives a removal (15 minutes).
 */
#include "query.h"
#include "sm_copy.h"
#include "sm_pool.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Appends len bytes of s to the growing buffer *b (size *cap, used *n). */
static void
append(struct sm_pool *pool, char **b, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n + len + 1 > *cap) {
		size_t want = (*cap ? *cap : 16384);
		char *nb;

		while (want < *n + len + 1)
			want *= 2;
		nb = sm_pool_alloc(pool, want);
		if (*n > 0)
			memcpy(nb, *b, *n);
		*b = nb;
		*cap = want;
	}
	memcpy(*b + *n, s, len);
	*n += len;
	(*b)[*n] = '\0';
}

/*
 * The page cache of this worker process: recent pages by (community, cursor
 * position, limit), each with the community's list version it was read
 * under.  A slot is served again only while the version is the same; the
 * projector raises it with every change of the community's posts.  Pages
 * over PAGE_CACHE_MAX bytes are not kept.
 */
#define PAGE_SLOTS 128
#define PAGE_CACHE_MAX (64 * 1024)

struct page {
	long long community_id, after, limit, version, next;
	char *json;
	size_t len;
};

static struct page pages[PAGE_SLOTS];

static struct page *
page_slot(long long community_id, long long after, long long limit)
{
	unsigned long long h = (unsigned long long)community_id * 0x9E3779B97F4A7C15ULL ^
	    (unsigned long long)after * 0xC2B2AE3D27D4EB4FULL ^ (unsigned long long)limit;

	return &pages[(h ^ (h >> 29)) % PAGE_SLOTS];
}

static void
page_keep(long long community_id, long long after, long long limit, long long version,
    long long next, const char *json, size_t len)
{
	struct page *p = page_slot(community_id, after, limit);

	if (len > PAGE_CACHE_MAX)
		return;
	free(p->json);
	p->json = sm_xmalloc(len + 1);
	memcpy(p->json, json, len + 1);
	p->len = len;
	p->community_id = community_id;
	p->after = after;
	p->limit = limit;
	p->version = version;
	p->next = next;
}

/* The ACCESS_SQL answers of this worker, by (community, caller), for a moment. */
#define ACCESS_SLOTS 256
#define ACCESS_TTL_MS 100

struct access {
	long long community_id, caller, version;
	int result;             /* 0 readable, QUERY_NOT_FOUND or QUERY_FORBIDDEN */
	long long until_ms;     /* monotonic; 0: empty */
};

static struct access accesses[ACCESS_SLOTS];

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct access *
access_slot(long long community_id, long long caller)
{
	unsigned long long h = (unsigned long long)community_id * 0x9E3779B97F4A7C15ULL ^
	    (unsigned long long)caller * 0xC2B2AE3D27D4EB4FULL;

	return &accesses[(h ^ (h >> 29)) % ACCESS_SLOTS];
}

/* The caller's access and the community's list version, in one statement. */
static const char ACCESS_SQL[] =
    "SELECT c.is_private = 0 OR m.role IS NOT NULL, COALESCE(v.version, 0)"
    " FROM copy_communities c"
    " LEFT JOIN copy_members m ON m.community_id = c.id AND m.user_id = ?"
    " LEFT JOIN list_versions v ON v.community_id = c.id"
    " WHERE c.id = ? AND c.deleted = 0";

int
query_list(struct sm_db *db, struct sm_pool *pool, long long community_id, long long caller,
    long long after, long long limit, const char **json, size_t *len, long long *next)
{
	struct sm_rows *rows;
	struct access *ac;
	struct page *p;
	long long count = 0, last = -1, version = 0, now;
	size_t n = 0, cap = 0;
	char *b = NULL;
	int r, readable = 0;

	*next = -1;
	ac = access_slot(community_id, caller);
	now = now_ms();
	if (ac->until_ms > now && ac->community_id == community_id && ac->caller == caller) {
		if (ac->result != 0)
			return ac->result;
		version = ac->version;
	} else {
		if (sm_db_exec(db, &rows, ACCESS_SQL, "ii", caller, community_id) != 0)
			return -1;
		if ((r = sm_rows_next(rows)) == 1) {
			readable = sm_rows_int(rows, 0) != 0;
			version = sm_rows_int(rows, 1);
		}
		sm_rows_free(rows);
		if (r < 0)
			return -1;
		*ac = (struct access){ community_id, caller, version,
		    r == 0 ? QUERY_NOT_FOUND : readable ? 0 : QUERY_FORBIDDEN, now + ACCESS_TTL_MS };
		if (ac->result != 0)
			return ac->result;
	}

	p = page_slot(community_id, after, limit);
	if (p->json != NULL && p->community_id == community_id && p->after == after &&
	    p->limit == limit && p->version == version) {
		*json = p->json;
		*len = p->len;
		*next = p->next;
		return 0;
	}

	if (sm_db_exec(db, &rows, "SELECT id, doc FROM posts_view"
	    " WHERE community_id = ? AND deleted = 0 AND id < ? ORDER BY id DESC LIMIT ?", "iii",
	    community_id, after < 0 ? (long long)9223372036854775807LL : after, limit + 1) != 0)
		return -1;
	append(pool, &b, &n, &cap, "{\"items\":[", 10);
	while ((r = sm_rows_next(rows)) == 1) {
		if (++count > limit) {
			*next = last;
			break;
		}
		if (count > 1)
			append(pool, &b, &n, &cap, ",", 1);
		append(pool, &b, &n, &cap, sm_rows_str(rows, 1), sm_rows_len(rows, 1));
		last = sm_rows_int(rows, 0);
	}
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	append(pool, &b, &n, &cap, "],\"next_cursor\":", 16);
	page_keep(community_id, after, limit, version, *next, b, n);
	*json = b;
	*len = n;
	return 0;
}

int
query_get(struct sm_db *db, struct sm_pool *pool, long long id, long long caller,
    const char **json, size_t *len)
{
	struct sm_access a;
	struct sm_rows *rows;
	long long community_id = 0;
	int r;

	if (sm_db_exec(db, &rows, "SELECT community_id, doc FROM posts_view"
	    " WHERE id = ? AND deleted = 0 AND version > 0", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		community_id = sm_rows_int(rows, 0);
		*len = sm_rows_len(rows, 1);
		*json = sm_pool_strndup(pool, sm_rows_str(rows, 1), *len);
	}
	sm_rows_free(rows);
	if (r != 1)
		return r == 0 ? QUERY_NOT_FOUND : -1;
	if ((r = sm_copy_access(db, community_id, caller, &a)) != 0)
		return -1;
	return SM_CAN_READ(&a) ? 0 : QUERY_NOT_FOUND;
}
