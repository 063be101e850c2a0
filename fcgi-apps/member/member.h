/*
 * member.h -- the member service: memberships of communities and their roles.
 *
 * The one design decision: this service owns the member rows and the member
 * count, and enforces max_members on its own copy of each community (kept by
 * somoim-member-events from the community service's events).  A join is one
 * transaction that inserts the member row, raises member_count only while it
 * is below max_members, and adds v1.event.member-joined to the outbox; the
 * community service learns the new count from that event.  So the cap holds
 * under any concurrency, and a community this service has not heard of yet
 * (its created event is a moment away) is a 404 for that moment.
 */
#ifndef MEMBER_H
#define MEMBER_H

#include "sm_app.h"

/* Handlers (members.c, mine.c). */
sm_handler members_join, members_list, members_leave, members_patch;
sm_handler my_communities;

#endif
