/*
 * The GetCACaps parser: a server's answer, one capability per line. The
 * counts it gives must agree with each other.
 */
#include "fuzz.h"

#include "probe.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cacaps c;
	size_t bits = 0;

	cacaps_parse((const char *)data, size, &c);
	for (unsigned b = 1; b != 0; b <<= 1)
		if (c.known & b) {
			FUZZ_CHECK(cacaps_name(b) != NULL, "bit %#x has no "
			    "name", b);
			bits++;
		}
	FUZZ_CHECK(c.unknown <= c.n && bits <= c.n - c.unknown,
	    "%zu lines, %zu unknown, %zu known", c.n, c.unknown, bits);
	return 0;
}
