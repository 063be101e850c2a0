/*
 * chat-listen.c -- bench/chat-fanout's subscribers: holds one EventSource
 * stream per token (thousands, one process, epoll) and writes, for each
 * message that reaches each stream, "<message id> <receive time in µs>".
 *
 *   chat-listen HOST PORT PATH TOKENS_FILE OUT_FILE
 *
 * Connects in waves of 50 (a burst into the authorizer gets 502s), retrying a
 * refused stream; prints "ready N" on stdout once all N are in, then records
 * until stdin closes, and prints its own cost.
 *
 * The one design decision, the timestamps: every stream read after one
 * epoll_wait gets the time taken when epoll_wait returned.  Data that arrived
 * while the previous wake-up was still being handled is stamped late by at
 * most that handling time, so the printed "busy per wake-up" (p99, max) is
 * the bound on how much the client itself inflates a latency.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* memmem */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WAVE 50
#define BUF 65536

struct conn {
	int fd;
	int ready;              /* 200 seen */
	char *token;
	size_t len;
	char buf[BUF];
};

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Opens c's stream and reads the status line (blocking, short).  0 on 200. */
static int
open_stream(struct conn *c, const struct sockaddr_in *sa, const char *host, const char *path)
{
	char req[4096];
	ssize_t n;
	size_t got = 0;
	char *end;

	if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(c->fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0)
		return -1;
	n = snprintf(req, sizeof(req), "GET %s?access_token=%s HTTP/1.1\r\nHost: %s\r\n"
	    "Accept: text/event-stream\r\n\r\n", path, c->token, host);
	if (write(c->fd, req, (size_t)n) != n)
		return -1;
	while ((end = memmem(c->buf, got, "\r\n\r\n", 4)) == NULL) {
		if (got == BUF - 1 || (n = read(c->fd, c->buf + got, BUF - 1 - got)) <= 0)
			return -1;
		got += (size_t)n;
	}
	if (strncmp(c->buf, "HTTP/1.1 200", 12) != 0)
		return -1;
	c->len = got - (size_t)(end + 4 - c->buf);
	memmove(c->buf, end + 4, c->len);
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	c->ready = 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct conn *cs = NULL;
	struct epoll_event ev, evs[1024];
	size_t n = 0, cap = 0, i, nbusy = 0, busycap = 1 << 16;
	double *busy = malloc(busycap * sizeof(double));
	long long deliveries = 0, closed = 0;
	char line[4096];
	FILE *tf, *out;
	int ep, done = 0;

	if (argc != 6) {
		fprintf(stderr, "usage: chat-listen HOST PORT PATH TOKENS_FILE OUT_FILE\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || (tf = fopen(argv[4], "r")) == NULL ||
	    (out = fopen(argv[5], "w")) == NULL) {
		perror("chat-listen");
		return 1;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	while (fgets(line, sizeof(line), tf) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (*line == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			cs = realloc(cs, cap * sizeof(*cs));
		}
		memset(&cs[n], 0, sizeof(cs[n]));
		cs[n].token = strdup(line);
		cs[n++].fd = -1;
	}
	fclose(tf);
	/* Waves of WAVE; a refused stream is retried (up to 20 rounds). */
	for (int round = 0; round < 20; round++) {
		size_t left = 0;

		for (i = 0; i < n; i++) {
			if (cs[i].ready)
				continue;
			if (cs[i].fd >= 0)
				close(cs[i].fd);
			if (open_stream(&cs[i], &sa, argv[1], argv[3]) != 0)
				left++;
			if (i % WAVE == WAVE - 1)
				usleep(20000);
		}
		if (left == 0)
			break;
		fprintf(stderr, "chat-listen: %zu streams refused, retrying\n", left);
		sleep(1);
	}
	for (i = 0; i < n; i++)
		if (!cs[i].ready) {
			fprintf(stderr, "chat-listen: stream %zu never opened\n", i);
			return 1;
		}
	ep = epoll_create1(0);
	for (i = 0; i < n; i++) {
		ev.events = EPOLLIN;
		ev.data.u64 = i;
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
	}
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)-1;
	epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);
	printf("ready %zu\n", n);
	fflush(stdout);
	while (!done) {
		int k = epoll_wait(ep, evs, 1024, -1);
		double t = now_us();

		if (k < 0) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			return 1;
		}
		for (int j = 0; j < k; j++) {
			struct conn *c;
			ssize_t r;
			char *p, *blk;

			if (evs[j].data.u64 == (uint64_t)-1) {
				if (read(0, line, sizeof(line)) <= 0)
					done = 1;
				continue;
			}
			c = &cs[evs[j].data.u64];
			while ((r = read(c->fd, c->buf + c->len, BUF - 1 - c->len)) > 0)
				c->len += (size_t)r;
			if (r == 0) {
				closed++;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			}
			c->buf[c->len] = '\0';
			/* One message per event block ("\n\n"); its id is the first "id":"...". */
			blk = c->buf;
			while ((p = strstr(blk, "\n\n")) != NULL) {
				char *id = memmem(blk, (size_t)(p - blk), "\"id\":\"", 6);

				if (id != NULL) {
					char *q = strchr(id + 6, '"');

					if (q != NULL && q < p) {
						fprintf(out, "%.*s %.0f\n", (int)(q - id - 6), id + 6, t);
						deliveries++;
					}
				}
				blk = p + 2;
			}
			c->len -= (size_t)(blk - c->buf);
			memmove(c->buf, blk, c->len);
			if (c->len == BUF - 1)
				c->len = 0;     /* never expected: a block larger than the buffer */
		}
		if (nbusy == busycap)
			busy = realloc(busy, (busycap *= 2) * sizeof(double));
		busy[nbusy++] = now_us() - t;
	}
	fclose(out);
	qsort(busy, nbusy, sizeof(double), cmp);
	printf("deliveries %lld, streams closed %lld, wake-ups %zu, busy per wake-up p50 %.0f "
	    "p99 %.0f max %.0f us\n", deliveries, closed, nbusy, nbusy ? busy[nbusy / 2] : 0,
	    nbusy ? busy[(size_t)(nbusy * 0.99)] : 0, nbusy ? busy[nbusy - 1] : 0);
	return 0;
}
