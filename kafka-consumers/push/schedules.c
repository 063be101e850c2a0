/*
 * schedules.c -- somoim-push and the schedules themselves: the reminders
 * table, the newest state known of each schedule, and what
 * v1.event.schedule-updated and schedule-cancelled do.
 *
 *  - schedule-updated with starts_at among the changed fields moves the
 *    pending reminders of the attendees to the new start: 24 h and 1 h before
 *    it.  One already sent stays sent (it is not sent twice).  One whose new
 *    moment has already passed is dropped, not sent late: a meetup moved to
 *    start in 30 minutes gets no "tomorrow" reminder, and the schedule_moved
 *    notification every attendee and waitlisted member gets tells them the
 *    new time.  A change of title only renames pending reminders.
 *  - schedule-cancelled drops the pending reminders and tells every attendee
 *    and waitlisted member (schedule_cancelled), except who cancelled it.
 *
 * The one design decision: events of one schedule come on three topics
 * (attendance-changed, schedule-updated, schedule-cancelled), ordered within
 * each but not across them, and any may be redelivered.  Each carries the
 * schedule's version (+1 on every change of its row); schedule_states keeps
 * the newest start and title per schedule, and every handler works from that
 * state, not from what its own event says.  So an older update that arrives
 * after a newer one moves nothing back, an attendance event that arrives
 * after a move makes its reminders at the moved time, and nothing comes back
 * to life after a cancel.  Exactly once per (event, recipient, type) is the
 * feed's unique key, as for every notification (channels.c).
 */
#include "push.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

/* The reminders' offsets before the start, by kind, as SQL. */
#define BEFORE_SQL "IF(kind = '24h', 86400, 3600)"

int
schedule_state_merge(struct sm_db *db, long long id, long long version, const char *starts_at,
    const char *title, int cancelled, struct schedule_state *st)
{
	struct sm_rows *rows;
	int r;

	/* MariaDB assigns left to right: version last, so the IFs see the old one */
	if (sm_db_exec(db, NULL, "INSERT INTO schedule_states (schedule_id, version, starts_at,"
	    " title, cancelled) VALUES (?, ?, STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ'), ?, ?)"
	    " ON DUPLICATE KEY UPDATE"
	    " starts_at = IF(VALUES(version) > version, VALUES(starts_at), starts_at),"
	    " title = IF(VALUES(version) > version, VALUES(title), title),"
	    " cancelled = GREATEST(cancelled, VALUES(cancelled)),"
	    " version = GREATEST(version, VALUES(version))", "iissi", id, version, starts_at, title,
	    (long long)cancelled) != 0)
		return -1;
	if (sm_db_exec(db, &rows, "SELECT version, cancelled,"
	    " DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%sZ'), title FROM schedule_states"
	    " WHERE schedule_id = ? FOR UPDATE", "i", id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		st->version = sm_rows_int(rows, 0);
		st->cancelled = sm_rows_int(rows, 1) != 0;
		snprintf(st->starts_at, sizeof(st->starts_at), "%s", sm_rows_str(rows, 2));
		snprintf(st->title, sizeof(st->title), "%s", sm_rows_str(rows, 3));
	}
	sm_rows_free(rows);
	if (r != 1)
		return -1;
	/* a schedule that started a day ago hears nothing more: its rows can go */
	return sm_db_exec(db, NULL, "DELETE FROM schedule_states"
	    " WHERE starts_at < FROM_UNIXTIME(?) - INTERVAL 1 DAY LIMIT 100", "i", push_now());
}

int
reminders_follow(struct sm_db *db, long long schedule_id, long long community_id,
    long long user_id, int seated, const char *starts_at, const char *title)
{
	static const struct { const char *kind; long long before; } kinds[] = {
		{ "24h", 86400 }, { "1h", 3600 },
	};
	size_t i;

	if (!seated)
		return sm_db_exec(db, NULL, "DELETE FROM reminders WHERE schedule_id = ?"
		    " AND user_id = ? AND state = 'pending'", "ii", schedule_id, user_id);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		/* A reminder whose moment has passed when the seat is taken is not raised. */
		if (sm_db_exec(db, NULL,
		    "INSERT INTO reminders (schedule_id, user_id, kind, starts_at, due_at, title,"
		    " community_id)"
		    " SELECT ?, ?, ?, s, s - INTERVAL ? SECOND, ?, ? FROM"
		    " (SELECT STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ') AS s) x"
		    " WHERE s - INTERVAL ? SECOND > FROM_UNIXTIME(?)"
		    " ON DUPLICATE KEY UPDATE title = VALUES(title),"
		    " due_at = IF(state = 'pending', VALUES(due_at), due_at),"
		    " starts_at = IF(state = 'pending', VALUES(starts_at), starts_at)",
		    "iisisisii", schedule_id, user_id, kinds[i].kind, kinds[i].before, title,
		    community_id, starts_at, kinds[i].before, push_now()) != 0)
			return -1;
	}
	return 0;
}

/* The user ids of data[key] (an array; absent is empty) into the caller's loop. */
static int
each_id(const struct sm_event *ev, const char *key, char *err, size_t errlen,
    int (*fn)(long long id, void *arg), void *arg)
{
	json_object *a = NULL;
	size_t i, n;

	if (!json_object_object_get_ex(ev->data, key, &a) || a == NULL)
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return sm_event_bad(ev, key, err, errlen);
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(a, i);
		long long id = json_object_get_int64(v);

		if (!json_object_is_type(v, json_type_int) || id <= 0)
			return sm_event_bad(ev, key, err, errlen);
		if (fn(id, arg) != 0)
			return -1;
	}
	return 0;
}

/* What one event's recipients share. */
struct fanout {
	struct sm_db *db;
	const struct sm_event *ev;
	long long schedule_id, community_id, actor;
	const struct schedule_state *st;
	const char *type, *title, *body, *link;
};

static int
tell(long long user_id, void *arg)
{
	struct fanout *f = arg;

	if (user_id == f->actor)
		return 0;       /* who made the change knows */
	return events_publish(f->db, f->ev, user_id, f->actor, f->type, f->title, f->body, f->link,
	    "high");
}

static int
remind_at_new_time(long long user_id, void *arg)
{
	struct fanout *f = arg;

	return reminders_follow(f->db, f->schedule_id, f->community_id, user_id, 1,
	    f->st->starts_at, f->st->title);
}

/* Whether data.changed names field. */
static int
changed(const struct sm_event *ev, const char *field)
{
	json_object *a = NULL;
	size_t i;

	if (!json_object_object_get_ex(ev->data, "changed", &a) ||
	    !json_object_is_type(a, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(a); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));

		if (s != NULL && strcmp(s, field) == 0)
			return 1;
	}
	return 0;
}

/* The fields both schedule events need; -1 with err set. */
static int
schedule_fields(const struct sm_event *ev, char *err, size_t errlen, long long *id,
    long long *community_id, long long *version, const char **starts_at, char *title,
    size_t titlelen)
{
	const char *t = sm_event_str(ev->data, "title");

	if (sm_event_ids(ev, err, errlen, "id", id, "community_id", community_id,
	    "version", version, (char *)NULL) != 0)
		return -1;
	*starts_at = sm_event_str(ev->data, "starts_at");
	if (*starts_at == NULL || strlen(*starts_at) != 20)
		return sm_event_bad(ev, "starts_at", err, errlen);
	if (t == NULL)
		return sm_event_bad(ev, "title", err, errlen);
	text_cut(t, title, titlelen);
	return 0;
}

int
on_schedule_updated(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id, community_id, version, actor = 0;
	const char *starts_at;
	struct schedule_state st;
	char title[400], head[200], body[600], link[64];
	struct fanout f;

	(void)m;
	if (schedule_fields(ev, err, errlen, &id, &community_id, &version, &starts_at, title,
	    sizeof(title)) != 0)
		return -1;
	(void)sm_event_int(ev->data, "by_user_id", &actor);
	if (schedule_state_merge(db, id, version, starts_at, title, 0, &st) != 0)
		return -1;
	if (st.cancelled || st.version != version) {
		sm_log(SM_LOG_INFO, "schedule %lld: update version %lld is older than what is known"
		    " (%lld%s): nothing moves", id, version, st.version,
		    st.cancelled ? ", cancelled" : "");
		return 0;
	}
	f = (struct fanout){ db, ev, id, community_id, actor, &st, NULL, NULL, NULL, NULL };
	if (changed(ev, "starts_at")) {
		/* moved: pending reminders whose new moment has passed are not sent late */
		if (sm_db_exec(db, NULL, "DELETE FROM reminders WHERE schedule_id = ?"
		    " AND state = 'pending' AND starts_at <> STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ')"
		    " AND STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ') - INTERVAL " BEFORE_SQL " SECOND"
		    " <= FROM_UNIXTIME(?)", "issi", id, st.starts_at, st.starts_at, push_now()) != 0)
			return -1;
		/* the others move; attendees without one (dropped by an earlier move) get theirs */
		if (each_id(ev, "attendee_ids", err, errlen, remind_at_new_time, &f) != 0)
			return -1;
	}
	if (sm_db_exec(db, NULL, "UPDATE reminders SET title = ?,"
	    " due_at = IF(starts_at = STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ'), due_at,"
	    " STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ') - INTERVAL " BEFORE_SQL " SECOND),"
	    " starts_at = STR_TO_DATE(?, '%Y-%m-%dT%H:%i:%sZ')"
	    " WHERE schedule_id = ? AND state = 'pending'", "ssssi", st.title, st.starts_at,
	    st.starts_at, st.starts_at, id) != 0)
		return -1;
	if (!changed(ev, "starts_at"))
		return 0;
	text_cut(st.title, head, 120);
	snprintf(body, sizeof(body), "'%s' 일정이 %s 시작으로 바뀌었습니다.", head, st.starts_at);
	snprintf(link, sizeof(link), "/schedules/%lld", id);
	f.type = "schedule_moved";
	f.title = "일정 시간이 바뀌었습니다";
	f.body = body;
	f.link = link;
	if (each_id(ev, "attendee_ids", err, errlen, tell, &f) != 0 ||
	    each_id(ev, "waitlisted_ids", err, errlen, tell, &f) != 0)
		return -1;
	return 0;
}

int
on_schedule_cancelled(struct sm_db *db, const struct sm_event *ev,
    const rd_kafka_message_t *m, char *err, size_t errlen)
{
	long long id, community_id, version, actor = 0;
	const char *starts_at;
	struct schedule_state st;
	char title[400], head[200], body[600], link[64];
	struct fanout f;

	(void)m;
	if (schedule_fields(ev, err, errlen, &id, &community_id, &version, &starts_at, title,
	    sizeof(title)) != 0)
		return -1;
	(void)sm_event_int(ev->data, "by_user_id", &actor);
	if (schedule_state_merge(db, id, version, starts_at, title, 1, &st) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM reminders WHERE schedule_id = ?"
	    " AND state = 'pending'", "i", id) != 0)
		return -1;
	text_cut(title, head, 120);
	snprintf(body, sizeof(body), "'%s' (%s 시작) 일정이 취소되었습니다.", head, starts_at);
	snprintf(link, sizeof(link), "/communities/%lld", community_id);
	f = (struct fanout){ db, ev, id, community_id, actor, &st, "schedule_cancelled",
	    "일정이 취소되었습니다", body, link };
	if (each_id(ev, "attendee_ids", err, errlen, tell, &f) != 0 ||
	    each_id(ev, "waitlisted_ids", err, errlen, tell, &f) != 0)
		return -1;
	return 0;
}
