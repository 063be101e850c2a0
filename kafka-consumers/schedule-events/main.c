/*
 * main.c -- somoim-schedule-events: keeps the schedule schema's copies of the
 * communities, memberships and profiles (lib/sm_copy.c), which decide who may
 * create and attend schedules and give attendees their current names and
 * images; drops the schedules of a deleted community; and gives up the places
 * of a member who left (promoting the next in line, as a DELETE would), so a
 * former member never keeps a seat.  The loop, retries, dead letters and
 * shutdown are lib/sm_consumer.c.
 *
 * The one design decision: the give-back goes through the same serializer as
 * the HTTP side's strategy ([schedule] strategy, read with the service's
 * settings.c), because under redis-lock and kafka the HTTP side's serial
 * transaction does plain reads and trusts it is the schedule's only writer:
 *   conditional-update, optimistic, pessimistic  row locks, in the event's
 *        transaction (seats_cancel_in_tx: the schedule row FOR UPDATE first);
 *   redis-lock  each schedule's give-back in a transaction of its own (a
 *        second connection) under the schedule's Redis lock (lock.c);
 *   kafka  a cancel command per schedule to v1.command.attendance.request,
 *        keyed by the schedule, so somoim-schedule-attendance applies it in
 *        the partition's order; its command_id is derived from the event id
 *        and the schedule, so a member-left handled twice sends the same ids
 *        and the consumer's inbox applies each once.
 * The last two happen before the event's transaction commits (the loop owns
 * the commit and has no hook after it).  That is safe because a give-back is
 * idempotent -- a cancel by someone without a place changes nothing -- so if
 * the copy's transaction then fails or the daemon dies, the redelivered event
 * gives back nothing twice; and the event is marked processed only after the
 * give-backs happened (redis-lock) or were acknowledged by Kafka (kafka), so
 * none is lost.
 */
#include "fcgi-apps/schedule/libschedule.h"
#include "sm_conf.h"
#include "sm_consumer.h"
#include "sm_copy.h"
#include "sm_crypto.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_outbox.h"
#include "sm_producer.h"
#include "sm_redis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define COMMAND_TOPIC "v1.command.attendance.request"
/*
 * A give-back command's deadline: nobody waits for it, but the consumer's
 * inbox keeps command ids a day, so a command must not be applicable longer.
 */
#define GIVE_BACK_DEADLINE_MS (12LL * 3600 * 1000)
#define MAX_PLACES 64           /* places given back per event */

static struct {
	struct schedule_settings set;
	struct sm_conf *conf;
	struct sm_db *db;               /* redis-lock: the give-backs' own transactions */
	struct sm_redis *redis;         /* redis-lock: the locks, the relay's wake-up */
	struct sm_producer *producer;   /* kafka: the give-back commands */
	int undelivered;                /* kafka: failed delivery reports */
} g;

/*
 * community-deleted: the copy's tombstone (sm_copy), then the community's
 * schedules and their attendance rows.  No attendance events: the community
 * and everything in it is gone, which community-deleted already says.
 */
static int
community_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long id;

	if (sm_copy_community_deleted(db, ev, m, err, errlen) != 0)
		return -1;
	if (sm_event_ids(ev, err, errlen, "id", &id, (char *)NULL) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "DELETE a FROM attendances a JOIN schedules s"
	    " ON s.id = a.schedule_id WHERE s.community_id = ?", "i", id) != 0 ||
	    sm_db_exec(db, NULL, "DELETE FROM schedules WHERE community_id = ?", "i", id) != 0)
		return -1;
	if (sm_db_affected(db) > 0)
		sm_log(SM_LOG_INFO, "community %lld deleted: its %llu schedule(s) dropped", id,
		    sm_db_affected(db));
	return 0;
}

/* Row-lock strategies: in the event's transaction, the schedule row locked first. */
static int
give_back_in_tx(struct sm_db *db, const long long *ids, int n, long long uid, const char *rid)
{
	int i;

	for (i = 0; i < n; i++)
		if (seats_cancel_in_tx(db, ids[i], uid, rid) != 0)
			return -1;
	return 0;
}

/*
 * redis-lock: each schedule's give-back under its lock, as the HTTP side
 * does.  The wait is the lease plus the usual wait, so a holder that died has
 * lost its lease by then; running out still fails the event (the loop retries
 * it).
 */
static int
give_back_locked(const long long *ids, int n, long long uid, const char *rid, char *err,
    size_t errlen)
{
	struct seat_result res;
	struct seat_lock l;
	int i, r;

	for (i = 0; i < n; i++) {
		r = lock_acquire(g.redis, ids[i], g.set.lock_global, g.set.lock_lease_ms, 0, &l);
		if (r > 0) {
			sm_log(SM_LOG_INFO, "schedule %lld is locked: its give-back waits", ids[i]);
			r = lock_acquire(g.redis, ids[i], g.set.lock_global, g.set.lock_lease_ms,
			    g.set.lock_lease_ms + g.set.lock_wait_ms, &l);
		}
		if (r != 0) {
			snprintf(err, errlen, "schedule %lld: lock %s", ids[i],
			    r > 0 ? "wait ran out" : "unavailable (Redis down)");
			return -1;
		}
		memset(&res, 0, sizeof(res));
		r = seats_cancel(g.db, SEATS_SERIAL, ids[i], uid, rid, NULL, &res);
		lock_release(g.redis, &l);
		json_object_put(res.schedule);
		if (r == 0 && res.changed) {
			sm_outbox_wake(g.redis, "schedule");
		} else if (r != 0 && r != STORE_PAST && r != STORE_NOT_FOUND) {
			snprintf(err, errlen, "schedule %lld: give-back failed (%d)", ids[i], r);
			return -1;
		}
	}
	return 0;
}

static void
delivered(void *ctx, void *msg_opaque, rd_kafka_resp_err_t err)
{
	(void)ctx;
	(void)msg_opaque;
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		g.undelivered++;
		sm_log(SM_LOG_WARN, "give-back command not delivered: %s", rd_kafka_err2str(err));
	}
}

/*
 * The give-back's command id: a UUID (version 8, RFC 9562's custom layout)
 * from the SHA-256 of the event id and the schedule, the same every time the
 * event is handled.
 */
static void
command_id_for(const char *event_id, long long sid, char out[37])
{
	char in[96], h[65];
	int v;

	snprintf(in, sizeof(in), "member-left:%s:%lld", event_id, sid);
	sm_sha256_hex(in, strlen(in), h);
	h[12] = '8';
	v = h[16] <= '9' ? h[16] - '0' : h[16] - 'a' + 10;
	h[16] = "89ab"[v & 3];
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

/*
 * kafka: a cancel command per schedule, keyed by the schedule like the HTTP
 * side's, without reply headers (nobody waits for the answer).  Returns 0
 * once Kafka acknowledged every one of them.
 */
static int
give_back_commands(const struct sm_event *ev, const long long *ids, int n, long long uid,
    const char *rid, char *err, size_t errlen)
{
	json_object *cmd;
	char key[24], command_id[37];
	const char *s;
	size_t len;
	int i, r;

	g.undelivered = 0;
	for (i = 0; i < n; i++) {
		command_id_for(ev->id, ids[i], command_id);
		cmd = json_object_new_object();
		json_object_object_add(cmd, "op", json_object_new_string("cancel"));
		json_object_object_add(cmd, "command_id", json_object_new_string(command_id));
		json_object_object_add(cmd, "schedule_id", json_object_new_int64(ids[i]));
		json_object_object_add(cmd, "user_id", json_object_new_int64(uid));
		if (rid != NULL)
			json_object_object_add(cmd, "request_id", json_object_new_string(rid));
		json_object_object_add(cmd, "deadline_ms",
		    json_object_new_int64(seats_wall_ms() + GIVE_BACK_DEADLINE_MS));
		snprintf(key, sizeof(key), "%lld", ids[i]);
		s = json_object_to_json_string_length(cmd, JSON_C_TO_STRING_PLAIN, &len);
		r = sm_producer_send(g.producer, COMMAND_TOPIC, key, s, len, NULL, NULL);
		json_object_put(cmd);
		if (r != 0)
			break;
	}
	if (sm_producer_flush(g.producer, 10000) != 0 || g.undelivered > 0 || i < n) {
		snprintf(err, errlen, "give-back commands for user %lld not all delivered", uid);
		return -1;
	}
	return 0;
}

/*
 * member-left: the copy first (sm_copy, which ignores an older event); then,
 * if the copy now says the user is no member, each upcoming place they hold
 * in the community is given back by the strategy's serializer (above).
 */
static int
member_left(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long cid, uid, ids[MAX_PLACES];
	struct sm_rows *rows;
	char rid[128];
	const char *rp = NULL;
	int r, member, n = 0;

	if (sm_copy_member_apply(db, ev, m, err, errlen) != 0)
		return -1;
	if (sm_event_ids(ev, err, errlen, "community_id", &cid, "user_id", &uid, (char *)NULL) != 0)
		return -1;
	if (sm_db_exists(db, &member, "SELECT 1 FROM copy_members WHERE community_id = ?"
	    " AND user_id = ? AND role IS NOT NULL", "ii", cid, uid) != 0)
		return -1;
	if (member)
		return 0;       /* rejoined since: a newer event already said so */
	if (sm_db_exec(db, &rows, "SELECT a.schedule_id FROM attendances a JOIN schedules s"
	    " ON s.id = a.schedule_id WHERE a.user_id = ? AND s.community_id = ?"
	    " AND s.starts_at > NOW(3) ORDER BY a.schedule_id LIMIT ?", "iii", uid, cid,
	    (long long)MAX_PLACES) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1 && n < MAX_PLACES)
		ids[n++] = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	if (n == 0)
		return 0;
	if (sm_kafka_header(m, SM_HDR_REQUEST_ID, rid, sizeof(rid)) == 0)
		rp = rid;
	switch (g.set.strategy) {
	case STRATEGY_REDIS_LOCK:
		r = give_back_locked(ids, n, uid, rp, err, errlen);
		break;
	case STRATEGY_KAFKA:
		r = give_back_commands(ev, ids, n, uid, rp, err, errlen);
		break;
	default:
		r = give_back_in_tx(db, ids, n, uid, rp);
		break;
	}
	if (r != 0)
		return -1;
	sm_log(SM_LOG_INFO, "user %lld left community %lld: %d place(s) given back (%s)", uid,
	    cid, n, g.set.strategy == STRATEGY_KAFKA ? "cancel commands sent" :
	    strategy_name(g.set.strategy));
	return 0;
}

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_PROFILE_HANDLERS,
	{ "v1.event.member-joined", sm_copy_member_apply, NULL },
	{ "v1.event.member-left", member_left, NULL },
	{ "v1.event.member-updated", sm_copy_member_apply, NULL },
	SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", community_deleted, NULL },
	SM_COPY_USER_DELETED_HANDLER,   /* the neutral author; seats go with member-left */
};

static const struct sm_consumer schedule_events = {
	.name = "schedule-events",
	.group = "schedule",
	.schema = "schedule",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	int rc = 1;

	sm_log_init("somoim-schedule-events", getenv("SOMOIM_LOG_LEVEL"));
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if ((g.conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL ||
	    schedule_settings_load(g.conf, &g.set) != 0)
		goto out;
	if (g.set.strategy == STRATEGY_REDIS_LOCK &&
	    ((g.db = sm_db_new(g.conf, "schedule")) == NULL ||
	    (g.redis = sm_redis_new(g.conf)) == NULL))
		goto out;
	if (g.set.strategy == STRATEGY_KAFKA && (g.producer = sm_producer_new(g.conf,
	    "somoim-schedule-events", NULL, delivered, NULL)) == NULL)
		goto out;
	sm_log(SM_LOG_INFO, "member-left give-backs under strategy %s",
	    strategy_name(g.set.strategy));
	rc = sm_consumer_main(&schedule_events);
out:
	sm_producer_free(g.producer);
	sm_redis_free(g.redis);
	sm_db_free(g.db);
	sm_conf_free(g.conf);
	return rc;
}
