/*
 * push.h -- the parts of somoim-push (the seed's PUSH server) and what they
 * share.
 *
 * Three threads, each with its own database connections:
 *  - the consumer loop (main.c, lib/sm_consumer.c) turns events into
 *    notifications (events.c) and publishes each on an in-process bus
 *    (lib/sm_bus.c) whose subscribers are the channels (channels.c): the feed
 *    writer, then the Web Push queue;
 *  - the subscription responder (subscriptions.c) answers
 *    v1.event.subscription.request for somoim-notification;
 *  - the sender (sender.c) sends the queued Web Push messages with libcurl's
 *    multi interface and raises due meetup reminders through its own bus.
 * A notification's id is its feed row's id (the feed writer runs first and
 * sets it), so a push, its Topic and the feed agree on one id.
 */
#ifndef PUSH_H
#define PUSH_H

#include "sm_bus.h"
#include "sm_consumer.h"

#include <stddef.h>

struct sm_conf;
struct sm_db;

/* The bus message: one notification for one recipient. */
struct notification {
	long long id;           /* set by the feed writer */
	long long user_id;
	long long actor_id;     /* who caused it (a commenter), 0 for none: see on_user_deleted */
	const char *type;       /* comment, welcome, waitlist, reminder, schedule_moved, ... */
	const char *event_id;   /* with user_id and type: the exactly-once key */
	const char *title, *body, *link;
	const char *urgency;    /* Web Push Urgency */
	long long ttl;          /* Web Push TTL, seconds */
	int feed, push;         /* the recipient's settings for the type */
};

extern const struct sm_bus_type NOTIFICATION;

/* The connections one thread's channels write through. */
struct channels {
	struct sm_db *push_db;          /* somoim_push: deliveries */
	struct sm_db *notification_db;  /* somoim_notification: feed and settings */
};

/* A bus with the channels subscribed in order: feed writer, Web Push queue. */
struct sm_bus *channels_bus(struct channels *ch);

/*
 * Reads the recipient's settings for n->type, then publishes n (unless both
 * channels are off).  0, or -1 (logged) -- the caller's transaction then
 * rolls back and the event is retried.
 */
int notify(struct sm_bus *bus, struct channels *ch, struct notification *n);

/* The daemon's clock: time(NULL) + [push] clock_offset_s (tests move it). */
long long push_now(void);
void push_clock_init(long long offset);

/* Event handlers (events.c; lib/sm_consumer.h), after events_init() set up the
 * consumer thread's bus and feed connection. */
int events_init(const struct sm_conf *conf);
void events_fini(void);
sm_consumer_fn on_comment_created, on_user_signed_up, on_attendance_changed,
    on_community_deleted, on_user_deleted;
/* schedules.c: a schedule edited or cancelled */
sm_consumer_fn on_schedule_updated, on_schedule_cancelled;

/* Cuts s to at most max bytes on a UTF-8 character boundary, into out. */
void text_cut(const char *s, char *out, size_t max);
/* Publishes one notification of event ev, with the push schema's connection db. */
int events_publish(struct sm_db *db, const struct sm_event *ev, long long user_id,
    long long actor_id, const char *type, const char *title, const char *body,
    const char *link, const char *urgency);

/*
 * The newest state of a schedule the daemon has heard of (schedules.c,
 * table schedule_states): each schedule event carries the schedule's
 * version, and an older one, redelivered or late from another topic, does
 * not overwrite a newer one.
 */
struct schedule_state {
	long long version;
	int cancelled;                  /* a cancel is final, whatever comes after */
	char starts_at[24];             /* RFC 3339, "...Z" */
	char title[400];
};

/*
 * Merges what an event says (starts_at RFC 3339 UTC, 20 characters) into
 * the state of schedule id, then reads the state back, locked, into *st.
 * 0 or -1.
 */
int schedule_state_merge(struct sm_db *db, long long id, long long version,
    const char *starts_at, const char *title, int cancelled, struct schedule_state *st);

/*
 * The reminders of (schedule, user): seated adds the pending 24 h and 1 h
 * reminders of starts_at (those still ahead; a sent one stays sent) or moves
 * the pending ones there; otherwise the pending ones go.  0 or -1.
 */
int reminders_follow(struct sm_db *db, long long schedule_id, long long community_id,
    long long user_id, int seated, const char *starts_at, const char *title);

/* The subscription responder thread. */
int subscriptions_start(const struct sm_conf *conf, volatile int *stop);
void subscriptions_join(void);

/* The sender thread. */
int sender_start(const struct sm_conf *conf, volatile int *stop);
void sender_join(void);
/* Tells the sender deliveries were queued (from any thread). */
void sender_kick(void);

#endif
