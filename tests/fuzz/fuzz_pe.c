/*
 * A connector installer as ndeswiz reads it before it trusts it: the PE
 * layout (pe.c), the version resource, and the POSIX Authenticode check
 * of a file with a certificate table (authenticode-posix.c: the
 * WIN_CERTIFICATE, its PKCS#7, the image digest). An admin names the
 * file; a download cut short or a tampered one must be refused, never
 * read past its end. The layout promises what the digest relies on.
 */
#include "fuzz.h"

#include "authenticode.h"
#include "pe.h"

static void
check_layout(const struct pe_layout *l, size_t size)
{
	FUZZ_CHECK(l->checksum_off + 4 <= size, "CheckSum at %zu of %zu",
	    l->checksum_off, size);
	FUZZ_CHECK(l->secdir_off + 8 <= size, "directory 4 at %zu of %zu",
	    l->secdir_off, size);
	if (l->cert_len == 0) {
		FUZZ_CHECK(l->cert_off == 0, "no table, yet at %zu",
		    l->cert_off);
		return;
	}
	/* The digest covers everything before the table, which ends the
	 * file and lies past the headers it skips. */
	FUZZ_CHECK(l->cert_off >= l->secdir_off + 8, "table at %zu inside "
	    "the headers (directory at %zu)", l->cert_off, l->secdir_off);
	FUZZ_CHECK(l->cert_off + l->cert_len == size, "table %zu+%zu, "
	    "file %zu", l->cert_off, l->cert_len, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pe_layout l;
	struct authenticode ac;
	enum authenticode_result r;
	char why[512] = "", version[64];

	if (pe_product_version(data, size, version, sizeof version) == 0)
		FUZZ_CHECK(strchr(version, '.') != NULL, "version '%s'",
		    version);
	if (pe_layout(data, size, &l, why, sizeof why) != 0) {
		FUZZ_CHECK(why[0] != '\0', "refused without a reason");
		return 0;
	}
	check_layout(&l, size);
	if (l.cert_len == 0)
		return 0;
	memset(&ac, 0, sizeof ac);
	why[0] = '\0';
	r = authenticode_verify("fuzz.exe", data, &l, &ac, why, sizeof why);
	FUZZ_CHECK(r <= AC_NOT_MICROSOFT, "verdict %d", (int)r);
	FUZZ_CHECK(r == AC_OK || why[0] != '\0', "verdict %d without a "
	    "reason", (int)r);
	FUZZ_CHECK(memchr(ac.publisher, '\0', sizeof ac.publisher) != NULL &&
	    memchr(ac.signer, '\0', sizeof ac.signer) != NULL, "names not "
	    "terminated");
	return 0;
}
