/*
 * sm_log.c -- one line per event on stderr (see sm_log.h).
 *
 * The line is built in one buffer and written with a single write(2) so that
 * lines from the workers of one program never interleave in the shared log.
 */
#include "sm_log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char program_name[64] = "somoim";
static char request_id[72];
static enum sm_log_level threshold = SM_LOG_INFO;

static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR", "OFF" };

void
sm_log_init(const char *program, const char *level)
{
	const char *slash = strrchr(program, '/');
	size_t i;

	snprintf(program_name, sizeof(program_name), "%s", slash ? slash + 1 : program);
	if (level == NULL)
		return;
	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcasecmp(level, level_names[i]) == 0)
			threshold = (enum sm_log_level)i;
}

void
sm_log_set_request_id(const char *rid)
{
	snprintf(request_id, sizeof(request_id), "%s", rid ? rid : "");
}

const char *
sm_log_request_id(void)
{
	return request_id;
}

void
sm_log(enum sm_log_level level, const char *fmt, ...)
{
	char line[2048];
	struct timeval tv;
	struct tm tm;
	va_list ap;
	int saved_errno = errno;
	size_t n;
	int r;

	if (level < threshold)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof(line) - n, ".%03ldZ %s %s[%ld] rid=%s ",
	    (long)(tv.tv_usec / 1000), level_names[level], program_name,
	    (long)getpid(), request_id[0] ? request_id : "-");
	if (r > 0)
		n += (size_t)r < sizeof(line) - n ? (size_t)r : sizeof(line) - n - 1;
	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (r > 0)
		n += (size_t)r < sizeof(line) - n ? (size_t)r : sizeof(line) - n - 1;
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0) {
		/* Nowhere left to report it. */
	}
	errno = saved_errno;
}
