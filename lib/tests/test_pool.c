/* test_pool.c -- per-request memory: alignment, large blocks, cleanups, reset. */
#include "test.h"
#include "sm_pool.h"

#include <string.h>

static int cleaned;

static void
count_cleanup(void *arg)
{
	cleaned += *(int *)arg;
}

static void
allocations_are_aligned_and_zeroed(void **state)
{
	struct sm_pool *p = sm_pool_new(1024);
	int i;

	for (i = 0; i < 200; i++) {
		char *m = sm_pool_alloc(p, (size_t)i + 1);

		assert_int_equal((uintptr_t)m % _Alignof(max_align_t), 0);
		assert_int_equal(m[i], 0);
		memset(m, 'x', (size_t)i + 1);
	}
	sm_pool_free(p);
}

static void
large_blocks_and_reset(void **state)
{
	struct sm_pool *p = sm_pool_new(1024);
	char *big = sm_pool_alloc(p, 100000);
	int i;

	big[99999] = 1;
	for (i = 0; i < 3; i++) {
		sm_pool_reset(p);
		assert_non_null(sm_pool_alloc(p, 5000));
		assert_non_null(sm_pool_alloc(p, 10));
	}
	sm_pool_free(p);
}

static void
strings_and_cleanups(void **state)
{
	struct sm_pool *p = sm_pool_new(0);
	int one = 1, ten = 10;

	assert_string_equal(sm_pool_strdup(p, "등산 모임"), "등산 모임");
	assert_string_equal(sm_pool_strndup(p, "abcdef", 3), "abc");
	assert_string_equal(sm_pool_printf(p, "%s-%d", "user", 2), "user-2");
	cleaned = 0;
	sm_pool_cleanup(p, count_cleanup, &one);
	sm_pool_cleanup(p, count_cleanup, &ten);
	sm_pool_reset(p);
	assert_int_equal(cleaned, 11);
	sm_pool_cleanup(p, count_cleanup, &one);
	sm_pool_free(p);
	assert_int_equal(cleaned, 12);
	sm_pool_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocations_are_aligned_and_zeroed),
		cmocka_unit_test(large_blocks_and_reset),
		cmocka_unit_test(strings_and_cleanups),
	};

	return RUN_TESTS("pool", tests);
}
