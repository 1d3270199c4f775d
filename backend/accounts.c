/*
 * Accounts: the NDES service account that runs the
 * SCEP app pool, the connector's service account, and SPNs for the alias
 * names devices use.
 *
 * Rules and their sources: README.md, "The steps" (the accounts row) and
 * "The rules about the server" (the accounts.* rows, each with its public
 * source: Microsoft Learn, KB articles).
 */
#include "step.h"
#include "syntax.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STEP "accounts"
#define IIS_IUSRS "IIS_IUSRS"
#define LOGON_RIGHT "SeServiceLogonRight"

static int
ndes_account_used(const struct answers *a)
{
	return answers_want_scep(a) && strcmp(answers_get(a,
	    F_NDES_APP_POOL_IDENTITY), "service-account") == 0;
}

/* One account field: its syntax, and its password reference. */
static void
check_account(const struct answers *a, struct findings *f,
    enum field_id acct, enum field_id pw, const char *what)
{
	const char *name = answers_get(a, acct);
	const char *ref = answers_get(a, pw);
	struct account ac;
	char why[256];

	if (*name == '\0') {
		finding_set_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(acct), "account-missing", "the %s is not set",
		    what),
		    "Enter it as " ACCOUNT_FORMS ".");
		return;
	}
	if (account_parse(name, &ac, why, sizeof why) == ACCOUNT_BAD) {
		finding_set_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(acct), "account-syntax", "%s", why),
		    "Accepted forms: " ACCOUNT_FORMS ".");
		return;
	}
	if (ac.form == ACCOUNT_GMSA && *ref != '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP, field_name(pw),
		    "gmsa-password", "%s is a group managed service account; "
		    "it takes no password", name),
		    "Leave the password empty: Windows manages a gMSA's "
		    "password.");
	else if (ac.form != ACCOUNT_GMSA && *ref == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP, field_name(pw),
		    "password-missing", "the %s %s needs a password", what,
		    name),
		    "Give env:NAME, file:PATH or prompt.");
}

static void
check_spn_names(const struct answers *a, struct findings *f)
{
	size_t n;
	char **v = answers_list(a, F_ACCOUNTS_SPN_NAMES, &n);

	for (size_t i = 0; i < n; i++)
		if (!dns_name_ok(v[i], 0))
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(F_ACCOUNTS_SPN_NAMES), "spn-name-syntax",
			    "'%s' is not a DNS host name", v[i]),
			    "Give host names, e.g. scep.contoso.com.");
	str_list_free(v, n);
}

static void
accounts_validate(const struct answers *a, struct findings *f)
{
	int domain = strcmp(answers_get(a, F_ACCOUNTS_CONNECTOR_ACCOUNT),
	    "domain") == 0;

	if (ndes_account_used(a))
		check_account(a, f, F_ACCOUNTS_NDES_SERVICE_ACCOUNT,
		    F_ACCOUNTS_NDES_SERVICE_PASSWORD, "NDES service account");
	if (domain)
		check_account(a, f, F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT,
		    F_ACCOUNTS_CONNECTOR_PASSWORD, "connector account");
	else if (*answers_get(a, F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT) != '\0')
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT),
		    "connector-account-ignored", "the connector runs as "
		    "SYSTEM, so this account is not used"),
		    "Set connector_account = domain to use it, or clear it.");
	check_spn_names(a, f);
}

/* SPNs are for the names that are not the machine's own: a CNAME or a
 * load balancer. The real host name needs none (scripts that demand one
 * always are wrong). The machine's names come from the facts (FQDN, short
 * name, short name in its domain), never from which name the answers put
 * in [binding] fqdn: the classic NDES layout has the external name there
 * (issue 14 item 3). Only a target whose facts name no host at all falls
 * back to [binding] fqdn. */
static int
spn_needed(const char *name, const struct host_facts *hf,
    const struct answers *a)
{
	size_t n = strlen(hf->hostname);

	if (hf->fqdn[0] == '\0' && hf->hostname[0] == '\0')
		return !str_ieq(name, answers_get(a, F_BINDING_FQDN));
	if (str_ieq(name, hf->fqdn) || str_ieq(name, hf->hostname))
		return 0;
	return !(n > 0 && hf->domain[0] != '\0' &&
	    strncasecmp(name, hf->hostname, n) == 0 && name[n] == '.' &&
	    str_ieq(name + n + 1, hf->domain));
}

static char *
short_name(const char *fqdn)
{
	const char *dot = strchr(fqdn, '.');

	return dot ? xstrndup(fqdn, (size_t)(dot - fqdn)) : xstrdup(fqdn);
}

/* Each SPN the answers want, in order: HTTP/<name>, HTTP/<short>. */
static char **
wanted_spns(const struct answers *a, const struct host_facts *hf, size_t *n)
{
	size_t k;
	char **names = answers_list(a, F_ACCOUNTS_SPN_NAMES, &k), **out;

	out = xcalloc(2 * k + 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; i < k; i++) {
		char *s;

		if (!spn_needed(names[i], hf, a))
			continue;
		out[(*n)++] = xasprintf("HTTP/%s", names[i]);
		s = short_name(names[i]);
		/* ndes01.fabrikam.com on NDES01: "ndes01" is its own. */
		if (strcmp(s, names[i]) != 0 && spn_needed(s, hf, a))
			out[(*n)++] = xasprintf("HTTP/%s", s);
		free(s);
	}
	str_list_free(names, k);
	return out;
}

static int
has(struct host *h, enum res_kind kind, const char *path, const char *name)
{
	char *cur = NULL, err[256];
	int yes;

	host_get(h, kind, path, name, &cur, err, sizeof err);
	yes = cur != NULL;
	free(cur);
	return yes;
}

static void
accounts_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	const char *acct = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);
	struct host_facts hf;
	size_t n;
	char **spns;

	if (!ndes_account_used(a) || *acct == '\0')
		return;
	if (!has(h, RES_GROUP, IIS_IUSRS, acct))
		finding_hint(finding_add(f, SEV_OK, STEP,
		    field_name(F_ACCOUNTS_NDES_SERVICE_ACCOUNT),
		    "not-in-iis-iusrs", "%s is not a member of the local "
		    "group IIS_IUSRS; the SCEP app pool would fail (HTTP 500)",
		    acct),
		    "Apply the plan: it adds the account.");
	if (has(h, RES_GROUP, "Administrators", acct))
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_ACCOUNTS_NDES_SERVICE_ACCOUNT),
		    "ndes-is-admin", "%s is a local administrator, more than "
		    "NDES needs", acct),
		    "Remove it from Administrators; it needs IIS_IUSRS and "
		    "Enroll rights only.");
	host_facts(h, &hf);
	spns = wanted_spns(a, &hf, &n);
	for (size_t i = 0; i < n; i++)
		if (!has(h, RES_SPN, acct, spns[i]))
			finding_hint(finding_add(f, SEV_OK, STEP,
			    field_name(F_ACCOUNTS_SPN_NAMES), "spn-missing",
			    "%s is not registered on %s", spns[i], acct),
			    "Apply the plan: it registers it (setspn -s).");
	str_list_free(spns, n);
}

static void
accounts_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	const char *acct = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);
	const char *conn = answers_get(a, F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT);
	struct host_facts hf;
	size_t n;
	char **spns, *why;

	if (ndes_account_used(a) && *acct != '\0') {
		plan_want(p, h, f, STEP, RES_GROUP, IIS_IUSRS, acct, "member",
		    0, "the SCEP app pool's identity must be in IIS_IUSRS");
		host_facts(h, &hf);
		spns = wanted_spns(a, &hf, &n);
		for (size_t i = 0; i < n; i++) {
			why = xasprintf("devices reach NDES as %s, which is "
			    "not the server's own name", spns[i] + 5);
			plan_want(p, h, f, STEP, RES_SPN, acct, spns[i],
			    "registered", 0, why);
			free(why);
		}
		str_list_free(spns, n);
	}
	if (strcmp(answers_get(a, F_ACCOUNTS_CONNECTOR_ACCOUNT), "domain") ==
	    0 && *conn != '\0')
		plan_want(p, h, f, STEP, RES_RIGHT, LOGON_RIGHT, conn,
		    "granted", 0, "the connector service runs as this "
		    "account: it needs 'Log on as a service'");
}

/* The app pool identity on the host becomes the answer when unset. */
static void
accounts_prefill(struct host *h, struct answers *a)
{
	char *user = NULL, err[256];

	if (a->src[F_ACCOUNTS_NDES_SERVICE_ACCOUNT] != SRC_DEFAULT)
		return;
	host_get(h, RES_IIS, "|system.applicationHost/applicationPools/"
	    "add[@name='SCEP']/processModel", "userName", &user, err,
	    sizeof err);
	if (user != NULL && *user != '\0')
		answers_put(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT, user,
		    SRC_HOST);
	free(user);
}

const struct step step_accounts = {
	.id = STEP,
	.title = "Accounts",
	.section = "accounts",
	.validate = accounts_validate,
	.inspect = accounts_inspect,
	.prefill = accounts_prefill,
	.plan = accounts_plan,
};
