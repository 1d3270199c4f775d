/* PE files: the layout Authenticode hashes, and the version resource. */
#include "pe.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int
pe_layout(const unsigned char *d, size_t n, struct pe_layout *l, char *why,
    size_t len)
{
	size_t pe, opt, dirs;
	uint16_t magic;
	uint32_t ndirs;

	memset(l, 0, sizeof *l);
	if (n < 0x40) {
		snprintf(why, len, "not a Windows program (%zu bytes: shorter "
		    "than a DOS header)", n);
		return -1;
	}
	if (d[0] != 'M' || d[1] != 'Z') {
		snprintf(why, len, "not a Windows program (no MZ header)");
		return -1;
	}
	pe = le32(d + 0x3c);
	if (pe > n - 24 || memcmp(d + pe, "PE\0\0", 4) != 0) {
		snprintf(why, len, "not a Windows program (no PE header)");
		return -1;
	}
	opt = pe + 24;
	if (opt + 2 > n) {
		snprintf(why, len, "truncated PE header");
		return -1;
	}
	/* PE32 and PE32+ differ in where the data directories start. */
	magic = le16(d + opt);
	if (magic != 0x10b && magic != 0x20b) {
		snprintf(why, len, "unknown optional header (0x%x)", magic);
		return -1;
	}
	dirs = opt + (magic == 0x10b ? 96 : 112);
	if (dirs + 5 * 8 > n) {
		snprintf(why, len, "truncated PE header");
		return -1;
	}
	ndirs = le32(d + dirs - 4);
	l->checksum_off = opt + 64;
	l->secdir_off = dirs + 4 * 8;
	if (ndirs < 5)
		return 0;
	l->cert_off = le32(d + l->secdir_off);
	l->cert_len = le32(d + l->secdir_off + 4);
	if (l->cert_len == 0 || l->cert_off == 0) {
		l->cert_off = l->cert_len = 0;
		return 0;
	}
	/* The table must lie past the headers and end the file (the
	 * Authenticode hash covers everything before it). */
	if (l->cert_off < l->secdir_off + 8 || l->cert_off > n ||
	    l->cert_len > n - l->cert_off || l->cert_off + l->cert_len != n) {
		snprintf(why, len, "the certificate table (offset %zu, %zu "
		    "bytes) does not end the file", l->cert_off, l->cert_len);
		return -1;
	}
	return 0;
}

int
pe_product_version(const unsigned char *d, size_t n, char *out, size_t len)
{
	/* VS_FIXEDFILEINFO: dwSignature, dwStrucVersion, file MS/LS,
	 * product MS/LS. Its signature is searched for: the resource tree
	 * leads to it, but it is unique enough in practice. */
	static const unsigned char sig[] = { 0xbd, 0x04, 0xef, 0xfe };

	for (size_t i = 0; i + 24 <= n; i++) {
		uint32_t ms, ls;

		if (memcmp(d + i, sig, 4) != 0)
			continue;
		ms = le32(d + i + 16);
		ls = le32(d + i + 20);
		snprintf(out, len, "%u.%u.%u.%u", ms >> 16, ms & 0xffff,
		    ls >> 16, ls & 0xffff);
		return 0;
	}
	return -1;
}
