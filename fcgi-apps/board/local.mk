# fcgi-apps/board/local.mk -- the board (CQRS): somoim-board (commands),
# somoim-board-query (reads, from the read model), somoim-board-events (the
# board schema's copies; a deleted community's posts, libboard.h) and
# somoim-board-projector (the read model, and its `rebuild` command).
# Included by the top Makefile.am; paths are from the top.  The shape every
# service follows: fcgi-apps/user/local.mk.
#
# The query program's stack name is board-query; its service name (config
# section, schema) is board_query.  It reads its own schema only and shares
# no code with the command side.

noinst_LIBRARIES += fcgi-apps/board/libboard.a
fcgi_apps_board_libboard_a_SOURCES = \
	fcgi-apps/board/store.c fcgi-apps/board/store.h \
	fcgi-apps/board/events.c fcgi-apps/board/events.h \
	fcgi-apps/board/libboard.h fcgi-apps/board/board.h

bin_PROGRAMS += fcgi-apps/board/somoim-board
fcgi_apps_board_somoim_board_SOURCES = \
	fcgi-apps/board/main.c fcgi-apps/board/posts.c
fcgi_apps_board_somoim_board_LDADD = fcgi-apps/board/libboard.a $(SM_LIBS)

bin_PROGRAMS += fcgi-apps/board-query/somoim-board-query
fcgi_apps_board_query_somoim_board_query_SOURCES = \
	fcgi-apps/board-query/main.c fcgi-apps/board-query/query.h \
	fcgi-apps/board-query/posts.c fcgi-apps/board-query/store.c
fcgi_apps_board_query_somoim_board_query_LDADD = $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/board-events/somoim-board-events
kafka_consumers_board_events_somoim_board_events_SOURCES = \
	kafka-consumers/board-events/main.c
kafka_consumers_board_events_somoim_board_events_LDADD = \
	fcgi-apps/board/libboard.a $(SM_LIBS)

bin_PROGRAMS += kafka-consumers/board-projector/somoim-board-projector
kafka_consumers_board_projector_somoim_board_projector_SOURCES = \
	kafka-consumers/board-projector/main.c kafka-consumers/board-projector/projector.h \
	kafka-consumers/board-projector/posts.c kafka-consumers/board-projector/counters.c \
	kafka-consumers/board-projector/profiles.c kafka-consumers/board-projector/rebuild.c
kafka_consumers_board_projector_somoim_board_projector_LDADD = $(SM_LIBS)
