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
 *
 * This file holds the text helpers, the tool runner, the dispatch table,
 * the facts and open/close; each kind's get and set live in the file
 * named after where Windows keeps it: reg-win32.c, certstore-win32.c,
 * http-win32.c (WinHTTP proxy, HTTP.sys SSL), lsa-win32.c (groups,
 * rights, services), tools-win32.c (features, SPNs, role, IIS).
 */
#include "win32-priv.h"
#include "utf.h"

#define TOOL_TIMEOUT_MS (30 * 60 * 1000) /* Install-WindowsFeature is slow */
#define OUT_MAX (4 * 1024 * 1024)

/* ---- text: UTF-8 in our code, UTF-16 in Windows' (compat.h) ---------- */

/* A command line can be longer than the whole message (PowerShell's
 * -EncodedCommand): cut it, at a character's start, so that Windows'
 * reason and code still fit after it. */
#define ON_MAX 200

int
win_err(char *err, size_t len, DWORD code, const char *what, const char *on)
{
	wchar_t msg[256];
	char *m;
	int n = (int)strlen(on);
	const char *more = "";

	if (n > ON_MAX) {
		for (n = ON_MAX; n > 0 && ((unsigned char)on[n] & 0xC0) == 0x80;
		    n--)
			;
		more = "...";
	}

	if (FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM |
	    FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, msg,
	    sizeof msg / sizeof msg[0], NULL) == 0)
		msg[0] = L'\0';
	m = narrow(msg, -1);
	snprintf(err, len, "%s %.*s%s: %s (error %lu)", what, n, on, more,
	    str_trim(m), (unsigned long)code);
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

/* Console tools (setspn, appcmd, PowerShell's redirected output) write in
 * the OEM code page: what is not UTF-8 is read as that, so that a name
 * outside ASCII comes back as the one we gave. */
static char *
tool_text(char *raw)
{
	wchar_t *w;
	char *u;
	int n;

	if (raw == NULL || u8_valid(raw) ||
	    (n = MultiByteToWideChar(CP_OEMCP, 0, raw, -1, NULL, 0)) <= 0)
		return raw;
	w = xmalloc((size_t)n * sizeof *w);
	MultiByteToWideChar(CP_OEMCP, 0, raw, -1, w, n);
	u = narrow(w, -1);
	free(w);
	free(raw);
	return u;
}

/*
 * When CreateProcess fails the tool never ran, so starting it again
 * cannot do anything twice. Some failures pass: an antivirus holding a
 * program while it scans it, memory or handles short for a moment, and
 * under Wine a child whose start-up failed (seen once in CI, amid a
 * plan's ten PowerShell runs). A program that is missing, malformed or
 * needs elevation fails the same way every time: no second try.
 */
#ifndef ERROR_ELEVATION_REQUIRED
#define ERROR_ELEVATION_REQUIRED 740 /* winerror.h; mingw's lacks it */
#endif
static const DWORD spawn_final[] = {
	ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_BAD_EXE_FORMAT,
	ERROR_INVALID_PARAMETER, ERROR_FILENAME_EXCED_RANGE, ERROR_DIRECTORY,
	ERROR_ELEVATION_REQUIRED, ERROR_EXE_MACHINE_TYPE_MISMATCH,
};
static const DWORD spawn_wait_ms[] = { 250, 1000 }; /* before tries 2, 3 */

static int
spawn_is_final(DWORD code)
{
	for (size_t i = 0; i < nitems(spawn_final); i++)
		if (spawn_final[i] == code)
			return 1;
	return 0;
}

static int
spawn_once(wchar_t *wl, STARTUPINFOW *si, PROCESS_INFORMATION *pi,
    DWORD *code)
{
#ifdef NDESWIZ_TEST_TOOLS
	if (testtools_spawn_fails(code))
		return 0;
#endif
	if (CreateProcessW(NULL, wl, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL,
	    NULL, si, pi))
		return 1;
	*code = GetLastError();
	return 0;
}

/* 0, or -1 + err naming Windows' reason and how many tries it took. */
static int
spawn(const char *cmdline, wchar_t *wl, STARTUPINFOW *si,
    PROCESS_INFORMATION *pi, char *err, size_t len)
{
	DWORD code;
	size_t tries = 0, n;

	for (;;) {
		tries++;
		if (spawn_once(wl, si, pi, &code))
			return 0;
		if (spawn_is_final(code) || tries > nitems(spawn_wait_ms))
			break;
		Sleep(spawn_wait_ms[tries - 1]);
	}
	win_err(err, len, code, "cannot run", cmdline);
	n = strlen(err);
	if (tries > 1 && n < len)
		snprintf(err + n, len - n, "; %zu tries", tries);
	return -1;
}

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
	if (spawn(cmdline, wl, &si, &pi, err, len) != 0) {
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
	r->out = tool_text(buf_steal(&b));
	return 0;
}

/* Run (input: n bytes to its stdin, or NULL); 0 when it exits 0, else
 * -1 with its last output line in err. */
int
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

char *
sys_tool(struct winhost *w, const char *rel)
{
	return xasprintf("%s\\%s", w->sysdir, rel);
}

int
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
	[RES_KEYACL] = { keyacl_get, keyacl_set },
	[RES_INSTALL] = { install_get, install_set },
};

static const struct winres *
res_of(enum res_kind kind, char *err, size_t len)
{
#ifdef NDESWIZ_TEST_TOOLS
	static struct winres stand_in;

	if (testtools_res(kind, &stand_in.get, &stand_in.set))
		return &stand_in;
#endif
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
#ifdef NDESWIZ_TEST_TOOLS
	/* The test build's stand-in machine (testtools-win32.c). */
	if (testtools_facts(f) != 0)
		return -1;
#endif
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
#ifdef NDESWIZ_TEST_TOOLS
	/* The test build's doubles of the tools (testtools-win32.c). */
	testtools_sysdir(&w->sysdir);
#endif
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
	/* One run at a time on this server (lock.h); the journal is reached
	 * through the folder's handle (compat.h's openat on Windows). */
	w->sfd = -1;
	if ((w->lock = state_lock(w->state, err, len)) == -1 ||
	    (w->sfd = openat(AT_FDCWD, w->state, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		if (w->lock != -1) {
			snprintf(err, len, "cannot open the state folder %s: "
			    "%s", w->state, strerror(errno));
			state_unlock(w->lock);
		}
		free(w->state);
		free(w->sysdir);
		free(w);
		h->priv = NULL;
		return -1;
	}
	return 0;
}

/* Every list a tool read (tools-win32.c): a new entry point reads the
 * server afresh. */
static void
win_forget(struct host *h)
{
	toolcache_forget(&W(h)->features);
	toolcache_forget(&W(h)->spns);
}

static void
win_close(struct host *h)
{
	struct winhost *w = W(h);

	if (w == NULL)
		return;
	win_forget(h);
	state_unlock(w->lock);
	close(w->sfd);
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

static int
win_state_fd(struct host *h)
{
	return W(h)->sfd;
}

static const char *
win_file_path(struct host *h, const char *name)
{
	struct winhost *w = W(h);

	/* Shown to the admin: in Windows' own separators (name is a plain
	 * file name: the plan's files sit in the state folder itself). */
	snprintf(w->pathbuf, sizeof w->pathbuf, "%s\\%s",
	    host_state_shown(h), name);
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
	.state_fd = win_state_fd,
	.file_path = win_file_path,
	.forget = win_forget,
};
