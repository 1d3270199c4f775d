/*
 * The .reg reader, as regedit writes it (UTF-16LE with a BOM) and as
 * people write it (UTF-8). Each input is read as it is and, unless it is
 * UTF-16 already, once more widened to UTF-16LE, so that text mutations
 * reach both decoders. What reads must write canonical text: reading that
 * back gives the same bytes again, in UTF-16 and in UTF-8.
 */
#include "fuzz.h"

#include "regfile.h"
#include "regdb.h"

/* What regdb_format_to hands out, gathered. */
struct gathered {
	unsigned char *p;
	size_t len;
};

static int
gather(void *ctx, const void *data, size_t n)
{
	struct gathered *g = ctx;

	if ((g->p = realloc(g->p, g->len + n)) == NULL)
		abort();
	memcpy(g->p + g->len, data, n);
	g->len += n;
	return 0;
}

/* The text in chunks (streamed into registry.reg) is the same text,
 * wherever they are cut. */
static void
check_chunks(struct regdb *db, const unsigned char *text, size_t n)
{
	struct gathered g = { NULL, 0 };
	size_t chunk = 1 + n % 61;

	FUZZ_CHECK(regdb_format_to(db, chunk, gather, &g) == 0,
	    "regdb_format_to failed");
	FUZZ_CHECK(g.len == n && (n == 0 || memcmp(g.p, text, n) == 0),
	    "chunks of %zu give other bytes (%zu, not %zu)", chunk, g.len, n);
	free(g.p);
}

static void
check_canonical(struct regdb *db)
{
	struct regdb *again = regdb_new();
	unsigned char *text, *text2;
	char err[512], *u8, *u8again;
	size_t n, n2;
	int rc;

	text = regdb_format(db, &n);
	check_chunks(db, text, n);
	rc = regdb_parse(again, "written.reg", text, n, err, sizeof err);
	FUZZ_CHECK(rc == 0, "what was written does not read: %s", err);
	text2 = regdb_format(again, &n2);
	FUZZ_CHECK(n == n2 && memcmp(text, text2, n) == 0, "written text is "
	    "not canonical (%zu then %zu bytes)", n, n2);
	u8 = regdb_format_utf8(db);
	rc = regdb_parse(again, "written-utf8.reg", (unsigned char *)u8,
	    strlen(u8), err, sizeof err);
	FUZZ_CHECK(rc == 0, "the UTF-8 text does not read: %s", err);
	u8again = regdb_format_utf8(again);
	FUZZ_CHECK(strcmp(u8, u8again) == 0, "the UTF-8 text does not "
	    "read back the same");
	free(u8again);
	free(u8);
	free(text2);
	free(text);
	regdb_free(again);
}

static void
one(const unsigned char *data, size_t size)
{
	struct regdb *db = regdb_new();
	char err[512];

	if (regdb_parse(db, "fuzz.reg", data, size, err, sizeof err) == 0)
		check_canonical(db);
	regdb_free(db);
}

/* BOM, then each byte as a UTF-16 code unit (Latin-1, as it were). */
static unsigned char *
widen(const uint8_t *data, size_t size, size_t *n)
{
	unsigned char *w = malloc(2 * size + 2);

	if (w == NULL)
		abort();
	w[0] = 0xff;
	w[1] = 0xfe;
	for (size_t i = 0; i < size; i++) {
		w[2 + 2 * i] = data[i];
		w[3 + 2 * i] = 0;
	}
	*n = 2 * size + 2;
	return w;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *w;
	size_t n;

	one(data, size);
	if (size >= 2 && data[0] == 0xff && data[1] == 0xfe)
		return 0;
	w = widen(data, size, &n);
	one(w, n);
	free(w);
	return 0;
}
