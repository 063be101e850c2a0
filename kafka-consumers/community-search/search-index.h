/*
 * search-index.h -- what somoim-community-search's table calls (index.c).
 */
#ifndef SEARCH_INDEX_H
#define SEARCH_INDEX_H

#include "sm_consumer.h"

/* community-created / -updated: the community's text, if newer than the index's. */
sm_consumer_fn index_community;
/* community-deleted: out of the index for good (a tombstone gate). */
sm_consumer_fn index_deleted;
/* member-joined / -left / -updated: member_count, if newer (data.seq). */
sm_consumer_fn index_members;

/* `rebuild`: the index from the communities table; the exit status. */
int index_rebuild(void);

#endif
