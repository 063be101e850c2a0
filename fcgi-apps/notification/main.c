/*
 * main.c -- somoim-notification (API.md "Notifications"): the feed, unread
 * count and read mark, per-type settings, the VAPID public key, and push
 * subscriptions confirmed by somoim-push over Kafka request-reply.
 *
 * nginx sends /api/v1/notifications and /api/v1/push/ here.
 */
#include "notification.h"

static const struct sm_route routes[] = {
	{ "GET",    "/api/v1/notifications",              feed_list,            0 },
	{ "GET",    "/api/v1/notifications/unread-count", feed_unread_count,    0 },
	{ "POST",   "/api/v1/notifications/{id}/read",    feed_read,            0 },
	{ "GET",    "/api/v1/notifications/settings",     settings_get,         0 },
	{ "PUT",    "/api/v1/notifications/settings",     settings_put,         0 },
	{ "GET",    "/api/v1/push/vapid-public-key",      vapid_public_key,     SM_PUBLIC },
	{ "POST",   "/api/v1/push/subscriptions",         subscriptions_create, 0 },
	{ "DELETE", "/api/v1/push/subscriptions",         subscriptions_delete, 0 },
};

static const struct sm_service service = {
	.name = "notification",
	.routes = SM_ROUTES(routes),
	.needs = SM_NEEDS_DB,
	.init = subscriptions_init,
	.fini = subscriptions_fini,
};

int
main(int argc, char **argv)
{
	return sm_app_run(&service, argc, argv);
}
