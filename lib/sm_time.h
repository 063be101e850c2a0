/*
 * sm_time.h -- times in the API: one form everywhere, RFC 3339 UTC to the
 * second with `Z` and no fraction ("2026-12-04T16:00:00Z").
 *
 * The one design decision: answers take their times from MariaDB, formatted
 * in SQL (SM_SQL_TIME), so a row and its JSON never disagree about rounding;
 * C code that writes a time itself (sm_time_format) writes the same form, and
 * the unit test (lib/tests/test_time.c) holds the two together.  Input is
 * parsed leniently (sm_time_parse: any zone, a fraction) and stored as UTC.
 */
#ifndef SM_TIME_H
#define SM_TIME_H

#include <stddef.h>
#include <time.h>

/* The DATE_FORMAT pattern of the API's time form (connections run in UTC). */
#define SM_SQL_TIME_PATTERN "'%Y-%m-%dT%H:%i:%sZ'"
/* A DATETIME column as the API's time, in an SQL string literal. */
#define SM_SQL_TIME(col) "DATE_FORMAT(" col ", " SM_SQL_TIME_PATTERN ")"
/* The same inside a printf-style format (its '%' doubled). */
#define SM_SQL_TIME_FMT(col) "DATE_FORMAT(" col ", '%%Y-%%m-%%dT%%H:%%i:%%sZ')"

/* Length of the API's time form with its NUL ("YYYY-MM-DDTHH:MM:SSZ"). */
#define SM_TIME_LEN 21

/* Writes t as the API's time into out; 0, or -1 for a year outside 0..9999. */
int sm_time_format(time_t t, char out[SM_TIME_LEN]);

/*
 * An event envelope's occurred_at (not an API answer): the same form with
 * milliseconds ("2026-12-04T16:00:00.123Z"), so events of one second keep
 * their order for a reader.  ms is 0..999.  0 or -1 like sm_time_format.
 */
#define SM_TIME_MS_LEN 25
int sm_time_format_ms(time_t t, int ms, char out[SM_TIME_MS_LEN]);

/*
 * Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)" (years
 * 1970..9999; a fraction is kept to the millisecond) into *t (whole seconds,
 * UTC) and, when db is not NULL, the UTC DATETIME(3) text for MariaDB
 * ("YYYY-MM-DD HH:MM:SS.mmm", at least SM_TIME_DB_LEN bytes).  Refuses what
 * is not a real date (Feb 30).  Returns 0 or -1.
 */
#define SM_TIME_DB_LEN 24
int sm_time_parse(const char *s, time_t *t, char *db, size_t dblen);

#endif
