/*
 * The "win32" driver: the Windows server ndeswiz runs on.
 *
 * Each resource kind goes where Windows keeps it, through the API where
 * there is one (registry, certificate stores, WinHTTP, local groups,
 * HTTP.sys, user rights, services) and through the tool Windows ships
 * where there is none (appcmd for IIS writes, setspn, PowerShell for
 * features and the NDES role). Values use the same one-line syntax as
 * the dir driver, so plans, the journal and rollback cannot tell them
 * apart; tests/unit/test_hostconf.c holds both to the same cases.
 *
 * Tools run with CreateProcessW and a command line built by wincmd.c
 * (pure, unit-tested); their exit code is checked, and a secret goes to
 * the child's stdin, never its command line.
 */
#include "host.h"
#include "iiscfg.h"
#include "regfile.h"
#include "sslbind.h"
#include "wincmd.h"
#include "../lock.h"
#include "../certio.h"
#include "../fields.h"
#include "../secret.h"
#include "../util.h"

/* Winsock's gethostname is not compat.h's. */
#undef gethostname
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <dsrole.h>
#include <http.h>
#include <lm.h>
#include <ntsecapi.h>
#include <sddl.h>
#include <aclapi.h>
#include <wincrypt.h>
#include <winhttp.h>
/* winsock2.h's RES_SERVICE (a name-service flag) is not our resource kind. */
#undef RES_SERVICE

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOOL_TIMEOUT_MS (30 * 60 * 1000) /* Install-WindowsFeature is slow */
#define OUT_MAX (4 * 1024 * 1024)
#define MSCEP_KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography" \
	"\\MSCEP"

struct winhost {
	char *state;      /* %ProgramData%/ndeswiz, '/' separated */
	int lock;         /* the state folder's lock (lock.h) */
	char *sysdir;     /* %windir%/System32 */
	char pathbuf[1024];
};

static struct winhost *
W(struct host *h)
{
	return h->priv;
}

/* ---- text: UTF-8 in our code, UTF-16 in Windows' ---------------------- */

static wchar_t *
wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = xcalloc((size_t)(n > 0 ? n : 1), sizeof *w);

	if (n > 0)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

/* n wide characters (-1: up to the NUL). */
static char *
narrow(const wchar_t *w, int n)
{
	int len = WideCharToMultiByte(CP_UTF8, 0, w, n, NULL, 0, NULL, NULL);
	char *s = xcalloc((size_t)len + 1, 1);

	if (len > 0)
		WideCharToMultiByte(CP_UTF8, 0, w, n, s, len, NULL, NULL);
	return s;
}

static int
win_err(char *err, size_t len, DWORD code, const char *what, const char *on)
{
	wchar_t msg[256];
	char *m;

	if (FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM |
	    FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, msg,
	    sizeof msg / sizeof msg[0], NULL) == 0)
		msg[0] = L'\0';
	m = narrow(msg, -1);
	snprintf(err, len, "%s %s: %s (error %lu)", what, on, str_trim(m),
	    (unsigned long)code);
	free(m);
	return -1;
}

/* ---- running tools ----------------------------------------------------- */

struct toolrun {
	const char *input;   /* to stdin (a secret), or NULL */
	size_t input_len;
	char *out;           /* stdout and stderr, caller frees */
	DWORD code;
};

static int
run_tool(const char *cmdline, struct toolrun *r, char *err, size_t len)
{
	SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
	HANDLE in_r, in_w, out_r, out_w;
	STARTUPINFOW si = { .cb = sizeof si };
	PROCESS_INFORMATION pi;
	wchar_t *wl = wide(cmdline);
	struct buf b = {0};
	char chunk[4096];
	DWORD n;

	r->out = NULL;
	if (!CreatePipe(&in_r, &in_w, &sa, 0))
		return win_err(err, len, GetLastError(), "cannot run", cmdline);
	if (!CreatePipe(&out_r, &out_w, &sa, 0)) {
		CloseHandle(in_r);
		CloseHandle(in_w);
		return win_err(err, len, GetLastError(), "cannot run", cmdline);
	}
	/* Our ends stay ours. */
	SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
	SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = in_r;
	si.hStdOutput = out_w;
	si.hStdError = out_w;
	if (!CreateProcessW(NULL, wl, NULL, NULL, TRUE, CREATE_NO_WINDOW,
	    NULL, NULL, &si, &pi)) {
		win_err(err, len, GetLastError(), "cannot run", cmdline);
		free(wl);
		CloseHandle(in_r);
		CloseHandle(in_w);
		CloseHandle(out_r);
		CloseHandle(out_w);
		return -1;
	}
	free(wl);
	CloseHandle(in_r);
	CloseHandle(out_w);
	if (r->input != NULL)
		WriteFile(in_w, r->input, (DWORD)r->input_len, &n, NULL);
	CloseHandle(in_w);
	while (ReadFile(out_r, chunk, sizeof chunk, &n, NULL) && n > 0)
		if (b.len + n <= OUT_MAX)
			buf_add(&b, chunk, n);
	CloseHandle(out_r);
	if (WaitForSingleObject(pi.hProcess, TOOL_TIMEOUT_MS) !=
	    WAIT_OBJECT_0) {
		TerminateProcess(pi.hProcess, 1);
		snprintf(err, len, "%s did not finish in time", cmdline);
		r->code = (DWORD)-1;
	} else
		GetExitCodeProcess(pi.hProcess, &r->code);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	r->out = buf_steal(&b);
	return 0;
}

/* Run (input: n bytes to its stdin, or NULL); 0 when it exits 0, else
 * -1 with its last output line in err. */
static int
run_checked(const char *cmdline, const char *input, size_t n, char **out,
    char *err, size_t len)
{
	struct toolrun r = { .input = input, .input_len = n };
	char *last;

	if (run_tool(cmdline, &r, err, len) != 0)
		return -1;
	if (r.code != 0) {
		last = str_trim(r.out);
		if (strrchr(last, '\n') != NULL)
			last = strrchr(last, '\n') + 1;
		snprintf(err, len, "'%.200s' failed (exit %lu): %.300s",
		    cmdline, (unsigned long)r.code, last);
		free(r.out);
		return -1;
	}
	if (out != NULL)
		*out = r.out;
	else
		free(r.out);
	return 0;
}

static char *
sys_tool(struct winhost *w, const char *rel)
{
	return xasprintf("%s\\%s", w->sysdir, rel);
}

static int
powershell(struct winhost *w, const char *script, const char *input,
    size_t n, char **out, char *err, size_t len)
{
	char *exe = sys_tool(w, "WindowsPowerShell\\v1.0\\powershell.exe");
	char *line = wincmd_powershell(exe, script);
	int rc = run_checked(line, input, n, out, err, len);

	free(line);
	free(exe);
	return rc;
}

/* ---- registry ---------------------------------------------------------- */

static const struct {
	const char *name;
	HKEY key;
} reg_roots[] = {
	{ "HKEY_LOCAL_MACHINE", HKEY_LOCAL_MACHINE },
	{ "HKLM", HKEY_LOCAL_MACHINE },
	{ "HKEY_CURRENT_USER", HKEY_CURRENT_USER },
	{ "HKCU", HKEY_CURRENT_USER },
	{ "HKEY_CLASSES_ROOT", HKEY_CLASSES_ROOT },
	{ "HKCR", HKEY_CLASSES_ROOT },
	{ "HKEY_USERS", HKEY_USERS },
	{ "HKU", HKEY_USERS },
	{ "HKEY_CURRENT_CONFIG", HKEY_CURRENT_CONFIG },
	{ "HKCC", HKEY_CURRENT_CONFIG },
};

/* "HKLM\\A\\B" -> root and L"A\\B". */
static int
reg_path(const char *path, HKEY *root, wchar_t **sub, char *err, size_t len)
{
	size_t n = strcspn(path, "\\");

	for (size_t i = 0; i < nitems(reg_roots); i++)
		if (strlen(reg_roots[i].name) == n &&
		    strncasecmp(path, reg_roots[i].name, n) == 0) {
			*root = reg_roots[i].key;
			*sub = wide(path[n] ? path + n + 1 : "");
			return 0;
		}
	snprintf(err, len, "registry path %s has no known root key", path);
	return -1;
}

static LSTATUS
reg_open(const char *path, REGSAM sam, HKEY *key, char *err, size_t len)
{
	HKEY root;
	wchar_t *sub;
	LSTATUS rc;

	if (reg_path(path, &root, &sub, err, len) != 0)
		return ERROR_INVALID_PARAMETER;
	/* The 64-bit view: what the server's software reads. */
	rc = RegOpenKeyExW(root, sub, 0, sam | KEY_WOW64_64KEY, key);
	free(sub);
	return rc;
}

static int
regkey_get(struct winhost *w, const char *path, const char *name,
    char **v, char *err, size_t len)
{
	HKEY k;
	LSTATUS rc = reg_open(path, KEY_READ, &k, err, len);

	(void)w;
	(void)name;
	if (rc == ERROR_SUCCESS) {
		RegCloseKey(k);
		*v = xstrdup("present");
		return 0;
	}
	if (rc == ERROR_FILE_NOT_FOUND)
		return 0;
	return win_err(err, len, (DWORD)rc, "cannot open", path);
}

static int
regkey_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	HKEY root, k;
	wchar_t *sub;
	DWORD values = 0;
	LSTATUS rc;

	(void)w;
	(void)name;
	if (reg_path(path, &root, &sub, err, len) != 0)
		return -1;
	if (v != NULL) {
		rc = RegCreateKeyExW(root, sub, 0, NULL, 0, KEY_WRITE |
		    KEY_WOW64_64KEY, NULL, &k, NULL);
		if (rc == ERROR_SUCCESS)
			RegCloseKey(k);
	} else {
		rc = RegOpenKeyExW(root, sub, 0, KEY_READ | KEY_WOW64_64KEY,
		    &k);
		if (rc == ERROR_FILE_NOT_FOUND) {
			free(sub);
			return 0;
		}
		if (rc == ERROR_SUCCESS) {
			RegQueryInfoKeyW(k, NULL, NULL, NULL, NULL, NULL, NULL,
			    &values, NULL, NULL, NULL, NULL);
			RegCloseKey(k);
		}
		/* As the dir driver: a key that holds values stays. */
		if (rc == ERROR_SUCCESS && values > 0) {
			free(sub);
			snprintf(err, len, "key %s still holds values or "
			    "subkeys", path);
			return -1;
		}
		if (rc == ERROR_SUCCESS)
			rc = RegDeleteKeyExW(root, sub, KEY_WOW64_64KEY, 0);
	}
	free(sub);
	if (rc == ERROR_ACCESS_DENIED && v == NULL) {
		snprintf(err, len, "key %s still holds values or subkeys",
		    path);
		return -1;
	}
	if (rc != ERROR_SUCCESS)
		return win_err(err, len, (DWORD)rc, v ? "cannot create" :
		    "cannot delete", path);
	/* Registry writes are lazily flushed; the journal needs them on
	 * disk before the next change. */
	if (reg_path(path, &root, &sub, err, len) == 0) {
		RegFlushKey(root);
		free(sub);
	}
	return 0;
}

static const wchar_t *
value_name(const char *name, wchar_t **tmp)
{
	if (name == NULL || *name == '\0' || strcmp(name, "@") == 0) {
		*tmp = NULL;
		return NULL; /* the default value */
	}
	return *tmp = wide(name);
}

/* Windows' bytes to the one-line syntax, canonical as regdb keeps it. */
static char *
reg_format(DWORD type, const unsigned char *data, DWORD n)
{
	struct buf b = {0};
	char *out, err[64];

	if (type == REG_SZ) {
		char *s = narrow((const wchar_t *)data, (int)(n / 2));

		out = regval_sz(s);
		free(s);
		return out;
	}
	if (type == REG_DWORD && n == 4)
		return regval_dword((unsigned long)data[0] |
		    (unsigned long)data[1] << 8 | (unsigned long)data[2] << 16 |
		    (unsigned long)data[3] << 24);
	if (type == REG_BINARY)
		buf_adds(&b, "hex:");
	else
		buf_addf(&b, "hex(%lx):", (unsigned long)type);
	for (DWORD i = 0; i < n; i++)
		buf_addf(&b, "%s%02x", i ? "," : "", data[i]);
	out = regval_canon(b.p, err, sizeof err);
	buf_free(&b);
	return out;
}

static int
reg_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len)
{
	HKEY k;
	DWORD type, n = 0;
	wchar_t *tmp;
	const wchar_t *wn = value_name(name, &tmp);
	unsigned char *data = NULL;
	LSTATUS rc = reg_open(path, KEY_READ, &k, err, len);

	(void)w;
	if (rc == ERROR_FILE_NOT_FOUND) {
		free(tmp);
		return 0;
	}
	if (rc != ERROR_SUCCESS) {
		free(tmp);
		return win_err(err, len, (DWORD)rc, "cannot open", path);
	}
	rc = RegQueryValueExW(k, wn, NULL, &type, NULL, &n);
	if (rc == ERROR_SUCCESS) {
		data = xcalloc(n + 2, 1);
		rc = RegQueryValueExW(k, wn, NULL, &type, data, &n);
	}
	RegCloseKey(k);
	free(tmp);
	if (rc == ERROR_FILE_NOT_FOUND) {
		free(data);
		return 0;
	}
	if (rc != ERROR_SUCCESS) {
		free(data);
		return win_err(err, len, (DWORD)rc, "cannot read", path);
	}
	/* REG_SZ data holds its terminating NUL. */
	if (type == REG_SZ && n >= 2 && data[n - 1] == 0 && data[n - 2] == 0)
		n -= 2;
	*v = reg_format(type, data, n);
	free(data);
	return 0;
}

/* The one-line syntax to a type and Windows' bytes. */
static unsigned char *
reg_bytes(const char *v, DWORD *type, size_t *n, char *err, size_t len)
{
	long t = regval_type(v);
	unsigned long dw;
	unsigned char *p;

	if (t < 0 || regval_check(v, err, len) != 0) {
		if (t < 0)
			snprintf(err, len, "'%.40s' is not registry data", v);
		return NULL;
	}
	*type = (DWORD)t;
	if (t == REGT_DWORD && regval_get_dword(v, &dw) == 0) {
		p = xmalloc(4);
		for (int i = 0; i < 4; i++)
			p[i] = (unsigned char)(dw >> (8 * i));
		*n = 4;
		return p;
	}
	if (t == REGT_SZ && v[0] == '"') {
		char *s = regval_get_sz(v);
		wchar_t *w = wide(s);

		*n = (wcslen(w) + 1) * sizeof *w;
		free(s);
		return (unsigned char *)w;
	}
	return regval_get_binary(v, n);
}

static int
reg_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	HKEY k;
	wchar_t *tmp;
	const wchar_t *wn;
	unsigned char *data = NULL;
	size_t n = 0;
	DWORD type = REG_NONE;
	LSTATUS rc;

	(void)w;
	if (v != NULL && (data = reg_bytes(v, &type, &n, err, len)) == NULL)
		return -1;
	rc = reg_open(path, KEY_SET_VALUE, &k, err, len);
	if (rc == ERROR_FILE_NOT_FOUND && v == NULL)
		return 0;
	if (rc != ERROR_SUCCESS) {
		free(data);
		return win_err(err, len, (DWORD)rc, "cannot open", path);
	}
	wn = value_name(name, &tmp);
	if (v == NULL) {
		rc = RegDeleteValueW(k, wn);
		if (rc == ERROR_FILE_NOT_FOUND)
			rc = ERROR_SUCCESS;
	} else
		rc = RegSetValueExW(k, wn, 0, type, data, (DWORD)n);
	if (rc == ERROR_SUCCESS)
		RegFlushKey(k);
	RegCloseKey(k);
	free(tmp);
	free(data);
	if (rc != ERROR_SUCCESS)
		return win_err(err, len, (DWORD)rc, "cannot write", path);
	return 0;
}

/*
 * The value names of path (keys 0), or the full paths of the keys right
 * under it (keys 1: the uninstall entries).
 */
static int
reg_enum(const char *path, int keys, char ***names, size_t *n, char *err,
    size_t len)
{
	HKEY k;
	wchar_t name[16384];
	DWORD nl;
	LSTATUS rc = reg_open(path, KEY_READ, &k, err, len);
	char *sub;

	if (rc == ERROR_FILE_NOT_FOUND)
		return 0;
	if (rc != ERROR_SUCCESS)
		return win_err(err, len, (DWORD)rc, "cannot open", path);
	for (DWORD i = 0;; i++) {
		nl = sizeof name / sizeof name[0];
		if ((keys ? RegEnumKeyExW(k, i, name, &nl, NULL, NULL, NULL,
		    NULL) : RegEnumValueW(k, i, name, &nl, NULL, NULL, NULL,
		    NULL)) != ERROR_SUCCESS)
			break;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		if (!keys) {
			(*names)[(*n)++] = nl ? narrow(name, (int)nl) :
			    xstrdup("@");
			continue;
		}
		sub = narrow(name, (int)nl);
		(*names)[(*n)++] = xasprintf("%s\\%s", path, sub);
		free(sub);
	}
	RegCloseKey(k);
	return 0;
}

/* ---- certificate stores ------------------------------------------------ */

/*
 * A LocalMachine store. Reading a store that does not exist yet gives
 * *s NULL and 0 (it holds nothing); writing makes it.
 */
static int
store_open(const char *name, int write, HCERTSTORE *s, char *err,
    size_t len)
{
	wchar_t *w = wide(name);
	DWORD e;

	*s = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
	    CERT_SYSTEM_STORE_LOCAL_MACHINE | (write ? 0 :
	    CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG), w);
	e = GetLastError();
	free(w);
	if (*s != NULL || (!write && (e == ERROR_FILE_NOT_FOUND ||
	    e == ERROR_PATH_NOT_FOUND)))
		return 0;
	return win_err(err, len, e, "cannot open certificate store "
	    "LocalMachine\\", name);
}

static int
thumb_bytes(const char *thumb, unsigned char out[20])
{
	if (strlen(thumb) != 40)
		return -1;
	for (int i = 0; i < 20; i++) {
		unsigned x;

		if (!isxdigit((unsigned char)thumb[2 * i]) ||
		    !isxdigit((unsigned char)thumb[2 * i + 1]) ||
		    sscanf(thumb + 2 * i, "%2x", &x) != 1)
			return -1;
		out[i] = (unsigned char)x;
	}
	return 0;
}

static PCCERT_CONTEXT
cert_find(HCERTSTORE s, const char *thumb)
{
	unsigned char hash[20];
	CRYPT_HASH_BLOB blob = { sizeof hash, hash };

	if (thumb_bytes(thumb, hash) != 0)
		return NULL;
	return CertFindCertificateInStore(s, X509_ASN_ENCODING |
	    PKCS_7_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &blob, NULL);
}

/* The private key of a PKCS#12, from its shrouded key bag only: Windows
 * encrypts the certificate bag with RC2, which OpenSSL keeps in its
 * legacy provider, and we have the certificate already. */
static EVP_PKEY *
pfx_key(const unsigned char *der, long n)
{
	const unsigned char *p = der;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, n);
	STACK_OF(PKCS7) *safes = p12 ? PKCS12_unpack_authsafes(p12) : NULL;
	EVP_PKEY *key = NULL;

	for (int i = 0; key == NULL && i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		if (OBJ_obj2nid(p7->type) != NID_pkcs7_data)
			continue; /* the encrypted one holds certificates */
		bags = PKCS12_unpack_p7data(p7);
		for (int j = 0; key == NULL && j < sk_PKCS12_SAFEBAG_num(bags);
		    j++) {
			PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
			PKCS8_PRIV_KEY_INFO *p8;

			if (PKCS12_SAFEBAG_get_nid(bag) !=
			    NID_pkcs8ShroudedKeyBag)
				continue;
			p8 = PKCS12_decrypt_skey(bag, "", 0);
			if (p8 != NULL)
				key = EVP_PKCS82PKEY(p8);
			PKCS8_PRIV_KEY_INFO_free(p8);
		}
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(p12);
	return key;
}

/* The key, when Windows lets it go (we import keys exportable). */
static EVP_PKEY *
cert_key(PCCERT_CONTEXT c)
{
	HCERTSTORE mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
	CRYPT_DATA_BLOB pfx = { 0, NULL };
	EVP_PKEY *key = NULL;
	DWORD size = 0;

	if (mem == NULL)
		return NULL;
	if (CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID,
	    NULL, &size) && CertAddCertificateContextToStore(mem, c,
	    CERT_STORE_ADD_ALWAYS, NULL) &&
	    PFXExportCertStoreEx(mem, &pfx, L"", NULL, EXPORT_PRIVATE_KEYS)) {
		pfx.pbData = xmalloc(pfx.cbData);
		if (PFXExportCertStoreEx(mem, &pfx, L"", NULL,
		    EXPORT_PRIVATE_KEYS))
			key = pfx_key(pfx.pbData, (long)pfx.cbData);
		OPENSSL_cleanse(pfx.pbData, pfx.cbData);
	}
	free(pfx.pbData);
	CertCloseStore(mem, 0);
	return key;
}

/* Is there a private key Windows will not export (the RA keys)? Asked
 * silently, without export; the cached handle goes with the context. */
static int
key_held(PCCERT_CONTEXT c)
{
	HCRYPTPROV_OR_NCRYPT_KEY_HANDLE k = 0;
	DWORD spec = 0;
	BOOL free_it = FALSE;

	return CryptAcquireCertificatePrivateKey(c, CRYPT_ACQUIRE_CACHE_FLAG |
	    CRYPT_ACQUIRE_SILENT_FLAG | CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG,
	    NULL, &k, &spec, &free_it) != 0;
}

static char *
cert_pem(PCCERT_CONTEXT c)
{
	const unsigned char *p = c->pbCertEncoded;
	X509 *x = d2i_X509(NULL, &p, (long)c->cbCertEncoded);
	EVP_PKEY *key;
	char *pem;

	if (x == NULL)
		return NULL;
	key = cert_key(c);
	pem = certio_to_pem(x, key);
	if (key == NULL && key_held(c)) {
		char *marked = xasprintf("%s%s\n", pem, CERTIO_KEY_HELD);

		certio_free_secret(pem);
		pem = marked;
	}
	EVP_PKEY_free(key);
	X509_free(x);
	return pem;
}

static int
cert_get(struct winhost *w, const char *store, const char *thumb,
    char **v, char *err, size_t len)
{
	HCERTSTORE s;
	PCCERT_CONTEXT c;

	(void)w;
	if (store_open(store, 0, &s, err, len) != 0)
		return -1;
	if (s == NULL)
		return 0;
	if ((c = cert_find(s, thumb)) != NULL) {
		*v = cert_pem(c);
		CertFreeCertificateContext(c);
	}
	CertCloseStore(s, 0);
	return 0;
}

/* A certificate with its key: through PKCS#12, the one way in. */
static PCCERT_CONTEXT
import_with_key(const struct certbundle *cb, char *err, size_t len)
{
	/* 3DES, which every Windows (and Wine) imports; OpenSSL 3's
	 * default AES is known from Windows Server 2019 on only. */
	PKCS12 *p12 = PKCS12_create("", NULL, cb->key, cb->cert, NULL,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 0, 0, 0);
	unsigned char *der = NULL;
	int n = p12 ? i2d_PKCS12(p12, &der) : -1;
	CRYPT_DATA_BLOB blob;
	HCERTSTORE tmp;
	PCCERT_CONTEXT c = NULL;

	PKCS12_free(p12);
	if (n <= 0) {
		snprintf(err, len, "cannot make a PKCS#12 of the certificate");
		return NULL;
	}
	blob.cbData = (DWORD)n;
	blob.pbData = der;
	tmp = PFXImportCertStore(&blob, L"", CRYPT_MACHINE_KEYSET |
	    CRYPT_EXPORTABLE);
	OPENSSL_clear_free(der, (size_t)n);
	if (tmp == NULL) {
		win_err(err, len, GetLastError(), "cannot import", "the key");
		return NULL;
	}
	c = CertEnumCertificatesInStore(tmp, NULL);
	if (c != NULL)
		c = CertDuplicateCertificateContext(c);
	CertCloseStore(tmp, 0);
	return c;
}

static int
cert_put(HCERTSTORE s, const char *thumb, const char *pem, char *err,
    size_t len)
{
	struct certbundle cb = {0};
	unsigned char *der = NULL, md[20], want[20];
	unsigned int mdlen = 0;
	PCCERT_CONTEXT c = NULL;
	int n, ok = 0;

	if (certio_parse_pem(pem, strlen(pem), &cb, err, len) != CERTIO_OK)
		return -1;
	n = i2d_X509(cb.cert, &der);
	X509_digest(cb.cert, EVP_sha1(), md, &mdlen);
	if (n <= 0 || thumb_bytes(thumb, want) != 0 ||
	    memcmp(md, want, sizeof md) != 0) {
		snprintf(err, len, "the certificate's thumbprint is not %s",
		    thumb);
		goto out;
	}
	if (cb.key != NULL) {
		if ((c = import_with_key(&cb, err, len)) == NULL)
			goto out;
		ok = CertAddCertificateContextToStore(s, c,
		    CERT_STORE_ADD_REPLACE_EXISTING, NULL);
		CertFreeCertificateContext(c);
	} else
		ok = CertAddEncodedCertificateToStore(s, X509_ASN_ENCODING, der,
		    (DWORD)n, CERT_STORE_ADD_REPLACE_EXISTING, NULL);
	if (!ok)
		win_err(err, len, GetLastError(), "cannot add certificate",
		    thumb);
out:
	OPENSSL_free(der);
	certbundle_free(&cb);
	return ok ? 0 : -1;
}

static int
cert_set(struct winhost *w, const char *store, const char *thumb,
    const char *v, char *err, size_t len)
{
	HCERTSTORE s;
	PCCERT_CONTEXT c;
	int rc = 0;

	(void)w;
	if (store_open(store, 1, &s, err, len) != 0)
		return -1;
	if (v != NULL)
		rc = cert_put(s, thumb, v, err, len);
	else if ((c = cert_find(s, thumb)) != NULL &&
	    !CertDeleteCertificateFromStore(c))
		rc = win_err(err, len, GetLastError(), "cannot remove "
		    "certificate", thumb);
	/* Persist now: the journal's next record assumes it. */
	if (rc == 0)
		CertControlStore(s, 0, CERT_STORE_CTRL_COMMIT, NULL);
	CertCloseStore(s, 0);
	return rc;
}

static int
cert_list(const char *store, char ***names, size_t *n, char *err, size_t len)
{
	HCERTSTORE s;
	PCCERT_CONTEXT c = NULL;
	unsigned char hash[20];
	DWORD hl;

	if (store_open(store, 0, &s, err, len) != 0)
		return -1;
	if (s == NULL)
		return 0;
	while ((c = CertEnumCertificatesInStore(s, c)) != NULL) {
		struct buf b = {0};

		hl = sizeof hash;
		if (!CertGetCertificateContextProperty(c, CERT_HASH_PROP_ID,
		    hash, &hl) || hl != sizeof hash)
			continue;
		for (DWORD i = 0; i < hl; i++)
			buf_addf(&b, "%02X", hash[i]);
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = buf_steal(&b);
	}
	CertCloseStore(s, 0);
	return 0;
}

/* ---- WinHTTP default proxy: "host:port|bypass;bypass" ------------------ */

static int
proxy_get(struct winhost *w, const char *path, const char *name,
    char **v, char *err, size_t len)
{
	WINHTTP_PROXY_INFO pi = {0};
	char *server, *bypass;

	(void)w;
	(void)path;
	(void)name;
	if (!WinHttpGetDefaultProxyConfiguration(&pi))
		return win_err(err, len, GetLastError(), "cannot read",
		    "the WinHTTP proxy");
	if (pi.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY &&
	    pi.lpszProxy != NULL) {
		server = narrow(pi.lpszProxy, -1);
		bypass = pi.lpszProxyBypass ? narrow(pi.lpszProxyBypass, -1) :
		    xstrdup("");
		*v = xasprintf("%s|%s", server, bypass);
		free(server);
		free(bypass);
	}
	if (pi.lpszProxy)
		GlobalFree(pi.lpszProxy);
	if (pi.lpszProxyBypass)
		GlobalFree(pi.lpszProxyBypass);
	return 0;
}

static int
proxy_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	WINHTTP_PROXY_INFO pi = { WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL };
	const char *bar = v ? strchr(v, '|') : NULL;
	char *server = NULL;
	int rc = 0;

	(void)w;
	(void)path;
	(void)name;
	if (v != NULL) {
		server = bar ? xstrndup(v, (size_t)(bar - v)) : xstrdup(v);
		pi.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
		pi.lpszProxy = wide(server);
		pi.lpszProxyBypass = bar && bar[1] ? wide(bar + 1) : NULL;
	}
	if (!WinHttpSetDefaultProxyConfiguration(&pi))
		rc = win_err(err, len, GetLastError(), "cannot set",
		    "the WinHTTP proxy");
	free(server);
	free(pi.lpszProxy);
	free(pi.lpszProxyBypass);
	return rc;
}

/* ---- local groups (netapi32) ------------------------------------------- */

static int
group_members(const char *group, char ***names, size_t *n, char *err,
    size_t len)
{
	wchar_t *g = wide(group);
	LOCALGROUP_MEMBERS_INFO_3 *buf = NULL;
	DWORD got = 0, total = 0;
	DWORD_PTR resume = 0;
	NET_API_STATUS st;

	st = NetLocalGroupGetMembers(NULL, g, 3, (LPBYTE *)&buf,
	    MAX_PREFERRED_LENGTH, &got, &total, &resume);
	free(g);
	if (st != NERR_Success)
		return win_err(err, len, st, "cannot read group", group);
	for (DWORD i = 0; i < got; i++) {
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = narrow(buf[i].lgrmi3_domainandname, -1);
	}
	NetApiBufferFree(buf);
	return 0;
}

static int
group_get(struct winhost *w, const char *group, const char *member,
    char **v, char *err, size_t len)
{
	char **names = NULL;
	size_t n = 0;

	(void)w;
	if (group_members(group, &names, &n, err, len) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (str_ieq(names[i], member))
			*v = xstrdup("member");
	str_list_free(names, n);
	return 0;
}

static int
group_set(struct winhost *w, const char *group, const char *member,
    const char *v, char *err, size_t len)
{
	wchar_t *g = wide(group), *m = wide(member);
	LOCALGROUP_MEMBERS_INFO_3 info = { m };
	NET_API_STATUS st;

	(void)w;
	st = v ? NetLocalGroupAddMembers(NULL, g, 3, (LPBYTE)&info, 1) :
	    NetLocalGroupDelMembers(NULL, g, 3, (LPBYTE)&info, 1);
	free(g);
	free(m);
	if (st == ERROR_MEMBER_IN_ALIAS || st == ERROR_MEMBER_NOT_IN_ALIAS)
		return 0;
	if (st != NERR_Success)
		return win_err(err, len, st, v ? "cannot add a member to" :
		    "cannot remove a member from", group);
	return 0;
}

/* ---- HTTP.sys SSL bindings: "hash=THUMB;store=MY;appid={...}" ---------- */

static int
ipport(const char *s, SOCKADDR_STORAGE *sa, char *err, size_t len)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
	long port;

	memset(sa, 0, sizeof *sa);
	if (colon == NULL || (size_t)(colon - s) >= sizeof host ||
	    (port = strtol(colon + 1, NULL, 10)) <= 0 || port > 65535)
		goto bad;
	snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((u_short)port);
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1)
			return 0;
	} else {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((u_short)port);
		if (inet_pton(AF_INET, host, &in4->sin_addr) == 1)
			return 0;
	}
bad:
	snprintf(err, len, "'%s' is not an ip:port", s);
	return -1;
}

static char *
guid_text(const GUID *g)
{
	return xasprintf("{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
	    (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0],
	    g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
	    g->Data4[6], g->Data4[7]);
}

static int
guid_parse(const char *s, GUID *g)
{
	unsigned long d1;
	unsigned d2, d3, b[8];

	if (sscanf(s, "{%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d1, &d2,
	    &d3, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]) != 11)
		return -1;
	g->Data1 = d1;
	g->Data2 = (unsigned short)d2;
	g->Data3 = (unsigned short)d3;
	for (int i = 0; i < 8; i++)
		g->Data4[i] = (unsigned char)b[i];
	return 0;
}

static char *
sslset_text(const HTTP_SERVICE_CONFIG_SSL_SET *set)
{
	const unsigned char *h = set->ParamDesc.pSslHash;
	char *store = set->ParamDesc.pSslCertStoreName ?
	    narrow(set->ParamDesc.pSslCertStoreName, -1) : xstrdup("");
	char *appid = guid_text(&set->ParamDesc.AppId);
	struct buf b = {0};

	buf_adds(&b, "hash=");
	for (ULONG i = 0; i < set->ParamDesc.SslHashLength; i++)
		buf_addf(&b, "%02X", h[i]);
	buf_addf(&b, ";store=%s;appid=%s", store, appid);
	free(store);
	free(appid);
	return buf_steal(&b);
}

static int
ssl_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len)
{
	HTTP_SERVICE_CONFIG_SSL_QUERY q = { .QueryDesc =
	    HttpServiceConfigQueryExact };
	SOCKADDR_STORAGE sa;
	unsigned char out[4096];
	ULONG n = 0;
	ULONG rc;

	(void)w;
	(void)name;
	if (ipport(path, &sa, err, len) != 0)
		return -1;
	q.KeyDesc.pIpPort = (PSOCKADDR)&sa;
	rc = HttpQueryServiceConfiguration(NULL, HttpServiceConfigSSLCertInfo,
	    &q, sizeof q, out, sizeof out, &n, NULL);
	if (rc == ERROR_FILE_NOT_FOUND || rc == ERROR_NO_MORE_ITEMS)
		return 0;
	if (rc != NO_ERROR)
		return win_err(err, len, rc, "cannot read the SSL binding",
		    path);
	*v = sslset_text((HTTP_SERVICE_CONFIG_SSL_SET *)out);
	return 0;
}

static int
ssl_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	HTTP_SERVICE_CONFIG_SSL_SET set = {0};
	SOCKADDR_STORAGE sa;
	unsigned char hash[20];
	struct sslbind sb;
	wchar_t *wstore;
	ULONG rc;
	int ok;

	(void)w;
	(void)name;
	if (ipport(path, &sa, err, len) != 0)
		return -1;
	set.KeyDesc.pIpPort = (PSOCKADDR)&sa;
	rc = HttpDeleteServiceConfiguration(NULL,
	    HttpServiceConfigSSLCertInfo, &set, sizeof set, NULL);
	if (rc != NO_ERROR && rc != ERROR_FILE_NOT_FOUND)
		return win_err(err, len, rc, "cannot remove the SSL binding",
		    path);
	if (v == NULL)
		return 0;
	sslbind_parse(v, &sb);
	ok = thumb_bytes(sb.hash, hash) == 0 && guid_parse(sb.appid,
	    &set.ParamDesc.AppId) == 0;
	wstore = wide(*sb.store ? sb.store : "MY");
	sslbind_free(&sb);
	if (!ok) {
		free(wstore);
		snprintf(err, len, "SSL binding '%s' needs hash=<40 hex>;"
		    "store=NAME;appid={GUID}", v);
		return -1;
	}
	set.ParamDesc.pSslHash = hash;
	set.ParamDesc.SslHashLength = sizeof hash;
	set.ParamDesc.pSslCertStoreName = wstore;
	rc = HttpSetServiceConfiguration(NULL, HttpServiceConfigSSLCertInfo,
	    &set, sizeof set, NULL);
	free(wstore);
	if (rc != NO_ERROR)
		return win_err(err, len, rc, "cannot set the SSL binding",
		    path);
	return 0;
}

static int
ssl_list(char ***names, size_t *n, char *err, size_t len)
{
	HTTP_SERVICE_CONFIG_SSL_QUERY q = { .QueryDesc =
	    HttpServiceConfigQueryNext };
	unsigned char out[4096];
	char host[INET6_ADDRSTRLEN];
	ULONG got, rc;

	for (q.dwToken = 0;; q.dwToken++) {
		HTTP_SERVICE_CONFIG_SSL_SET *set = (void *)out;
		struct sockaddr_in *in4;
		struct sockaddr_in6 *in6;

		rc = HttpQueryServiceConfiguration(NULL,
		    HttpServiceConfigSSLCertInfo, &q, sizeof q, out,
		    sizeof out, &got, NULL);
		if (rc == ERROR_NO_MORE_ITEMS)
			return 0;
		if (rc != NO_ERROR)
			return win_err(err, len, rc, "cannot list",
			    "the SSL bindings");
		in4 = (struct sockaddr_in *)set->KeyDesc.pIpPort;
		in6 = (struct sockaddr_in6 *)set->KeyDesc.pIpPort;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		if (in4->sin_family == AF_INET6) {
			inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
			(*names)[(*n)++] = xasprintf("[%s]:%u", host,
			    ntohs(in6->sin6_port));
		} else {
			inet_ntop(AF_INET, &in4->sin_addr, host, sizeof host);
			(*names)[(*n)++] = xasprintf("%s:%u", host,
			    ntohs(in4->sin_port));
		}
	}
}

/* ---- user rights (LSA) ------------------------------------------------- */

static int
account_sid(const char *account, PSID *sid, char *err, size_t len)
{
	wchar_t *w = wide(account), dom[256];
	DWORD sl = 0, dl = sizeof dom / sizeof dom[0];
	SID_NAME_USE use;

	LookupAccountNameW(NULL, w, NULL, &sl, dom, &dl, &use);
	*sid = xcalloc(sl ? sl : 1, 1);
	dl = sizeof dom / sizeof dom[0];
	if (!LookupAccountNameW(NULL, w, *sid, &sl, dom, &dl, &use)) {
		free(w);
		free(*sid);
		return win_err(err, len, GetLastError(), "unknown account",
		    account);
	}
	free(w);
	return 0;
}

static void
lsa_string(LSA_UNICODE_STRING *s, wchar_t *w)
{
	s->Buffer = w;
	s->Length = (USHORT)(wcslen(w) * sizeof *w);
	s->MaximumLength = (USHORT)(s->Length + sizeof *w);
}

static int
lsa_open(LSA_HANDLE *pol, char *err, size_t len)
{
	LSA_OBJECT_ATTRIBUTES oa = {0};
	NTSTATUS st = LsaOpenPolicy(NULL, &oa, POLICY_LOOKUP_NAMES |
	    POLICY_CREATE_ACCOUNT, pol);

	if (st != 0)
		return win_err(err, len, LsaNtStatusToWinError(st),
		    "cannot open", "the local security policy");
	return 0;
}

static int
right_get(struct winhost *w, const char *right, const char *account,
    char **v, char *err, size_t len)
{
	LSA_HANDLE pol;
	LSA_UNICODE_STRING *rights = NULL;
	ULONG n = 0;
	PSID sid;
	wchar_t *wr;

	(void)w;
	if (account_sid(account, &sid, err, len) != 0)
		return -1;
	if (lsa_open(&pol, err, len) != 0) {
		free(sid);
		return -1;
	}
	wr = wide(right);
	if (LsaEnumerateAccountRights(pol, sid, &rights, &n) == 0) {
		for (ULONG i = 0; i < n; i++)
			if (rights[i].Length == wcslen(wr) * sizeof(wchar_t) &&
			    _wcsnicmp(rights[i].Buffer, wr, wcslen(wr)) == 0)
				*v = xstrdup("granted");
		LsaFreeMemory(rights);
	}
	free(wr);
	LsaClose(pol);
	free(sid);
	return 0;
}

static int
right_set(struct winhost *w, const char *right, const char *account,
    const char *v, char *err, size_t len)
{
	LSA_HANDLE pol;
	LSA_UNICODE_STRING r;
	wchar_t *wr = wide(right);
	NTSTATUS st;
	PSID sid;

	(void)w;
	if (account_sid(account, &sid, err, len) != 0) {
		free(wr);
		return -1;
	}
	if (lsa_open(&pol, err, len) != 0) {
		free(sid);
		free(wr);
		return -1;
	}
	lsa_string(&r, wr);
	st = v ? LsaAddAccountRights(pol, sid, &r, 1) :
	    LsaRemoveAccountRights(pol, sid, FALSE, &r, 1);
	LsaClose(pol);
	free(sid);
	free(wr);
	if (st != 0 && LsaNtStatusToWinError(st) != ERROR_FILE_NOT_FOUND)
		return win_err(err, len, LsaNtStatusToWinError(st), v ?
		    "cannot grant" : "cannot revoke", right);
	return 0;
}

/* ---- services ---------------------------------------------------------- */

static int
service_get(struct winhost *wh, const char *name, const char *unused,
    char **v, char *err, size_t len)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc;
	SERVICE_STATUS_PROCESS st;
	DWORD got;
	wchar_t *w;

	(void)wh;
	(void)unused;
	if (scm == NULL)
		return win_err(err, len, GetLastError(), "cannot open",
		    "the service manager");
	w = wide(name);
	svc = OpenServiceW(scm, w, SERVICE_QUERY_STATUS);
	free(w);
	/* Absent: *v stays NULL. A service between states is not running;
	 * the two values are what the dir driver's services.txt holds. */
	if (svc != NULL && QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO,
	    (BYTE *)&st, sizeof st, &got))
		*v = xstrdup(st.dwCurrentState == SERVICE_RUNNING ? "running" :
		    "stopped");
	if (svc != NULL)
		CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return 0;
}

static int
service_set(struct winhost *wh, const char *name, const char *unused,
    const char *v, char *err, size_t len)
{
	SC_HANDLE scm, svc;
	SERVICE_STATUS st;
	DWORD want;
	wchar_t *w;
	int rc = 0;

	(void)wh;
	(void)unused;
	if (v == NULL) {
		snprintf(err, len, "ndeswiz does not delete services (%s)",
		    name);
		return -1;
	}
	want = strcmp(v, "running") == 0 ? SERVICE_RUNNING : SERVICE_STOPPED;
	if ((scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT)) == NULL)
		return win_err(err, len, GetLastError(), "cannot open",
		    "the service manager");
	w = wide(name);
	svc = OpenServiceW(scm, w, SERVICE_START | SERVICE_STOP |
	    SERVICE_QUERY_STATUS);
	free(w);
	if (svc == NULL ||
	    (want == SERVICE_RUNNING ? !StartServiceW(svc, 0, NULL) &&
	    GetLastError() != ERROR_SERVICE_ALREADY_RUNNING :
	    !ControlService(svc, SERVICE_CONTROL_STOP, &st) &&
	    GetLastError() != ERROR_SERVICE_NOT_ACTIVE))
		rc = win_err(err, len, GetLastError(), want == SERVICE_RUNNING ?
		    "cannot start" : "cannot stop", name);
	/* Durable means done: wait for the state, a minute at most. */
	for (int i = 0; rc == 0 && i < 600 && QueryServiceStatus(svc, &st) &&
	    st.dwCurrentState != want; i++)
		Sleep(100);
	if (svc != NULL)
		CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return rc;
}

/* ---- features, SPNs, the NDES role: the tools --------------------------- */

static int
feature_get(struct winhost *w, const char *name, const char *unused,
    char **v, char *err, size_t len)
{
	char *script = wincmd_feature_query(name), *out = NULL;
	int rc = powershell(w, script, NULL, 0, &out, err, len);

	(void)unused;
	if (rc == 0 && strcmp(str_trim(out), "Installed") == 0)
		*v = xstrdup("installed");
	free(out);
	free(script);
	return rc;
}

static int
feature_set(struct winhost *w, const char *name, const char *unused,
    const char *v, char *err, size_t len)
{
	char *script = wincmd_feature_script(name, v != NULL);
	int rc = powershell(w, script, NULL, 0, NULL, err, len);

	(void)unused;
	free(script);
	return rc;
}

static int
spn_get(struct winhost *w, const char *account, const char *spn, char **v,
    char *err, size_t len)
{
	char *exe = sys_tool(w, "setspn.exe");
	char *line = wincmd_setspn_list(exe, account), *out = NULL, **names;
	size_t n = 0;
	int rc = run_checked(line, NULL, 0, &out, err, len);

	if (rc == 0) {
		names = wincmd_setspn_parse(out, &n);
		for (size_t i = 0; i < n; i++)
			if (str_ieq(names[i], spn))
				*v = xstrdup("registered");
		str_list_free(names, n);
	}
	free(out);
	free(line);
	free(exe);
	return rc;
}

static int
spn_set(struct winhost *w, const char *account, const char *spn,
    const char *v, char *err, size_t len)
{
	char *exe = sys_tool(w, "setspn.exe");
	char *line = wincmd_setspn(exe, account, spn, v != NULL);
	int rc = run_checked(line, NULL, 0, NULL, err, len);

	free(line);
	free(exe);
	return rc;
}

/* What was installed, as the role's value says it: Windows cannot say
 * which parameters a role was installed with, so we keep them. */
static char *
role_file(struct winhost *w, const char *role)
{
	return xasprintf("%s/role-%s.txt", w->state, role);
}

static int
role_get(struct winhost *w, const char *role, const char *name,
    char **v, char *err, size_t len)
{
	char *present = NULL, *path, *data = NULL;
	size_t n;

	(void)name;
	if (regkey_get(w, MSCEP_KEY, NULL, &present, err, len) != 0)
		return -1;
	if (present == NULL)
		return 0;
	free(present);
	path = role_file(w, role);
	if (file_read(path, 65536, &data, &n) == 0)
		*v = data;
	else
		*v = xstrdup("(configured, not by ndeswiz)");
	free(path);
	return 0;
}

static int
role_set(struct winhost *w, const char *role, const char *name,
    const char *v, char *err, size_t len)
{
	char *script, *ref = NULL, *cur = NULL, *path = role_file(w, role);
	struct secret pw = {0};
	int rc = -1;

	(void)name;
	if (strcmp(role, "ADCS-Device-Enrollment") != 0) {
		snprintf(err, len, "ndeswiz configures no role '%s'", role);
		goto out;
	}
	if (role_get(w, role, NULL, &cur, err, len) != 0)
		goto out;
	/* A new configuration is a reinstall: the cmdlet has no "change". */
	if (cur != NULL) {
		script = wincmd_role_uninstall_script();
		rc = powershell(w, script, NULL, 0, NULL, err, len);
		free(script);
		if (rc != 0)
			goto out;
		remove(path);
	}
	rc = 0;
	if (v == NULL)
		goto out;
	if ((script = wincmd_role_install_script(v, &ref, err, len)) == NULL) {
		rc = -1;
		goto out;
	}
	if (ref != NULL && secret_resolve(ref,
	    fields_table[F_ACCOUNTS_NDES_SERVICE_PASSWORD].label, &pw, err,
	    len) != 0)
		rc = -1;
	/* The password is the one line the script reads from stdin (the
	 * buffer holds SECRET_MAX + 1 bytes: room for the newline). */
	if (rc == 0 && pw.p != NULL)
		pw.p[pw.len] = '\n';
	if (rc == 0)
		rc = powershell(w, script, pw.p, pw.p ? pw.len + 1 : 0, NULL,
		    err, len);
	secret_wipe(&pw);
	free(script);
	free(ref);
	if (rc == 0 && file_write_atomic(path, v, strlen(v), 0600) != 0) {
		snprintf(err, len, "cannot write %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
out:
	free(cur);
	free(path);
	return rc;
}

/* ---- IIS: read the config file, write through appcmd ------------------- */

static struct iiscfg *
iis_load(struct winhost *w, char *err, size_t len)
{
	char *path = xasprintf("%s/inetsrv/config/applicationHost.config",
	    w->sysdir), *data;
	struct iiscfg *c = NULL;
	size_t n;

	if (file_read(path, IISCFG_MAX_SIZE, &data, &n) == 0) {
		c = iiscfg_parse(path, data, n, err, len);
		free(data);
	} else if (errno != ENOENT)
		snprintf(err, len, "cannot read %s: %s", path,
		    strerror(errno));
	else
		err[0] = '\0'; /* no IIS: nothing is there */
	free(path);
	return c;
}

static int
iis_read(struct winhost *w, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	struct iiscfg *c = iis_load(w, err, len);
	int rc = 0;

	if (c == NULL)
		return err[0] ? -1 : 0;
	if (kind == RES_IISELEM && str_eq(name, HOST_IIS_INDEX)) {
		rc = iiscfg_elem_index(c, path, err, len);
		*v = rc >= 0 ? xasprintf("%d", rc) : NULL;
		rc = rc == -2 ? -1 : 0;
	} else if (kind == RES_IISELEM) {
		rc = iiscfg_elem_exists(c, path, err, len);
		*v = rc == 1 ? xstrdup("present") : NULL;
		rc = rc < 0 ? -1 : 0;
	} else
		*v = iiscfg_attr_get(c, path, name);
	iiscfg_free(c);
	return rc;
}

static int
iis_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len)
{
	return iis_read(w, RES_IIS, path, name, v, err, len);
}

static int
iiselem_get(struct winhost *w, const char *path, const char *name,
    char **v, char *err, size_t len)
{
	return iis_read(w, RES_IISELEM, path, name, v, err, len);
}

static int
iis_run(struct winhost *w, char *line, char *err, size_t len)
{
	int rc = line ? run_checked(line, NULL, 0, NULL, err, len) : -1;

	(void)w;
	free(line);
	return rc;
}

static int
iis_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	char *exe = sys_tool(w, "inetsrv\\appcmd.exe");
	int rc = iis_run(w, wincmd_appcmd_attr(exe, path, name, v, err, len),
	    err, len);

	free(exe);
	return rc;
}

static int
iiselem_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	char *exe = sys_tool(w, "inetsrv\\appcmd.exe");
	int rc;

	/* name HOST_IIS_INDEX asks for a position: appcmd's "/+" appends to
	 * the collection and no position syntax for it is documented (the
	 * documented ones are Add-WebConfiguration -AtIndex and
	 * IAppHostElementCollection::AddElement), so here the element goes
	 * back at the end of its collection. */
	(void)name;
	rc = iis_run(w, wincmd_appcmd_elem(exe, path, v != NULL, err, len),
	    err, len);
	free(exe);
	return rc;
}

/* ---- files the plan writes for the admin ------------------------------- */

static int
plain_name(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return 0;
	return 1;
}

static int
file_get(struct winhost *w, const char *name, const char *unused,
    char **v, char *err, size_t len)
{
	char *path;
	size_t n;
	int rc = 0;

	(void)unused;
	if (!plain_name(name)) {
		snprintf(err, len, "'%s' is not a plain file name", name);
		return -1;
	}
	path = path_join(w->state, name);
	if (file_read(path, OUT_MAX, v, &n) != 0 && errno != ENOENT) {
		snprintf(err, len, "cannot read %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

static int
file_set(struct winhost *w, const char *name, const char *unused,
    const char *v, char *err, size_t len)
{
	char *path;
	int rc = 0;

	(void)unused;
	if (!plain_name(name)) {
		snprintf(err, len, "'%s' is not a plain file name", name);
		return -1;
	}
	path = path_join(w->state, name);
	if (v == NULL ? remove(path) != 0 && errno != ENOENT :
	    file_write_atomic(path, v, strlen(v), 0600) != 0) {
		snprintf(err, len, "cannot write %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

/* ---- the driver -------------------------------------------------------- */

/* Where each kind lives on the server. */
static const struct winres {
	int (*get)(struct winhost *, const char *path, const char *name,
	    char **, char *err, size_t len);
	int (*set)(struct winhost *, const char *path, const char *name,
	    const char *, char *err, size_t len);
} winres[RES__COUNT] = {
	[RES_REGKEY] = { regkey_get, regkey_set },
	[RES_REG] = { reg_get, reg_set },
	[RES_FEATURE] = { feature_get, feature_set },
	[RES_GROUP] = { group_get, group_set },
	[RES_SPN] = { spn_get, spn_set },
	[RES_RIGHT] = { right_get, right_set },
	[RES_IISELEM] = { iiselem_get, iiselem_set },
	[RES_IIS] = { iis_get, iis_set },
	[RES_CERT] = { cert_get, cert_set },
	[RES_SSLBIND] = { ssl_get, ssl_set },
	[RES_PROXY] = { proxy_get, proxy_set },
	[RES_SERVICE] = { service_get, service_set },
	[RES_ROLE] = { role_get, role_set },
	[RES_FILE] = { file_get, file_set },
};

static const struct winres *
res_of(enum res_kind kind, char *err, size_t len)
{
	if ((int)kind < 0 || kind >= RES__COUNT || winres[kind].get == NULL) {
		snprintf(err, len, "unknown resource kind %d", (int)kind);
		return NULL;
	}
	return &winres[kind];
}

static int
win_get(struct host *h, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	const struct winres *r = res_of(kind, err, len);

	return r ? r->get(W(h), path, name, v, err, len) : -1;
}

static int
win_set(struct host *h, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	const struct winres *r = res_of(kind, err, len);

	return r ? r->set(W(h), path, name, v, err, len) : -1;
}

static int
win_list(struct host *h, enum res_kind kind, const char *path, char ***names,
    size_t *n, char *err, size_t len)
{
	(void)h;
	*names = NULL;
	*n = 0;
	if (kind == RES_REG)
		return reg_enum(path, 0, names, n, err, len);
	if (kind == RES_REGKEY && path != NULL)
		return reg_enum(path, 1, names, n, err, len);
	if (kind == RES_CERT)
		return cert_list(path, names, n, err, len);
	if (kind == RES_SSLBIND)
		return ssl_list(names, n, err, len);
	if (kind == RES_GROUP && path != NULL)
		return group_members(path, names, n, err, len);
	snprintf(err, len, "%s cannot be listed on a live server",
	    res_kind_name(kind));
	return -1;
}

/* ---- facts ------------------------------------------------------------- */

static void
computer_name(COMPUTER_NAME_FORMAT fmt, char *out, size_t size)
{
	wchar_t w[256];
	DWORD n = sizeof w / sizeof w[0];
	char *s;

	if (!GetComputerNameExW(fmt, w, &n))
		return;
	s = narrow(w, -1);
	snprintf(out, size, "%s", s);
	free(s);
}

static void
facts_domain(struct host_facts *f)
{
	DSROLE_PRIMARY_DOMAIN_INFO_BASIC *info = NULL;
	char *s;

	if (DsRoleGetPrimaryDomainInformation(NULL,
	    DsRolePrimaryDomainInfoBasic, (PBYTE *)&info) != ERROR_SUCCESS)
		return;
	/* DSROLE_MACHINE_ROLE counts as Win32_ComputerSystem.DomainRole. */
	f->domain_role = (int)info->MachineRole;
	f->part_of_domain =
	    info->MachineRole != DsRole_RoleStandaloneWorkstation &&
	    info->MachineRole != DsRole_RoleStandaloneServer;
	if (f->part_of_domain && info->DomainNameFlat != NULL) {
		s = narrow(info->DomainNameFlat, -1);
		snprintf(f->netbios_domain, sizeof f->netbios_domain, "%s", s);
		free(s);
	}
	DsRoleFreeMemory(info);
}

/* RtlGetVersion tells the truth; GetVersionEx lies without a manifest. */
static void
facts_os(struct host_facts *f)
{
	typedef LONG (WINAPI *rtlgv)(OSVERSIONINFOW *);
	OSVERSIONINFOW vi = { .dwOSVersionInfoSize = sizeof vi };
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	rtlgv fn = nt ? (rtlgv)(void *)GetProcAddress(nt, "RtlGetVersion") :
	    NULL;
	char *v = NULL, *t = NULL, err[128];
	const char *cv = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"
	    "Windows NT\\CurrentVersion";

	if (fn != NULL && fn(&vi) == 0) {
		f->os_major = (int)vi.dwMajorVersion;
		f->os_minor = (int)vi.dwMinorVersion;
		f->os_build = (int)vi.dwBuildNumber;
	}
	if (reg_get(NULL, cv, "ProductName", &v, err, sizeof err) == 0 && v) {
		t = regval_get_sz(v);
		snprintf(f->os_caption, sizeof f->os_caption, "%s",
		    t ? t : "");
		free(t);
	}
	free(v);
	v = NULL;
	if (reg_get(NULL, cv, "InstallationType", &v, err,
	    sizeof err) == 0 && v) {
		t = regval_get_sz(v);
		f->server_core = str_ieq(t, "Server Core");
		free(t);
	}
	free(v);
}

static void
facts_elevated(struct host_facts *f)
{
	HANDLE tok;
	TOKEN_ELEVATION e;
	DWORD n;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return;
	if (GetTokenInformation(tok, TokenElevation, &e, sizeof e, &n))
		f->elevated = e.TokenIsElevated != 0;
	CloseHandle(tok);
}

static int
win_facts(struct host *h, struct host_facts *f)
{
	(void)h;
	computer_name(ComputerNameDnsHostname, f->hostname,
	    sizeof f->hostname);
	computer_name(ComputerNameDnsFullyQualified, f->fqdn, sizeof f->fqdn);
	computer_name(ComputerNameDnsDomain, f->domain, sizeof f->domain);
	facts_domain(f);
	facts_os(f);
	facts_elevated(f);
	return 0;
}

/* ---- open and close ---------------------------------------------------- */

static char *
slashes(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '\\')
			*p = '/';
	return s;
}

static char *
env_dir(const wchar_t *name, const char *fallback)
{
	wchar_t w[MAX_PATH];
	DWORD n = GetEnvironmentVariableW(name, w, MAX_PATH);

	return n > 0 && n < MAX_PATH ? narrow(w, -1) : xstrdup(fallback);
}

/*
 * The state folder holds the journal (old values), the last answers and
 * the role's parameters: what 0700 means on POSIX, its own ACL says here.
 * ProgramData lets every user read what it holds; ours lets only SYSTEM
 * and the Administrators in, and inherits nothing.
 */
static void
state_private(const char *path)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	PACL dacl = NULL;
	BOOL present, defaulted;
	wchar_t *w;

	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
	    L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", SDDL_REVISION_1, &sd,
	    NULL))
		return;
	if (GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) &&
	    present) {
		w = wide(path);
		SetNamedSecurityInfoW(w, SE_FILE_OBJECT,
		    DACL_SECURITY_INFORMATION |
		    PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, dacl,
		    NULL);
		free(w);
	}
	LocalFree(sd);
}

/* where: the state folder; "" for %ProgramData%\ndeswiz. */
static int
win_open(struct host *h, const char *where, char *err, size_t len)
{
	struct winhost *w = xcalloc(1, sizeof *w);
	char *pd, *windir;

	h->priv = w;
	if (where != NULL && *where != '\0')
		w->state = slashes(xstrdup(where));
	else {
		pd = env_dir(L"ProgramData", "C:\\ProgramData");
		w->state = slashes(xasprintf("%s/ndeswiz", pd));
		free(pd);
	}
	windir = env_dir(L"SystemRoot", "C:\\Windows");
	w->sysdir = xasprintf("%s\\System32", windir);
	free(windir);
	if (mkdir_p(w->state, 0700) != 0) {
		snprintf(err, len, "cannot make the state folder %s: %s",
		    w->state, strerror(errno));
		free(w->state);
		free(w->sysdir);
		free(w);
		h->priv = NULL;
		return -1;
	}
	state_private(w->state);
	/* One run at a time on this server (lock.h). */
	if ((w->lock = state_lock(w->state, err, len)) == -1) {
		free(w->state);
		free(w->sysdir);
		free(w);
		h->priv = NULL;
		return -1;
	}
	return 0;
}

static void
win_close(struct host *h)
{
	struct winhost *w = W(h);

	if (w == NULL)
		return;
	state_unlock(w->lock);
	free(w->state);
	free(w->sysdir);
	free(w);
	h->priv = NULL;
}

static const char *
win_state_dir(struct host *h)
{
	return W(h)->state;
}

static const char *
win_file_path(struct host *h, const char *name)
{
	struct winhost *w = W(h);

	snprintf(w->pathbuf, sizeof w->pathbuf, "%s/%s", w->state, name);
	return w->pathbuf;
}

const struct host_ops host_win32_ops = {
	.name = "win32",
	.open = win_open,
	.close = win_close,
	.facts = win_facts,
	.get = win_get,
	.set = win_set,
	.list = win_list,
	.state_dir = win_state_dir,
	.file_path = win_file_path,
};
