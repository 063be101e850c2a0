# fcgi-apps/community/local.mk -- the community service (groups, search,
# wishlist) and somoim-community-events (its schema's copies, from user and
# member events).  Included by the top Makefile.am; paths are from the top.
# The shape every service follows: fcgi-apps/user/local.mk.

noinst_LIBRARIES += fcgi-apps/community/libcommunity.a
fcgi_apps_community_libcommunity_a_SOURCES = \
	fcgi-apps/community/store.c fcgi-apps/community/store.h \
	fcgi-apps/community/events.c fcgi-apps/community/events.h \
	fcgi-apps/community/validate.c fcgi-apps/community/community.h \
	fcgi-apps/community/libcommunity.h

bin_PROGRAMS += fcgi-apps/community/somoim-community
fcgi_apps_community_somoim_community_SOURCES = \
	fcgi-apps/community/main.c fcgi-apps/community/communities.c \
	fcgi-apps/community/wishlist.c \
	fcgi-apps/community/search.c fcgi-apps/community/search.h \
	fcgi-apps/community/search_store.c fcgi-apps/community/search_cache.c \
	fcgi-apps/community/trending.c \
	fcgi-apps/community/typo.c
fcgi_apps_community_somoim_community_LDADD = fcgi-apps/community/libcommunity.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/community-events/somoim-community-events
kafka_consumers_community_events_somoim_community_events_SOURCES = \
	kafka-consumers/community-events/main.c kafka-consumers/community-events/copies.h \
	kafka-consumers/community-events/interests.c \
	kafka-consumers/community-events/memberships.c \
	kafka-consumers/community-events/departed.c
kafka_consumers_community_events_somoim_community_events_LDADD = \
	fcgi-apps/community/libcommunity.a $(SM_LIBS)

# The search index (docs/search.md), from the community and member events.
bin_PROGRAMS += kafka-consumers/community-search/somoim-community-search
kafka_consumers_community_search_somoim_community_search_SOURCES = \
	kafka-consumers/community-search/main.c kafka-consumers/community-search/search-index.h \
	kafka-consumers/community-search/index.c
kafka_consumers_community_search_somoim_community_search_LDADD = $(SM_LIBS)
