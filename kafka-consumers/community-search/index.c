/*
 * index.c -- the search index's writes: communities_search (Mroonga) behind
 * search_gates (InnoDB), from the community and member events.
 *
 * The one design decision: every write first locks the community's gate row
 * (FOR UPDATE, inside the consumer loop's transaction) and is made only when
 * the event is newer than what the gate says the index holds -- data.version
 * for the text, data.seq (the member service's per-community counter) for
 * member_count.  Mroonga cannot roll back, so a write may outlive a failed
 * transaction; the gate makes that harmless, because the redelivered event
 * writes the same row again, and a late or repeated one writes nothing.  The
 * two kinds of fact come from different topics with no order between them
 * (a member-joined can arrive before its community-created): the gate keeps
 * the newest member_count it has seen, and a text write uses it.
 *
 * The rebuild locks every gate row, so the daemon waits for it, then takes
 * text from communities and member_count from whichever of communities and
 * the gate is newer, REBUILD_BATCH ids per statement (one statement over
 * 100,000 rows outlasted the client's 30 s read timeout on a busy machine).
 */
#include "search-index.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gate {
	long long version, member_seq, member_count;
	int deleted;
};

/* Locks (making it if need be) the gate of community id; 0 or -1. */
static int
gate_lock(struct sm_db *db, long long id, struct gate *g)
{
	struct sm_rows *rows;
	int r;

	if (sm_db_exec(db, NULL, "INSERT IGNORE INTO search_gates (community_id) VALUES (?)", "i",
	    id) != 0)
		return -1;
	if (sm_db_exec(db, &rows, "SELECT version, member_seq, member_count, deleted"
	    " FROM search_gates WHERE community_id = ? FOR UPDATE", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		g->version = sm_rows_int(rows, 0);
		g->member_seq = sm_rows_int(rows, 1);
		g->member_count = sm_rows_int(rows, 2);
		g->deleted = (int)sm_rows_int(rows, 3);
	}
	sm_rows_free(rows);
	return r == 1 ? 0 : -1;
}

/*
 * Raises the index's stamp (sql/community/009), after a write to
 * communities_search and in its transaction: workers' cached answers are for
 * one stamp.  id > 0 also raises the newest indexed id.
 */
static int
stamp_bump(struct sm_db *db, long long id)
{
	return sm_db_exec(db, NULL, "UPDATE search_stamp SET stamp = stamp + 1,"
	    " max_id = GREATEST(max_id, ?) WHERE id = 1", "i", id);
}

static const char *
text(const struct sm_event *ev, const char *key, char *err, size_t errlen)
{
	const char *s = sm_event_str(ev->data, key);

	if (s == NULL)
		snprintf(err, errlen, "%s: data.%s is missing", ev->type, key);
	return s;
}

int
index_community(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	const char *name, *description, *region, *interest;
	long long id, version, count, priv;
	struct gate g;

	if (sm_event_ids(ev, err, errlen, "id", &id, "version", &version, (char *)NULL) != 0)
		return -1;
	if ((name = text(ev, "name", err, errlen)) == NULL ||
	    (description = text(ev, "description", err, errlen)) == NULL ||
	    (region = text(ev, "region", err, errlen)) == NULL ||
	    (interest = text(ev, "interest", err, errlen)) == NULL)
		return -1;
	if (sm_event_int(ev->data, "member_count", &count) != 0 || count < 0)
		count = 1;
	priv = json_object_get_boolean(json_object_object_get(ev->data, "is_private"));
	if (gate_lock(db, id, &g) != 0)
		return -1;
	if (g.deleted || version <= g.version) {
		sm_log(SM_LOG_INFO, "search: %s v%lld of community %lld skipped (index has v%lld%s)",
		    ev->type, version, id, g.version, g.deleted ? ", deleted" : "");
		return 0;
	}
	if (g.member_seq > 0)
		count = g.member_count;
	if (sm_db_exec(db, NULL, "REPLACE INTO communities_search"
	    " (id, name, description, region, interest, member_count) VALUES (?, ?, ?, ?, ?, ?)",
	    "issssi", id, name, priv ? "" : description, region, interest, count) != 0 ||
	    stamp_bump(db, id) != 0)
		return -1;
	return sm_db_exec(db, NULL, "UPDATE search_gates SET version = ?, member_count = ?"
	    " WHERE community_id = ?", "iii", version, count, id);
}

int
index_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id;
	struct gate g;

	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	if (gate_lock(db, id, &g) != 0 ||
	    sm_db_exec(db, NULL, "UPDATE search_gates SET deleted = 1 WHERE community_id = ?", "i",
	    id) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "DELETE FROM communities_search WHERE id = ?", "i", id) != 0)
		return -1;
	return stamp_bump(db, 0);
}

int
index_members(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id, seq, count;
	struct gate g;

	if (sm_event_ids(ev, err, errlen, "community_id", &id, "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "member_count", &count) != 0 || count < 0 ||
	    count > 4294967295LL) {
		snprintf(err, errlen, "%s: data.member_count is missing or out of range", ev->type);
		return -1;
	}
	if (gate_lock(db, id, &g) != 0)
		return -1;
	if (g.deleted || seq <= g.member_seq)
		return 0;
	if (sm_db_exec(db, NULL, "UPDATE search_gates SET member_seq = ?, member_count = ?"
	    " WHERE community_id = ?", "iii", seq, count, id) != 0)
		return -1;
	/* No row yet: its community-created has not come; it will take the gate's count. */
	if (sm_db_exec(db, NULL, "UPDATE communities_search SET member_count = ? WHERE id = ?",
	    "ii", count, id) != 0)
		return -1;
	return stamp_bump(db, 0);
}

#define REBUILD_BATCH 5000     /* ids per statement: each well inside the client's timeout */

static int
rebuild_tx(struct sm_db *db, void *arg)
{
	unsigned long long *n = arg;
	struct sm_rows *rows;
	long long lo = 0, hi = -1;
	int r;

	/* Every gate row, so the daemon's writes wait until this commits. */
	if (sm_db_exec(db, &rows, "SELECT COUNT(*) FROM search_gates FOR UPDATE", "") != 0)
		return -1;
	sm_rows_free(rows);
	if (sm_db_exec(db, &rows, "SELECT MIN(id), MAX(id) FROM communities", "") != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1 && sm_rows_str(rows, 0) != NULL) {
		lo = sm_rows_int(rows, 0);
		hi = sm_rows_int(rows, 1);
	}
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	for (long long from = lo; from <= hi; from += REBUILD_BATCH) {
		long long to = from + REBUILD_BATCH - 1;

		if (sm_db_exec(db, NULL,
		    "INSERT INTO search_gates (community_id, version, member_seq, member_count)"
		    " SELECT id, version, member_seq, member_count FROM communities"
		    " WHERE id BETWEEN ? AND ?"
		    " ON DUPLICATE KEY UPDATE"
		    "  member_count = IF(VALUES(member_seq) >= search_gates.member_seq,"
		    "   VALUES(member_count), search_gates.member_count),"
		    "  member_seq = GREATEST(search_gates.member_seq, VALUES(member_seq)),"
		    "  version = GREATEST(search_gates.version, VALUES(version)), deleted = 0", "ii",
		    from, to) != 0)
			return -1;
		if (sm_db_exec(db, NULL, "REPLACE INTO communities_search"
		    " (id, name, description, region, interest, member_count)"
		    " SELECT c.id, c.name, IF(c.is_private, '', c.description), c.region, c.interest,"
		    "  g.member_count FROM communities c JOIN search_gates g ON g.community_id = c.id"
		    " WHERE c.id BETWEEN ? AND ?", "ii", from, to) != 0)
			return -1;
		*n += sm_db_affected(db);
	}
	if (sm_db_exec(db, NULL, "UPDATE search_gates SET deleted = 1"
	    " WHERE community_id NOT IN (SELECT id FROM communities)", "") != 0)
		return -1;
	if (sm_db_exec(db, NULL, "DELETE FROM communities_search"
	    " WHERE id IN (SELECT community_id FROM search_gates WHERE deleted = 1)", "") != 0)
		return -1;
	return sm_db_exec(db, NULL, "UPDATE search_stamp SET stamp = stamp + 1,"
	    " max_id = (SELECT COALESCE(MAX(id), 0) FROM communities_search) WHERE id = 1", "");
}

int
index_rebuild(void)
{
	struct sm_conf *conf;
	struct sm_db *db = NULL;
	unsigned long long n = 0;
	int rc = 1;

	sm_log_init("somoim-community-search", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	if ((db = sm_db_new(conf, "community")) == NULL || sm_db_ensure(db) != 0)
		goto db_error;
	/* Read committed: the INSERT ... SELECT must not lock the communities it reads. */
	if (sm_db_exec(db, NULL, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "") != 0 ||
	    sm_db_tx(db, rebuild_tx, &n) != 0)
		goto db_error;
	sm_log(SM_LOG_INFO, "rebuild: communities_search made again from communities");
	printf("rebuilt the search index (%llu rows written)\n", n);
	rc = 0;
	goto out;
db_error:
	sm_log(SM_LOG_ERROR, "rebuild failed: %s", db != NULL ? sm_db_error(db) : "no database");
out:
	sm_db_free(db);
	sm_conf_free(conf);
	return rc;
}
