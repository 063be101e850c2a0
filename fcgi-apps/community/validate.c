/*
 * validate.c -- the community service's input, checked at the edge.
 *
 * Handlers see only typed, checked values: community_form() records every bad
 * field on the form so one 400 names them all.  The interest code is checked
 * against this schema's copy of the catalogue (one indexed lookup; creating a
 * community is rare enough not to need a per-worker cache).
 */
#include "store.h"

#include <ctype.h>
#include <string.h>

/* A required-if-creating, trimmed, non-blank string field of 1..max characters. */
static void
text_field(struct sm_form *f, const char *key, int required, size_t max, const char **out)
{
	if (sm_form_string(f, key, required ? SM_REQUIRED : SM_OPTIONAL, 1, max, out) == 1 &&
	    *(*out = sm_pool_strtrim(f->req->pool, *out)) == '\0') {
		sm_form_invalid(f, key, "must not be blank");
		*out = NULL;
	}
}

int
community_form(struct sm_form *f, int required, struct community_input *in)
{
	int known, priv;

	in->name = in->description = in->region = in->interest = NULL;
	in->max_members = -1;
	in->is_private = -1;
	text_field(f, "name", required, 50, &in->name);
	if (sm_form_string(f, "description", SM_OPTIONAL, 0, 2000, &in->description) == 1)
		in->description = sm_pool_strtrim(f->req->pool, in->description);
	text_field(f, "region", required, 50, &in->region);
	if (sm_form_string(f, "interest", required ? SM_REQUIRED : SM_OPTIONAL, 1, 32,
	    &in->interest) == 1) {
		if (store_interest_known(f->req->app->db, in->interest, &known) != 0)
			return -1;
		if (!known) {
			sm_form_invalid(f, "interest",
			    "must be an interest code from /api/v1/interests");
			in->interest = NULL;
		}
	}
	if (sm_form_int(f, "max_members", required ? SM_REQUIRED : SM_OPTIONAL, 2, 1000,
	    &in->max_members, NULL) != 1)
		in->max_members = -1;
	if (sm_form_bool(f, "is_private", SM_OPTIONAL, &priv) == 1)
		in->is_private = priv;
	return 0;
}
