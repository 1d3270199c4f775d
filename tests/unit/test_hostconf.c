/*
 * Host-driver conformance: one set of cases every driver must pass. The
 * POSIX suite runs them against the dir driver (a target made from the
 * ws2022-fresh profile); the Windows build runs the very same file
 * against the win32 driver under Wine (tests/win/run), on Wine's registry,
 * certificate stores and WinHTTP settings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <openssl/sha.h>
#include <unistd.h>

/* certgen.h is static helpers; this test needs only some of them. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "certgen.h"
#include "certio.h"
#include "host/host.h"
#include "host/regfile.h"
#include "journal.h"
#include "plan.h"
#include "util.h"

#define KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\ndeswiz-conformance"
#define SUBKEY KEY "\\Sub"

static char *work;

#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wincrypt.h>

/* Wine's crypt32 cannot export a private key (PFXExportCertStoreEx with
 * EXPORT_PRIVATE_KEYS fails), so there the key cannot come back. */
static int
key_export_works(void)
{
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");

	return nt == NULL || GetProcAddress(nt, "wine_get_version") == NULL;
}

/* Where the key cannot come back, it must still be there: the store's
 * certificate names a key container whose private key signs, and the
 * signature verifies with the certificate's public key (so it is that
 * certificate's key). Wine's crypt32 records the container without
 * CRYPT_MACHINE_KEYSET and with key spec 3 (AT_KEYEXCHANGE |
 * AT_SIGNATURE), so each is tried as recorded, then as imported: the
 * machine keyset, AT_KEYEXCHANGE. */
static void
assert_store_key_signs(const char *thumb, X509 *x)
{
	static const unsigned char data[] = "ndeswiz conformance";
	unsigned char hash[20], sig[1024], md[SHA_DIGEST_LENGTH];
	CRYPT_HASH_BLOB blob = { sizeof hash, hash };
	HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0,
	    CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_READONLY_FLAG, "My");
	PCCERT_CONTEXT c;
	CRYPT_KEY_PROV_INFO *info;
	HCRYPTPROV prov = 0;
	HCRYPTHASH hh = 0;
	DWORD spec, n = 0;
	EVP_PKEY_CTX *ctx;

	assert_non_null(s);
	for (int i = 0; i < 20; i++)
		assert_int_equal(sscanf(thumb + 2 * i, "%2hhx", &hash[i]), 1);
	c = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0,
	    CERT_FIND_SHA1_HASH, &blob, NULL);
	assert_non_null(c);
	/* The key the certificate names, in the container it names. */
	assert_true(CertGetCertificateContextProperty(c,
	    CERT_KEY_PROV_INFO_PROP_ID, NULL, &n));
	info = malloc(n);
	assert_non_null(info);
	assert_true(CertGetCertificateContextProperty(c,
	    CERT_KEY_PROV_INFO_PROP_ID, info, &n));
	spec = info->dwKeySpec;
	if (!CryptAcquireContextW(&prov, info->pwszContainerName,
	    info->pwszProvName, info->dwProvType,
	    (info->dwFlags & CRYPT_MACHINE_KEYSET) | CRYPT_SILENT) &&
	    !CryptAcquireContextW(&prov, info->pwszContainerName,
	    info->pwszProvName, info->dwProvType,
	    CRYPT_MACHINE_KEYSET | CRYPT_SILENT))
		fail_msg("CryptAcquireContext(%ls, %ls, %lu, %#lx): error %#lx",
		    info->pwszContainerName, info->pwszProvName,
		    (unsigned long)info->dwProvType,
		    (unsigned long)info->dwFlags,
		    (unsigned long)GetLastError());
	free(info);
	n = sizeof sig;
	assert_true(CryptCreateHash(prov, CALG_SHA1, 0, 0, &hh));
	assert_true(CryptHashData(hh, data, sizeof data, 0));
	if (!CryptSignHashW(hh, spec, NULL, 0, sig, &n) &&
	    !CryptSignHashW(hh, AT_KEYEXCHANGE, NULL, 0, sig, &n))
		fail_msg("CryptSignHash(spec %lu): error %#lx",
		    (unsigned long)spec, (unsigned long)GetLastError());
	/* CryptoAPI gives the signature little-endian. */
	for (DWORD i = 0; i < n / 2; i++) {
		unsigned char t = sig[i];

		sig[i] = sig[n - 1 - i];
		sig[n - 1 - i] = t;
	}
	SHA1(data, sizeof data, md);
	ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(x), NULL);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_verify_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha1()), 1);
	assert_int_equal(EVP_PKEY_verify(ctx, sig, n, md, sizeof md), 1);
	EVP_PKEY_CTX_free(ctx);
	CryptDestroyHash(hh);
	CryptReleaseContext(prov, 0);
	CertFreeCertificateContext(c);
	CertCloseStore(s, 0);
}
#else
static int
key_export_works(void)
{
	return 1;
}

static void
assert_store_key_signs(const char *thumb, X509 *x)
{
	(void)thumb;
	(void)x;
	fail_msg("only the Windows build cannot export a key");
}
#endif

/* A fresh host: a new dir target, or the live machine with a state
 * folder of the test's own. */
static struct host *
open_host(void)
{
	char err[512], *where;
	struct host *h;

#ifdef _WIN32
	where = xasprintf("%s/state", work);
	h = host_open_with(&host_win32_ops, where, err, sizeof err);
#else
	where = xasprintf("%s/target", work);
	if (!dir_exists(where))
		assert_int_equal(host_dir_create(where,
		    "assets/hosts/ws2022-fresh", err, sizeof err), 0);
	h = host_open_with(&host_dir_ops, where, err, sizeof err);
#endif
	if (h == NULL)
		fail_msg("cannot open the host: %s", err);
	free(where);
	return h;
}

static char *
get(struct host *h, enum res_kind k, const char *path, const char *name)
{
	char err[512], *v = NULL;

	if (host_get(h, k, path, name, &v, err, sizeof err) != 0)
		fail_msg("get %s %s %s: %s", res_kind_name(k), path,
		    name ? name : "", err);
	return v;
}

static void
set(struct host *h, enum res_kind k, const char *path, const char *name,
    const char *v)
{
	char err[512];

	if (host_set(h, k, path, name, v, err, sizeof err) != 0)
		fail_msg("set %s %s %s: %s", res_kind_name(k), path,
		    name ? name : "", err);
}

static void
expect(struct host *h, enum res_kind k, const char *path, const char *name,
    const char *want)
{
	char *v = get(h, k, path, name);

	if (want == NULL && v != NULL)
		fail_msg("%s %s %s: expected absent, got '%s'",
		    res_kind_name(k), path, name ? name : "", v);
	if (want != NULL)
		assert_non_null(v);
	if (want != NULL)
		assert_string_equal(v, want);
	free(v);
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/hostconf.XXXXXX";

	(void)state;
#ifdef _WIN32
	/* Under Wine, C:\ is a folder of the prefix. */
	char *base = getenv("TEMP");

	work = xasprintf("%s/hostconf-%d", base ? base : "C:/windows/temp",
	    (int)getpid());
	assert_int_equal(mkdir_p(work, 0700), 0);
	(void)tmpl;
#else
	assert_non_null(mkdtemp(tmpl));
	work = xstrdup(tmpl);
#endif
	return 0;
}

/* rm -rf, for the test's own folder. */
static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *sub;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = path_join(path, de->d_name);
		remove_tree(sub);
		free(sub);
	}
	closedir(d);
	rmdir(path);
}

static int
teardown(void **state)
{
	struct host *h = open_host();
	char err[256];

	(void)state;
	/* Leave the machine as found, whatever failed. */
	host_set(h, RES_REG, SUBKEY, "v", NULL, err, sizeof err);
	host_set(h, RES_REGKEY, SUBKEY, NULL, NULL, err, sizeof err);
	host_set(h, RES_REGKEY, KEY, NULL, NULL, err, sizeof err);
	host_close(h);
	remove_tree(work);
	free(work);
	return 0;
}

/* ---- registry ---------------------------------------------------------- */

static void
test_regkey_create_delete(void **state)
{
	struct host *h = open_host();
	char err[256];

	(void)state;
	expect(h, RES_REGKEY, KEY, NULL, NULL);
	set(h, RES_REGKEY, KEY, NULL, "present");
	expect(h, RES_REGKEY, KEY, NULL, "present");
	set(h, RES_REGKEY, SUBKEY, NULL, "present");
	expect(h, RES_REGKEY, SUBKEY, NULL, "present");
	/* A key that holds a value is not deleted. */
	set(h, RES_REG, SUBKEY, "v", "dword:00000001");
	assert_int_equal(host_set(h, RES_REGKEY, SUBKEY, NULL, NULL, err,
	    sizeof err), -1);
	set(h, RES_REG, SUBKEY, "v", NULL);
	set(h, RES_REGKEY, SUBKEY, NULL, NULL);
	expect(h, RES_REGKEY, SUBKEY, NULL, NULL);
	set(h, RES_REGKEY, KEY, NULL, NULL);
	expect(h, RES_REGKEY, KEY, NULL, NULL);
	/* A value needs its key. */
	assert_int_equal(host_set(h, RES_REG, KEY, "x", "\"y\"", err,
	    sizeof err), -1);
	host_close(h);
}

/* Every value type, in and out in the canonical one-line syntax. */
static void
test_reg_value_types(void **state)
{
	const char *multi[] = { "first", "second line", "drei" };
	const unsigned char bin[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	struct {
		const char *name;
		char *data;
		long type;
	} vals[] = {
		{ "Sz", regval_sz("IPSECIntermediateOffline"), REGT_SZ },
		{ "SzQuote", regval_sz("a \"q\" \\ b, ü"), REGT_SZ },
		{ "Expand", regval_expand_sz("%SystemRoot%\\x"),
		    REGT_EXPAND_SZ },
		{ "Multi", regval_multi_sz(multi, 3), REGT_MULTI_SZ },
		{ "Dword", regval_dword(65534), REGT_DWORD },
		{ "DwordMax", regval_dword(0xffffffffUL), REGT_DWORD },
		{ "Qword", regval_qword(0x1122334455667788ULL), REGT_QWORD },
		{ "Binary", regval_binary(bin, sizeof bin), REGT_BINARY },
		{ "@", regval_sz("the default value"), REGT_SZ },
	};
	struct host *h = open_host();
	char err[256], *canon, **names = NULL;
	size_t n = 0;

	(void)state;
	set(h, RES_REGKEY, KEY, NULL, "present");
	for (size_t i = 0; i < nitems(vals); i++) {
		assert_non_null(vals[i].data);
		assert_int_equal(regval_type(vals[i].data), vals[i].type);
		canon = regval_canon(vals[i].data, err, sizeof err);
		assert_non_null(canon);
		expect(h, RES_REG, KEY, vals[i].name, NULL);
		set(h, RES_REG, KEY, vals[i].name, vals[i].data);
		expect(h, RES_REG, KEY, vals[i].name, canon);
		free(canon);
	}
	/* Replace keeps one value of that name. */
	set(h, RES_REG, KEY, "Dword", "dword:00000002");
	expect(h, RES_REG, KEY, "Dword", "dword:00000002");
	assert_int_equal(h->ops->list(h, RES_REG, KEY, &names, &n, err,
	    sizeof err), 0);
	assert_int_equal(n, nitems(vals));
	str_list_free(names, n);
	for (size_t i = 0; i < nitems(vals); i++) {
		set(h, RES_REG, KEY, vals[i].name, NULL);
		expect(h, RES_REG, KEY, vals[i].name, NULL);
		free(vals[i].data);
	}
	set(h, RES_REGKEY, KEY, NULL, NULL);
	host_close(h);
}

/* ---- certificates ------------------------------------------------------ */

static char *
thumbprint(X509 *x)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	unsigned int n = 0;
	struct buf b = {0};

	X509_digest(x, EVP_sha1(), md, &n);
	for (unsigned i = 0; i < n; i++)
		buf_addf(&b, "%02X", md[i]);
	return buf_steal(&b);
}

static int
listed(struct host *h, const char *store, const char *thumb)
{
	char **names = NULL, err[256];
	size_t n = 0;
	int hit = 0;

	assert_int_equal(h->ops->list(h, RES_CERT, store, &names, &n, err,
	    sizeof err), 0);
	for (size_t i = 0; i < n; i++)
		hit |= str_ieq(names[i], thumb);
	str_list_free(names, n);
	return hit;
}

static void
test_cert_import_lookup(void **state)
{
	struct certspec spec = { .cn = "conformance.ndeswiz.test",
	    .eku = "serverAuth", .from_days = -1, .to_days = 30 };
	EVP_PKEY *key = certgen_ec("P-256");
	X509 *x = certgen_cert(&spec, key);
	char *thumb = thumbprint(x), *pem = certio_to_pem(x, NULL);
	struct host *h = open_host();

	(void)state;
	expect(h, RES_CERT, "My", thumb, NULL);
	assert_false(listed(h, "My", thumb));
	set(h, RES_CERT, "My", thumb, pem);
	expect(h, RES_CERT, "My", thumb, pem);
	assert_true(listed(h, "My", thumb));
	set(h, RES_CERT, "My", thumb, NULL);
	expect(h, RES_CERT, "My", thumb, NULL);
	assert_false(listed(h, "My", thumb));
	host_close(h);
	free(pem);
	free(thumb);
	X509_free(x);
	EVP_PKEY_free(key);
}

/* A certificate with its key (a PFX import on Windows) comes back with
 * a key that belongs to it (where the key can be exported at all). */
static void
test_cert_with_key(void **state)
{
	struct certspec spec = { .cn = "withkey.ndeswiz.test",
	    .from_days = -1, .to_days = 30 };
	EVP_PKEY *key = certgen_rsa(2048);
	X509 *x = certgen_cert(&spec, key);
	char *thumb = thumbprint(x), *pem = certio_to_pem(x, key), *got;
	struct certbundle cb = {0};
	char err[256];
	struct host *h = open_host();

	(void)state;
	set(h, RES_CERT, "My", thumb, pem);
	got = get(h, RES_CERT, "My", thumb);
	assert_non_null(got);
	assert_int_equal(certio_parse_pem(got, strlen(got), &cb, err,
	    sizeof err), CERTIO_OK);
	assert_int_equal(X509_cmp(cb.cert, x), 0);
	if (key_export_works()) {
		assert_non_null(cb.key);
		assert_int_equal(EVP_PKEY_eq(cb.key, key), 1);
	} else {
		/* Wine: the key stays in the store (should Wine learn to
		 * export it, this fails and the branch above takes over). */
		assert_null(cb.key);
		assert_store_key_signs(thumb, x);
	}
	certbundle_free(&cb);
	certio_free_secret(got);
	set(h, RES_CERT, "My", thumb, NULL);
	expect(h, RES_CERT, "My", thumb, NULL);
	host_close(h);
	certio_free_secret(pem);
	free(thumb);
	X509_free(x);
	EVP_PKEY_free(key);
}

/* ---- WinHTTP proxy ----------------------------------------------------- */

static void
test_proxy(void **state)
{
	struct host *h = open_host();
	char *before = get(h, RES_PROXY, "winhttp", NULL);

	(void)state;
	set(h, RES_PROXY, "winhttp", NULL, "proxy.contoso.test:8080|"
	    "*.contoso.test;<local>");
	expect(h, RES_PROXY, "winhttp", NULL, "proxy.contoso.test:8080|"
	    "*.contoso.test;<local>");
	set(h, RES_PROXY, "winhttp", NULL, "10.0.0.1:3128|");
	expect(h, RES_PROXY, "winhttp", NULL, "10.0.0.1:3128|");
	set(h, RES_PROXY, "winhttp", NULL, NULL);
	expect(h, RES_PROXY, "winhttp", NULL, NULL);
	set(h, RES_PROXY, "winhttp", NULL, before);
	expect(h, RES_PROXY, "winhttp", NULL, before);
	free(before);
	host_close(h);
}

/* ---- the journal and rollback through the driver ----------------------- */

static void
add_change(struct plan *p, enum res_kind k, const char *path,
    const char *name, const char *new, struct host *h)
{
	struct change *c;

	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	c = &p->v[p->n++];
	memset(c, 0, sizeof *c);
	c->kind = k;
	c->path = xstrdup(path);
	c->name = name ? xstrdup(name) : NULL;
	c->old = get(h, k, path, name);
	c->new = new ? xstrdup(new) : NULL;
	c->step = xstrdup("conformance");
	c->reason = xstrdup("conformance test");
}

static void
test_apply_rollback(void **state)
{
	struct certspec spec = { .cn = "journal.ndeswiz.test",
	    .from_days = -1, .to_days = 30 };
	EVP_PKEY *key = certgen_ec("P-256");
	X509 *x = certgen_cert(&spec, key);
	char *thumb = thumbprint(x), *pem = certio_to_pem(x, NULL);
	char *proxy_before, err[512];
	struct host *h = open_host();
	struct plan p = {0};
	size_t undone = 0;

	(void)state;
	proxy_before = get(h, RES_PROXY, "winhttp", NULL);
	add_change(&p, RES_REGKEY, KEY, NULL, "present", h);
	add_change(&p, RES_REG, KEY, "MaxFieldLength", "dword:0000fffe", h);
	add_change(&p, RES_CERT, "My", thumb, pem, h);
	add_change(&p, RES_PROXY, "winhttp", NULL, "proxy.test:8080|", h);
	assert_int_equal(journal_apply(h, &p, NULL, err, sizeof err),
	    APPLY_OK);
	expect(h, RES_REG, KEY, "MaxFieldLength", "dword:0000fffe");
	expect(h, RES_CERT, "My", thumb, pem);
	expect(h, RES_PROXY, "winhttp", NULL, "proxy.test:8080|");
	assert_int_equal(journal_rollback(h, NULL, &undone, err, sizeof err),
	    ROLLBACK_OK);
	assert_int_equal(undone, 4);
	expect(h, RES_REGKEY, KEY, NULL, NULL);
	expect(h, RES_CERT, "My", thumb, NULL);
	expect(h, RES_PROXY, "winhttp", NULL, proxy_before);
	plan_free(&p);
	host_close(h);
	free(proxy_before);
	free(pem);
	free(thumb);
	X509_free(x);
	EVP_PKEY_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regkey_create_delete),
		cmocka_unit_test(test_reg_value_types),
		cmocka_unit_test(test_cert_import_lookup),
		cmocka_unit_test(test_cert_with_key),
		cmocka_unit_test(test_proxy),
		cmocka_unit_test(test_apply_rollback),
	};

	return cmocka_run_group_tests_name("hostconf", tests, setup,
	    teardown);
}
