/*
 * event.c -- fuzz target: sm_event_parse and the field readers every consumer
 * handler uses on what comes off Kafka (a poison message must be refused,
 * never crash a daemon).  Property: ids it accepts are above 0.
 */
#include "fuzz.h"
#include "sm_kafka.h"

const char fuzz_name[] = "event";
const char *fuzz_seeds[] = {
	"{\"id\":\"0190f3c4-1d2e-7a3b-8c4d-5e6f7a8b9c0d\",\"type\":\"post-created\","
	"\"occurred_at\":\"2026-11-22T10:00:00.000Z\",\"source\":\"board\",\"data\":{\"id\":7,"
	"\"community_id\":\"12\",\"author_id\":3,\"version\":1,\"title\":\"제목\"}}",
	"{\"id\":\"0190f3c4-1d2e-7a3b-8c4d-5e6f7a8b9c0d\",\"type\":\"member-joined\","
	"\"data\":{\"community_id\":5,\"user_id\":9007199254740993,\"seq\":-1,\"role\":null}}",
	"{\"id\":1,\"type\":[],\"data\":\"x\"}",
	NULL,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_event ev;
	long long a = 0, b = 0, c = 0;
	char err[256];

	if (sm_event_parse(data, size, &ev) != 0)
		return 0;
	(void)sm_event_str(ev.data, "title");
	(void)sm_event_str(ev.root, "occurred_at");
	(void)sm_event_int(ev.data, "seq", &a);
	if (sm_event_ids(&ev, err, sizeof(err), "id", &a, "community_id", &b, "author_id", &c,
	    (char *)NULL) == 0)
		FUZZ_CHECK(a > 0 && b > 0 && c > 0);
	sm_event_fini(&ev);
	return 0;
}
