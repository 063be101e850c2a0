/*
 * stream.c -- GET /internal/chat-auth: nchan's authorize request for a
 * subscriber of /api/v1/communities/{id}/chat/stream (WebSocket or
 * EventSource).
 *
 * nchan sends it through a proxy hop on the loopback server (a synchronous
 * answer inside nchan's subrequest crashes the worker; nginx/somoim.conf.in)
 * with the client's query string (?access_token=, since browsers set no
 * headers on these) and headers, and the channel in X-Nchan-Channel-Id.
 * Any 2xx lets the subscriber in; anything else is forwarded to the client
 * as the handshake's answer: 401 without a valid token, 404 for an unknown
 * community, 403 for a non-member, 503 when the store is out of reach.
 * Authorization happens once per connection: a member who leaves is cut off
 * by somoim-chat-events closing the channel, after which every subscriber
 * comes back through here.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The caller from ?access_token= or Authorization: Bearer.  0, or -1 after a 401. */
static int
caller_or_reply(struct sm_req *req)
{
	const char *token = sm_req_query(req, "access_token");
	const char *h = sm_req_env(req, "HTTP_AUTHORIZATION");

	if ((token == NULL || *token == '\0') && h != NULL && strncasecmp(h, "Bearer ", 7) == 0)
		for (token = h + 7; *token == ' '; token++)
			;
	if (token != NULL && *token != '\0') {
		switch (sm_jwt_verify_cached(&req->app->jwt, token, time(NULL), &req->user_id)) {
		case SM_JWT_OK:
			return 0;
		case SM_JWT_EXPIRED:
			sm_reply_error(req, 401, "TOKEN_EXPIRED", "the access token has expired");
			return -1;
		case SM_JWT_INVALID:
			break;
		}
	}
	sm_reply_error(req, 401, "UNAUTHORIZED", token != NULL && *token != '\0' ?
	    "the access token is not valid" : "an access token is required (?access_token=...)");
	return -1;
}

void
stream_authorize(struct sm_req *req)
{
	const char *ch = sm_req_env(req, "HTTP_X_NCHAN_CHANNEL_ID");
	struct chat_member me;
	long long community_id;
	char *end;
	int r;

	if (ch == NULL || strncmp(ch, "chat_", 5) != 0 ||
	    (community_id = strtoll(ch + 5, &end, 10)) <= 0 || *end != '\0') {
		sm_reply_error(req, 404, "NOT_FOUND", "no such chat");
		return;
	}
	if (caller_or_reply(req) != 0)
		return;
	switch ((r = store_access(req->app, community_id, req->user_id, &me))) {
	case 0:
		sm_reply_empty(req, 204);
		break;
	default:
		chat_reply_failure(req, r);
	}
}
