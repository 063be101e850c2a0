# fcgi-apps/like/local.mk -- the like service and somoim-like-events (the like
# schema's copies and targets).  Included by the top Makefile.am; paths are
# from the top.  The shape every service follows: fcgi-apps/user/local.mk.

noinst_LIBRARIES += fcgi-apps/like/liblike.a
fcgi_apps_like_liblike_a_SOURCES = \
	fcgi-apps/like/store.c fcgi-apps/like/store.h \
	fcgi-apps/like/events.c fcgi-apps/like/events.h fcgi-apps/like/like.h \
	fcgi-apps/like/liblike.h

bin_PROGRAMS += fcgi-apps/like/somoim-like
fcgi_apps_like_somoim_like_SOURCES = \
	fcgi-apps/like/main.c fcgi-apps/like/likes.c
fcgi_apps_like_somoim_like_LDADD = fcgi-apps/like/liblike.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/like-events/somoim-like-events
kafka_consumers_like_events_somoim_like_events_SOURCES = \
	kafka-consumers/like-events/main.c kafka-consumers/like-events/posts.h \
	kafka-consumers/like-events/posts.c kafka-consumers/like-events/users.c \
	kafka-consumers/like-events/photos.h kafka-consumers/like-events/photos.c
kafka_consumers_like_events_somoim_like_events_LDADD = \
	fcgi-apps/like/liblike.a $(SM_LIBS)
