/*
 * liblike.h -- what the like service's daemons may call from
 * fcgi-apps/like/liblike.a (built by fcgi-apps/like/local.mk).
 * somoim-like-events removes a deleted account's likes with
 * store_unlike_all_in_tx(), the same path as DELETE /likes, so every count
 * stays exact and each change has its like-changed event.
 */
#ifndef LIBLIKE_H
#define LIBLIKE_H

#include "store.h"

#endif
