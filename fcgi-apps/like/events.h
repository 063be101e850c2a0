/*
 * events.h -- v1.event.like-changed, added to the like schema's outbox inside
 * the transaction that changed the like.
 */
#ifndef LIKE_EVENTS_H
#define LIKE_EVENTS_H

struct sm_db;

/*
 * user_id's like of target (type, id) is now liked; like_count and seq are
 * the target's after the change.  Key "type:id".  Returns 0 or -1.
 */
int like_event_add(struct sm_db *db, const char *type, long long id, long long user_id,
    int liked, long long like_count, long long seq, const char *request_id);

#endif
