/*
 * RES_INSTALL on the server (install.h): run the vendor's installer, or
 * the uninstall entry's own UninstallString, and wait for it. Nothing is
 * added to either command: the admin answers their screens.
 */
#include "win32-priv.h"
#include "install.h"
#include "../authenticode.h"

#define REBOOT_REQUIRED 3010 /* ERROR_SUCCESS_REBOOT_REQUIRED */

/* The uninstall key whose DisplayName is program (caller frees), or
 * NULL. */
static char *
entry_of(struct winhost *w, const char *program)
{
	static const char *const roots[] = { INSTALL_UNINSTALL,
		INSTALL_UNINSTALL32 };
	char *hit = NULL, err[256];

	for (size_t r = 0; r < nitems(roots) && hit == NULL; r++) {
		char **keys = NULL;
		size_t n = 0;

		if (reg_enum(roots[r], 1, &keys, &n, err, sizeof err) != 0)
			continue;
		for (size_t i = 0; i < n && hit == NULL; i++) {
			char *raw = NULL, *name;

			if (reg_get(w, keys[i], "DisplayName", &raw, err,
			    sizeof err) != 0 || raw == NULL)
				continue;
			name = regval_get_sz(raw);
			if (str_ieq(name, program))
				hit = xstrdup(keys[i]);
			free(name);
			free(raw);
		}
		str_list_free(keys, n);
	}
	return hit;
}

int
install_get(struct winhost *w, const char *program, const char *installer,
    char **v, char *err, size_t len)
{
	char *key = entry_of(w, program);

	(void)installer;
	(void)err;
	(void)len;
	*v = key ? xstrdup(INSTALL_PRESENT) : NULL;
	free(key);
	return 0;
}

/* Start cmdline (app: the program, or NULL to take it from cmdline) and
 * wait for it to end. */
static int
run_and_wait(const char *app, const char *cmdline, char *err, size_t len)
{
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	wchar_t *wapp = app ? wide(app) : NULL, *wcmd = wide(cmdline);
	DWORD code = 1;
	BOOL ok;

	memset(&si, 0, sizeof si);
	si.cb = sizeof si;
	ok = CreateProcessW(wapp, wcmd, NULL, NULL, FALSE, 0, NULL, NULL, &si,
	    &pi);
	free(wapp);
	free(wcmd);
	if (!ok)
		return win_err(err, len, GetLastError(), "cannot start",
		    cmdline);
	WaitForSingleObject(pi.hProcess, INFINITE);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	if (code == 0 || code == REBOOT_REQUIRED)
		return 0;
	snprintf(err, len, "%s ended with exit code %lu%s", cmdline,
	    (unsigned long)code, code == 1602 ? " (cancelled)" : "");
	return -1;
}

static int
run_installer(const char *installer, char *err, size_t len)
{
	struct authenticode ac;
	char why[512], *cmd;
	int rc;

	/* Again, right before it runs: the file may have been replaced
	 * since the plan looked at it. */
	if (authenticode_check(installer, &ac, why, sizeof why) != AC_OK) {
		snprintf(err, len, "%s is not run: %s", installer, why);
		return -1;
	}
	cmd = xasprintf("\"%s\"", installer);
	rc = run_and_wait(installer, cmd, err, len);
	free(cmd);
	return rc;
}

static int
run_uninstaller(struct winhost *w, const char *key, char *err, size_t len)
{
	char *raw = NULL, *cmd;
	int rc;

	if (reg_get(w, key, "UninstallString", &raw, err, len) != 0)
		return -1;
	cmd = raw ? regval_get_sz(raw) : NULL;
	free(raw);
	if (cmd == NULL || *cmd == '\0') {
		snprintf(err, len, "%s has no UninstallString: uninstall it in "
		    "Apps and Features", key);
		free(cmd);
		return -1;
	}
	rc = run_and_wait(NULL, cmd, err, len);
	free(cmd);
	return rc;
}

int
install_set(struct winhost *w, const char *program, const char *installer,
    const char *v, char *err, size_t len)
{
	char *key = entry_of(w, program);
	int rc = 0;

	if (install_value_check(v, err, len) != 0)
		rc = -1;
	else if (v != NULL && key == NULL)
		rc = run_installer(installer, err, len);
	else if (v == NULL && key != NULL)
		rc = run_uninstaller(w, key, err, len);
	free(key);
	return rc;
}
