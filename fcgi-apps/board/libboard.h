/*
 * libboard.h -- what the board's daemons may call from fcgi-apps/board/libboard.a
 * (the service's domain code: store.c and events.c, built by
 * fcgi-apps/board/local.mk).  somoim-board-events deletes a deleted
 * community's posts here, so they go the way one deleted post goes, and keeps
 * the board's copy of each post's comment and like counts.
 *
 * Functions return 0 on success, -1 on a database error, or a positive
 * STORE_* code for a business outcome.
 */
#ifndef LIBBOARD_H
#define LIBBOARD_H

struct sm_db;

enum {
	STORE_NOT_FOUND = 1,    /* no such post (or deleted, or hidden from the caller) */
	STORE_FORBIDDEN = 2,
	STORE_NO_COMMUNITY = 3, /* no such community (in this service's copy) */
};

/*
 * Within the caller's transaction (somoim-board-events, on
 * v1.event.community-deleted): every live post of community_id becomes a
 * tombstone (version + 1) with its v1.event.post-deleted, so its comments,
 * likes and read-model row go the way one deleted post's go.
 */
int store_community_deleted(struct sm_db *db, long long community_id, const char *request_id);

/*
 * Within the caller's transaction (somoim-board-events): post id's
 * comment_count / like_count becomes count if seq is above the one it holds
 * (a post the board does not have changes nothing).  0 or -1.
 */
int store_comment_count(struct sm_db *db, long long id, long long count, long long seq);
int store_like_count(struct sm_db *db, long long id, long long count, long long seq);

#endif
