/* member.h -- the handlers of somoim-member-events (see main.c). */
#ifndef MEMBER_DAEMON_H
#define MEMBER_DAEMON_H

#include "sm_consumer.h"

/*
 * communities.c: the community copy; created also adds the owner's member row
 * and its v1.event.member-joined; deleted drops the copy and its members.
 */
sm_consumer_fn member_community_created, member_community_updated, member_community_deleted;

/* users.c: user-deleted ends every membership (not an owner's) with its member-left. */
sm_consumer_fn member_user_deleted;

#endif
