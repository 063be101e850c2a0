/*
 * sm_route.h -- a program declares its surface as a table of routes.
 *
 * Each route is a method, a path pattern and a handler.  Pattern segments in
 * braces capture one path segment into req->params; a capture whose name ends
 * in "id" ({id}, {community_id}) matches only a positive integer, whose value
 * is also in req->ids, so "/users/abc" is a 404 before any handler runs.
 * Routes are public only when flagged SM_PUBLIC: the runner checks the access
 * token of every other route before dispatch, so no handler can forget it.
 * A public route that also reads who is asking (a member sees more) adds
 * SM_CALLER: a token, when sent, must be valid, and sets req->user_id.
 * A path split across programs by method (the board's reads and writes) lists
 * the other program's methods as SM_ELSEWHERE routes with no handler: they are
 * never dispatched here, only named in the Allow header of a 405.
 */
#ifndef SM_ROUTE_H
#define SM_ROUTE_H

#include <stddef.h>

struct sm_req;

typedef void sm_handler(struct sm_req *req);

enum {
	SM_PUBLIC = 1 << 0,     /* no access token needed */
	SM_CALLER = 1 << 1,     /* with SM_PUBLIC: a token, if sent, is checked */
	SM_ELSEWHERE = 1 << 2,  /* served by another program: for Allow only */
};

struct sm_route {
	const char *method;
	const char *pattern;
	sm_handler *handler;
	unsigned flags;
};

/*
 * Finds the route for req->method and req->path and fills req's captures.
 * Returns the route, or NULL with *status set to 404 (no such path) or 405
 * (path known, method not), in which case allow (size allow_len) lists the
 * methods the path does accept, comma separated (HEAD after GET).
 */
const struct sm_route *sm_route_find(const struct sm_route *routes, size_t n,
    struct sm_req *req, int *status, char *allow, size_t allow_len);

#endif
