#include "isotime.h"

#include <stdio.h>
#include <string.h>

int
utc_time(int y, int mo, int d, int h, int mi, int sec, time_t *out)
{
	struct tm tm = {0};
	time_t t;

	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

int
iso_time_parse(const char *s, int flags, time_t *out)
{
	int y, mo, d, h, mi, sec, n = 0, oh, om;
	char sep;
	long off = 0;
	const char *p;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d,
	    &sep, &h, &mi, &sec, &n) != 7 || n != 19)
		return -1;
	if (sep != 'T' && !(sep == ' ' && (flags & ISO_SPACE)))
		return -1;
	p = s + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (strcmp(p, "Z") == 0 ||
	    (*p == '\0' && (flags & ISO_ZONE_OPTIONAL)))
		;
	else if ((p[0] == '+' || p[0] == '-') && sscanf(p + 1, "%2d:%2d%n",
	    &oh, &om, &n) == 2 && n == 5 && p[6] == '\0' && oh < 24 &&
	    om < 60 && oh >= 0 && om >= 0)
		off = (p[0] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
	else
		return -1;
	if (utc_time(y, mo, d, h, mi, sec, out) != 0)
		return -1;
	*out -= off;
	return 0;
}
