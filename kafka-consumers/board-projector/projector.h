/*
 * projector.h -- somoim-board-projector: builds the board's read model
 * (posts_view, sql/board_query/) from events, and rebuilds it from the
 * source tables on demand.
 *
 * The one design decision: every part of a posts_view row moves only
 * forward by the number its owner gave it -- the post by the board's
 * version, comment_count by the comment service's per-post seq, like_count
 * by the like service's per-target seq -- so events may arrive in any order,
 * twice, or after a rebuild, and the row still settles on the owner's
 * latest values.  The rebuild copies those same numbers from the source
 * tables, which is why a rebuilt row equals the live one.
 */
#ifndef PROJECTOR_H
#define PROJECTOR_H

#include "sm_consumer.h"

/*
 * A row's `post` as JSON text (posts_view.doc), from the row's own columns:
 * what somoim-board-query answers with.  One expression for the projector and
 * the rebuild, so their docs are identical too.
 */
#define DOC_EXPR "JSON_OBJECT('id', id, 'community_id', community_id, 'author'," \
	" JSON_OBJECT('id', author_id, 'name', author_name, 'profile_image', author_image)," \
	" 'title', title, 'body', body, 'like_count', like_count, 'comment_count', comment_count," \
	" 'created_at', created_at, 'updated_at', updated_at)"

/*
 * After a change of post id's row: sets its doc from its columns and raises
 * its community's list version (somoim-board-query's page cache).  0 or -1.
 */
int projector_doc(struct sm_db *db, long long id);

/* Takes the projection gate shared for the transaction (see rebuild.c). */
int projector_gate(struct sm_db *db);

/* Handlers (posts.c, counters.c, profiles.c). */
sm_consumer_fn post_upsert, post_deleted;
sm_consumer_fn comment_changed, like_changed;
sm_consumer_fn profile_apply, profile_deleted;
sm_consumer_batch_fn profile_batch;

/* `somoim-board-projector rebuild`: replaces posts_view from the source tables. */
int projector_rebuild(void);

#endif
