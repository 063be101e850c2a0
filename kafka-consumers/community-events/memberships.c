/*
 * memberships.c -- memberships and communities.member_count from the member
 * service's member-joined, member-left and member-updated events.
 *
 * data = {community_id, user_id, role, member_count, seq}; seq is the member
 * service's per-community counter, +1 on every join, leave and role change,
 * and the key is the community id, so one community's events arrive in
 * order -- except a relay retry or a re-driven dead letter, which can bring
 * an older one after a newer one.
 *
 * The one design decision: two gates, because an event carries two kinds of
 * fact.  member_count is a snapshot of the whole community, so it is taken
 * only from an event newer than communities.member_seq.  The role is a fact
 * about one member, so it is taken only from an event newer than
 * member_seqs(community_id, user_id).seq -- a row that outlives a leave, as
 * a tombstone.  With the community gate alone, a late join of A behind a
 * newer join of B would be dropped and A would be missing for good; with the
 * pair gate, it lands, while a late join behind A's own leave does not.
 *
 * The community row is locked first (FOR UPDATE, as the community service
 * does on PATCH), so both gates see a consistent community; no row there
 * means the community was deleted (its memberships went with it) and the
 * event is ignored.  The community service writes the owner's row at
 * creation, so the upsert must, and does, tolerate it.
 */
#include "copies.h"
#include "sm_db.h"
#include "sm_log.h"

#include <stdio.h>
#include <string.h>

static int
valid_role(const char *r)
{
	return strcmp(r, "owner") == 0 || strcmp(r, "admin") == 0 || strcmp(r, "member") == 0;
}

int
copies_member_apply(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	const char *role = NULL;
	json_object *v;
	struct sm_rows *rows;
	long long community_id, user_id, count, seq, member_seq = 0;
	/* By topic, not by ev->type: the topic is what the handler table dispatched on. */
	int left = m->rkt != NULL && strcmp(rd_kafka_topic_name(m->rkt), "v1.event.member-left") == 0;
	int r;

	if (sm_event_ids(ev, err, errlen, "community_id", &community_id, "user_id", &user_id,
	    "seq", &seq, (char *)NULL) != 0)
		return -1;
	if (sm_event_int(ev->data, "member_count", &count) != 0 || count < 0 ||
	    count > 4294967295LL) {
		snprintf(err, errlen, "%s: data.member_count is missing or out of range", ev->type);
		return -1;
	}
	if (!left) {
		if (!json_object_object_get_ex(ev->data, "role", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    !valid_role(role = json_object_get_string(v))) {
			snprintf(err, errlen, "%s: data.role is not owner, admin or member", ev->type);
			return -1;
		}
	}

	if (sm_db_exec(db, &rows, "SELECT member_seq FROM communities WHERE id = ? FOR UPDATE",
	    "i", community_id) != 0)
		return -1;
	if ((r = sm_rows_next(rows)) == 1)
		member_seq = sm_rows_int(rows, 0);
	sm_rows_free(rows);
	if (r < 0)
		return -1;
	if (r == 0) {
		sm_log(SM_LOG_INFO, "%s for an unknown community ignored: event_id=%s "
		    "community_id=%lld user_id=%lld seq=%lld", ev->type, ev->id, community_id,
		    user_id, seq);
		return 0;
	}

	/* Gate 1: the community's snapshot. */
	if (seq > member_seq && sm_db_exec(db, NULL,
	    "UPDATE communities SET member_count = ?, member_seq = ? WHERE id = ?", "iii",
	    count, seq, community_id) != 0)
		return -1;

	/* Gate 2: this member's fact; 0 is "never applied". */
	if (sm_db_exec(db, NULL,
	    "INSERT IGNORE INTO member_seqs (community_id, user_id, seq) VALUES (?, ?, 0)", "ii",
	    community_id, user_id) != 0 ||
	    sm_db_exec(db, NULL,
	    "UPDATE member_seqs SET seq = ? WHERE community_id = ? AND user_id = ? AND seq < ?",
	    "iiii", seq, community_id, user_id, seq) != 0)
		return -1;
	if (sm_db_affected(db) == 0) {
		sm_log(SM_LOG_INFO, "stale %s skipped: event_id=%s community_id=%lld user_id=%lld "
		    "seq=%lld", ev->type, ev->id, community_id, user_id, seq);
		return 0;
	}
	if (left)
		return sm_db_exec(db, NULL,
		    "DELETE FROM memberships WHERE community_id = ? AND user_id = ?", "ii",
		    community_id, user_id);
	return sm_db_exec(db, NULL,
	    "INSERT INTO memberships (community_id, user_id, role) VALUES (?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE role = VALUES(role)", "iis", community_id, user_id, role);
}
