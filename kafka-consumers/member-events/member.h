/* member.h -- the handlers of somoim-member-events (see main.c). */
#ifndef MEMBER_H
#define MEMBER_H

#include "sm_consumer.h"

/* user-signed-up / user-updated: upserts member_profiles when version is newer. */
sm_consumer_fn member_profile_apply;
sm_consumer_batch_fn member_profile_batch;      /* the same, many at once */

/*
 * communities.c: the community copy; created also adds the owner's member row
 * and its v1.event.member-joined; deleted drops the copy and its members.
 */
sm_consumer_fn member_community_created, member_community_updated, member_community_deleted;

#endif
