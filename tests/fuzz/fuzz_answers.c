/*
 * The answer-file loader, through the field table's validation. What loads
 * must also survive what the program does next with it: the steps' pure
 * validation, and export, whose text must load back to the same answers.
 */
#include "fuzz.h"

#include "answers.h"
#include "finding.h"
#include "step.h"

/* Validation is pure (design.md): answers to findings, no host, no file
 * opened, so every step's may run on whatever the fuzzer makes up. */
static void
validate(const struct answers *a)
{
	struct findings f = {0};

	steps_validate(a, &f);
	findings_free(&f);
}

static void
roundtrip(const struct answers *a)
{
	struct answers again;
	char err[1024], *text = answerfile_format(a);
	int rc;

	answers_init(&again);
	rc = answerfile_load_buffer(&again, "export.ini", text, strlen(text),
	    err, sizeof err);
	FUZZ_CHECK(rc == 0, "the export does not load: %s", err);
	FUZZ_CHECK(answers_equal(a, &again), "the export loads to other "
	    "answers");
	answers_free(&again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct answers a;
	char err[1024];

	answers_init(&a);
	if (answerfile_load_buffer(&a, "fuzz.ini", (const char *)data, size,
	    err, sizeof err) == 0) {
		steps_derive(&a);
		validate(&a);
		roundtrip(&a);
	} else
		FUZZ_CHECK(strncmp(err, "fuzz.ini:", 9) == 0, "an error "
		    "without FILE:LINE: %s", err);
	answers_free(&a);
	return 0;
}
