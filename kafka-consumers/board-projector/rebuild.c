/*
 * rebuild.c -- `somoim-board-projector rebuild`: replaces every row of
 * posts_view with what the source tables say, and the projection gate that
 * keeps the live projector out of its way.
 *
 * Why from the source tables and not by replaying the topics from offset 0:
 * Kafka keeps events for its retention time (7 days by default), the tables
 * keep everything; and the tables already hold the numbers the live
 * projection keeps (the board's post version, the comment service's
 * comment_count and seq in its posts rows, the like service's like_count and
 * seq in its targets rows), so a rebuilt row is the same row, and every event
 * still on its way afterwards is dropped or applied by the same version/seq
 * rules.  The rebuild connects with an account of its own, [board_query_rebuild]
 * of somoim.conf, the only one that may SELECT the board, comment and like
 * schemas (the "-- @reads" line of sql/board_query/003; dev/migrate grants
 * it); it can change nothing there, and the live programs cannot read them.
 *
 * One transaction, so readers see the old rows until the new ones commit:
 * the gate row is locked FOR UPDATE first (every projector transaction takes
 * it shared, so in-flight events finish first and later ones wait), then
 * DELETE, one INSERT ... SELECT joining the three schemas, the docs set
 * from the new rows by the projector's own DOC_EXPR, and every community's
 * list version raised (so no worker serves a cached page of the old rows).  The session
 * is READ COMMITTED: that one statement reads one consistent snapshot of all
 * of them without locking their rows.  Events of changes the snapshot
 * already holds are dropped afterwards as not newer; later ones apply.
 * Copies (communities, members, profiles) are inputs, not the projection:
 * they stay.
 *
 * A schema of the three that does not exist (a partial stack) counts as
 * empty: posts then carry zero counts.
 */
#include "projector.h"
#include "sm_time.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
projector_doc(struct sm_db *db, long long id)
{
	if (sm_db_exec(db, NULL, "UPDATE posts_view SET doc = " DOC_EXPR " WHERE id = ?", "i",
	    id) != 0)
		return -1;
	return sm_db_exec(db, NULL, "INSERT INTO list_versions (community_id, version)"
	    " SELECT community_id, 1 FROM posts_view WHERE id = ?"
	    " ON DUPLICATE KEY UPDATE version = list_versions.version + 1", "i", id);
}

int
projector_gate(struct sm_db *db)
{
	struct sm_rows *rows;

	if (sm_db_exec(db, &rows, "SELECT id FROM projection_gate WHERE id = 1 LOCK IN SHARE MODE",
	    "") != 0)
		return -1;
	sm_rows_free(rows);
	return 0;
}

/* The INSERT ... SELECT; the three %s are the board, comment and like sources. */
static const char REBUILD_FMT[] =
    "INSERT INTO posts_view (id, community_id, author_id, author_name, author_image, title,"
    " body, created_at, updated_at, version, deleted, like_count, like_seq, comment_count,"
    " comment_seq)"
    " SELECT p.id, p.community_id, p.author_id,"
    "  IF(p.deleted, '', COALESCE(a.name, '')), IF(p.deleted, NULL, a.profile_image),"
    "  IF(p.deleted, '', p.title), IF(p.deleted, '', p.body),"
    "  IF(p.deleted, '', " SM_SQL_TIME_FMT("p.created_at") "),"
    "  IF(p.deleted, '', " SM_SQL_TIME_FMT("p.updated_at") "),"
    "  p.version, p.deleted,"
    "  IF(p.deleted, 0, COALESCE(l.like_count, 0)), IF(p.deleted, 0, COALESCE(l.seq, 0)),"
    "  IF(p.deleted, 0, COALESCE(c.comment_count, 0)), IF(p.deleted, 0, COALESCE(c.seq, 0))"
    " FROM %s p"
    " LEFT JOIN copy_profiles a ON a.user_id = p.author_id"
    " LEFT JOIN %s c ON c.id = p.id"
    " LEFT JOIN %s l ON l.target_id = p.id";

/* Stand-ins for a source schema that is not there. */
#define NO_COMMENTS "(SELECT 0 AS id, 0 AS comment_count, 0 AS seq FROM DUAL WHERE 0)"
#define NO_LIKES "(SELECT 0 AS target_id, 0 AS like_count, 0 AS seq FROM DUAL WHERE 0)"

/* The db_name of config section, checked to be a plain schema name; NULL if not. */
static const char *
schema_of(const struct sm_conf *conf, const char *section, char *buf, size_t len)
{
	char def[64];
	const char *name;

	snprintf(def, sizeof(def), "somoim_%s", section);
	name = sm_conf_get(conf, section, "db_name", def);
	if (name[0] == '\0' || strlen(name) >= len - 2 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name)) {
		sm_log(SM_LOG_ERROR, "rebuild: [%s] db_name \"%s\" is not a schema name", section,
		    name);
		return NULL;
	}
	snprintf(buf, len, "`%s`", name);
	return buf;
}

/* Is table schema.table there (and readable)?  0 with *yes, or -1. */
static int
table_exists(struct sm_db *db, const char *quoted_schema, const char *table, int *yes)
{
	char schema[80];
	size_t n = strlen(quoted_schema);

	snprintf(schema, sizeof(schema), "%.*s", (int)(n - 2), quoted_schema + 1);
	return sm_db_exists(db, yes, "SELECT 1 FROM information_schema.TABLES"
	    " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", "ss", schema, table);
}

struct rebuild {
	char sql[4096];
	unsigned long long rows;
};

static int
rebuild_tx(struct sm_db *db, void *arg)
{
	struct rebuild *rb = arg;
	struct sm_rows *rows;

	if (sm_db_exec(db, &rows, "SELECT id FROM projection_gate WHERE id = 1 FOR UPDATE", "") != 0)
		return -1;
	sm_rows_free(rows);
	if (sm_db_exec(db, NULL, "DELETE FROM posts_view", "") != 0)
		return -1;
	if (sm_db_exec(db, NULL, rb->sql, "") != 0)
		return -1;
	rb->rows = sm_db_affected(db);
	if (sm_db_exec(db, NULL, "UPDATE posts_view SET doc = " DOC_EXPR, "") != 0 ||
	    sm_db_exec(db, NULL, "UPDATE list_versions SET version = version + 1", "") != 0)
		return -1;
	return sm_db_exec(db, NULL, "INSERT INTO list_versions (community_id, version)"
	    " SELECT DISTINCT community_id, 1 FROM posts_view"
	    " ON DUPLICATE KEY UPDATE version = list_versions.version + 1", "");
}

int
projector_rebuild(void)
{
	char board[80], comment[80], like[80], bsrc[100], csrc[200], lsrc[200];
	struct rebuild *rb = NULL;
	struct sm_conf *conf;
	struct sm_db *db = NULL;
	int yes, rc = 1;

	sm_log_init("somoim-board-projector", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	if (schema_of(conf, "board", board, sizeof(board)) == NULL ||
	    schema_of(conf, "comment", comment, sizeof(comment)) == NULL ||
	    schema_of(conf, "like", like, sizeof(like)) == NULL)
		goto out;
	db = sm_db_new(conf, "board_query_rebuild");
	rb = sm_xcalloc(1, sizeof(*rb));
	if (table_exists(db, board, "posts", &yes) != 0)
		goto db_error;
	if (!yes) {
		sm_log(SM_LOG_ERROR, "rebuild: %s.posts is not readable (run dev/migrate)", board);
		goto out;
	}
	if (table_exists(db, comment, "posts", &yes) != 0)
		goto db_error;
	snprintf(csrc, sizeof(csrc), yes ? "%s.posts" : "%s", yes ? comment : NO_COMMENTS);
	if (!yes)
		sm_log(SM_LOG_WARN, "rebuild: no %s.posts: comment counts are 0", comment);
	if (table_exists(db, like, "targets", &yes) != 0)
		goto db_error;
	if (yes)
		snprintf(lsrc, sizeof(lsrc), "(SELECT target_id, like_count, seq FROM %s.targets"
		    " WHERE target_type = 'post')", like);
	else {
		snprintf(lsrc, sizeof(lsrc), "%s", NO_LIKES);
		sm_log(SM_LOG_WARN, "rebuild: no %s.targets: like counts are 0", like);
	}
	snprintf(bsrc, sizeof(bsrc), "%s.posts", board);
	snprintf(rb->sql, sizeof(rb->sql), REBUILD_FMT, bsrc, csrc, lsrc);
	if (sm_db_exec(db, NULL, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "") != 0)
		goto db_error;
	if (sm_db_tx(db, rebuild_tx, rb) != 0)
		goto db_error;
	sm_log(SM_LOG_INFO, "rebuild: posts_view replaced from %s, %s, %s: %llu rows", board,
	    comment, like, rb->rows);
	printf("rebuilt %llu posts\n", rb->rows);
	rc = 0;
	goto out;
db_error:
	sm_log(SM_LOG_ERROR, "rebuild failed: %s", sm_db_error(db));
out:
	free(rb);
	sm_db_free(db);
	sm_conf_free(conf);
	return rc;
}
