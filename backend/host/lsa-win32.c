/*
 * Accounts: local groups (netapi32), user rights (LSA), services.
 */
#include "win32-priv.h"

/* ---- local groups (netapi32) ------------------------------------------- */

int
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

int
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

int
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

int
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

int
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

int
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
	/* Absent: *v stays NULL; any other failure is said, never taken
	 * for absent. A service between states is not running; the two
	 * values are what the dir driver's services.txt holds. */
	if (svc == NULL) {
		DWORD e = GetLastError();

		CloseServiceHandle(scm);
		return e == ERROR_SERVICE_DOES_NOT_EXIST ? 0 :
		    win_err(err, len, e, "cannot open the service", name);
	}
	if (QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&st,
	    sizeof st, &got))
		*v = xstrdup(st.dwCurrentState == SERVICE_RUNNING ? "running" :
		    "stopped");
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return 0;
}

int
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
