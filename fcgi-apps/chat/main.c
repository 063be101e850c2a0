/*
 * main.c -- somoim-chat: a community's group chat (API.md "Chat"): post a
 * message, read the history newest first, and authorize the nchan stream.
 *
 * nginx sends ^/api/v1/communities/{id}/chat/messages$ here; the stream
 * itself is nchan's (nginx/somoim.conf.in), which asks GET
 * /internal/chat-auth on the loopback server before it accepts a subscriber.
 */
#include "chat.h"
#include "store.h"

static const struct sm_route routes[] = {
	{ "POST", "/api/v1/communities/{id}/chat/messages", messages_create, 0 },
	{ "GET",  "/api/v1/communities/{id}/chat/messages", messages_list,   0 },
	/* Checks the token itself: nchan passes ?access_token= (browsers set no headers). */
	{ "GET",  "/internal/chat-auth", stream_authorize, SM_PUBLIC },
};

static const struct sm_service service = {
	.name = "chat",
	.routes = SM_ROUTES(routes),
	.needs = 0,
	.init = store_open,
	.fini = store_close,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
