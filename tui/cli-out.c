/* The command line's stderr: one place that prefixes and sanitises. */
#include "cli-out.h"
#include "sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void
say(const char *prefix, const char *fmt, va_list ap)
{
	char *raw = xvasprintf(fmt, ap), *safe = sanitize(raw, 0);

	fprintf(stderr, "%s%s", prefix, safe);
	fflush(stderr);
	free(safe);
	free(raw);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("ndeswiz: ", fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

void
cli_progress(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("\r", fmt, ap);
	va_end(ap);
	fputs("\033[K", stderr);
}
