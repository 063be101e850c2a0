/*
 * notification.h -- somoim-notification: the in-app notification feed, each
 * user's notification settings, and the push subscription API, which does
 * not store anything itself: somoim-push owns the subscriptions and confirms
 * each change over Kafka request-reply (subscriptions.c).
 */
#ifndef NOTIFICATION_H
#define NOTIFICATION_H

#include "sm_app.h"

/* The notification types, each with a push and a feed switch in the settings. */
extern const char *const NOTIFICATION_TYPES[];
#define NOTIFICATION_NTYPES 6

/* notifications.c */
sm_handler feed_list, feed_unread_count, feed_read, settings_get, settings_put;
/* subscriptions.c */
sm_handler vapid_public_key, subscriptions_create, subscriptions_delete;
int subscriptions_init(struct sm_app *app);
void subscriptions_fini(struct sm_app *app);

#endif
