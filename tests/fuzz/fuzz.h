/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c). Each harness
 * feeds one parser and, where the parser promises something (a file that
 * reads back the same, bytes kept), checks the promise: a broken promise
 * aborts, and libFuzzer keeps the input like any other crash.
 */
#ifndef NDESWIZ_FUZZ_H
#define NDESWIZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: broken promise: " __VA_ARGS__);	\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* The input as a C string: parsers of names and URLs take those. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
