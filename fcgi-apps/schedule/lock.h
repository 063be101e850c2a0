/*
 * lock.h -- the redis-lock strategy's per-schedule lock.
 */
#ifndef LOCK_H
#define LOCK_H

#include "schedule.h"

struct seat_lock {
	char key[64];
	char token[32];
};

/*
 * Takes the lock of schedule id (every schedule's one key when global: the
 * seed's scope, kept only so bench/schedules can show what it cost) with a
 * lease of lease_ms, waiting at most wait_ms.  Returns 0 when held (release
 * it with lock_release), 1 when the wait ran out, -1 when Redis is out of
 * reach.
 */
int lock_acquire(struct sm_redis *r, long long id, int global, long long lease_ms,
    long long wait_ms, struct seat_lock *l);

/* Releases the lock if it is still ours (compare-and-delete); 0 or -1. */
int lock_release(struct sm_redis *r, const struct seat_lock *l);

#endif
