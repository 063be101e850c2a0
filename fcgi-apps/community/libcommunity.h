/*
 * libcommunity.h -- what the community's daemons may call from
 * fcgi-apps/community/libcommunity.a (built by fcgi-apps/community/local.mk).
 * somoim-community-events deletes the communities a deleted account still
 * owns with store_delete_in_tx(), the service's own delete, so they go the
 * way a DELETE by their owner takes them (STORE_* codes in store.h).
 */
#ifndef LIBCOMMUNITY_H
#define LIBCOMMUNITY_H

#include "store.h"

#endif
