/*
 * bench/push-crypto.c -- the Web Push costs that are ours alone, for bench/push:
 *
 *   push-crypto cost [N]            µs per aes128gcm encryption (fresh key, RFC 8291)
 *                                   and per VAPID ES256 token, over N (2000) of each
 *   push-crypto ceiling URL N [K]   POSTs the same pre-encrypted body N times to URL with
 *                                   libcurl's multi interface, K (64) in flight: the
 *                                   pushes/s a sender could reach if encryption, signing
 *                                   and the database cost nothing
 *
 * One line of "key value" pairs on stdout.  Not a test.
 */
#include "sm_webpush.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
discard(char *p, size_t s, size_t n, void *a)
{
	(void)p;
	(void)a;
	return s * n;
}

/* A subscription's keys made here, as a browser would. */
static void
browser_keys(uint8_t ua[65], uint8_t auth[16])
{
	char priv[64], pub[100];

	if (sm_vapid_generate(priv, pub) != 0 || sm_b64url_decode(pub, ua, 65) != 65)
		exit(1);
	memset(auth, 7, 16);
}

static int
cost(int n)
{
	static const char payload[] = "{\"type\":\"comment\",\"title\":\"댓글러님이 댓글을 달았습니다\","
	    "\"body\":\"저도 갈게요!\",\"link\":\"/posts/42\",\"id\":123}";
	uint8_t ua[65], auth[16], out[SM_WEBPUSH_MAX_BODY];
	char priv[64], pub[100], h[1400];
	struct sm_vapid *v;
	double t0, enc, sig;
	int i;

	browser_keys(ua, auth);
	if (sm_vapid_generate(priv, pub) != 0 || (v = sm_vapid_new(priv, NULL)) == NULL)
		return 1;
	t0 = now();
	for (i = 0; i < n; i++)
		if (sm_webpush_encrypt(ua, auth, payload, sizeof(payload) - 1, NULL, NULL, out) < 0)
			return 1;
	enc = (now() - t0) / n * 1e6;
	t0 = now();
	for (i = 0; i < n; i++)
		if (sm_vapid_header(v, "https://push.example.net", 1900000000, h, sizeof(h)) != 0)
			return 1;
	sig = (now() - t0) / n * 1e6;
	printf("encrypt_us %.1f vapid_us %.1f n %d\n", enc, sig, n);
	sm_vapid_free(v);
	return 0;
}

static int
ceiling(const char *url, int n, int k)
{
	static const char payload[] = "{\"type\":\"comment\",\"title\":\"t\",\"body\":\"b\",\"link\":\"/\",\"id\":1}";
	uint8_t ua[65], auth[16], body[SM_WEBPUSH_MAX_BODY];
	struct curl_slist *hdr = NULL;
	CURLM *multi = curl_multi_init();
	long len;
	int started = 0, done = 0, ok = 0, running;
	double t0;

	browser_keys(ua, auth);
	len = sm_webpush_encrypt(ua, auth, payload, sizeof(payload) - 1, NULL, NULL, body);
	hdr = curl_slist_append(hdr, "TTL: 60");
	hdr = curl_slist_append(hdr, "Content-Encoding: aes128gcm");
	hdr = curl_slist_append(hdr, "Content-Type: application/octet-stream");
	hdr = curl_slist_append(hdr, "Expect:");
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)k);
	t0 = now();
	while (done < n) {
		CURLMsg *m;
		int q;

		while (started < n && started - done < k) {
			CURL *e = curl_easy_init();

			curl_easy_setopt(e, CURLOPT_URL, url);
			curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, len);
			curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
			curl_multi_add_handle(multi, e);
			started++;
		}
		curl_multi_perform(multi, &running);
		curl_multi_poll(multi, NULL, 0, 50, NULL);
		while ((m = curl_multi_info_read(multi, &q)) != NULL) {
			long st = 0;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &st);
			ok += st == 201;
			curl_multi_remove_handle(multi, m->easy_handle);
			curl_easy_cleanup(m->easy_handle);
			done++;
		}
	}
	printf("ceiling_per_s %.0f ok %d n %d in_flight %d\n", n / (now() - t0), ok, n, k);
	curl_slist_free_all(hdr);
	curl_multi_cleanup(multi);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "cost") == 0)
		return cost(argc > 2 ? atoi(argv[2]) : 2000);
	if (argc >= 4 && strcmp(argv[1], "ceiling") == 0) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		return ceiling(argv[2], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 64);
	}
	fprintf(stderr, "usage: push-crypto cost [N] | ceiling URL N [K]\n");
	return 2;
}
