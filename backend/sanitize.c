/* One sanitiser for every human output: see sanitize.h. */
#include "sanitize.h"
#include "util.h"

#include <string.h>

/* Code points that reorder what follows: embeddings, overrides, isolates,
 * marks. Shown, never obeyed. */
static int
is_bidi(unsigned cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the well-formed UTF-8 sequence at s (0: not one), and its
 * code point. */
static size_t
utf8_seq(const unsigned char *s, unsigned *cp)
{
	size_t n;
	unsigned min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, *cp = s[0] & 0x1F, min = 0x80;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, *cp = s[0] & 0x0F, min = 0x800;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, *cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

char *
sanitize(const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = {0};

	if (s == NULL)
		return NULL;
	if (flags & SAN_NAGIOS)
		flags |= SAN_LINE;
	buf_adds(&b, "");
	while (*p != '\0') {
		unsigned cp;
		size_t n = utf8_seq(p, &cp);

		if (n == 0)
			buf_addf(&b, "\\x%02x", *p++);
		else if ((cp == '\n' || cp == '\t' || cp == '\r') &&
		    (flags & SAN_LINE))
			buf_addc(&b, ' ');
		else if (cp == '\n' || cp == '\t')
			buf_addc(&b, (char)cp);
		else if (cp < 0x20 || cp == 0x7F)
			buf_addf(&b, "\\x%02x", cp);
		else if (cp >= 0x80 && cp <= 0x9F)
			buf_addf(&b, "\\u%04X", cp);
		else if (is_bidi(cp))
			buf_addf(&b, "\\u%04X", cp);
		else if (cp == '|' && (flags & SAN_NAGIOS))
			buf_addc(&b, '/');
		else
			buf_add(&b, p, n);
		p += n ? n : 0;
	}
	return buf_steal(&b);
}
