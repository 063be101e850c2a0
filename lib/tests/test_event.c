/* test_event.c -- the event envelope and its field readers (lib/sm_kafka), without a broker. */
#include "test.h"
#include "sm_kafka.h"

#include <string.h>

#define ID "0190f3c4-1d2e-7a3b-8c4d-5e6f7a8b9c0d"

static int
parse(const char *json, struct sm_event *ev)
{
	return sm_event_parse(json, strlen(json), ev);
}

static void
envelope_needs_id_type_and_object_data(void **state)
{
	const char *bad[] = { "", "garbage", "[]", "{\"type\":\"x\",\"data\":{}}",
	    "{\"id\":\"short\",\"type\":\"x\",\"data\":{}}",
	    "{\"id\":\"" ID "\",\"data\":{}}", "{\"id\":\"" ID "\",\"type\":\"x\"}",
	    "{\"id\":\"" ID "\",\"type\":\"x\",\"data\":[1]}" };
	struct sm_event ev;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &ev), -1);
	assert_int_equal(parse("{\"id\":\"" ID "\",\"type\":\"post-created\",\"source\":\"board\","
	    "\"data\":{}}", &ev), 0);
	assert_string_equal(ev.id, ID);
	assert_string_equal(ev.type, "post-created");
	assert_string_equal(ev.source, "board");
	assert_null(ev.occurred_at);
	sm_event_fini(&ev);
}

static void
int_reads_numbers_and_digit_strings(void **state)
{
	struct sm_event ev;
	long long v = 0;

	(void)state;
	assert_int_equal(parse("{\"id\":\"" ID "\",\"type\":\"t\",\"data\":{\"a\":7,"
	    "\"b\":\"9007199254740993\",\"c\":\"7x\",\"d\":1.5,\"e\":null,\"f\":-3}}", &ev), 0);
	assert_int_equal(sm_event_int(ev.data, "a", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(sm_event_int(ev.data, "b", &v), 0);
	assert_int_equal(v, 9007199254740993LL);
	assert_int_equal(sm_event_int(ev.data, "c", &v), -1);
	assert_int_equal(sm_event_int(ev.data, "d", &v), -1);
	assert_int_equal(sm_event_int(ev.data, "e", &v), -1);
	assert_int_equal(sm_event_int(ev.data, "missing", &v), -1);
	assert_int_equal(sm_event_int(ev.data, "f", &v), 0);
	assert_int_equal(v, -3);
	sm_event_fini(&ev);
}

static void
ids_names_the_first_bad_field(void **state)
{
	struct sm_event ev;
	long long id = 0, cid = 0, uid = 0;
	char err[128] = "";

	(void)state;
	assert_int_equal(parse("{\"id\":\"" ID "\",\"type\":\"member-joined\",\"data\":"
	    "{\"id\":5,\"community_id\":\"12\",\"user_id\":0,\"seq\":-1}}", &ev), 0);
	assert_int_equal(sm_event_ids(&ev, err, sizeof(err), "id", &id,
	    "community_id", &cid, (char *)NULL), 0);
	assert_int_equal(id, 5);
	assert_int_equal(cid, 12);
	assert_string_equal(err, "");

	assert_int_equal(sm_event_ids(&ev, err, sizeof(err), "id", &id, "user_id", &uid,
	    "seq", &cid, (char *)NULL), -1);
	assert_string_equal(err, "member-joined: data.user_id is missing or invalid");
	assert_int_equal(sm_event_ids(&ev, err, sizeof(err), "seq", &id, (char *)NULL), -1);
	assert_string_equal(err, "member-joined: data.seq is missing or invalid");
	assert_int_equal(sm_event_ids(&ev, err, sizeof(err), "absent", &id, (char *)NULL), -1);
	assert_string_equal(err, "member-joined: data.absent is missing or invalid");
	sm_event_fini(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(envelope_needs_id_type_and_object_data),
		cmocka_unit_test(int_reads_numbers_and_digit_strings),
		cmocka_unit_test(ids_names_the_first_bad_field),
	};

	return RUN_TESTS("event", tests);
}
