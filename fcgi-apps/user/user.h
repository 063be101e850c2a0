/*
 * user.h -- the user service: accounts, sessions (refresh tokens), profiles
 * and interest categories.
 *
 * The main service's side of authentication lives here because an account is
 * born together with its profile: one transaction in one schema creates the
 * credentials and the profile (and, with the event backbone, the outbox row).
 */
#ifndef USER_H
#define USER_H

#include "sm_app.h"

/* Handlers (auth.c, users.c, interests.c). */
sm_handler auth_signup, auth_login, auth_refresh, auth_logout;
sm_handler users_me, users_patch_me, users_get, users_email_exists;
sm_handler interests_list;
sm_handler users_delete_me;     /* deletion.c */

/*
 * auth.c: the failed-login throttle (per email and client address, on
 * lib/sm_throttle.h), shared by every handler that checks a password: the key
 * for email, and one more failure.
 */
void failure_key(struct sm_req *req, const char *email, char *key, size_t len);
void count_failure(struct sm_req *req, const char *key);
/* 1 when key has reached the limit: answers 429 RATE_LIMITED itself. */
int login_throttled_or_reply(struct sm_req *req, const char *key);

/* validate.c: pure validators; each returns 1 when valid. */
int valid_email(const char *s);
int valid_mbti(const char *s);
int valid_image_url(const char *s);
/* Lower-cases ASCII letters in place; returns s. */
char *lowercase(char *s);
/*
 * Reads "interests" from the form: 1..10 known codes, duplicates dropped.
 * Returns the number of codes (written to codes[]), 0 when absent and not
 * required, -1 when invalid (recorded on the form), INTERESTS_UNAVAILABLE
 * when the catalogue cannot be read (the database is down: answer 503).
 */
#define MAX_INTERESTS 10
#define INTERESTS_UNAVAILABLE (-2)
int form_interests(struct sm_form *f, unsigned flags, const char *codes[MAX_INTERESTS]);

/* The profile fields an account carries (NULL: not given). */
struct profile {
	const char *email;
	const char *name;
	const char *region;
	const char *mbti;
	const char *profile_image;
	const char *interests[MAX_INTERESTS];
	int ninterests;
};

/*
 * Reads region, mbti and profile_image (each nullable: null clears it, with
 * the CLEAR_* bit set in *clear).
 */
enum { CLEAR_REGION = 1, CLEAR_MBTI = 2, CLEAR_IMAGE = 4 };
void profile_fields(struct sm_form *f, struct profile *p, unsigned *clear);

/* interests.c: the catalogue, cached per worker: 1 known, 0 unknown, -1 unavailable. */
int interest_known(struct sm_app *app, const char *code);
void interests_free(void);

#endif
