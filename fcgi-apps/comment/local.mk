# fcgi-apps/comment/local.mk -- included by the top Makefile.am; paths are from the top.
#
# Comments and likes (issue 6, part B): two FastCGI programs with their own schemas
# (sql/comment, sql/like) and the two daemons that keep those schemas' copies.

# ---- comment service ----
bin_PROGRAMS += fcgi-apps/comment/somoim-comment
fcgi_apps_comment_somoim_comment_SOURCES = \
	fcgi-apps/comment/main.c fcgi-apps/comment/comment.h \
	fcgi-apps/comment/comments.c fcgi-apps/comment/events.c fcgi-apps/comment/events.h \
	fcgi-apps/comment/store.c fcgi-apps/comment/store.h
fcgi_apps_comment_somoim_comment_LDADD = $(SM_LIBS)

# ---- like service (sources in fcgi-apps/like/, where dev/stack looks for somoim-like) ----
bin_PROGRAMS += fcgi-apps/like/somoim-like
fcgi_apps_like_somoim_like_SOURCES = \
	fcgi-apps/like/main.c fcgi-apps/like/like.h fcgi-apps/like/likes.c \
	fcgi-apps/like/store.c fcgi-apps/like/store.h
fcgi_apps_like_somoim_like_LDADD = $(SM_LIBS)

# ---- comment-events daemon (the comment schema's copies and posts) ----
bin_PROGRAMS += kafka-consumers/comment-events/somoim-comment-events
kafka_consumers_comment_events_somoim_comment_events_SOURCES = \
	kafka-consumers/comment-events/main.c kafka-consumers/comment-events/posts.h \
	kafka-consumers/comment-events/posts.c
kafka_consumers_comment_events_somoim_comment_events_LDADD = $(SM_LIBS)

# ---- like-events daemon (the like schema's copies and targets) ----
bin_PROGRAMS += kafka-consumers/like-events/somoim-like-events
kafka_consumers_like_events_somoim_like_events_SOURCES = \
	kafka-consumers/like-events/main.c kafka-consumers/like-events/posts.h \
	kafka-consumers/like-events/posts.c \
	kafka-consumers/like-events/photos.h kafka-consumers/like-events/photos.c
kafka_consumers_like_events_somoim_like_events_LDADD = $(SM_LIBS)
