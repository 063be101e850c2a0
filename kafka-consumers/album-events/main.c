/*
 * main.c -- somoim-album-events: keeps the album schema's copies of
 * communities, memberships and profiles (lib/sm_copy.c: who may upload and
 * see, the uploaders' names), and acts on three topics of its own
 * (photos.c): a deleted community's photos are deleted, each with its
 * photo-deleted; a photo-deleted unlinks the photo's files; a like-changed
 * about a photo sets its like_count.  The loop, retries, dead letters and
 * shutdown are lib/sm_consumer.c; this is the table.
 */
#include "photos.h"
#include "sm_conf.h"
#include "sm_consumer.h"
#include "sm_copy.h"
#include "sm_log.h"

#include <stdlib.h>

static const struct sm_consumer_handler handlers[] = {
	SM_COPY_PROFILE_HANDLERS,
	SM_COPY_MEMBER_HANDLERS,
	SM_COPY_COMMUNITY_HANDLERS,
	{ "v1.event.community-deleted", album_on_community_deleted, NULL },
	{ "v1.event.photo-deleted", album_on_photo_deleted, NULL },
	{ "v1.event.like-changed", album_on_like_changed, NULL },
	SM_COPY_USER_DELETED_HANDLER,   /* photos stay; their uploader becomes the neutral one */
};

static const struct sm_consumer album_events = {
	.name = "album-events",
	.group = "album",
	.schema = "album",
	.handlers = handlers,
	.nhandlers = sizeof(handlers) / sizeof(handlers[0]),
};

int
main(void)
{
	const char *path = getenv("SOMOIM_CONF");
	struct sm_conf *conf;
	int rc;

	sm_log_init("somoim-album-events", getenv("SOMOIM_LOG_LEVEL"));
	if (path == NULL || (conf = sm_conf_load(path)) == NULL)
		return 1;
	rc = album_events_init(conf);
	sm_conf_free(conf);
	if (rc != 0)
		return 1;
	return sm_consumer_main(&album_events);
}
