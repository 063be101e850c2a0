/*
 * cursor.c -- fuzz target: sm_cursor_decode, which reads ?cursor= from any
 * client.  Properties: a cursor it accepts is a position >= 0, and the
 * cursor made for that position decodes to it again.
 */
#include "fuzz.h"
#include "sm_cursor.h"
#include "sm_pool.h"

#include <sodium.h>
#include <stdlib.h>

const char fuzz_name[] = "cursor";
const char *fuzz_seeds[] = {
	"cC40Mg", "cC45MjIzMzcyMDM2ODU0Nzc1ODA3", "cC4w", "cC4tMQ", "cC4", "cC4xMjM0NTY3ODkw",
	"cC5h", "eC40Mg", "cC40Mg==", "", "cC40Mg%3D",
	NULL,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return sodium_init() < 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	long long v = -1, again = -1;

	if (sm_cursor_decode("p", s, &v) == 0) {
		struct sm_pool *pool = sm_pool_new(0);

		FUZZ_CHECK(v >= 0);
		FUZZ_CHECK(sm_cursor_decode("p", sm_cursor_encode(pool, "p", v), &again) == 0);
		FUZZ_CHECK(again == v);
		FUZZ_CHECK(sm_cursor_decode("q", s, &again) != 0);
		sm_pool_free(pool);
	}
	free(s);
	return 0;
}
