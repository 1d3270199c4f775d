/*
 * The GetCACert parser: one DER certificate (application/x-x509-ca-cert)
 * or a degenerate PKCS#7 SignedData (application/x-x509-ca-ra-cert). The
 * first byte picks the content type, the rest is the body; the seeds are
 * real answers, so both decoders see well-formed input to mutate.
 */
#include "fuzz.h"

#include "probe.h"

static const char *const types[] = {
	"application/x-x509-ca-cert",
	"application/x-x509-ca-ra-cert",
	"Application/X-X509-CA-RA-Cert; charset=binary",
	"text/html",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cacert_list l;
	char err[512];
	/* A fixed "now", so that a run is repeatable. */
	time_t now = 1767225600;

	if (size == 0)
		return 0;
	if (cacert_parse(types[data[0] % 4], data + 1, size - 1, now, &l, err,
	    sizeof err) == 0) {
		FUZZ_CHECK(l.n > 0, "parsed, but no certificate");
		for (size_t i = 0; i < l.n; i++)
			FUZZ_CHECK(l.v[i].subject != NULL &&
			    l.v[i].issuer != NULL, "entry %zu without names",
			    i);
		cacert_free(&l);
	} else
		FUZZ_CHECK(l.n == 0 && l.v == NULL, "failed, but kept %zu "
		    "entries", l.n);
	return 0;
}
