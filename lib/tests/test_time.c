/* test_time.c -- the API's one time form: formatting, parsing, and the SQL pattern. */
#include "test.h"
#include "sm_time.h"

#include <stdio.h>
#include <string.h>

static void
formats_seconds_with_z_and_no_fraction(void **state)
{
	char out[SM_TIME_LEN];

	(void)state;
	assert_int_equal(sm_time_format(0, out), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(sm_time_format(1796400000, out), 0);
	assert_string_equal(out, "2026-12-04T16:00:00Z");
	assert_int_equal(strlen(out), SM_TIME_LEN - 1);
	/* Year 10000 has no four-digit form. */
	assert_int_equal(sm_time_format(253402300800LL, out), -1);
}

static void
event_time_has_milliseconds(void **state)
{
	char out[SM_TIME_MS_LEN];

	(void)state;
	assert_int_equal(sm_time_format_ms(1796400000, 7, out), 0);
	assert_string_equal(out, "2026-12-04T16:00:00.007Z");
	assert_int_equal(sm_time_format_ms(1796400000, 999, out), 0);
	assert_string_equal(out, "2026-12-04T16:00:00.999Z");
	assert_int_equal(sm_time_format_ms(1796400000, 1000, out), -1);
}

static void
parses_zones_and_fractions_to_utc(void **state)
{
	char db[SM_TIME_DB_LEN];
	time_t t;

	(void)state;
	assert_int_equal(sm_time_parse("2026-12-04T16:00:00Z", &t, db, sizeof(db)), 0);
	assert_int_equal(t, 1796400000);
	assert_string_equal(db, "2026-12-04 16:00:00.000");
	assert_int_equal(sm_time_parse("2026-12-05T01:00:00.25+09:00", &t, db, sizeof(db)), 0);
	assert_int_equal(t, 1796400000);
	assert_string_equal(db, "2026-12-04 16:00:00.250");
	assert_int_equal(sm_time_parse("2026-12-04t11:30:00.123456-04:30", &t, NULL, 0), 0);
	assert_int_equal(t, 1796400000);
}

static void
refuses_what_is_not_rfc3339(void **state)
{
	static const char *bad[] = {
		"", "2026-12-04", "2026-12-04T16:00:00", "2026-12-04 16:00:00Z",
		"2026-12-04T16:00Z", "2026-2-04T16:00:00Z", "2026-12-04T16:00:00.Z",
		"2026-12-04T16:00:00+9:00", "2026-12-04T16:00:00+24:00", "2026-13-01T00:00:00Z",
		"2026-02-30T00:00:00Z", "1969-12-31T23:59:59Z", "2026-12-04T16:00:00Zjunk",
		"2026-12-04T24:00:00Z",
	};
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(sm_time_parse(bad[i], &t, NULL, 0), -1);
}

/* The SQL form and the C form are one form: same fields, same order, same Z. */
static void
sql_pattern_matches_the_c_form(void **state)
{
	(void)state;
	assert_string_equal(SM_SQL_TIME("c"), "DATE_FORMAT(c, '%Y-%m-%dT%H:%i:%sZ')");
	/* The printf form is the same text once its doubled '%' are undone. */
	{
		char fmt[64];

		snprintf(fmt, sizeof(fmt), SM_SQL_TIME_FMT("c"));
		assert_string_equal(fmt, SM_SQL_TIME("c"));
	}
	/* MariaDB's %i is minutes, %s seconds; no %f (no fraction). */
	assert_null(strstr(SM_SQL_TIME_PATTERN, "%f"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_seconds_with_z_and_no_fraction),
		cmocka_unit_test(event_time_has_milliseconds),
		cmocka_unit_test(parses_zones_and_fractions_to_utc),
		cmocka_unit_test(refuses_what_is_not_rfc3339),
		cmocka_unit_test(sql_pattern_matches_the_c_form),
	};

	return RUN_TESTS("time", tests);
}
