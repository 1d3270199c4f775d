/*
 * A GetCACaps answer: one capability per line (RFC 8894, 3.5.2), matched
 * without regard to case because servers differ in how they spell them.
 */
#include "probe.h"

#include <string.h>
#include <strings.h>

static const struct {
	const char *word;
	unsigned bit;
} cacap_words[] = {
	{ "AES", CACAP_AES },
	{ "DES3", CACAP_DES3 },
	{ "GetNextCACert", CACAP_GETNEXTCACERT },
	{ "POSTPKIOperation", CACAP_POSTPKIOPERATION },
	{ "Renewal", CACAP_RENEWAL },
	{ "SHA-1", CACAP_SHA1 },
	{ "SHA-256", CACAP_SHA256 },
	{ "SHA-512", CACAP_SHA512 },
	{ "SCEPStandard", CACAP_SCEPSTANDARD },
	{ "Update", CACAP_UPDATE },
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\0';
}

void
cacaps_parse(const char *s, size_t len, struct cacaps *c)
{
	size_t i = 0, start, end;

	memset(c, 0, sizeof *c);
	while (i < len) {
		start = i;
		while (i < len && s[i] != '\n')
			i++;
		end = i++;
		while (start < end && is_blank(s[start]))
			start++;
		while (end > start && is_blank(s[end - 1]))
			end--;
		if (start == end)
			continue;
		c->n++;
		for (size_t k = 0; k < nitems(cacap_words); k++) {
			if (strlen(cacap_words[k].word) == end - start &&
			    strncasecmp(cacap_words[k].word, s + start,
			    end - start) == 0) {
				c->known |= cacap_words[k].bit;
				goto next;
			}
		}
		c->unknown++;
next:
		;
	}
}

const char *
cacaps_name(unsigned bit)
{
	for (size_t k = 0; k < nitems(cacap_words); k++)
		if (cacap_words[k].bit == bit)
			return cacap_words[k].word;
	return NULL;
}
