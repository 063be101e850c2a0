/*
 * users.c -- v1.event.user-deleted in the comment schema: the profile copy
 * becomes the neutral author (lib/sm_copy.c), so the account's comments stay
 * and read as "탈퇴한 회원" with no image; and the name this schema's outbox
 * still holds goes too -- comment-created carries the commenter's name for
 * the notification service (fcgi-apps/comment/events.c): rows already
 * published are deleted (the relay's retention would keep them an hour),
 * rows not yet published get the neutral name before they leave.
 */
#include "posts.h"
#include "sm_copy.h"
#include "sm_db.h"

#define CREATED_BY_USER "topic = 'v1.event.comment-created'" \
	" AND JSON_VALUE(payload, '$.data.author_id') = ?"

int
comment_user_deleted(struct sm_db *db, const struct sm_event *ev, const rd_kafka_message_t *m,
    char *err, size_t errlen)
{
	long long user_id;

	if (sm_copy_profile_deleted(db, ev, m, err, errlen) != 0 ||
	    sm_event_ids(ev, err, errlen, "user_id", &user_id, (char *)NULL) != 0)
		return -1;
	if (sm_db_exec(db, NULL, "DELETE FROM outbox WHERE published_at IS NOT NULL AND "
	    CREATED_BY_USER, "i", user_id) != 0)
		return -1;
	return sm_db_exec(db, NULL, "UPDATE outbox SET payload = JSON_SET(payload,"
	    " '$.data.author_name', ?) WHERE published_at IS NULL AND " CREATED_BY_USER, "si",
	    SM_COPY_DELETED_NAME, user_id);
}
