/*
 * jwt.c -- fuzz target: sm_jwt_verify, which reads every Authorization
 * header.  Properties: nothing it is handed verifies unless it is the token
 * we issued (a mutation that still verifies is a forgery), and the cached
 * path answers what the plain one does.
 */
#include "fuzz.h"
#include "sm_conf.h"
#include "sm_crypto.h"
#include "sm_jwt.h"

#include <stdlib.h>
#include <string.h>

#define NOW 1800000000

const char fuzz_name[] = "jwt";
static struct sm_jwt jwt;
static char *issued;

/* The first seed becomes the token we issue (LLVMFuzzerInitialize). */
const char *fuzz_seeds[] = {
	"",
	"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiI0MiJ9.",
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImV4cCI6OTk5OTk5OTk5OX0.c2ln",
	"eyJhbGciOiJSUzI1NiJ9.e30.AAAA",
	"a.b.c", "..", "Bearer x",
	NULL,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sm_conf *c = sm_conf_parse("[jwt]\nsecret = 0123456789abcdef0123456789abcdef\n"
	    "access_ttl = 900\n");

	(void)argc;
	(void)argv;
	if (c == NULL || sm_crypto_init(c) != 0 || sm_jwt_init(&jwt, c) != 0)
		abort();
	sm_conf_free(c);
	if ((issued = sm_jwt_issue(&jwt, 42, NOW)) == NULL)
		abort();
	fuzz_seeds[0] = issued;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *token = fuzz_cstr(data, size);
	long long id = 0, cached_id = 0;
	enum sm_jwt_result r = sm_jwt_verify(&jwt, token, NOW + 1, &id);

	FUZZ_CHECK(r != SM_JWT_OK || (strcmp(token, issued) == 0 && id == 42));
	FUZZ_CHECK(sm_jwt_verify_cached(&jwt, token, NOW + 1, &cached_id) == r);
	FUZZ_CHECK(r != SM_JWT_OK || cached_id == id);
	free(token);
	return 0;
}
