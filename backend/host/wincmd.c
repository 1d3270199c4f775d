/*
 * Command lines for the tools the win32 driver runs. Pure functions, so
 * the exact strings are unit-tested on any system (see wincmd.h).
 */
#include "wincmd.h"
#include "../utf.h"
#include "../util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- argv quoting (MSVCRT rules) --------------------------------------- */

char *
wincmd_quote(const char *arg)
{
	struct buf b = {0};
	size_t slashes = 0;

	if (*arg != '\0' && strpbrk(arg, " \t\n\v\"") == NULL)
		return xstrdup(arg);
	buf_addc(&b, '"');
	for (const char *s = arg;; s++) {
		if (*s == '\\') {
			slashes++;
			continue;
		}
		/* Backslashes count double only before a quote. */
		if (*s == '"' || *s == '\0')
			slashes *= 2;
		for (; slashes > 0; slashes--)
			buf_addc(&b, '\\');
		if (*s == '\0')
			break;
		if (*s == '"')
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	buf_addc(&b, '"');
	return buf_steal(&b);
}

char *
wincmd_join(const char *const *argv)
{
	struct buf b = {0};

	for (size_t i = 0; argv[i] != NULL; i++) {
		char *q = wincmd_quote(argv[i]);

		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, q);
		free(q);
	}
	return buf_steal(&b);
}

/* ---- PowerShell -------------------------------------------------------- */

/* U+2018..U+201B in UTF-8: e2 80 98..9b. */
static int
ps_quote_len(const char *s)
{
	if (*s == '\'')
		return 1;
	if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] >= 0x98 && (unsigned char)s[2] <= 0x9b)
		return 3;
	return 0;
}

char *
wincmd_ps_quote(const char *s)
{
	struct buf b = {0};
	int n;

	buf_addc(&b, '\'');
	while (*s != '\0') {
		if ((n = ps_quote_len(s)) > 0) {
			buf_add(&b, s, (size_t)n);
			buf_add(&b, s, (size_t)n);
			s += n;
		} else
			buf_addc(&b, *s++);
	}
	buf_addc(&b, '\'');
	return buf_steal(&b);
}

static char *
base64(const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b = {0};

	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(&b, abc[v >> 18 & 63]);
		buf_addc(&b, abc[v >> 12 & 63]);
		buf_addc(&b, i + 1 < n ? abc[v >> 6 & 63] : '=');
		buf_addc(&b, i + 2 < n ? abc[v & 63] : '=');
	}
	return buf_steal(&b);
}

char *
wincmd_ps_encode(const char *script)
{
	const unsigned char *s = (const unsigned char *)script;
	size_t len = strlen(script), n;
	struct buf u = {0};
	char unit[4], *out;
	uint32_t c;

	/* An ill-formed byte goes as U+FFFD: the command still runs. */
	for (; (n = u8_decode_lax(s, len, &c)) != 0; s += n, len -= n)
		buf_add(&u, unit, u16le_encode(unit, c));
	out = base64((const unsigned char *)u.p, u.len);
	buf_free(&u);
	return out;
}

char *
wincmd_powershell(const char *exe, const char *script)
{
	char *enc = wincmd_ps_encode(script), *line;
	const char *argv[] = { exe, "-NoLogo", "-NoProfile",
	    "-NonInteractive", "-ExecutionPolicy", "Bypass",
	    "-EncodedCommand", enc, NULL };

	line = wincmd_join(argv);
	free(enc);
	return line;
}

/* Every script stops at the first error and says so by its exit code. */
#define PS_STRICT "$ErrorActionPreference = 'Stop'; "

char *
wincmd_feature_script(const char *feature, int install)
{
	char *q = wincmd_ps_quote(feature), *s;

	s = xasprintf(PS_STRICT "$r = %s-WindowsFeature -Name %s; "
	    "if (-not $r.Success) { exit 1 }", install ? "Install" :
	    "Uninstall", q);
	free(q);
	return s;
}

char *
wincmd_features_installed(void)
{
	return xstrdup(PS_STRICT "Get-WindowsFeature | Where-Object "
	    "{ $_.InstallState -eq 'Installed' } | ForEach-Object { $_.Name }");
}

/* ---- the NDES role ----------------------------------------------------- */

static const struct role_param {
	const char *name;
	enum { RP_TEXT, RP_SWITCH, RP_SECRET } type;
} role_params[] = {
	{ "ServiceAccountName", RP_TEXT },
	{ "ServiceAccountPassword", RP_SECRET },
	{ "ApplicationPoolIdentity", RP_SWITCH },
	{ "CAConfig", RP_TEXT },
	{ "RAName", RP_TEXT },
	{ "RACountry", RP_TEXT },
	{ "RACompany", RP_TEXT },
	{ "RADepartment", RP_TEXT },
	{ "RACity", RP_TEXT },
	{ "RAState", RP_TEXT },
	{ "RAEmail", RP_TEXT },
	{ "SigningProviderName", RP_TEXT },
	{ "SigningKeyLength", RP_TEXT },
	{ "EncryptionProviderName", RP_TEXT },
	{ "EncryptionKeyLength", RP_TEXT },
};

static const struct role_param *
role_param(const char *name, size_t n)
{
	for (size_t i = 0; i < nitems(role_params); i++)
		if (strlen(role_params[i].name) == n &&
		    strncmp(role_params[i].name, name, n) == 0)
			return &role_params[i];
	return NULL;
}

/* 'text' with '' for a quote; *sp past it. NULL when unterminated. */
static char *
read_quoted(const char **sp)
{
	const char *s = *sp + 1;
	struct buf b = {0};

	for (;; s++) {
		if (*s == '\0') {
			buf_free(&b);
			return NULL;
		}
		if (*s == '\'' && s[1] == '\'')
			buf_addc(&b, *s++);
		else if (*s == '\'')
			break;
		else
			buf_addc(&b, *s);
	}
	*sp = s + 1;
	return buf_steal(&b);
}

static const char *
skip_space(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* One "-Name [value]" of the role's value onto the script. */
static int
role_arg(const char **sp, struct buf *ps, char **secret_ref, char *err,
    size_t len)
{
	const char *s = *sp + 1, *e = s;
	const struct role_param *rp;
	char *v, *q;

	while (isalnum((unsigned char)*e))
		e++;
	if ((rp = role_param(s, (size_t)(e - s))) == NULL) {
		snprintf(err, len, "role parameter -%.*s is not one of "
		    "Install-AdcsNetworkDeviceEnrollmentService's",
		    (int)(e - s), s);
		return -1;
	}
	buf_addf(ps, " -%s", rp->name);
	s = skip_space(e);
	if (rp->type == RP_SWITCH) {
		*sp = s;
		return 0;
	}
	if (rp->type == RP_SECRET) {
		if (*s != '<' || (e = strchr(s, '>')) == NULL || *secret_ref) {
			snprintf(err, len, "-%s takes one <reference> to a "
			    "secret, never the secret itself", rp->name);
			return -1;
		}
		*secret_ref = xstrndup(s + 1, (size_t)(e - s - 1));
		buf_adds(ps, " $secret");
		*sp = e + 1;
		return 0;
	}
	if (*s != '\'' || (v = read_quoted(&s)) == NULL) {
		snprintf(err, len, "-%s needs a value in single quotes",
		    rp->name);
		return -1;
	}
	q = wincmd_ps_quote(v);
	buf_addf(ps, " %s", q);
	free(q);
	free(v);
	*sp = s;
	return 0;
}

char *
wincmd_role_install_script(const char *value, char **secret_ref, char *err,
    size_t len)
{
	struct buf args = {0};
	const char *s = skip_space(value);
	char *script;

	*secret_ref = NULL;
	while (*s != '\0') {
		if (*s != '-' || role_arg(&s, &args, secret_ref, err,
		    len) != 0) {
			if (*s != '-')
				snprintf(err, len, "role configuration: "
				    "expected -Parameter at '%.20s'", s);
			buf_free(&args);
			free(*secret_ref);
			*secret_ref = NULL;
			return NULL;
		}
		s = skip_space(s);
	}
	/* The secret comes as one UTF-8 line on stdin: read as UTF-8, not
	 * in the console's code page ([Console]::In), so that a password
	 * outside that code page arrives whole. */
	script = xasprintf(PS_STRICT "%sInstall-AdcsNetworkDeviceEnrollment"
	    "Service%s -Force | Out-Null", *secret_ref ? "$in = New-Object "
	    "System.IO.StreamReader -ArgumentList @([Console]::"
	    "OpenStandardInput(), (New-Object System.Text.UTF8Encoding "
	    "-ArgumentList $false)); $secret = ConvertTo-SecureString "
	    "-String $in.ReadLine() -AsPlainText -Force; " : "",
	    args.p ? args.p : "");
	buf_free(&args);
	return script;
}

char *
wincmd_role_uninstall_script(void)
{
	return xstrdup(PS_STRICT "Uninstall-AdcsNetworkDeviceEnrollment"
	    "Service -Force | Out-Null");
}

/* ---- setspn ------------------------------------------------------------ */

char *
wincmd_setspn(const char *exe, const char *account, const char *spn, int add)
{
	const char *argv[] = { exe, add ? "-s" : "-d", spn, account, NULL };

	return wincmd_join(argv);
}

char *
wincmd_setspn_list(const char *exe, const char *account)
{
	const char *argv[] = { exe, "-l", account, NULL };

	return wincmd_join(argv);
}

/* "Registered ServicePrincipalNames for CN=...:" then one SPN a line,
 * indented. */
char **
wincmd_setspn_parse(const char *out, size_t *n)
{
	char **v = NULL;

	*n = 0;
	for (const char *s = out; *s != '\0';) {
		size_t l = strcspn(s, "\r\n");
		char *line = xstrndup(s, l), *t = str_trim(line);

		if ((*s == ' ' || *s == '\t') && *t != '\0') {
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[(*n)++] = xstrdup(t);
		}
		free(line);
		s += l;
		s += strspn(s, "\r\n");
	}
	return v;
}

/* ---- appcmd ------------------------------------------------------------ */

/* The sections ndeswiz edits, and their parents' kin it may read. */
static const char *const iis_sections[] = {
	"system.applicationHost/applicationPools",
	"system.applicationHost/sites",
	"system.webServer/security/access",
	"system.webServer/security/authentication/anonymousAuthentication",
	"system.webServer/security/authentication/basicAuthentication",
	"system.webServer/security/authentication/windowsAuthentication",
	"system.webServer/security/requestFiltering",
	"system.webServer/httpErrors",
	"system.webServer/directoryBrowse",
};

struct iispath {
	char *location; /* NULL: apphost root */
	const char *section;
	struct buf elem; /* appcmd's element path: a.[k='v'].b */
	int last_is_item; /* the last step had predicates */
};

/* name[@k='v'][@k2="v2"] -> [k='v',k2='v2']; name alone -> name. */
static int
add_step(struct iispath *ip, const char *step, size_t n, char *err,
    size_t len)
{
	const char *s = step, *e = step + n;
	int items = 0;

	if (ip->elem.len > 0)
		buf_addc(&ip->elem, '.');
	while (s < e && *s != '[')
		s++;
	ip->last_is_item = s < e;
	if (s == e) {
		buf_add(&ip->elem, step, n);
		return 0;
	}
	buf_addc(&ip->elem, '[');
	while (s < e && *s == '[') {
		const char *eq = memchr(s, '=', (size_t)(e - s)), *v, *ve;
		char quote;

		if (s[1] != '@' || eq == NULL || (eq[1] != '\'' &&
		    eq[1] != '"'))
			goto bad;
		quote = eq[1];
		v = eq + 2;
		ve = memchr(v, quote, (size_t)(e - v));
		if (ve == NULL || ve + 1 >= e || ve[1] != ']' ||
		    memchr(v, '\'', (size_t)(ve - v)) != NULL ||
		    memchr(v, ',', (size_t)(ve - v)) != NULL)
			goto bad;
		buf_addf(&ip->elem, "%s%.*s='%.*s'", items++ ? "," : "",
		    (int)(eq - s - 2), s + 2, (int)(ve - v), v);
		s = ve + 2;
	}
	if (s != e)
		goto bad;
	buf_addc(&ip->elem, ']');
	return 0;
bad:
	snprintf(err, len, "IIS path step '%.*s' cannot be given to appcmd "
	    "(a key value holds a quote or comma?)", (int)n, step);
	return -1;
}

/* The end of one step: the next '/' outside a quoted key value. */
static const char *
step_end(const char *s)
{
	char quote = 0;

	for (; *s != '\0' && (quote || *s != '/'); s++)
		if (quote == 0 && (*s == '\'' || *s == '"'))
			quote = *s;
		else if (*s == quote)
			quote = 0;
	return s;
}

static int
iispath_parse(struct iispath *ip, const char *path, char *err, size_t len)
{
	const char *bar = strchr(path, '|'), *rest, *s, *e;
	size_t best = 0;

	memset(ip, 0, sizeof *ip);
	if (bar == NULL) {
		snprintf(err, len, "IIS path '%s' has no '|'", path);
		return -1;
	}
	ip->location = bar > path ? xstrndup(path, (size_t)(bar - path)) :
	    NULL;
	rest = bar + 1;
	for (size_t i = 0; i < nitems(iis_sections); i++) {
		size_t n = strlen(iis_sections[i]);

		if (n > best && strncmp(rest, iis_sections[i], n) == 0 &&
		    (rest[n] == '/' || rest[n] == '\0')) {
			ip->section = iis_sections[i];
			best = n;
		}
	}
	if (ip->section == NULL) {
		snprintf(err, len, "IIS path '%s' is not in a section ndeswiz "
		    "edits", path);
		free(ip->location);
		return -1;
	}
	for (s = rest + best; *s == '/'; s = e) {
		e = step_end(s + 1);
		if (add_step(ip, s + 1, (size_t)(e - s - 1), err, len) != 0)
			break;
	}
	if (*s != '\0') {
		if (*s != '/')
			snprintf(err, len, "IIS path '%s': bad section", path);
		free(ip->location);
		buf_free(&ip->elem);
		return -1;
	}
	return 0;
}

static char *
appcmd_line(const char *exe, struct iispath *ip, const char *verb,
    const char *op)
{
	char *section = xasprintf("-section:%s", ip->section), *line;
	const char *argv[] = { exe, verb, "config", NULL, NULL, NULL, NULL,
	    NULL };
	size_t i = 3;

	if (ip->location != NULL)
		argv[i++] = ip->location;
	argv[i++] = section;
	argv[i++] = op;
	argv[i++] = "/commit:apphost";
	line = wincmd_join(argv);
	free(section);
	free(ip->location);
	buf_free(&ip->elem);
	return line;
}

char *
wincmd_appcmd_attr(const char *exe, const char *path, const char *attr,
    const char *value, char *err, size_t len)
{
	struct iispath ip;
	char *op, *line;

	if (iispath_parse(&ip, path, err, len) != 0)
		return NULL;
	op = xasprintf("/%s%s%s%s%s", ip.elem.p ? ip.elem.p : "",
	    ip.elem.len ? "." : "", attr, value ? ":" : "", value ? value :
	    "");
	/* "set config /-x" removes collection items; an attribute goes
	 * back to its inherited value with "clear config". */
	line = appcmd_line(exe, &ip, value ? "set" : "clear", op);
	free(op);
	return line;
}

char *
wincmd_appcmd_elem(const char *exe, const char *path, int present,
    char *err, size_t len)
{
	struct iispath ip;
	char *op, *line;

	if (iispath_parse(&ip, path, err, len) != 0)
		return NULL;
	if (!ip.last_is_item) {
		snprintf(err, len, "IIS path '%s' does not end in a collection "
		    "item ([@key='value']): appcmd cannot add or remove it",
		    path);
		free(ip.location);
		buf_free(&ip.elem);
		return NULL;
	}
	op = xasprintf("/%c%s", present ? '+' : '-', ip.elem.p);
	line = appcmd_line(exe, &ip, "set", op);
	free(op);
	return line;
}

/* The last step's [@k='v'] predicates as a PowerShell hashtable body:
 * k='v';k2='v2'. NULL when the step has none or one is malformed. */
static char *
ps_keys(const char *s, const char *e)
{
	struct buf b = {0};

	while (s < e && *s != '[')
		s++;
	if (s == e)
		return NULL;
	while (s < e && *s == '[') {
		const char *eq = memchr(s, '=', (size_t)(e - s)), *v, *ve;
		char *val, *q;

		if (s[1] != '@' || eq == NULL || (eq[1] != '\'' &&
		    eq[1] != '"'))
			break;
		v = eq + 2;
		ve = memchr(v, eq[1], (size_t)(e - v));
		if (ve == NULL || ve + 1 >= e || ve[1] != ']')
			break;
		val = xstrndup(v, (size_t)(ve - v));
		q = wincmd_ps_quote(val);
		buf_addf(&b, "%s%.*s=%s", b.len ? ";" : "",
		    (int)(eq - s - 2), s + 2, q);
		free(q);
		free(val);
		s = ve + 2;
	}
	if (s != e || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
wincmd_iis_insert_script(const char *path, int index, char *err,
    size_t len)
{
	const char *bar = strchr(path, '|'), *rest, *last = NULL, *s;
	char *loc = NULL, *filter, *keys, *qf, *ql = NULL, *script;
	struct iispath ip;

	/* The same checks appcmd's form has: a known section, items. */
	if (index < 0 || iispath_parse(&ip, path, err, len) != 0)
		return index < 0 ? (snprintf(err, len, "IIS position %d is "
		    "not a position", index), NULL) : NULL;
	free(ip.location);
	buf_free(&ip.elem);
	rest = bar + 1;
	for (s = rest; *s != '\0'; s = *s ? s + 1 : s) {
		s = step_end(s);
		if (*s == '/')
			last = s;
	}
	if (last == NULL ||
	    (keys = ps_keys(last + 1, last + strlen(last))) == NULL) {
		snprintf(err, len, "IIS path '%s' does not end in a collection "
		    "item ([@key='value']): it cannot be inserted", path);
		return NULL;
	}
	if (bar > path) {
		loc = xstrndup(path, (size_t)(bar - path));
		ql = wincmd_ps_quote(loc);
	}
	filter = xasprintf("/%.*s", (int)(last - rest), rest);
	qf = wincmd_ps_quote(filter);
	script = xasprintf(PS_STRICT "Import-Module WebAdministration; "
	    "Add-WebConfiguration -PSPath 'MACHINE/WEBROOT/APPHOST'%s%s "
	    "-Filter %s -AtIndex %d -Value @{%s}", ql ? " -Location " : "",
	    ql ? ql : "", qf, index, keys);
	free(loc);
	free(ql);
	free(filter);
	free(qf);
	free(keys);
	return script;
}
