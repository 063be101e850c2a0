/*
 * sm_time.c -- the API's one time form (see sm_time.h).
 *
 * Parsing is by hand rather than strptime: strptime accepts what RFC 3339
 * does not (one-digit fields, spaces) and knows no "+09:00" offsets.
 */
#include "sm_time.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int
sm_time_format(time_t t, char out[SM_TIME_LEN])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return -1;
	return strftime(out, SM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == SM_TIME_LEN - 1 ? 0 : -1;
}

int
sm_time_format_ms(time_t t, int ms, char out[SM_TIME_MS_LEN])
{
	char s[SM_TIME_LEN];

	if (ms < 0 || ms > 999 || sm_time_format(t, s) != 0)
		return -1;
	snprintf(out, SM_TIME_MS_LEN, "%.19s.%03dZ", s, ms);
	return 0;
}

int
sm_time_parse(const char *s, time_t *t, char *db, size_t dblen)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, ms = 0, n = 0, off = 0, oh, om;
	const char *p;

	if (strlen(s) > 40 || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	p = s + 10;
	if ((*p != 'T' && *p != 't') || sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 ||
	    n != 8)
		return -1;
	p += 9;
	if (*p == '.') {
		int digits = 0;

		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (digits < 3)
				ms = ms * 10 + (*p - '0');
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			ms *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 &&
	    n == 5 && oh < 24 && om < 60) {
		off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm) - off;
	if (gmtime_r(t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	/* timegm normalises Feb 30 into March: refuse what it had to move. */
	if (off == 0 && (tm.tm_mday != d || tm.tm_mon != mo - 1))
		return -1;
	if (db != NULL && (size_t)snprintf(db, dblen, "%04d-%02d-%02d %02d:%02d:%02d.%03d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ms) >= dblen)
		return -1;
	return 0;
}
