/*
 * libschedule.h -- what the schedule's daemons may call from
 * fcgi-apps/schedule/libschedule.a (the service's domain code: settings.c,
 * lock.c, seats.c, store.c, events.c, built by fcgi-apps/schedule/local.mk).
 *
 * The one design decision: a daemon that changes attendance goes through the
 * same seat transactions and the same serializer as the HTTP side, so every
 * path leaves the same rows and the same events.  Daemons may call:
 *  - schedule_settings_load, strategy_name (schedule.h): the [schedule]
 *    strategy in force;
 *  - lock_acquire, lock_release (lock.h): the redis-lock strategy's lock;
 *  - seats_attend, seats_cancel, seats_cancel_in_tx, seats_wall_ms (seats.h)
 *    and their STORE_* outcomes;
 *  - store_get (store.h): the `schedule` a command's reply carries.
 * Nothing else in those headers is theirs to call.
 */
#ifndef LIBSCHEDULE_H
#define LIBSCHEDULE_H

#include "schedule.h"
#include "lock.h"
#include "seats.h"

#endif
