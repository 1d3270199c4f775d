/*
 * Issue 14 item 8 (first half): which certificates in My are NDES's RA
 * certificates. Table-driven through the ndes step's inspection: the v1
 * template name, or a v2 template (its OID extension) with the
 * Certificate Request Agent EKU and the one key usage of the template's
 * purpose.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* certgen.h is a kit: this test uses part of it. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "certgen.h"
#include "memhost.h"
#include "step.h"
#include "x509check.h"

extern const struct step step_ndes;

#define AGENT "1.3.6.1.4.1.311.20.2.1"

enum { V1_EA = 1, V1_CEP, V2 };

static const struct ra_case {
	const char *name;
	int kind;            /* V1_EA, V1_CEP, V2, 0: no template ext */
	const char *eku, *ku;
	int ea, cep;         /* recognised as EnrollmentAgentOffline, CEP */
} cases[] = {
	{ "v1 EnrollmentAgentOffline", V1_EA, AGENT, "digitalSignature",
	  1, 0 },
	{ "v1 CEPEncryption", V1_CEP, AGENT, "keyEncipherment", 0, 1 },
	{ "v2 agent, signature", V2, AGENT, "digitalSignature", 1, 0 },
	{ "v2 agent, encipherment", V2, AGENT, "keyEncipherment", 0, 1 },
	{ "v2 agent, both usages", V2, AGENT,
	  "digitalSignature,keyEncipherment", 0, 0 },
	{ "v2 agent, no key usage", V2, AGENT, NULL, 0, 0 },
	{ "v2 without the agent EKU", V2, "clientAuth", "digitalSignature",
	  0, 0 },
	{ "agent EKU, no template", 0, AGENT, "digitalSignature", 0, 0 },
};

/* DER of the extension value. v1: a BMPString name; v2: SEQUENCE {
 * OID 1.3.6.1.4.1.311.21.8.1.2, INTEGER 100, INTEGER 0 }. */
static void
add_template_ext(X509 *x, EVP_PKEY *key, int kind)
{
	static const unsigned char v2[] = {
		0x30, 0x13, 0x06, 0x0b, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82,
		0x37, 0x15, 0x08, 0x01, 0x02, 0x02, 0x01, 0x64, 0x02, 0x01,
		0x00,
	};
	const char *name = kind == V1_EA ? "EnrollmentAgentOffline" :
	    "CEPEncryption";
	unsigned char der[128];
	size_t n = 0, len = strlen(name);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	ASN1_OBJECT *obj = OBJ_txt2obj(kind == V2 ?
	    "1.3.6.1.4.1.311.21.7" : "1.3.6.1.4.1.311.20.2", 1);
	X509_EXTENSION *ext;

	if (kind == V2) {
		memcpy(der, v2, sizeof v2);
		n = sizeof v2;
	} else {
		der[n++] = 0x1e;
		der[n++] = (unsigned char)(2 * len);
		for (size_t i = 0; i < len; i++) {
			der[n++] = 0;
			der[n++] = (unsigned char)name[i];
		}
	}
	ASN1_OCTET_STRING_set(os, der, (int)n);
	ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	X509_EXTENSION_free(ext);
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(os);
}

static void
put(struct host *h, enum res_kind k, const char *path, const char *name,
    const char *v)
{
	char err[256];

	if (host_set(h, k, path, name, v, err, sizeof err) != 0)
		fail_msg("%s: %s", path, err);
}

static int
valid_ra(const struct findings *f, const char *tmpl)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, "ndes.ra-cert") == 0 &&
		    strstr(f->v[i].message, tmpl) != NULL)
			return 1;
	return 0;
}

static void
test_ra_cert_kinds(void **state)
{
	EVP_PKEY *key = certgen_ec("P-256");

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct ra_case *c = &cases[i];
		struct certspec s = {
			.cn = "NDES01-MSCEP-RA", .eku = c->eku, .ku = c->ku,
			.from_days = -1, .to_days = 365,
		};
		X509 *x = certgen_cert(&s, key);
		char thumb[X509CHECK_THUMB_LEN + 1], *pem;
		struct host *h = memhost_new();
		struct answers a;
		struct findings f = {0};
		char err[512];

		if (c->kind != 0)
			add_template_ext(x, key, c->kind);
		assert_int_equal(x509check_thumbprint(x, thumb), 0);
		pem = certgen_pem(x, key);
		put(h, RES_ROLE, "ADCS-Device-Enrollment", NULL, "present");
		put(h, RES_CERT, "My", thumb, pem);
		answers_init(&a);
		if (answerfile_load(&a, "assets/examples/contoso.ini", err,
		    sizeof err) != 0)
			fail_msg("%s", err);
		step_ndes.inspect(h, &a, &f);
		if (valid_ra(&f, "EnrollmentAgentOffline") != c->ea ||
		    valid_ra(&f, "CEPEncryption") != c->cep)
			fail_msg("%s: EnrollmentAgentOffline %d, CEPEncryption "
			    "%d", c->name, valid_ra(&f,
			    "EnrollmentAgentOffline"), valid_ra(&f,
			    "CEPEncryption"));
		findings_free(&f);
		answers_free(&a);
		free(pem);
		memhost_free(h);
		X509_free(x);
	}
	EVP_PKEY_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ra_cert_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
