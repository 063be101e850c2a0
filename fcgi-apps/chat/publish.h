/*
 * publish.h -- the chat's side of nginx's nchan (what somoim-chat-events may
 * call too): publish a message to a community's channel, and close the
 * channel so that every subscriber must authorize again.
 *
 * The channel of community N is "chat_N" (nginx/somoim.conf.in names it
 * the same way); the publisher is the loopback server's /pub/<channel>,
 * [chat] publish_url.  Both calls are best effort with a short timeout:
 * the message is already stored, and the history is the way to catch up.
 */
#ifndef CHAT_PUBLISH_H
#define CHAT_PUBLISH_H

#include <json-c/json.h>

struct sm_app;
struct sm_conf;

/* Publishes msg (not consumed) to community_id's channel.  0 or -1 (logged). */
int chat_publish(struct sm_app *app, long long community_id, json_object *msg);

/*
 * Closes community_id's channel (nchan's publisher DELETE): its subscribers
 * are disconnected and reconnect through the authorizer, which refuses who
 * is no longer a member.  0 (also when nobody was subscribed) or -1.
 */
int chat_close_channel(const struct sm_conf *conf, long long community_id);

#endif
