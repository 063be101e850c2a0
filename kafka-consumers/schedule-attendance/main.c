/*
 * main.c -- somoim-schedule-attendance: the kafka strategy's command
 * consumer.  It reads v1.command.attendance.request (key: the schedule id, so
 * one schedule's commands share a partition and come in order), applies each
 * with the plain serial transaction of fcgi-apps/schedule/seats.c -- it is the
 * only writer of a schedule's attendance while the strategy is kafka -- and
 * answers on v1.command.attendance.response through lib/sm_responder.c.
 * Commands without reply headers (somoim-schedule-events' give-back of a
 * member who left) are applied and not answered.
 *
 * Two rules make a command count once:
 *  - A command carries deadline_ms, the moment its requester stops waiting
 *    (and answers 503 "nothing was taken"); a command read after it is
 *    dropped unapplied.  So a backlog after a restart cannot give seats to
 *    people who were told they have none, and auto.offset.reset=earliest (no
 *    request lost between "ready" and the group's first position) is safe.
 *  - A command carries a unique command_id, and the transaction that applies
 *    it also records it in processed_commands with its outcome (the seats.h
 *    hook).  The offset is stored only after the reply is queued, so a crash
 *    redelivers a few commands; each finds its row and is answered from it
 *    (what the first answer said, with the schedule as it is now) instead of
 *    being applied again -- an attend redelivered after the member cancelled
 *    does not take the seat back.  A command without command_id (an older
 *    producer) is applied as before.  Rows older than a day are pruned, a
 *    chunk at a time, at most every PRUNE_EVERY seconds: longer than any
 *    deadline, so no command that could still be applied has lost its row.
 */
#include "fcgi-apps/schedule/libschedule.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_kafka.h"
#include "sm_log.h"
#include "sm_outbox.h"
#include "sm_redis.h"
#include "sm_reqreply.h"
#include "sm_responder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TOPIC "v1.command.attendance.request"
#define PRUNE_EVERY 10          /* seconds between prunes of processed_commands */
#define PRUNE_AFTER 86400       /* seconds a processed_commands row is kept */
#define PRUNE_CHUNK 1000        /* rows per DELETE */
#define PRUNE_CHUNKS 10         /* DELETEs per prune at most */

struct daemon {
	struct sm_db *db;
	struct sm_redis *redis;
	long long prune_due;    /* seats_wall_ms() of the next prune */
};

/* One command, its strings borrowed from the parsed JSON. */
struct command {
	const char *op, *request_id;
	const char *command_id; /* NULL: an older producer's, applied without the inbox */
	long long id, user_id, deadline;
};

/* A command id is a UUID: 36 characters of hex digits and dashes. */
static int
command_id_ok(const char *s)
{
	return strlen(s) == 36 && strspn(s, "0123456789abcdefABCDEF-") == 36;
}

/* The seats.h hook: the command and its outcome, in the seat transaction. */
static int
record(struct sm_db *db, const struct seat_result *res, void *arg)
{
	const struct command *c = arg;

	return sm_db_exec(db, NULL, "INSERT INTO processed_commands (command_id, op,"
	    " schedule_id, user_id, status, promoted_user_id, changed)"
	    " VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?)", "ssiisii", c->command_id, c->op, c->id,
	    c->user_id, res->status, res->promoted, (long long)(res->changed != 0));
}

/*
 * The recorded outcome of c into res (the schedule left out): 1 when c was
 * applied before, 0 when not, -1 on a database error or a record that is not
 * this command's (an id reused for something else).
 */
static int
recorded(struct sm_db *db, const struct command *c, struct seat_result *res)
{
	struct sm_rows *rows;
	int r, same = 0;

	if (sm_db_exec(db, &rows, "SELECT status, COALESCE(promoted_user_id, 0), changed,"
	    " op = ? AND schedule_id = ? AND user_id = ? FROM processed_commands"
	    " WHERE command_id = ?", "siis", c->op, c->id, c->user_id, c->command_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1) {
		snprintf(res->status, sizeof(res->status), "%s", sm_rows_str(rows, 0));
		res->promoted = sm_rows_int(rows, 1);
		res->changed = sm_rows_int(rows, 2) != 0;
		same = sm_rows_int(rows, 3) != 0;
	}
	sm_rows_free(rows);
	if (r == 1 && !same) {
		sm_log(SM_LOG_ERROR, "command %s was recorded for another op, schedule or member",
		    c->command_id);
		return -1;
	}
	return r;
}

/* A redelivered command: the first outcome, and the schedule as it is now. */
static int
answer_recorded(struct daemon *d, const struct command *c, struct seat_result *res)
{
	sm_log(SM_LOG_INFO, "command %s (%s of schedule %lld by %lld) was applied before:"
	    " answered from the inbox (%s%s)", c->command_id, c->op, c->id, c->user_id,
	    res->status, res->changed ? ", changed" : "");
	return store_get(d->db, c->id, &res->schedule);
}

/* Applies c (once, when it has a command_id): 0, -1 or a STORE_* code. */
static int
run_command(struct daemon *d, const struct command *c, struct seat_result *res)
{
	const struct seats_hook hook = { record, (void *)c };
	int r, attend = strcmp(c->op, "attend") == 0;

	if (c->command_id != NULL) {
		if ((r = recorded(d->db, c, res)) != 0)
			return r > 0 ? answer_recorded(d, c, res) : -1;
	}
	r = (attend ? seats_attend : seats_cancel)(d->db, SEATS_SERIAL, c->id, c->user_id,
	    c->request_id, c->command_id != NULL ? &hook : NULL, res);
	/* Another consumer (a rebalance) recorded it first: its insert won, ours rolled back. */
	if (r == -1 && c->command_id != NULL && recorded(d->db, c, res) == 1)
		return answer_recorded(d, c, res);
	return r;
}

/* Deletes processed_commands rows older than a day, a chunk at a time. */
static void
prune(struct daemon *d)
{
	unsigned long long deleted = 0;
	int i;

	d->prune_due = seats_wall_ms() + PRUNE_EVERY * 1000LL;
	for (i = 0; i < PRUNE_CHUNKS; i++) {
		if (sm_db_exec(d->db, NULL, "DELETE FROM processed_commands"
		    " WHERE processed_at < NOW(3) - INTERVAL ? SECOND LIMIT ?", "ii",
		    (long long)PRUNE_AFTER, (long long)PRUNE_CHUNK) != 0) {
			sm_log(SM_LOG_WARN, "pruning processed_commands failed: %s",
			    sm_db_error(d->db));
			return;
		}
		deleted += sm_db_affected(d->db);
		if (sm_db_affected(d->db) < PRUNE_CHUNK)
			break;
	}
	if (deleted > 0)
		sm_log(SM_LOG_INFO, "pruned %llu processed_commands rows older than %d s", deleted,
		    PRUNE_AFTER);
}

/* Reads cmd into c (the strings borrowed from cmd): 0, or -1 when malformed. */
static int
parse(json_object *cmd, struct command *c)
{
	json_object *v;

	memset(c, 0, sizeof(*c));
	if (cmd == NULL)
		return -1;
	sm_event_int(cmd, "schedule_id", &c->id);
	sm_event_int(cmd, "user_id", &c->user_id);
	sm_event_int(cmd, "deadline_ms", &c->deadline);
	c->op = sm_event_str(cmd, "op");
	c->request_id = sm_event_str(cmd, "request_id");
	if (json_object_object_get_ex(cmd, "command_id", &v) &&
	    ((c->command_id = sm_event_str(cmd, "command_id")) == NULL ||
	    !command_id_ok(c->command_id)))
		return -1;
	if (c->op == NULL || c->id <= 0 || c->user_id <= 0 ||
	    (strcmp(c->op, "attend") != 0 && strcmp(c->op, "cancel") != 0))
		return -1;
	return 0;
}

/*
 * Applies one command; *out: the reply.  Returns 0, or -1 to leave it
 * unanswered (dropped, or nobody to answer).
 */
static int
apply(struct daemon *d, const rd_kafka_message_t *m, json_object **out)
{
	struct seat_result res = { .schedule = NULL };
	json_object *cmd = sm_json_parse(m->payload ? m->payload : "", m->len), *rep;
	struct command c;
	const char *result;
	char topic[256];
	int r;

	if (seats_wall_ms() >= d->prune_due)
		prune(d);
	if (parse(cmd, &c) != 0) {
		sm_log(SM_LOG_WARN, "command at [%d] @%lld is malformed: dropped", (int)m->partition,
		    (long long)m->offset);
		json_object_put(cmd);
		return -1;
	}
	if (seats_wall_ms() > c.deadline) {
		sm_log(SM_LOG_WARN, "%s of schedule %lld by %lld came after its deadline: dropped",
		    c.op, c.id, c.user_id);
		json_object_put(cmd);
		return -1;
	}
	sm_log_set_request_id(c.request_id);
	r = run_command(d, &c, &res);
	json_object_put(cmd);
	rep = json_object_new_object();
	result = r == 0 ? "ok" : r == STORE_NOT_FOUND ? "not_found" : r == STORE_PAST ? "past" :
	    r == STORE_BUSY ? "busy" : "error";
	json_object_object_add(rep, "result", json_object_new_string(result));
	if (r == 0) {
		json_object_object_add(rep, "status", json_object_new_string(res.status));
		json_object_object_add(rep, "promoted_user_id", json_object_new_int64(res.promoted));
		json_object_object_add(rep, "changed", json_object_new_boolean(res.changed));
		json_object_object_add(rep, "schedule", res.schedule);
		if (res.changed)
			sm_outbox_wake(d->redis, "schedule");
	} else {
		json_object_put(res.schedule);
	}
	sm_log_set_request_id(NULL);
	if (sm_kafka_header(m, SM_HDR_REPLY_TOPIC, topic, sizeof(topic)) != 0) {
		json_object_put(rep);   /* a give-back: nobody waits for the answer */
		return -1;
	}
	*out = rep;
	return 0;
}

/* The responder's answer (lib/sm_responder.h): the command applied, its outcome as JSON. */
static int
answer(void *arg, const rd_kafka_message_t *m, char **reply, size_t *len)
{
	json_object *rep;

	if (apply(arg, m, &rep) != 0)
		return -1;
	*reply = strdup(json_object_to_json_string_length(rep, JSON_C_TO_STRING_PLAIN, len));
	json_object_put(rep);
	return *reply != NULL ? 0 : -1;
}

int
main(void)
{
	struct daemon d = { NULL, NULL, 0 };
	const struct sm_responder r = {
		.name = "schedule-attendance",
		.topic = TOPIC,
		.group = "somoim-schedule-attendance",
		.answer = answer,
		.arg = &d,
	};
	struct sm_conf *conf;
	int rc = 1;

	sm_log_init("somoim-schedule-attendance", getenv("SOMOIM_LOG_LEVEL"));
	if ((conf = sm_conf_load(getenv("SOMOIM_CONF"))) == NULL)
		return 1;
	sm_log_init("somoim-schedule-attendance", sm_conf_get(conf, "log", "level", "info"));
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	d.db = sm_db_new(conf, "schedule");
	d.redis = sm_redis_new(conf);
	if (d.db != NULL && d.redis != NULL)
		rc = sm_responder_run(conf, &r);
	sm_redis_free(d.redis);
	sm_db_free(d.db);
	sm_conf_free(conf);
	return rc;
}
