/*
 * UTF-8 (RFC 3629) and UTF-16LE (RFC 2781) code points, nothing more: the
 * callers own their buffers and their error messages.
 */
#include "utf.h"

#include <string.h>

#define nelem(a) (sizeof(a) / sizeof((a)[0]))

size_t
u8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const struct {
		unsigned char mask, lead;
		uint32_t min;
	} t[] = {
		{ 0x80, 0x00, 0 },
		{ 0xe0, 0xc0, 0x80 },
		{ 0xf0, 0xe0, 0x800 },
		{ 0xf8, 0xf0, 0x10000 },
	};
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	for (n = 0; n < nelem(t); n++)
		if ((s[0] & t[n].mask) == t[n].lead)
			break;
	if (n == nelem(t) || len < n + 1)
		return 0;
	c = s[0] & (unsigned char)~t[n].mask;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < t[n].min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n + 1;
}

size_t
u8_decode_lax(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;

	if (len == 0)
		return 0;
	if ((n = u8_decode(s, len, cp)) != 0)
		return n;
	*cp = 0xfffd;
	return 1;
}

int
u8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n;
	uint32_t c;

	for (; len > 0; p += n, len -= n)
		if ((n = u8_decode(p, len, &c)) == 0)
			return 0;
	return 1;
}

size_t
u8_encode(char out[4], uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

size_t
u16le_encode(char out[4], uint32_t c)
{
	uint32_t hi, lo;

	if (c < 0x10000) {
		out[0] = (char)(c & 0xff);
		out[1] = (char)(c >> 8);
		return 2;
	}
	hi = 0xd800 | (c - 0x10000) >> 10;
	lo = 0xdc00 | ((c - 0x10000) & 0x3ff);
	out[0] = (char)(hi & 0xff);
	out[1] = (char)(hi >> 8);
	out[2] = (char)(lo & 0xff);
	out[3] = (char)(lo >> 8);
	return 4;
}

enum utf16_status
u16le_next(const unsigned char *p, size_t len, size_t *i, uint32_t *cp)
{
	uint32_t hi, lo;

	if (len - *i < 2)
		return UTF16_ODD;
	hi = p[*i] | (uint32_t)p[*i + 1] << 8;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return UTF16_SURROGATE;
	if (hi < 0xd800 || hi > 0xdbff) {
		*i += 2;
		*cp = hi;
		return UTF16_OK;
	}
	if (len - *i < 4)
		return len - *i == 3 ? UTF16_ODD : UTF16_SURROGATE;
	lo = p[*i + 2] | (uint32_t)p[*i + 3] << 8;
	if (lo < 0xdc00 || lo > 0xdfff)
		return UTF16_SURROGATE;
	*i += 4;
	*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	return UTF16_OK;
}
