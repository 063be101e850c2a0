/*
 * libmember.h -- what the member service's daemons may call from
 * fcgi-apps/member/libmember.a (the service's domain code, built by
 * fcgi-apps/member/local.mk): the member events.
 *
 * v1.event.member-joined / member-left / member-updated are added to the
 * member schema's outbox by events.c only.  Shared by somoim-member (joins,
 * leaves, role changes) and somoim-member-events (the owner's join on
 * community-created), so both write exactly one event shape.
 */
#ifndef LIBMEMBER_H
#define LIBMEMBER_H

struct sm_db;

/*
 * Inside the caller's open transaction, after the change: adds the event type
 * ("member-joined", "member-left", "member-updated") for user_id in
 * community_id with data {community_id, user_id, role, member_count, seq},
 * member_count and seq read from the community row as the transaction left
 * it.  Key: the community id.  request_id may be NULL.  Returns 0 or -1.
 */
int member_event_add(struct sm_db *db, const char *type, long long community_id,
    long long user_id, const char *role, const char *request_id);

/*
 * For a deleted account (somoim-member-events, users.c): store_leave_in_tx(),
 * the member service's own leave, with its STORE_* codes.
 */
#include "store.h"

#endif
