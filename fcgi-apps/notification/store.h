/*
 * store.h -- the notification schema's SQL (store.c): the feed rows that
 * somoim-push writes and this service lists and marks, and the settings.
 */
#ifndef NOTIFICATION_STORE_H
#define NOTIFICATION_STORE_H

#include "notification.h"

enum { STORE_NOT_FOUND = 1 };

/* A page of the user's feed, newest first, ids below after (-1: from the top). */
int store_feed(struct sm_db *db, long long user_id, long long after, long long limit,
    json_object **items, long long *next);
int store_unread(struct sm_db *db, long long user_id, long long *count);
/* 0, STORE_NOT_FOUND (not the user's), or -1. */
int store_read(struct sm_db *db, long long user_id, long long id);
/* The settings as {type: {push, feed}} for every type. */
int store_settings(struct sm_db *db, long long user_id, json_object **out);
int store_setting_put(struct sm_db *db, long long user_id, const char *type, int push,
    int feed);

#endif
