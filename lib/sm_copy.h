/*
 * sm_copy.h -- a service's local copies of the communities, memberships and
 * profiles that other services own, kept by events, and the access check
 * every community-scoped service makes with them.
 *
 * A service that needs "is this user a member of that community, with which
 * role, and may a stranger read it" keeps three tables in its own schema
 * (the same DDL in each schema's sql/<svc>/NNN-copies.sql; see
 * sql/schedule/ for the reference text):
 *
 *   copy_communities (id PK, owner_id, name, is_private, version, deleted)
 *   copy_members     (community_id, user_id PK, role NULL = not a member, seq)
 *   copy_profiles    (user_id PK, name, profile_image, version)
 *
 * and lists SM_COPY_HANDLERS in its events daemon's handler table.  Every
 * handler is correct in any arrival order (Kafka orders one topic's key, not
 * one topic against another): communities and profiles move only to a newer
 * version, a membership only to a newer seq (the member service's
 * per-community counter), a deleted community stays a tombstone that later
 * events respect, and a membership may land before its community does.
 */
#ifndef SM_COPY_H
#define SM_COPY_H

#include "sm_consumer.h"
#include "sm_time.h"

struct sm_db;
struct sm_rows;

/*
 * The API's `community` object, as the community service answers it from its
 * own table and the member service from its copy (the same columns, alias c):
 * SM_COMMUNITY_COLS selects them in sm_community_json's order.
 */
#define SM_COMMUNITY_COLS "c.id, c.name, c.description, c.region, c.interest," \
	" c.max_members, c.member_count, c.owner_id, c.is_private, " \
	SM_SQL_TIME("c.created_at")
#define SM_COMMUNITY_NCOLS 10

/*
 * The `community` from the row's first SM_COMMUNITY_NCOLS columns; when !full,
 * the view a stranger gets of a private community (id, name, region,
 * interest, member_count, is_private).  The object belongs to the caller.
 */
json_object *sm_community_json(const struct sm_rows *rows, int full);

enum sm_role { SM_ROLE_NONE, SM_ROLE_MEMBER, SM_ROLE_ADMIN, SM_ROLE_OWNER };

struct sm_access {
	int found;              /* the community exists (and is not deleted) */
	int is_private;
	enum sm_role role;      /* the caller's; SM_ROLE_NONE for a stranger */
};

/*
 * Fills *a for user_id (0: anonymous) in community_id.  Returns 0, or -1 on
 * a database error.
 */
int sm_copy_access(struct sm_db *db, long long community_id, long long user_id,
    struct sm_access *a);

/*
 * The same, for a transaction that creates something in community_id: the
 * rows read (the community's copy, the caller's membership) stay share-locked
 * until the transaction ends, so the community-deleted handler, which writes
 * the community's row first, either waits for the new row and then sees it,
 * or has committed and this finds no community.
 */
int sm_copy_access_locked(struct sm_db *db, long long community_id, long long user_id,
    struct sm_access *a);

/* What the access allows: reading (public, or a member), and moderating (owner/admin). */
#define SM_CAN_READ(a)     ((a)->found && (!(a)->is_private || (a)->role != SM_ROLE_NONE))
#define SM_IS_MEMBER(a)    ((a)->found && (a)->role != SM_ROLE_NONE)
#define SM_IS_MODERATOR(a) ((a)->found && (a)->role >= SM_ROLE_ADMIN)

/*
 * The profile copy of user_id: name into name[namelen] and profile image
 * into image[imagelen] (empty when none).  Returns 1 when known, 0 when not
 * (yet): then name and image are empty.  -1 on a database error.
 */
int sm_copy_profile(struct sm_db *db, long long user_id, char *name, size_t namelen,
    char *image, size_t imagelen);

/* The handlers; list them with SM_COPY_HANDLERS. */
sm_consumer_fn sm_copy_profile_apply;           /* user-signed-up, user-updated */
sm_consumer_batch_fn sm_copy_profile_batch;
sm_consumer_fn sm_copy_community_apply;         /* community-created, -updated */
sm_consumer_fn sm_copy_community_deleted;       /* community-deleted: tombstone, members go */
sm_consumer_fn sm_copy_member_apply;            /* member-joined, -left, -updated */

/*
 * user-deleted: the account is gone for good, so its profile copy becomes the
 * neutral author (SM_COPY_DELETED_NAME, no image) at the event's version, the
 * account's last: no older user-signed-up/-updated can bring the name back,
 * and everything that names authors from copy_profiles shows the neutral one.
 */
#define SM_COPY_DELETED_NAME "탈퇴한 회원"
sm_consumer_fn sm_copy_profile_deleted;

/*
 * The entries of a handler table.  A service that must also act on one of
 * these topics (say, drop its rows of a deleted community) writes its own
 * entry for that topic instead, calling the sm_copy_ handler first.
 */
#define SM_COPY_PROFILE_HANDLERS \
	{ "v1.event.user-signed-up", sm_copy_profile_apply, sm_copy_profile_batch }, \
	{ "v1.event.user-updated", sm_copy_profile_apply, sm_copy_profile_batch }
#define SM_COPY_MEMBER_HANDLERS \
	{ "v1.event.member-joined", sm_copy_member_apply, NULL }, \
	{ "v1.event.member-left", sm_copy_member_apply, NULL }, \
	{ "v1.event.member-updated", sm_copy_member_apply, NULL }
#define SM_COPY_COMMUNITY_HANDLERS \
	{ "v1.event.community-created", sm_copy_community_apply, NULL }, \
	{ "v1.event.community-updated", sm_copy_community_apply, NULL }
#define SM_COPY_USER_DELETED_HANDLER \
	{ "v1.event.user-deleted", sm_copy_profile_deleted, NULL }
#define SM_COPY_HANDLERS \
	SM_COPY_PROFILE_HANDLERS, SM_COPY_MEMBER_HANDLERS, SM_COPY_COMMUNITY_HANDLERS, \
	{ "v1.event.community-deleted", sm_copy_community_deleted, NULL }, \
	SM_COPY_USER_DELETED_HANDLER

#endif
