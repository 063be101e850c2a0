# fcgi-apps/user/local.mk -- the user service: accounts, tokens, profiles.
# Included by the top Makefile.am; paths are from the top of the tree.
#
# Every service builds the same three kinds of thing (see docs/architecture.md):
#  - lib<svc>.a: the domain code (store.c, events.c, rules), compiled once; the
#    FastCGI program and the service's daemons link it, and a daemon calls only
#    what lib<svc>.h declares (the user service has no daemon yet, so no header);
#  - the FastCGI program: main.c (the route table) and the handlers;
#  - its daemons, whose main.c live in kafka-consumers/<svc>-<what>/.

noinst_LIBRARIES += fcgi-apps/user/libuser.a
fcgi_apps_user_libuser_a_SOURCES = \
	fcgi-apps/user/store.c fcgi-apps/user/store.h \
	fcgi-apps/user/events.c fcgi-apps/user/events.h \
	fcgi-apps/user/validate.c fcgi-apps/user/user.h \
	fcgi-apps/user/store_deletion.c

bin_PROGRAMS += fcgi-apps/user/somoim-user
fcgi_apps_user_somoim_user_SOURCES = \
	fcgi-apps/user/main.c fcgi-apps/user/auth.c fcgi-apps/user/users.c \
	fcgi-apps/user/interests.c fcgi-apps/user/deletion.c \
	fcgi-apps/user/oauth.c fcgi-apps/user/oauth_client.c fcgi-apps/user/oauth.h
# The OAuth sign-in's server-to-server calls to the auth server (oauth_client.c).
fcgi_apps_user_somoim_user_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS)
fcgi_apps_user_somoim_user_LDADD = fcgi-apps/user/libuser.a $(SM_LIBS) $(CURL_LIBS)

# The user schema's copy of community owners (for account deletion).
bin_PROGRAMS += kafka-consumers/user-events/somoim-user-events
kafka_consumers_user_events_somoim_user_events_SOURCES = kafka-consumers/user-events/main.c
kafka_consumers_user_events_somoim_user_events_LDADD = $(SM_LIBS)
