/*
 * The exact command lines the win32 driver runs. appcmd, setspn and
 * PowerShell do not exist under Wine, so this is where their input is
 * proved: argv quoting by the MSVCRT rules, PowerShell quoting, the
 * parameters of the NDES role (and that a secret never lands in them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "host/wincmd.h"
#include "util.h"
#ifdef _WIN32
#include "host/win32-priv.h"
#include "utf.h"
#endif

#define APPCMD "C:\\Windows\\System32\\inetsrv\\appcmd.exe"
#define SETSPN "C:\\Windows\\System32\\setspn.exe"
#define PS "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"

static void
eq(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_quote(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "\"\"" },
		{ "two words", "\"two words\"" },
		{ "C:\\Program Files\\x", "\"C:\\Program Files\\x\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "ends\\", "ends\\" },
		{ "sp ends\\", "\"sp ends\\\\\"" },
		{ "a\\\"b", "\"a\\\\\\\"b\"" },
		{ "a\\\\b c", "\"a\\\\b c\"" },
		{ "tab\there", "\"tab\there\"" },
		{ "/[name='SCEP'].x:1", "/[name='SCEP'].x:1" },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++)
		eq(wincmd_quote(cases[i].in), cases[i].out);
}

static void
test_join(void **state)
{
	const char *argv[] = { "C:\\a b\\x.exe", "-s", "HTTP/ndes", "C\\svc",
	    NULL };

	(void)state;
	eq(wincmd_join(argv), "\"C:\\a b\\x.exe\" -s HTTP/ndes C\\svc");
}

static void
test_ps_quote(void **state)
{
	(void)state;
	eq(wincmd_ps_quote("plain"), "'plain'");
	eq(wincmd_ps_quote("O'Brien"), "'O''Brien'");
	eq(wincmd_ps_quote("a\xe2\x80\x99" "b"), "'a\xe2\x80\x99\xe2\x80\x99"
	    "b'");
	eq(wincmd_ps_quote("$(calc) `x` \"y\""), "'$(calc) `x` \"y\"'");
}

static void
test_ps_encode(void **state)
{
	(void)state;
	/* "ab" in UTF-16LE is 61 00 62 00. */
	eq(wincmd_ps_encode("ab"), "YQBiAA==");
	/* U+00FC and U+1F600 (a surrogate pair). */
	eq(wincmd_ps_encode("\xc3\xbc"), "/AA=");
	eq(wincmd_ps_encode("\xf0\x9f\x98\x80"), "PdgA3g==");
	eq(wincmd_powershell(PS, "ab"), PS " -NoLogo -NoProfile "
	    "-NonInteractive -ExecutionPolicy Bypass -EncodedCommand YQBiAA==");
}

static void
test_feature(void **state)
{
	(void)state;
	eq(wincmd_feature_script("Web-Server", 1), "$ErrorActionPreference = "
	    "'Stop'; $r = Install-WindowsFeature -Name 'Web-Server'; "
	    "if (-not $r.Success) { exit 1 }");
	eq(wincmd_feature_script("ADCS-Device-Enrollment", 0),
	    "$ErrorActionPreference = 'Stop'; $r = Uninstall-WindowsFeature "
	    "-Name 'ADCS-Device-Enrollment'; if (-not $r.Success) { exit 1 }");
	eq(wincmd_features_installed(), "$ErrorActionPreference = 'Stop'; "
	    "Get-WindowsFeature | Where-Object { $_.InstallState -eq "
	    "'Installed' } | ForEach-Object { $_.Name }");
}

static void
test_role(void **state)
{
	char err[256], *ref = NULL, *s;

	(void)state;
	s = wincmd_role_install_script("-ServiceAccountName 'CONTOSO\\svc-"
	    "ndes' -ServiceAccountPassword <env:NDES_SVC_PASSWORD> "
	    "-CAConfig 'ca01.contoso.com\\Contoso Issuing CA' -RAName "
	    "'O''Brien RA' -RACountry 'US'", &ref, err, sizeof err);
	eq(s, "$ErrorActionPreference = 'Stop'; $in = New-Object "
	    "System.IO.StreamReader -ArgumentList @([Console]::"
	    "OpenStandardInput(), (New-Object System.Text.UTF8Encoding "
	    "-ArgumentList $false)); $secret = ConvertTo-SecureString -String "
	    "$in.ReadLine() -AsPlainText -Force; "
	    "Install-AdcsNetworkDeviceEnrollmentService "
	    "-ServiceAccountName 'CONTOSO\\svc-ndes' -ServiceAccountPassword "
	    "$secret -CAConfig 'ca01.contoso.com\\Contoso Issuing CA' -RAName "
	    "'O''Brien RA' -RACountry 'US' -Force | Out-Null");
	eq(ref, "env:NDES_SVC_PASSWORD");
	s = wincmd_role_install_script("-ApplicationPoolIdentity -CAConfig "
	    "'ca\\CA'", &ref, err, sizeof err);
	assert_null(ref);
	eq(s, "$ErrorActionPreference = 'Stop'; Install-AdcsNetworkDevice"
	    "EnrollmentService -ApplicationPoolIdentity -CAConfig 'ca\\CA' "
	    "-Force | Out-Null");
	eq(wincmd_role_uninstall_script(), "$ErrorActionPreference = 'Stop'; "
	    "Uninstall-AdcsNetworkDeviceEnrollmentService -Force | Out-Null");
}

/* Nothing but the cmdlet's own parameters, values re-quoted, and the
 * password only ever a reference. */
static void
test_role_refused(void **state)
{
	static const char *const bad[] = {
		"-CAConfig 'x'; Remove-Item C:\\ -Recurse",
		"-Confirm:$false",
		"-ServiceAccountPassword 'Passw0rd!'",
		"-ServiceAccountPassword <env:A> "
		    "-ServiceAccountPassword <env:B>",
		"-CAConfig 'unterminated",
		"-CAConfig bare",
		"CAConfig 'x'",
	};
	char err[256], *ref = (char *)1;

	(void)state;
	for (size_t i = 0; i < nitems(bad); i++) {
		err[0] = '\0';
		assert_null(wincmd_role_install_script(bad[i], &ref, err,
		    sizeof err));
		assert_null(ref);
		assert_true(err[0] != '\0');
	}
}

static void
test_setspn(void **state)
{
	char **v;
	size_t n;

	(void)state;
	eq(wincmd_setspn(SETSPN, "CONTOSO\\svc-ndes", "HTTP/ndes.contoso.com",
	    1), SETSPN " -s HTTP/ndes.contoso.com CONTOSO\\svc-ndes");
	eq(wincmd_setspn(SETSPN, "CONTOSO\\svc ndes", "HTTP/ndes", 0),
	    SETSPN " -d HTTP/ndes \"CONTOSO\\svc ndes\"");
	eq(wincmd_setspn_list(SETSPN, "CONTOSO\\svc-ndes"), SETSPN " -l "
	    "CONTOSO\\svc-ndes");
	v = wincmd_setspn_parse("Registered ServicePrincipalNames for CN=svc-"
	    "ndes,OU=Svc,DC=contoso,DC=com:\r\n\tHTTP/ndes.contoso.com\r\n"
	    "\tHTTP/ndes\r\n", &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "HTTP/ndes.contoso.com");
	assert_string_equal(v[1], "HTTP/ndes");
	str_list_free(v, n);
}

static void
test_appcmd(void **state)
{
	char err[256];

	(void)state;
	eq(wincmd_appcmd_attr(APPCMD, "Default Web Site|system.webServer/"
	    "security/requestFiltering/requestLimits", "maxUrl", "65534", err,
	    sizeof err), APPCMD " set config \"Default Web Site\" "
	    "-section:system.webServer/security/requestFiltering "
	    "/requestLimits.maxUrl:65534 /commit:apphost");
	eq(wincmd_appcmd_attr(APPCMD, "Default Web Site|system.webServer/"
	    "security/requestFiltering/requestLimits", "maxUrl", NULL, err,
	    sizeof err), APPCMD " clear config \"Default Web Site\" "
	    "-section:system.webServer/security/requestFiltering "
	    "/requestLimits.maxUrl /commit:apphost");
	eq(wincmd_appcmd_attr(APPCMD, "|system.applicationHost/"
	    "applicationPools/add[@name='SCEP']/processModel", "identityType",
	    "SpecificUser", err, sizeof err), APPCMD " set config "
	    "-section:system.applicationHost/applicationPools "
	    "/[name='SCEP'].processModel.identityType:SpecificUser "
	    "/commit:apphost");
	eq(wincmd_appcmd_elem(APPCMD, "|system.applicationHost/sites/"
	    "site[@name='Default Web Site']/bindings/binding[@protocol='https']"
	    "[@bindingInformation='*:443:']", 1, err, sizeof err), APPCMD
	    " set config -section:system.applicationHost/sites "
	    "\"/+[name='Default Web Site'].bindings.[protocol='https',"
	    "bindingInformation='*:443:']\" /commit:apphost");
	eq(wincmd_appcmd_elem(APPCMD, "Default Web Site|system.webServer/"
	    "security/requestFiltering/hiddenSegments/add[@segment="
	    "'mscep_admin']", 0, err, sizeof err), APPCMD " set config "
	    "\"Default Web Site\" -section:system.webServer/security/"
	    "requestFiltering /-hiddenSegments.[segment='mscep_admin'] "
	    "/commit:apphost");
	/* A path with a '/' inside a key value is one step. */
	eq(wincmd_appcmd_elem(APPCMD, "|system.applicationHost/sites/site"
	    "[@name='Default Web Site']/application[@path='/CertSrv/"
	    "mscep_admin']", 0, err, sizeof err), APPCMD " set config "
	    "-section:system.applicationHost/sites \"/-[name='Default Web "
	    "Site'].[path='/CertSrv/mscep_admin']\" /commit:apphost");
}

static void
test_iis_insert(void **state)
{
	char err[256];

	(void)state;
	eq(wincmd_iis_insert_script("|system.applicationHost/sites/"
	    "site[@name='Default Web Site']/bindings/binding[@protocol='https']"
	    "[@bindingInformation='*:443:']", 1, err, sizeof err),
	    "$ErrorActionPreference = 'Stop'; Import-Module WebAdministration; "
	    "Add-WebConfiguration -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "
	    "'/system.applicationHost/sites/site[@name=''Default Web Site'']/"
	    "bindings' -AtIndex 1 -Value @{protocol='https';"
	    "bindingInformation='*:443:'}");
	/* A location, and a '/' inside a key value staying in its step. */
	eq(wincmd_iis_insert_script("Default Web Site|system.webServer/"
	    "security/requestFiltering/hiddenSegments/add[@segment='a/b']", 0,
	    err, sizeof err), "$ErrorActionPreference = 'Stop'; "
	    "Import-Module WebAdministration; Add-WebConfiguration -PSPath "
	    "'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site' -Filter "
	    "'/system.webServer/security/requestFiltering/hiddenSegments' "
	    "-AtIndex 0 -Value @{segment='a/b'}");
	assert_null(wincmd_iis_insert_script("|system.applicationHost/sites/"
	    "site[@name='x']/limits", 0, err, sizeof err));
	assert_non_null(strstr(err, "collection item"));
	assert_null(wincmd_iis_insert_script("|system.web/other[@a='1']", 0,
	    err, sizeof err));
	assert_null(wincmd_iis_insert_script("|system.applicationHost/sites/"
	    "site[@name='x']", -1, err, sizeof err));
}

static void
test_appcmd_refused(void **state)
{
	char err[256];

	(void)state;
	assert_null(wincmd_appcmd_attr(APPCMD, "no bar", "a", "1", err,
	    sizeof err));
	assert_null(wincmd_appcmd_attr(APPCMD, "|system.web/other", "a", "1",
	    err, sizeof err));
	assert_null(wincmd_appcmd_elem(APPCMD, "Default Web Site|system."
	    "webServer/security/requestFiltering/requestLimits", 1, err,
	    sizeof err));
	assert_null(wincmd_appcmd_elem(APPCMD, "|system.applicationHost/"
	    "sites/site[@name='a,b']", 1, err, sizeof err));
}

#ifdef _WIN32
/* A CreateProcess failure on PowerShell's -EncodedCommand line once read
 * "cannot run Z:\\...\\powershell.exe -NoLogo ... JABFAHIA" and no more:
 * the line filled the message. Windows' code must still be in it, and a
 * cut must not split a character. */
static void
test_err_long_line(void **state)
{
	char script[2000], on[400], err[512];
	char *line;

	(void)state;
	memset(script, 'x', sizeof script - 1);
	script[sizeof script - 1] = '\0';
	line = wincmd_powershell(PS, script);
	win_err(err, sizeof err, ERROR_FILE_NOT_FOUND, "cannot run", line);
	free(line);
	assert_non_null(strstr(err, "(error 2)"));
	assert_non_null(strstr(err, "powershell.exe -NoLogo"));
	assert_non_null(strstr(err, "...: "));
	/* An e-acute across byte 200: the cut comes before it. */
	memset(on, 'a', 199);
	strcpy(on + 199, "\xc3\xa9 and more after it");
	win_err(err, sizeof err, ERROR_ACCESS_DENIED, "cannot open", on);
	assert_true(u8_valid(err));
	assert_non_null(strstr(err, "aaa...: "));
	assert_non_null(strstr(err, "(error 5)"));
	/* A short one is whole. */
	win_err(err, sizeof err, ERROR_ACCESS_DENIED, "cannot open", "HKLM\\x");
	assert_non_null(strstr(err, "cannot open HKLM\\x: "));
	assert_null(strstr(err, "..."));
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_ps_quote),
		cmocka_unit_test(test_ps_encode),
		cmocka_unit_test(test_feature),
		cmocka_unit_test(test_role),
		cmocka_unit_test(test_role_refused),
		cmocka_unit_test(test_setspn),
		cmocka_unit_test(test_appcmd),
		cmocka_unit_test(test_appcmd_refused),
		cmocka_unit_test(test_iis_insert),
#ifdef _WIN32
		cmocka_unit_test(test_err_long_line),
#endif
	};

	return cmocka_run_group_tests_name("wincmd", tests, NULL, NULL);
}
