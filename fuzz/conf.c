/*
 * conf.c -- fuzz target: sm_conf_parse, the INI reader of somoim.conf.  The file
 * is the operator's, but a typo must give a clear refusal, never a crash.
 * Property: a key it read can be read back as an integer or refused, nothing else.
 */
#include "fuzz.h"
#include "sm_conf.h"

#include <stdlib.h>

const char fuzz_name[] = "conf";
const char *fuzz_seeds[] = {
	"# somoim.conf\n[jwt]\nsecret = 0123456789abcdef\naccess_ttl = 900\n\n[user]\nworkers=2\n",
	"[kafka]\nbrokers = 127.0.0.1:9092 ; comment\n[a.b-c]\nk = \"quoted value\"\n",
	"key without section = 1\n[]\n[x\n=\n",
	NULL,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct sm_conf *c = sm_conf_parse(text);
	long long v = 0;

	if (c != NULL) {
		(void)sm_conf_get(c, "jwt", "secret", NULL);
		(void)sm_conf_int(c, "jwt", "access_ttl", 900, 1, 86400, &v);
		(void)sm_conf_int(c, "user", "workers", 2, 1, 64, &v);
		sm_conf_free(c);
	}
	free(text);
	return 0;
}
