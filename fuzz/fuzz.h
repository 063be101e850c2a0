/*
 * fuzz.h -- what every fuzz target defines: libFuzzer's entry points and a few
 * seed inputs.
 *
 * A target is fuzz/<name>.c.  Built with fuzz/driver.c (what `make check` does,
 * under the sanitizers), it runs its seeds and then a fixed number of random
 * mutations of them, deterministically from a printed seed; built with clang's
 * -fsanitize=fuzzer instead of the driver, libFuzzer drives the same function
 * with coverage feedback (fuzz/README.md).  A target aborts on a property it
 * finds broken, so the sanitizers' crashes and its own both fail the run.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Optional, as in libFuzzer: a target that needs no set-up leaves it out. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The target's name and its seeds (NULL-terminated; LLVMFuzzerInitialize may fill them in). */
extern const char fuzz_name[];
extern const char *fuzz_seeds[];

/* A NUL-terminated copy of data (the caller frees it). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Aborts with a message when cond is false: a property the target checks. */
#define FUZZ_CHECK(cond) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

#endif
