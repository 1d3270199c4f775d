/*
 * Times as Windows and .NET write them, read as seconds since the epoch.
 * The event log, the connector's registry and PowerShell each print a
 * slightly different ISO 8601; one reader with flags serves them all.
 */
#ifndef NDESWIZ_ISOTIME_H
#define NDESWIZ_ISOTIME_H

#include <time.h>

enum {
	ISO_SPACE = 1,         /* a space may stand for the 'T' */
	ISO_ZONE_OPTIONAL = 2, /* no Z and no offset: UTC */
};

/* YYYY-MM-DDThh:mm:ss, an optional fraction (Windows writes 7 digits),
 * then Z or +hh:mm / -hh:mm. 0, or -1 when s is not such a time. */
int iso_time_parse(const char *s, int flags, time_t *out);
/* A broken-down UTC time, each part range-checked. 0 or -1. */
int utc_time(int y, int mo, int d, int h, int mi, int sec, time_t *out);

#endif
