/*
 * driver.c -- runs a fuzz target without libFuzzer (see fuzz.h).
 *
 *   fuzz/fuzz-NAME                 the seeds, then FUZZ_ITERATIONS (default
 *                                  200,000) mutations from seed FUZZ_SEED
 *                                  (default a fixed one), TAP on stdout
 *   fuzz/fuzz-NAME FILE...         each file once (a crash's input again)
 *
 * sm_log is off unless FUZZ_LOG names a level.
 *
 * The one design decision: no coverage feedback, so the mutations stay close
 * to the seeds (one to four edits of a seed, or of a splice of two) and the
 * seeds carry the structure; a deterministic seed makes any failure a
 * reproducible one, and the input that failed is written to fuzz-NAME.crash
 * (by the sanitizers' death callback, or by fuzz_fail).
 */
#include "fuzz.h"
#include "sm_log.h"
#include "sm_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#define MAX_INPUT 4096

static uint64_t state;
static const uint8_t *current;  /* the input in hand, for the crash file */
static size_t current_len;
static char crash[256];

static void
save_crash(void)
{
	FILE *f;

	if (current == NULL || (f = fopen(crash, "wb")) == NULL)
		return;
	fwrite(current, 1, current_len, f);
	fclose(f);
	fprintf(stderr, "the input is in %s (run fuzz/fuzz-%s %s to see it again)\n", crash,
	    fuzz_name, crash);
}

static uint64_t
next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t)(next() % n);
}

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = sm_xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
	save_crash();
	abort();
}

/* Bytes that mean something to one parser or another. */
static const uint8_t special[] = { 0, 0xff, 0x7f, 0x80, 0xc0, 0xc3, 0xe0, 0xed, 0xf0, 0xf4,
	'"', '\\', '{', '}', '[', ']', ':', ',', '.', '-', '+', 'e', '0', '9', '%', '&', '=',
	'/', '?', '#', ' ', '\n', '\r', '\t', 'u', 'n', 't', 'f' };

static size_t
mutate(uint8_t *buf, size_t len, const uint8_t *other, size_t olen)
{
	int edits = 1 + (int)below(4), i;

	for (i = 0; i < edits; i++) {
		size_t at = below(len + 1), n;

		switch (below(8)) {
		case 0:                 /* flip a bit */
			if (len > 0)
				buf[below(len)] ^= (uint8_t)(1u << below(8));
			break;
		case 1:                 /* a random byte */
			if (len > 0)
				buf[below(len)] = (uint8_t)next();
			break;
		case 2:                 /* a meaningful byte */
			if (len > 0)
				buf[below(len)] = special[below(sizeof(special))];
			break;
		case 3:                 /* insert a byte */
			if (len < MAX_INPUT) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = below(2) ? special[below(sizeof(special))] : (uint8_t)next();
				len++;
			}
			break;
		case 4:                 /* delete a run */
			if (len > 0) {
				at = below(len);
				n = 1 + below(len - at < 8 ? len - at : 8);
				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
			}
			break;
		case 5:                 /* repeat a run */
			if (len > 0) {
				at = below(len);
				n = 1 + below(len - at < 16 ? len - at : 16);
				if (len + n <= MAX_INPUT) {
					memmove(buf + at + n, buf + at, len - at);
					len += n;
				}
			}
			break;
		case 6:                 /* splice in a piece of another seed */
			if (olen > 0) {
				size_t from = below(olen);

				n = 1 + below(olen - from);
				if (at + n > MAX_INPUT)
					n = MAX_INPUT - at;
				memcpy(buf + at, other + from, n);
				if (at + n > len)
					len = at + n;
			}
			break;
		default:                /* cut the tail */
			len = at;
			break;
		}
	}
	return len;
}

static void
run_one(const uint8_t *data, size_t len)
{
	current = data;
	current_len = len;
	LLVMFuzzerTestOneInput(data, len);
	current = NULL;
}

static int
run_files(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t len;

		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		printf("%s: ok\n", argv[i]);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static uint8_t buf[MAX_INPUT];
	const char *env;
	size_t nseeds = 0, i, len;
	unsigned long long seed = 0x5eed50d1c0ffeeULL;
	long iterations = 200000, k;

	/* The parsers log what they refuse: 200,000 lines of it say nothing. */
	sm_log_init(argv[0], (env = getenv("FUZZ_LOG")) != NULL ? env : "off");
	if (LLVMFuzzerInitialize != NULL && LLVMFuzzerInitialize(&argc, &argv) != 0)
		return 1;
	if (argc > 1)
		return run_files(argc, argv);
	if ((env = getenv("FUZZ_ITERATIONS")) != NULL)
		iterations = atol(env);
	if ((env = getenv("FUZZ_SEED")) != NULL)
		seed = strtoull(env, NULL, 0);
	state = seed ? seed : 1;
	snprintf(crash, sizeof(crash), "fuzz-%s.crash", fuzz_name);
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_set_death_callback(save_crash);
#endif
	while (fuzz_seeds[nseeds] != NULL)
		nseeds++;

	printf("1..1\n");
	fflush(stdout);
	for (i = 0; i < nseeds; i++)
		run_one((const uint8_t *)fuzz_seeds[i], strlen(fuzz_seeds[i]));
	for (k = 0; k < iterations; k++) {
		const char *s = fuzz_seeds[below(nseeds)], *o = fuzz_seeds[below(nseeds)];

		len = strlen(s);
		memcpy(buf, s, len);
		len = mutate(buf, len, (const uint8_t *)o, strlen(o));
		run_one(buf, len);
	}
	printf("ok 1 - %s: %zu seeds and %ld mutations of them (FUZZ_SEED=%#llx)\n", fuzz_name,
	    nseeds, iterations, seed);
	return 0;
}
