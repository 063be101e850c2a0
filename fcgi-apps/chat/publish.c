/*
 * publish.c -- nchan's publisher over HTTP with libcurl (see publish.h).
 *
 * One easy handle per call: a publish is a loopback request of a few
 * hundred bytes, and the connection cost is small next to the store's
 * insert.  A timeout of one second keeps a stuck nginx from holding the
 * FastCGI worker: the message is in the history either way.
 */
#include "publish.h"
#include "sm_app.h"
#include "sm_log.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define TIMEOUT_MS 1000L

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* One request to the channel of community_id; the HTTP status or -1. */
static long
request(const struct sm_conf *conf, const char *method, long long community_id,
    const char *body)
{
	const char *base = sm_conf_get(conf, "chat", "publish_url", "http://127.0.0.1:8001/pub/");
	static int inited;
	struct curl_slist *h = NULL;
	char url[512];
	long status = -1;
	CURLcode rc;
	CURL *c;

	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	snprintf(url, sizeof(url), "%schat_%lld", base, community_id);
	if ((c = curl_easy_init()) == NULL)
		return -1;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		sm_log(SM_LOG_WARN, "%s %s failed: %s", method, url, curl_easy_strerror(rc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

int
chat_publish(struct sm_app *app, long long community_id, json_object *msg)
{
	const char *body = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	long status = request(app->conf, "POST", community_id, body);

	if (status == 201 || status == 202)
		return 0;
	sm_log(SM_LOG_WARN, "community %lld: message not published (status %ld); "
	    "subscribers catch up from the history", community_id, status);
	return -1;
}

int
chat_close_channel(const struct sm_conf *conf, long long community_id)
{
	long status = request(conf, "DELETE", community_id, NULL);

	if (status == 200 || status == 404)
		return 0;
	sm_log(SM_LOG_WARN, "community %lld: channel not closed (status %ld)", community_id, status);
	return -1;
}
