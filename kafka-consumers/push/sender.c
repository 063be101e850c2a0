/*
 * sender.c -- the sender thread of somoim-push: sends the pending Web Push
 * deliveries (RFC 8291 aes128gcm bodies, RFC 8292 VAPID) through libcurl's
 * multi interface, and raises the meetup reminders that came due.
 *
 * The one design decision: deliveries are rows, not messages in memory.  The
 * consumer only queues them (channels.c) and goes on with its partition; this
 * thread claims a batch of due ones with one UPDATE (a random claim token,
 * due_at a minute ahead, so a second sender or a crash cannot make a quick
 * duplicate), sends the batch in parallel, and records the answers in one
 * transaction: 201 sent; 404/410 the subscription
 * deleted; 429, 5xx and network errors retried later at Retry-After or an
 * exponential back-off, without holding up anyone else; anything else
 * (400, 401/403, 413) logged and dropped.  A crash between the send and the
 * record sends again after the claim expires -- the Topic header (the
 * notification id) lets the push service and the browser keep one.
 * Pushes go over HTTP/2 where the service offers it, multiplexed on one
 * connection per service; [push] ca_file (tests: the receiver's self-signed
 * certificate) replaces the system's CAs.
 * Reminders are rows too (events.c fills them): due on the daemon's clock,
 * raised through this thread's own bus in one transaction that marks them
 * sent, so each is raised once, across restarts.
 */
#include "push.h"
#include "sm_conf.h"
#include "sm_db.h"
#include "sm_log.h"
#include "sm_webpush.h"

#include <curl/curl.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define BATCH 100               /* deliveries per round */
#define CLAIM_SECONDS 60        /* a claimed delivery is not picked again before */
#define MAX_BACKOFF 600         /* seconds */
#define VAPID_LIFETIME 43200    /* 12 h, RFC 8292 allows 24 */

struct job {
	long long nid, sid, ttl, attempts;
	char urgency[12], topic[24], origin[300];
	uint8_t body[SM_WEBPUSH_MAX_BODY];
	long body_len;
	struct curl_slist *headers;
	CURL *easy;
	long status;
	long long retry_after;
	CURLcode cc;
};

struct vapid_cache {
	char origin[300];
	char header[1200];
	long long exp;
};

struct sender {
	const struct sm_conf *conf;
	volatile int *stop;
	struct channels ch;
	struct sm_bus *bus;
	struct sm_vapid *vapid;
	CURLM *multi;
	int allow_loopback;
	const char *ca_file;            /* [push] ca_file: NULL = the system's CAs */
	long long timeout_ms, max_attempts, poll_ms;
	struct vapid_cache cache[16];
	struct job jobs[BATCH];
};

static struct sender *S;
static pthread_t thread;
static int started;

/* The consumer's nudge (sender_kick): work was queued, look sooner than poll_ms. */
static pthread_mutex_t kick_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kick_cv = PTHREAD_COND_INITIALIZER;
static int kicked;

void
sender_kick(void)
{
	pthread_mutex_lock(&kick_mu);
	kicked = 1;
	pthread_cond_signal(&kick_cv);
	pthread_mutex_unlock(&kick_mu);
}

/*
 * Idles up to poll_ms, less when kicked.  A kick comes from inside the
 * consumer's transaction, before its commit, so after one the sender looks a
 * few times, KICK_RETRY_MS apart, before it idles the full poll_ms again.
 */
#define KICK_RETRY_MS 3
#define KICK_RETRIES 5

static void
idle(struct sender *s, int *retries)
{
	struct timespec until;
	long long ms = s->poll_ms;

	pthread_mutex_lock(&kick_mu);
	if (kicked) {
		kicked = 0;
		*retries = KICK_RETRIES;
	}
	if (*retries > 0) {
		(*retries)--;
		ms = KICK_RETRY_MS;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (!kicked)
		pthread_cond_timedwait(&kick_cv, &kick_mu, &until);
	pthread_mutex_unlock(&kick_mu);
}

/* ---- sending ---- */

static const char *
vapid_for(struct sender *s, const char *origin)
{
	long long now = (long long)time(NULL);
	struct vapid_cache *slot = &s->cache[0];
	size_t i;

	for (i = 0; i < sizeof(s->cache) / sizeof(s->cache[0]); i++) {
		if (strcmp(s->cache[i].origin, origin) == 0) {
			slot = &s->cache[i];
			if (slot->exp - now > 3600)
				return slot->header;
			break;
		}
		if (s->cache[i].exp < slot->exp)
			slot = &s->cache[i];    /* the oldest is replaced */
	}
	if (sm_vapid_header(s->vapid, origin, now + VAPID_LIFETIME, slot->header,
	    sizeof(slot->header)) != 0) {
		slot->origin[0] = '\0';
		return NULL;
	}
	snprintf(slot->origin, sizeof(slot->origin), "%s", origin);
	slot->exp = now + VAPID_LIFETIME;
	return slot->header;
}

static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct sender *s = arg;

	(void)purpose;
	if (!sm_webpush_addr_ok(&a->addr, s->allow_loopback)) {
		sm_log(SM_LOG_WARN, "sender: refused to connect to a non-public address");
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void
record(struct sender *s, const char *state, struct job *j, long long due_in)
{
	struct sm_db *db = s->ch.push_db;
	int rc;

	if (strcmp(state, "pending") == 0)
		rc = sm_db_exec(db, NULL, "UPDATE deliveries SET attempts = attempts + 1,"
		    " last_status = ?, due_at = NOW(3) + INTERVAL ? SECOND"
		    " WHERE notification_id = ? AND subscription_id = ?", "iiii", (long long)j->status,
		    due_in, j->nid, j->sid);
	else
		rc = sm_db_exec(db, NULL, "UPDATE deliveries SET attempts = attempts + 1,"
		    " last_status = ?, state = ?, sent_at = IF(? = 'sent', NOW(3), NULL)"
		    " WHERE notification_id = ? AND subscription_id = ?", "issii",
		    (long long)j->status, state, state, j->nid, j->sid);
	if (rc != 0)
		sm_log(SM_LOG_ERROR, "sender: recording delivery %lld/%lld as %s: %s", j->nid,
		    j->sid, state, sm_db_error(db));
}

static void
finish(struct sender *s, struct job *j)
{
	long st = j->status;

	if (st >= 200 && st < 300) {
		sm_log(SM_LOG_INFO, "sender: notification %lld to subscription %lld: %ld",
		    j->nid, j->sid, st);
		record(s, "sent", j, 0);
	} else if (st == 404 || st == 410) {
		sm_log(SM_LOG_INFO, "sender: subscription %lld is gone (%ld): deleted", j->sid, st);
		record(s, "dropped", j, 0);
		if (sm_db_exec(s->ch.push_db, NULL, "DELETE FROM subscriptions WHERE id = ?", "i",
		    j->sid) != 0 || sm_db_exec(s->ch.push_db, NULL, "UPDATE deliveries"
		    " SET state = 'dropped' WHERE subscription_id = ? AND state = 'pending'", "i",
		    j->sid) != 0)
			sm_log(SM_LOG_ERROR, "sender: deleting subscription %lld: %s", j->sid,
			    sm_db_error(s->ch.push_db));
	} else if (st == 429 || st >= 500 || st == 0) {
		long long backoff = 1LL << (j->attempts < 10 ? j->attempts : 10);

		if (j->attempts + 1 >= s->max_attempts) {
			sm_log(SM_LOG_WARN, "sender: notification %lld to subscription %lld: %ld (%s),"
			    " giving up after %lld attempts", j->nid, j->sid, st,
			    st == 0 ? curl_easy_strerror(j->cc) : "status", j->attempts + 1);
			record(s, "failed", j, 0);
			return;
		}
		if (backoff > MAX_BACKOFF)
			backoff = MAX_BACKOFF;
		if (j->retry_after > 0)
			backoff = j->retry_after < 86400 ? j->retry_after : 86400;
		sm_log(SM_LOG_INFO, "sender: notification %lld to subscription %lld: %ld (%s),"
		    " retry in %lld s", j->nid, j->sid, st,
		    st == 0 ? curl_easy_strerror(j->cc) : "status", backoff);
		record(s, "pending", j, backoff);
	} else {
		sm_log(SM_LOG_WARN, "sender: notification %lld to subscription %lld: %ld, dropped",
		    j->nid, j->sid, st);
		record(s, "dropped", j, 0);
	}
}

/* Builds job j from a selected row; 0, or -1 when it was settled without sending. */
static int
prepare(struct sender *s, struct job *j, const struct sm_rows *rows)
{
	const char *endpoint = sm_rows_str(rows, 6), *vh;
	uint8_t ua[80], auth[20];
	char err[300], line[1400];

	memset(j, 0, sizeof(*j));
	j->nid = sm_rows_int(rows, 0);
	j->sid = sm_rows_int(rows, 1);
	j->ttl = sm_rows_int(rows, 3);
	snprintf(j->urgency, sizeof(j->urgency), "%s", sm_rows_str(rows, 4));
	j->attempts = sm_rows_int(rows, 5);
	if (sm_webpush_endpoint_check(endpoint, s->allow_loopback, 1, j->origin,
	    sizeof(j->origin), err, sizeof(err)) != 0) {
		sm_log(SM_LOG_WARN, "sender: subscription %lld: endpoint refused: %s", j->sid, err);
		record(s, "dropped", j, 0);
		return -1;
	}
	if (sm_b64url_decode(sm_rows_str(rows, 7), ua, sizeof(ua)) != 65 ||
	    sm_b64url_decode(sm_rows_str(rows, 8), auth, sizeof(auth)) != 16 ||
	    (j->body_len = sm_webpush_encrypt(ua, auth, sm_rows_str(rows, 2),
	    sm_rows_len(rows, 2), NULL, NULL, j->body)) < 0 ||
	    (vh = vapid_for(s, j->origin)) == NULL) {
		sm_log(SM_LOG_ERROR, "sender: notification %lld to subscription %lld: cannot"
		    " encrypt or sign: dropped", j->nid, j->sid);
		record(s, "dropped", j, 0);
		return -1;
	}
	snprintf(j->topic, sizeof(j->topic), "n%lld", j->nid);
	snprintf(line, sizeof(line), "Authorization: %s", vh);
	j->headers = curl_slist_append(j->headers, line);
	snprintf(line, sizeof(line), "TTL: %lld", j->ttl);
	j->headers = curl_slist_append(j->headers, line);
	snprintf(line, sizeof(line), "Urgency: %s", j->urgency);
	j->headers = curl_slist_append(j->headers, line);
	snprintf(line, sizeof(line), "Topic: %s", j->topic);
	j->headers = curl_slist_append(j->headers, line);
	j->headers = curl_slist_append(j->headers, "Content-Encoding: aes128gcm");
	j->headers = curl_slist_append(j->headers, "Content-Type: application/octet-stream");
	j->headers = curl_slist_append(j->headers, "Expect:");
	if (j->headers == NULL || (j->easy = curl_easy_init()) == NULL) {
		sm_log(SM_LOG_ERROR, "sender: out of memory");
		abort();
	}
	curl_easy_setopt(j->easy, CURLOPT_URL, endpoint);
	curl_easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, s->allow_loopback ? "http,https" : "https");
	curl_easy_setopt(j->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(j->easy, CURLOPT_POST, 1L);
	curl_easy_setopt(j->easy, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(j->easy, CURLOPT_POSTFIELDSIZE, j->body_len);
	curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
	curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
	/*
	 * HTTP/2 over TLS where the push service offers it (they all do), and
	 * every push of the batch to one service on one connection: PIPEWAIT
	 * makes the later handles wait for the first connection's ALPN answer
	 * and multiplex on it rather than open connections of their own.  Plain
	 * http (a loopback receiver only) is HTTP/1.1: nothing to wait for.
	 */
	curl_easy_setopt(j->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (strncasecmp(endpoint, "https:", 6) == 0)
		curl_easy_setopt(j->easy, CURLOPT_PIPEWAIT, 1L);
	if (s->ca_file != NULL)
		curl_easy_setopt(j->easy, CURLOPT_CAINFO, s->ca_file);
	curl_easy_setopt(j->easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(j->easy, CURLOPT_OPENSOCKETDATA, s);
	curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
	curl_easy_setopt(j->easy, CURLOPT_USERAGENT, "somoim-push");
	return 0;
}

/* Sends the due deliveries: the number handled, or -1 on a database error. */
static int
send_due(struct sender *s)
{
	struct sm_rows *rows;
	int n = 0, running = 0, r, i;
	CURLMsg *msg;

	long long token;

	/* claim a batch: nobody picks these again before CLAIM_SECONDS */
	if (RAND_bytes((unsigned char *)&token, sizeof(token)) != 1)
		return -1;
	token &= 0x7fffffffffffffffLL;
	if (sm_db_exec(s->ch.push_db, NULL, "UPDATE deliveries SET claim = ?,"
	    " due_at = NOW(3) + INTERVAL ? SECOND WHERE state = 'pending' AND due_at <= NOW(3)"
	    " ORDER BY due_at LIMIT ?", "iii", token, (long long)CLAIM_SECONDS,
	    (long long)BATCH) != 0)
		return -1;
	if (sm_db_affected(s->ch.push_db) == 0)
		return 0;
	/* deliveries whose subscription went away meanwhile are dropped */
	if (sm_db_exec(s->ch.push_db, NULL, "UPDATE deliveries d LEFT JOIN subscriptions s"
	    " ON s.id = d.subscription_id SET d.state = 'dropped' WHERE d.claim = ?"
	    " AND s.id IS NULL", "i", token) != 0)
		return -1;
	if (sm_db_exec(s->ch.push_db, &rows, "SELECT d.notification_id, d.subscription_id,"
	    " d.payload, d.ttl, d.urgency, d.attempts, s.endpoint, s.p256dh, s.auth"
	    " FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id"
	    " WHERE d.claim = ? AND d.state = 'pending'", "i", token) != 0)
		return -1;
	while ((r = sm_rows_next(rows)) == 1 && n < BATCH) {
		if (prepare(s, &s->jobs[n], rows) == 0)
			curl_multi_add_handle(s->multi, s->jobs[n++].easy);
		else
			curl_slist_free_all(s->jobs[n].headers);
	}
	sm_rows_free(rows);
	if (n == 0)
		return r < 0 ? -1 : 0;
	do {
		if (curl_multi_perform(s->multi, &running) != CURLM_OK)
			break;
		if (running > 0 && curl_multi_poll(s->multi, NULL, 0, 100, NULL) != CURLM_OK)
			break;
	} while (running > 0);
	while ((msg = curl_multi_info_read(s->multi, &i)) != NULL) {
		struct job *j;
		curl_off_t ra = 0;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		j->cc = msg->data.result;
		if (j->cc == CURLE_OK) {
			curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &j->status);
			if (curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
				j->retry_after = (long long)ra;
		}
	}
	/* the outcomes in one transaction: one commit per batch, not per delivery */
	if (sm_db_begin(s->ch.push_db) != 0)
		sm_log(SM_LOG_ERROR, "sender: begin: %s", sm_db_error(s->ch.push_db));
	for (i = 0; i < n; i++) {
		struct job *j = &s->jobs[i];

		finish(s, j);
		curl_multi_remove_handle(s->multi, j->easy);
		curl_easy_cleanup(j->easy);
		curl_slist_free_all(j->headers);
	}
	if (sm_db_commit(s->ch.push_db) != 0) {
		/* the claims expire: those deliveries are sent again (same Topic) */
		sm_log(SM_LOG_ERROR, "sender: recording a batch of %d: %s", n,
		    sm_db_error(s->ch.push_db));
		sm_db_rollback(s->ch.push_db);
	}
	return n;
}

/* ---- reminders ---- */

static int
raise_reminders(struct sender *s)
{
	struct sm_db *db = s->ch.push_db;
	struct sm_rows *rows;
	int n = 0, r;

	if (sm_db_begin(db) != 0)
		return -1;
	if (sm_db_exec(db, &rows, "SELECT schedule_id, user_id, kind, title,"
	    " DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%sZ'),"
	    " GREATEST(TIMESTAMPDIFF(SECOND, FROM_UNIXTIME(?), starts_at), 60)"
	    " FROM reminders WHERE state = 'pending' AND due_at <= FROM_UNIXTIME(?)"
	    " ORDER BY due_at LIMIT 100 FOR UPDATE", "ii", push_now(), push_now()) != 0)
		goto fail;
	while ((r = sm_rows_next(rows)) == 1) {
		long long sid = sm_rows_int(rows, 0), uid = sm_rows_int(rows, 1);
		const char *kind = sm_rows_str(rows, 2);
		char key[80], title[300], body[200], link[64];
		struct notification nt = {
			.user_id = uid, .type = "reminder", .event_id = key, .title = title,
			.body = body, .link = link, .ttl = sm_rows_int(rows, 5),
			.urgency = strcmp(kind, "1h") == 0 ? "high" : "normal",
		};

		snprintf(key, sizeof(key), "reminder:%lld:%lld:%s", sid, uid, kind);
		snprintf(title, sizeof(title), "%s: %.200s",
		    strcmp(kind, "1h") == 0 ? "1시간 뒤 일정" : "내일 일정", sm_rows_str(rows, 3));
		snprintf(body, sizeof(body), "%s 시작", sm_rows_str(rows, 4));
		snprintf(link, sizeof(link), "/schedules/%lld", sid);
		if (notify(s->bus, &s->ch, &nt) != 0 ||
		    sm_db_exec(db, NULL, "UPDATE reminders SET state = 'sent' WHERE schedule_id = ?"
		    " AND user_id = ? AND kind = ?", "iis", sid, uid, kind) != 0) {
			sm_rows_free(rows);
			goto fail;
		}
		sm_log(SM_LOG_INFO, "reminder %s raised", key);
		n++;
	}
	sm_rows_free(rows);
	if (r < 0 || sm_db_commit(db) != 0)
		goto fail;
	return n;
fail:
	sm_log(SM_LOG_ERROR, "reminders: %s", sm_db_error(db));
	sm_db_rollback(db);
	return -1;
}

/*
 * Deletes settled deliveries older than a week, a chunk at a time: their
 * (notification, subscription) key only matters while the event that made
 * them can still be redelivered, which the consumer's own inbox bounds to
 * the same week (processed_retention_seconds).
 */
static void
prune(struct sender *s)
{
	if (sm_db_exec(s->ch.push_db, NULL, "DELETE FROM deliveries WHERE state <> 'pending'"
	    " AND created_at < NOW(3) - INTERVAL 7 DAY LIMIT 1000", "") != 0)
		sm_log(SM_LOG_WARN, "sender: pruning deliveries: %s", sm_db_error(s->ch.push_db));
}

static void *
run(void *arg)
{
	struct sender *s = arg;

	int retries = 0;

	sm_log(SM_LOG_INFO, "sender: running (allow_loopback %d, CAs %s)", s->allow_loopback,
	    s->ca_file != NULL ? s->ca_file : "the system's");
	long long reminders_due = 0;

	while (!*s->stop) {
		/* reminders are minutes apart: look once a second, not every round */
		int a = 0, b;

		if ((long long)time(NULL) >= reminders_due) {
			a = raise_reminders(s);
			if ((long long)time(NULL) % 60 == 0)
				prune(s);
			reminders_due = (long long)time(NULL) + 1;
		}
		b = send_due(s);

		if (a <= 0 && b <= 0)
			idle(s, &retries);
	}
	sm_log(SM_LOG_INFO, "sender: stopped");
	return NULL;
}

int
sender_start(const struct sm_conf *conf, volatile int *stop)
{
	struct sender *s = calloc(1, sizeof(*s));

	if (s == NULL)
		abort();
	s->conf = conf;
	s->stop = stop;
	s->allow_loopback = sm_webpush_loopback_allowed(conf);
	s->ca_file = sm_conf_get(conf, "push", "ca_file", NULL);
	if (s->ca_file != NULL && s->ca_file[0] == '\0')
		s->ca_file = NULL;
	if (sm_conf_int(conf, "push", "send_timeout_ms", 10000, 100, 120000, &s->timeout_ms) ||
	    sm_conf_int(conf, "push", "max_attempts", 8, 1, 100, &s->max_attempts) ||
	    sm_conf_int(conf, "push", "poll_ms", 100, 5, 10000, &s->poll_ms))
		goto fail;
	if ((s->vapid = sm_vapid_new(sm_conf_get(conf, "push", "vapid_private_key", NULL),
	    sm_conf_get(conf, "push", "vapid_subject", NULL))) == NULL)
		goto fail;
	if ((s->ch.push_db = sm_db_new(conf, "push")) == NULL ||
	    (s->ch.notification_db = sm_db_new(conf, "notification")) == NULL ||
	    (s->multi = curl_multi_init()) == NULL)
		goto fail;
	curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
	curl_multi_setopt(s->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	s->bus = channels_bus(&s->ch);
	if (pthread_create(&thread, NULL, run, s) != 0) {
		sm_log(SM_LOG_ERROR, "sender: pthread_create failed");
		goto fail;
	}
	S = s;
	started = 1;
	return 0;
fail:
	sm_bus_free(s->bus);
	if (s->multi != NULL)
		curl_multi_cleanup(s->multi);
	sm_db_free(s->ch.notification_db);
	sm_db_free(s->ch.push_db);
	sm_vapid_free(s->vapid);
	free(s);
	return -1;
}

void
sender_join(void)
{
	struct sender *s = S;

	if (!started)
		return;
	pthread_join(thread, NULL);
	sm_bus_free(s->bus);
	curl_multi_cleanup(s->multi);
	sm_db_free(s->ch.notification_db);
	sm_db_free(s->ch.push_db);
	sm_vapid_free(s->vapid);
	free(s);
	S = NULL;
	started = 0;
}
