# fcgi-apps/notification/local.mk -- included by the top Makefile.am; paths are from the top.
#
# Notifications (the second seed): somoim-notification (feed, settings, the push
# subscription API; schema sql/notification) and somoim-push (kafka-consumers/push: the
# PUSH server that owns the subscriptions in schema sql/push, writes the feed, sends Web
# Push and reminders).  Web Push crypto needs OpenSSL's libcrypto, sending needs libcurl.
PUSH_LIBS = $(SM_LIBS) $(CRYPTO_LIBS) $(CURL_LIBS)

bin_PROGRAMS += fcgi-apps/notification/somoim-notification
fcgi_apps_notification_somoim_notification_SOURCES = \
	fcgi-apps/notification/main.c fcgi-apps/notification/notification.h \
	fcgi-apps/notification/notifications.c fcgi-apps/notification/subscriptions.c \
	fcgi-apps/notification/store.c fcgi-apps/notification/store.h
fcgi_apps_notification_somoim_notification_LDADD = $(PUSH_LIBS)
fcgi_apps_notification_somoim_notification_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS)

bin_PROGRAMS += kafka-consumers/push/somoim-push
kafka_consumers_push_somoim_push_SOURCES = \
	kafka-consumers/push/main.c kafka-consumers/push/push.h \
	kafka-consumers/push/channels.c kafka-consumers/push/events.c \
	kafka-consumers/push/subscriptions.c kafka-consumers/push/sender.c \
	kafka-consumers/push/schedules.c
kafka_consumers_push_somoim_push_LDADD = $(PUSH_LIBS) -lpthread
kafka_consumers_push_somoim_push_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS) $(CURL_CFLAGS)
