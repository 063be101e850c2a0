/*
 * community.h -- the community service: communities (create, search, recommend,
 * read, edit, delete) and each user's wishlist of communities (찜).
 *
 * The one design decision: this service owns the community rows and reads
 * everything else it needs -- who belongs to which community with which role,
 * which interests a user has -- from copies in its own schema (memberships,
 * user_interests) that a consumer daemon keeps from the member and user
 * services' events.  Authorisation and recommendations therefore never call
 * another service; they may trail the truth by the moment an event takes.
 */
#ifndef COMMUNITY_H
#define COMMUNITY_H

#include "sm_app.h"

/* Handlers (communities.c, wishlist.c). */
sm_handler communities_create, communities_list, communities_recommended;
sm_handler communities_get, communities_patch, communities_delete;
sm_handler wishlist_put, wishlist_delete, wishlist_list;

/* What a create or a PATCH carries; NULL / -1: not given. */
struct community_input {
	const char *name;
	const char *description;
	const char *region;
	const char *interest;
	long long max_members;  /* -1: not given */
	int is_private;         /* -1: not given */
};

/* The filters of GET /communities (NULL: not given). */
struct community_filter {
	const char *interest;
	const char *region;
	long long caller;       /* 0: anonymous */
};

/*
 * validate.c.  Reads the community fields from a JSON body; for a create
 * (required != 0) name, region, interest and max_members must be present.
 * Bad fields are recorded on the form.  Returns 0, or -1 when the interest
 * catalogue could not be read (answer 503).
 */
int community_form(struct sm_form *f, int required, struct community_input *in);


#endif
