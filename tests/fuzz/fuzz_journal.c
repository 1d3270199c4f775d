/*
 * The journal reader, as rollback and the unfinished-run guard read it.
 * A journal is state anyone with the target in hand can edit: whatever
 * it holds, the reader must not crash, and it must either accept every
 * record or name the first damaged line (journal:LINE: damaged) within
 * the input's lines.
 */
#include "fuzz.h"

#include "journal.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	size_t lines = 1, line = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (journal_scan_text((const char *)data, size, err, sizeof err) != 0) {
		FUZZ_CHECK(sscanf(err, "journal:%zu: damaged", &line) == 1,
		    "damage reported as '%s'", err);
		FUZZ_CHECK(line >= 1 && line <= lines, "damage at line %zu of "
		    "%zu", line, lines);
	}
	return 0;
}
