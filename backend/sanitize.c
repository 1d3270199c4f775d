/* Terminal-safe copies of outside text (see sanitize.h). */
#include "sanitize.h"
#include "util.h"

#include <string.h>

/* Length of the UTF-8 sequence at p and its code point, or 0 when the
 * bytes are not a well-formed, shortest-form sequence. */
static size_t
utf8_decode(const unsigned char *p, unsigned long *cp)
{
	static const struct {
		unsigned char mask, lead;
		size_t len;
		unsigned long min;
	} forms[] = {
		{ 0xe0, 0xc0, 2, 0x80 },
		{ 0xf0, 0xe0, 3, 0x800 },
		{ 0xf8, 0xf0, 4, 0x10000 },
	};

	for (size_t f = 0; f < nitems(forms); f++) {
		if ((p[0] & forms[f].mask) != forms[f].lead)
			continue;
		*cp = p[0] & (unsigned char)~forms[f].mask;
		for (size_t i = 1; i < forms[f].len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			*cp = *cp << 6 | (p[i] & 0x3f);
		}
		if (*cp < forms[f].min || *cp > 0x10ffff ||
		    (*cp >= 0xd800 && *cp <= 0xdfff))
			return 0;
		return forms[f].len;
	}
	return 0;
}

static int
unsafe_code_point(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

char *
sanitize_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = {0};
	unsigned long cp;
	size_t n;

	if (s == NULL)
		return NULL;
	while (*p != '\0') {
		if (*p == '\t' || *p == '\r' || *p == '\n') {
			buf_addc(&b, ' ');
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_addc(&b, '?');
			p++;
		} else if (*p < 0x80) {
			buf_addc(&b, (char)*p++);
		} else if ((n = utf8_decode(p, &cp)) == 0) {
			buf_addc(&b, '?');
			p++;
		} else {
			if (unsafe_code_point(cp))
				buf_addc(&b, '?');
			else
				buf_add(&b, p, n);
			p += n;
		}
	}
	return buf_steal(&b);
}
