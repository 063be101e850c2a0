/*
 * clients.c -- the registered clients, from somoim.conf:
 *
 *   [auth]
 *   clients = somoim-web
 *   redirect_uris.somoim-web = http://127.0.0.1:8000/auth/callback
 *
 * Redirect URIs are compared exactly (RFC 6749 §3.1.2, OAuth 2.0 Security BCP):
 * no prefix or pattern matching, so a registered URI cannot be stretched into
 * an open redirector.  Every client is public (PKCE, no secret).
 */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEPARATORS " \t,"

static int
valid_client_id(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

int
clients_load(struct auth_state *st, const struct sm_conf *conf)
{
	const char *ids = sm_conf_get(conf, "auth", "clients", "");
	size_t size = strlen(ids) + 1, used = 0;
	char *copy = sm_xstrdup(ids), *save = NULL, *id;

	/* One buffer for every string: the ids, then each client's URIs. */
	for (id = strtok_r(copy, SEPARATORS, &save); id; id = strtok_r(NULL, SEPARATORS, &save)) {
		char key[96];

		snprintf(key, sizeof(key), "redirect_uris.%s", id);
		size += strlen(id) + 1 + strlen(sm_conf_get(conf, "auth", key, "")) + 1;
	}
	free(copy);
	st->clients_buf = sm_xmalloc(size);
	copy = sm_xstrdup(ids);
	for (id = strtok_r(copy, SEPARATORS, &save); id; id = strtok_r(NULL, SEPARATORS, &save)) {
		struct auth_client *c;
		char key[96], *uris, *uri, *save2 = NULL;

		if (!valid_client_id(id) || st->nclients == AUTH_MAX_CLIENTS) {
			sm_log(SM_LOG_ERROR, "config [auth] clients: bad or too many ids at '%s'", id);
			free(copy);
			return -1;
		}
		c = &st->clients[st->nclients++];
		c->id = strcpy(st->clients_buf + used, id);
		used += strlen(id) + 1;
		snprintf(key, sizeof(key), "redirect_uris.%s", id);
		uris = strcpy(st->clients_buf + used, sm_conf_get(conf, "auth", key, ""));
		used += strlen(uris) + 1;
		for (uri = strtok_r(uris, SEPARATORS, &save2); uri;
		    uri = strtok_r(NULL, SEPARATORS, &save2)) {
			if (c->nredirects == AUTH_MAX_REDIRECTS || strlen(uri) > 400 ||
			    (strncmp(uri, "https://", 8) != 0 && strncmp(uri, "http://", 7) != 0) ||
			    strchr(uri, '#') != NULL) {
				sm_log(SM_LOG_ERROR, "config [auth] %s: bad redirect URI '%s'", key, uri);
				free(copy);
				return -1;
			}
			c->redirect_uris[c->nredirects++] = uri;
		}
		if (c->nredirects == 0) {
			sm_log(SM_LOG_ERROR, "config [auth] %s: no redirect URI", key);
			free(copy);
			return -1;
		}
	}
	free(copy);
	if (st->nclients == 0) {
		sm_log(SM_LOG_ERROR, "config [auth] clients: none registered");
		return -1;
	}
	return 0;
}

const struct auth_client *
client_find(const struct auth_state *st, const char *id)
{
	int i;

	for (i = 0; id != NULL && i < st->nclients; i++)
		if (strcmp(st->clients[i].id, id) == 0)
			return &st->clients[i];
	return NULL;
}

int
client_redirect_ok(const struct auth_client *c, const char *uri)
{
	int i;

	for (i = 0; uri != NULL && i < c->nredirects; i++)
		if (strcmp(c->redirect_uris[i], uri) == 0)
			return 1;
	return 0;
}
