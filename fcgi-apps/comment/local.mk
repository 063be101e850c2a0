# fcgi-apps/comment/local.mk -- the comment service and somoim-comment-events
# (the comment schema's copies and posts).  Included by the top Makefile.am;
# paths are from the top.  The shape every service follows:
# fcgi-apps/user/local.mk.

noinst_LIBRARIES += fcgi-apps/comment/libcomment.a
fcgi_apps_comment_libcomment_a_SOURCES = \
	fcgi-apps/comment/store.c fcgi-apps/comment/store.h \
	fcgi-apps/comment/events.c fcgi-apps/comment/events.h \
	fcgi-apps/comment/comment.h

bin_PROGRAMS += fcgi-apps/comment/somoim-comment
fcgi_apps_comment_somoim_comment_SOURCES = \
	fcgi-apps/comment/main.c fcgi-apps/comment/comments.c
fcgi_apps_comment_somoim_comment_LDADD = fcgi-apps/comment/libcomment.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/comment-events/somoim-comment-events
kafka_consumers_comment_events_somoim_comment_events_SOURCES = \
	kafka-consumers/comment-events/main.c kafka-consumers/comment-events/posts.h \
	kafka-consumers/comment-events/posts.c kafka-consumers/comment-events/users.c
kafka_consumers_comment_events_somoim_comment_events_LDADD = \
	fcgi-apps/comment/libcomment.a $(SM_LIBS)
