# fcgi-apps/chat/local.mk -- included by the top Makefile.am; paths are from the top.
#
# Group chat (issue 15): the FastCGI program somoim-chat (messages in the document
# store through lib/sm_mongo, live delivery by nchan) and somoim-chat-events, which
# keeps the chat's copies of communities, memberships and profiles in the same store.

CHAT_LIBS = fcgi-apps/chat/libchat.a $(SM_LIBS) $(MONGOC_LIBS) $(CURL_LIBS)

# What the daemon shares with the program: publishing to nchan (publish.h); and the
# input checks the fuzz target drives (text.h).
noinst_LIBRARIES += fcgi-apps/chat/libchat.a
fcgi_apps_chat_libchat_a_SOURCES = fcgi-apps/chat/publish.c fcgi-apps/chat/publish.h \
	fcgi-apps/chat/text.c fcgi-apps/chat/text.h
fcgi_apps_chat_libchat_a_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS)

bin_PROGRAMS += fcgi-apps/chat/somoim-chat
fcgi_apps_chat_somoim_chat_SOURCES = \
	fcgi-apps/chat/main.c fcgi-apps/chat/chat.h fcgi-apps/chat/layout.h \
	fcgi-apps/chat/messages.c fcgi-apps/chat/stream.c \
	fcgi-apps/chat/store.c fcgi-apps/chat/store.h
fcgi_apps_chat_somoim_chat_LDADD = $(CHAT_LIBS)

bin_PROGRAMS += kafka-consumers/chat-events/somoim-chat-events
kafka_consumers_chat_events_somoim_chat_events_SOURCES = \
	kafka-consumers/chat-events/main.c kafka-consumers/chat-events/copies.c \
	kafka-consumers/chat-events/copies.h fcgi-apps/chat/layout.h
kafka_consumers_chat_events_somoim_chat_events_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/fcgi-apps/chat
kafka_consumers_chat_events_somoim_chat_events_LDADD = $(CHAT_LIBS)


# Tests' look into the document store (t/546): the collections by name.  And
# bench/chat-fill writes in the service's layout.
bench_chat_fill_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/fcgi-apps/chat
check_PROGRAMS += t/helpers/mongo-colls
t_helpers_mongo_colls_SOURCES = t/helpers/mongo-colls.c
t_helpers_mongo_colls_LDADD = $(MONGOC_LIBS)
