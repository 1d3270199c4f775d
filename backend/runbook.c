/*
 * The CA runbook. The template and the CA's rights
 * live on the CA, so ndeswiz writes the steps for its administrator, one
 * part per scenario: the SCEP template for NDES's identity, the PKCS
 * template and CA rights for the connector's account, revocation rights,
 * and the key the connector needs for imported PFX files. Each part names
 * its principal; none is ever empty.
 *
 * Sources: Microsoft Learn, "Configure infrastructure to support SCEP with
 * Intune" (template v2, Read + Enroll for the NDES identity), "Configure
 * and use PKCS certificates with Intune" (Read + Enroll for the connector's
 * computer account, export of the private key, Issue and Manage
 * Certificates + Request Certificates on the CA), "Certificate Connector
 * for Microsoft Intune" (revocation needs Issue and Manage Certificates).
 *
 * What it says and why: README.md, "The CA runbook".
 */
#include "runbook.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step.h"

static const struct purpose_text {
	const char *purpose;
	const char *request_handling; /* the console's wording */
	const char *key_usage;
} purposes[] = {
	{ "signature", "Signature", "Digital signature" },
	{ "encryption", "Encryption", "Key encipherment" },
	{ "signature-encryption", "Signature and encryption",
	  "Digital signature, Key encipherment" },
};

static const struct purpose_text *
purpose_of(const struct answers *a)
{
	for (size_t i = 0; i < nitems(purposes); i++)
		if (strcmp(purposes[i].purpose, answers_get(a,
		    F_TEMPLATE_PURPOSE)) == 0)
			return &purposes[i];
	return &purposes[2];
}

static int
want(const struct answers *a, const char *scenario)
{
	return answers_list_has(a, F_PREREQS_SCENARIOS, scenario);
}

static int
template_wanted(const struct answers *a)
{
	return answers_want_scep(a) || want(a, "pkcs");
}

int
runbook_wanted(const struct answers *a)
{
	return template_wanted(a) || want(a, "revocation") ||
	    want(a, "pkcs-import");
}

static char *
upper_label(const char *s)
{
	size_t n = strcspn(s, ".");
	char *out = xstrndup(s, n);

	for (char *p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}

/* DOMAIN\HOST$: the facts first, else what the answers imply. */
static char *
computer_account(const struct answers *a, const struct host_facts *hf)
{
	const char *svc = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);
	const char *bs = strchr(svc, '\\');
	char *dom, *host, *out;

	if (*hf->netbios_domain)
		dom = xstrdup(hf->netbios_domain);
	else if (bs != NULL && bs != svc)
		dom = xstrndup(svc, (size_t)(bs - svc));
	else
		dom = upper_label(*hf->domain ? hf->domain : "DOMAIN");
	host = upper_label(*hf->hostname ? hf->hostname :
	    *answers_get(a, F_BINDING_FQDN) ? answers_get(a, F_BINDING_FQDN) :
	    "THIS-SERVER");
	out = xasprintf("%s\\%s$", dom, host);
	free(dom);
	free(host);
	return out;
}

char *
runbook_scep_principal(const struct answers *a, const struct host_facts *hf)
{
	const char *svc = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);

	/* The built-in pool identity reaches the CA as the computer. */
	if (strcmp(answers_get(a, F_NDES_APP_POOL_IDENTITY), "app-pool") == 0
	    || *svc == '\0')
		return computer_account(a, hf);
	return xstrdup(svc);
}

char *
runbook_connector_principal(const struct answers *a,
    const struct host_facts *hf)
{
	const char *dom = answers_get(a, F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT);

	if (strcmp(answers_get(a, F_ACCOUNTS_CONNECTOR_ACCOUNT), "domain") ==
	    0 && *dom != '\0')
		return xstrdup(dom);
	return computer_account(a, hf);
}

/* "DC=contoso,DC=com" from the server's DNS domain. */
static char *
domain_dn(const char *domain)
{
	struct buf b = {0};
	char *copy = xstrdup(*domain ? domain : "example.com"), *p = copy;
	char *label;

	while ((label = strsep(&p, ".")) != NULL)
		buf_addf(&b, "%sDC=%s", b.len ? "," : "", label);
	free(copy);
	return buf_steal(&b);
}

static void
who_line(struct buf *b, const char *what, const char *who, const char *why)
{
	buf_addf(b, "  %-22s %s\n  %-22s (%s)\n", what, who, "", why);
}

static void
runbook_who(struct buf *b, const struct answers *a, const char *scep,
    const char *conn)
{
	int pool = strcmp(answers_get(a, F_NDES_APP_POOL_IDENTITY),
	    "app-pool") == 0;

	buf_adds(b, "Who needs the rights below:\n");
	if (answers_want_scep(a))
		who_line(b, "NDES (SCEP):", scep, pool ? "the server's computer "
		    "account: the SCEP pool runs as its built-in application "
		    "pool identity" : "the NDES service account the SCEP pool "
		    "runs as");
	who_line(b, "Certificate Connector:", conn,
	    strcmp(answers_get(a, F_ACCOUNTS_CONNECTOR_ACCOUNT), "domain") ==
	    0 ? "the connector's domain account" : "the server's computer "
	    "account: the connector runs as SYSTEM");
}

static void
runbook_template(struct buf *b, const struct answers *a, int n)
{
	const char *name = answers_get(a, F_TEMPLATE_NAME);
	const char *display = answers_get(a, F_TEMPLATE_DISPLAY_NAME);

	buf_addf(b, "\n%d. Certificate Templates console (certtmpl.msc): "
	    "duplicate 'User'.\n\n", n);
	if (answers_want_scep(a))
		buf_adds(b, "   Compatibility:  Certification Authority: "
		    "Windows Server 2003; Certificate recipient:\n"
		    "                   Windows XP / Server 2003. NDES needs "
		    "a version 2 template: the\n"
		    "                   console calls that \"Windows Server "
		    "2003\" compatibility.\n");
	else
		buf_adds(b, "   Compatibility:  Certification Authority and "
		    "recipient Windows Server 2008 R2\n                   or "
		    "later (a version 2 template or later).\n");
	buf_addf(b, "   General:        display name '%s', template name "
	    "'%s'.\n"
	    "                   Validity period: %lld days. Do NOT "
	    "publish in Active Directory.\n"
	    "   Request Handling: purpose '%s'.\n",
	    *display ? display : name, name,
	    answers_int(a, F_TEMPLATE_VALIDITY_DAYS),
	    purpose_of(a)->request_handling);
	if (want(a, "pkcs"))
		buf_adds(b, "                   PKCS: tick 'Allow private key "
		    "to be exported' (the connector\n"
		    "                   exports the key to Intune as a PFX).\n");
	buf_addf(b, "   Cryptography:   minimum key size %lld.\n"
	    "   Subject Name:   'Supply in the request' (Intune sends the "
	    "subject).\n"
	    "   Extensions:     Application Policies must include Client "
	    "Authentication\n                   (1.3.6.1.5.5.7.3.2). Key "
	    "Usage: %s.\n", answers_int(a, F_TEMPLATE_KEY_SIZE),
	    purpose_of(a)->key_usage);
	if (answers_bool(a, F_TEMPLATE_APPLE_DEVICES))
		buf_adds(b, "                   For iOS/macOS: clear 'Signature "
		    "is proof of origin (nonrepudiation)'.\n");
}

static void
dsacls_grant(struct buf *b, const char *obj, const char *who)
{
	buf_addf(b, "     dsacls \"%s\" /G \"%s:GR\"\n"
	    "     dsacls \"%s\" /G \"%s:CA;Enroll\"\n", obj, who, obj, who);
}

static void
runbook_security(struct buf *b, const struct answers *a,
    const struct host_facts *hf, const char *scep, const char *conn)
{
	char *dn = domain_dn(hf->domain), *obj, *users;
	int s = answers_want_scep(a), p = want(a, "pkcs");
	int both = s && p && !str_ieq(scep, conn);

	obj = xasprintf("CN=%s,CN=Certificate Templates,CN=Public Key "
	    "Services,CN=Services,CN=Configuration,%s",
	    answers_get(a, F_TEMPLATE_NAME), dn);
	users = computer_account(a, hf);
	buf_addf(b, "   Security:       %s: Read and Enroll.\n",
	    s ? scep : conn);
	if (both)
		buf_addf(b, "                   %s: Read and Enroll.\n", conn);
	buf_adds(b, "                   The admins who create Intune profiles: "
	    "Read.\n"
	    "                   Remove 'Domain Users' (Enroll), which a "
	    "duplicate of User keeps:\n"
	    "                   with 'Supply in the request' any domain user "
	    "could otherwise\n"
	    "                   request a certificate in any name (ESC1).\n\n"
	    "   The same from a command line (run on a domain-joined "
	    "machine):\n");
	dsacls_grant(b, obj, s ? scep : conn);
	if (both)
		dsacls_grant(b, obj, conn);
	buf_addf(b, "     dsacls \"%s\" /R \"%.*s\\Domain Users\"\n", obj,
	    (int)strcspn(users, "\\"), users);
	free(users);
	free(obj);
	free(dn);
}

static const char *
ca_name(const struct answers *a, int example)
{
	const char *ca = answers_get(a, F_NDES_CA_CONFIG);

	return *ca ? ca : example ? "CAhost\\CA Name" : "see [ndes] ca_config";
}

/* The CA's own rights: PKCS issues through it, revocation revokes. */
static int
runbook_ca_rights(struct buf *b, const struct answers *a, const char *conn,
    int n)
{
	int p = want(a, "pkcs"), r = want(a, "revocation");

	if (!p && !r)
		return n;
	buf_addf(b, "\n%d. On the issuing CA (%s), Certification Authority "
	    "console (certsrv.msc):\n"
	    "   the CA's Properties, Security: give %s\n", n, ca_name(a, 0),
	    conn);
	if (p)
		buf_adds(b, "     - Issue and Manage Certificates and Request "
		    "Certificates (PKCS: the\n"
		    "       connector requests the certificate and "
		    "reads it back);\n");
	if (r)
		buf_adds(b, "     - Issue and Manage Certificates (revocation: "
		    "the connector revokes\n"
		    "       the certificates Intune retires).\n");
	buf_adds(b, "   Restart the CA service after: net stop certsvc && "
	    "net start certsvc\n");
	return n + 1;
}

static int
runbook_import(struct buf *b, const struct answers *a, const char *conn,
    int n)
{
	if (!want(a, "pkcs-import"))
		return n;
	buf_addf(b, "\n%d. Imported PFX (on this server, not the CA): the "
	    "connector decrypts the\n"
	    "   imported PFX passwords with the key the PFX Import "
	    "PowerShell module\n"
	    "   created here. Give %s Read access to that key's\n"
	    "   container (certlm.msc or the key storage provider's own "
	    "tool), and use\n"
	    "   the same key name when you import the PFX files.\n", n,
	    conn);
	return n + 1;
}

static int
runbook_publish(struct buf *b, const struct answers *a, int n)
{
	buf_addf(b, "\n%d. On the issuing CA (%s), publish the template:\n"
	    "     certutil -config \"%s\" -SetCATemplates +%s\n", n,
	    ca_name(a, 0), ca_name(a, 1), answers_get(a, F_TEMPLATE_NAME));
	n++;
	if (answers_bool(a, F_TEMPLATE_REQUESTER_VALIDITY)) {
		buf_addf(b, "\n%d. Let Intune set the validity period "
		    "(requester_validity = yes):\n"
		    "     certutil -setreg Policy\\EditFlags "
		    "+EDITF_ATTRIBUTEENDDATE\n"
		    "     net stop certsvc && net start certsvc\n", n);
		n++;
	}
	return n;
}

char *
runbook_text(const struct answers *a, const struct host_facts *hf)
{
	struct buf b = {0};
	char *scep = runbook_scep_principal(a, hf);
	char *conn = runbook_connector_principal(a, hf);
	int n = 1;

	buf_addf(&b, "ndeswiz: CA runbook for the scenarios: %s\n"
	    "This is done on the CA by its administrator; ndeswiz cannot "
	    "apply it from here.\n\n", answers_get(a, F_PREREQS_SCENARIOS));
	runbook_who(&b, a, scep, conn);
	if (template_wanted(a)) {
		runbook_template(&b, a, n++);
		runbook_security(&b, a, hf, scep, conn);
		n = runbook_publish(&b, a, n);
	}
	n = runbook_ca_rights(&b, a, conn, n);
	runbook_import(&b, a, conn, n);
	free(scep);
	free(conn);
	return buf_steal(&b);
}
