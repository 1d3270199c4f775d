/*
 * The command lines the win32 driver runs, as pure functions: the same
 * input always gives the same string, on any system. What Windows only
 * offers as a tool (appcmd, setspn, PowerShell) cannot be tested under
 * Wine, so tests/unit/test_wincmd.c checks these strings exactly, on
 * Linux. Every function returns a malloc'd string, or NULL with err.
 */
#ifndef NDESWIZ_WINCMD_H
#define NDESWIZ_WINCMD_H

#include <stddef.h>

/*
 * One argument quoted so that the MSVCRT / CommandLineToArgvW rules give
 * it back unchanged: as is when it holds no blank or quote; else in
 * quotes, a quote as \", and backslashes doubled only where they precede
 * a quote (or the closing one).
 */
char *wincmd_quote(const char *arg);
/* argv (NULL-terminated) quoted and joined by single spaces. */
char *wincmd_join(const char *const *argv);

/* A PowerShell single-quoted string literal: ' and its typographic
 * kin (U+2018..U+201B, which PowerShell treats as quotes too) doubled. */
char *wincmd_ps_quote(const char *s);
/* Base64 of the script in UTF-16LE, as -EncodedCommand takes it. */
char *wincmd_ps_encode(const char *script);
/* powershell.exe (full path in exe) running script without a profile,
 * prompts or execution policy; the script never goes through argv
 * quoting, and a secret is never in it (it reads stdin). */
char *wincmd_powershell(const char *exe, const char *script);

/* Install-/Uninstall-WindowsFeature, failing unless it succeeded. */
char *wincmd_feature_script(const char *feature, int install);
/* Prints the name of every installed feature, one a line: one run for
 * what a plan asks of ten features (each run loads Server Manager's
 * module, about a second on a server). */
char *wincmd_features_installed(void);

/*
 * The NDES role. value is RES_ROLE's: PowerShell parameters as backend/
 * ndes.c writes them (-Name 'text', a switch -Name, or -Name <secret
 * reference>). Only the parameters of Install-AdcsNetworkDevice-
 * EnrollmentService are accepted, every value is quoted anew, and the one
 * secret (the service account's password) is read from the first line of
 * stdin: *secret_ref gets its reference (caller frees; NULL when none).
 */
char *wincmd_role_install_script(const char *value, char **secret_ref,
    char *err, size_t len);
char *wincmd_role_uninstall_script(void);

/* setspn.exe -s / -d SPN ACCOUNT, and -l ACCOUNT. */
char *wincmd_setspn(const char *exe, const char *account, const char *spn,
    int add);
char *wincmd_setspn_list(const char *exe, const char *account);
/* The SPNs of "setspn -l" output, one per indented line. */
char **wincmd_setspn_parse(const char *out, size_t *n);

/*
 * appcmd.exe for an IIS config path (iiscfg.h's "LOCATION|ELEMENTS"):
 * set or clear (value NULL) an attribute; add (present) or remove a
 * collection element. The section is the longest known section name
 * that starts ELEMENTS.
 */
char *wincmd_appcmd_attr(const char *exe, const char *path,
    const char *attr, const char *value, char *err, size_t len);
char *wincmd_appcmd_elem(const char *exe, const char *path, int present,
    char *err, size_t len);
/*
 * The same element put back at a position among its siblings (rollback
 * of a removed binding): appcmd's "/+" can only append, so this is a
 * PowerShell script for Add-WebConfiguration -AtIndex (WebAdministration,
 * documented with it).
 */
char *wincmd_iis_insert_script(const char *path, int index, char *err,
    size_t len);

#endif
