/*
 * UTF-8 and UTF-16LE, one codec for the .reg files, the PowerShell
 * command lines, the answer file check and the TUI's text. Prefixed u8_
 * and u16le_: jansson exports utf8_encode and friends.
 */
#ifndef NDESWIZ_UTF_H
#define NDESWIZ_UTF_H

#include <stddef.h>
#include <stdint.h>

/* The length (1-4) of the well-formed UTF-8 code point at s, stored in
 * *cp, or 0 when s does not start with one (RFC 3629: overlong forms,
 * surrogates, past U+10FFFF, cut short, or len 0). */
size_t u8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* The same, for text that must go on whatever it holds: an ill-formed
 * byte reads as U+FFFD and is one byte long. 0 only when len is 0. */
size_t u8_decode_lax(const unsigned char *s, size_t len, uint32_t *cp);
/* Is all of s well-formed UTF-8? */
int u8_valid(const char *s);
/* c (at most U+10FFFF) as UTF-8 at out; returns the length, 1-4. */
size_t u8_encode(char out[4], uint32_t c);

/* c as UTF-16LE at out; returns the length, 2 or 4. */
size_t u16le_encode(char out[4], uint32_t c);

enum utf16_status {
	UTF16_OK,
	UTF16_ODD,		/* a byte short of a code unit */
	UTF16_SURROGATE		/* a surrogate without its partner */
};
/* The code point at *i of UTF-16LE bytes p[0..len); moves *i past it. */
enum utf16_status u16le_next(const unsigned char *p, size_t len,
    size_t *i, uint32_t *cp);

#endif
