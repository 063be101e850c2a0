/*
 * events.c -- what somoim-push makes of the events it consumes:
 *  - v1.event.comment-created: a "comment" notification to the post's author
 *    (unless they wrote the comment).  The event carries post_author_id and
 *    the commenter's name (fcgi-apps/comment/events.c), so no copy of posts
 *    is needed here.
 *  - v1.event.user-signed-up: a "welcome" notification to the new account.
 *  - v1.event.attendance-changed: a "waitlist" notification to the member
 *    promoted from the waitlist to a seat; and the reminders table follows
 *    who attends (a seat adds the 24 h and 1 h reminders of the schedule's
 *    start, waitlisted or none removes the pending ones; every event moves
 *    the member's pending reminders to the starts_at it carries).
 *  - v1.event.user-deleted: others' notifications naming the account are
 *    rewritten with the neutral name; the account's subscriptions, reminders, feed
 *    and settings go.
 *  - v1.event.community-deleted: the community's schedules are gone, and so
 *    are their pending reminders.
 * A schedule's own updated and cancelled events (schedules.c) move or drop
 * the reminders; the attendance events here follow the newest state of the
 * schedule those recorded (schedule_state_merge).
 * Each runs inside the consumer loop's transaction on the push schema, so
 * processed_events makes a redelivered event a no-op; the channels are
 * idempotent on top (channels.c).
 */
#include "push.h"
#include "sm_conf.h"
#include "sm_copy.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"

#include <stdio.h>
#include <string.h>

static struct channels ch;
static struct sm_bus *bus;

int
events_init(const struct sm_conf *conf)
{
	if ((ch.notification_db = sm_db_new(conf, "notification")) == NULL)
		return -1;
	bus = channels_bus(&ch);
	return 0;
}

void
events_fini(void)
{
	sm_bus_free(bus);
	sm_db_free(ch.notification_db);
}

void
text_cut(const char *s, char *out, size_t max)
{
	size_t n = strlen(s);

	if (n >= max) {
		n = max - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

int
events_publish(struct sm_db *db, const struct sm_event *ev, long long user_id, long long actor_id,
    const char *type, const char *title, const char *body, const char *link, const char *urgency)
{
	struct notification n = {
		.user_id = user_id, .actor_id = actor_id, .type = type, .event_id = ev->id,
		.title = title,
		.body = body, .link = link, .urgency = urgency, .ttl = 86400,
	};

	ch.push_db = db;
	return notify(bus, &ch, &n);
}

int
on_comment_created(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long post_id, post_author, author;
	const char *name = sm_event_str(ev->data, "author_name");
	const char *excerpt = sm_event_str(ev->data, "excerpt");
	char who[130], title[200], body[1000], link[64];

	(void)m;
	if (sm_event_ids(ev, err, errlen, "post_id", &post_id, "post_author_id", &post_author,
	    "author_id", &author, (char *)NULL) != 0)
		return -1;
	if (post_author == author)
		return 0;       /* my own comment on my own post */
	text_cut(name != NULL ? name : "누군가", who, sizeof(who));
	/* the seed's "${이름}가 코멘트를 달았습니다" */
	snprintf(title, sizeof(title), "%s님이 댓글을 달았습니다", who);
	text_cut(excerpt != NULL ? excerpt : "", body, sizeof(body));
	snprintf(link, sizeof(link), "/posts/%lld", post_id);
	return events_publish(db, ev, post_author, author, "comment", title, body, link, "normal");
}

int
on_user_signed_up(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id;
	const char *name = sm_event_str(ev->data, "name");
	char who[130], title[200];

	(void)m;
	if (sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	text_cut(name != NULL ? name : "", who, sizeof(who));
	snprintf(title, sizeof(title), "%s님, 소모임에 오신 것을 환영합니다", who);
	return events_publish(db, ev, user_id, 0, "welcome", title,
	    "관심사가 같은 사람들의 모임을 찾아 가입해 보세요.", "/", "low");
}

int
on_attendance_changed(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long schedule_id, community_id, user_id, promoted = 0, version = 0;
	const char *status = sm_event_str(ev->data, "status");
	const char *starts_at = sm_event_str(ev->data, "starts_at");
	const char *stitle = sm_event_str(ev->data, "title");
	struct schedule_state st;
	char title[400], head[200], body[600], link[64];

	(void)m;
	if (sm_event_ids(ev, err, errlen, "schedule_id", &schedule_id, "community_id",
	    &community_id, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	if (status == NULL)
		return sm_event_bad(ev, "status", err, errlen);
	if (starts_at == NULL || strlen(starts_at) != 20)
		return sm_event_bad(ev, "starts_at", err, errlen);
	(void)sm_event_int(ev->data, "version", &version);     /* absent: an older producer's, 0 */
	text_cut(stitle != NULL ? stitle : "", title, sizeof(title));
	/* the reminders follow the newest start and title known, whichever topic told it */
	if (schedule_state_merge(db, schedule_id, version, starts_at, title, 0, &st) != 0)
		return -1;
	if (st.cancelled)
		return reminders_follow(db, schedule_id, community_id, user_id, 0, NULL, NULL);
	if (reminders_follow(db, schedule_id, community_id, user_id,
	    strcmp(status, "attending") == 0, st.starts_at, st.title) != 0)
		return -1;
	if (sm_event_int(ev->data, "promoted_user_id", &promoted) != 0 || promoted <= 0)
		return 0;
	if (reminders_follow(db, schedule_id, community_id, promoted, 1, st.starts_at,
	    st.title) != 0)
		return -1;
	text_cut(st.title, head, 120);
	snprintf(body, sizeof(body), "대기 순서가 되어 '%s' 일정에 참석이 확정되었습니다.", head);
	snprintf(link, sizeof(link), "/schedules/%lld", schedule_id);
	return events_publish(db, ev, promoted, 0, "waitlist", "대기에서 참석으로 바뀌었습니다", body, link,
	    "high");
}

/* A deleted community takes its schedules along: their pending reminders go. */
int
on_community_deleted(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	return sm_db_exec(db, NULL, "DELETE FROM reminders WHERE community_id = ?"
	    " AND state = 'pending'", "i", id);
}

/*
 * An account deleted: its subscriptions (their pending deliveries are then
 * dropped by the sender), its reminders, and its feed and settings (through
 * the notification schema's user, like the feed writer) go.
 */
int
on_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id;

	(void)m;
	if (sm_event_ids(ev, err, errlen, "user_id", &id, (char *)NULL) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "DELETE FROM subscriptions WHERE user_id = ?", "i", id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM reminders WHERE user_id = ?", "i", id) != 0)
		return -1;
	/* Others' notifications that name the account (its comments) take the neutral name. */
	if (sm_db_exec(ch.notification_db, NULL, "DELETE FROM notifications WHERE user_id = ?",
	    "i", id) != 0 || sm_db_exec(ch.notification_db, NULL,
	    "DELETE FROM settings WHERE user_id = ?", "i", id) != 0 ||
	    sm_db_exec(ch.notification_db, NULL, "UPDATE notifications SET"
	    " title = CONCAT(?, '님이 댓글을 달았습니다'), actor_id = NULL"
	    " WHERE actor_id = ? AND type = 'comment'", "si", SM_COPY_DELETED_NAME, id) != 0) {
		sm_log(SM_LOG_ERROR, "user-deleted %lld: %s", id, sm_db_error(ch.notification_db));
		return -1;
	}
	return 0;
}
