# fcgi-apps/member/local.mk -- the member service (memberships and roles) and
# somoim-member-events (the community copy; a new community's owner joins
# with the service's own member-joined, libmember.h).  Included by the top
# Makefile.am; paths are from the top.  The shape: fcgi-apps/user/local.mk.

noinst_LIBRARIES += fcgi-apps/member/libmember.a
fcgi_apps_member_libmember_a_SOURCES = \
	fcgi-apps/member/store.c fcgi-apps/member/store.h \
	fcgi-apps/member/events.c fcgi-apps/member/libmember.h

bin_PROGRAMS += fcgi-apps/member/somoim-member
fcgi_apps_member_somoim_member_SOURCES = \
	fcgi-apps/member/main.c fcgi-apps/member/member.h \
	fcgi-apps/member/members.c fcgi-apps/member/mine.c
fcgi_apps_member_somoim_member_LDADD = fcgi-apps/member/libmember.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/member-events/somoim-member-events
kafka_consumers_member_events_somoim_member_events_SOURCES = \
	kafka-consumers/member-events/main.c kafka-consumers/member-events/member.h \
	kafka-consumers/member-events/communities.c kafka-consumers/member-events/users.c
kafka_consumers_member_events_somoim_member_events_LDADD = \
	fcgi-apps/member/libmember.a $(SM_LIBS)
