/*
 * Inside the health check: one row of the probe table, one HTTP transfer,
 * and the helpers every probe file shares (transport errors, certificates,
 * the SCEP answers' parsers). checks.h is the public face; this header is
 * for the files of checks/ and the unit tests.
 */
#ifndef NDESWIZ_PROBE_H
#define NDESWIZ_PROBE_H

#include <stddef.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/x509.h>

#include "checks.h"
#include "clouds.h"

struct host;

#define DAYS_WARN 30		/* certificates: warn below this */
#define SKEW_MAX 300		/* seconds; tokens fail past five minutes */
#define LONG_URL_BYTES 31000	/* the PKIOperation probe's message */

/* What every probe reads; made once by check_start. */
struct check_env {
	struct answers a;
	char *url;		/* the mscep.dll URL; NULL when none */
	char *host;		/* its host, without brackets or port */
	char *cacert;		/* PEM bundle; NULL: the system store */
	long timeout_ms;
	const char *scep_skip;	/* why the SCEP probes do not run */
	const char *endpoints_skip;
	struct clouds clouds;
	const struct cloud *cloud;
	struct host *server;	/* its state, or NULL (borrowed) */
};

struct probe;

/* One transfer of a probe. */
struct xfer {
	struct probe *p;
	CURL *h;
	char *url;
	char *label;		/* what it talks to, for messages */
	char *proxy;		/* the proxy it goes through, or NULL */
	char errbuf[CURL_ERROR_SIZE];
	struct buf body;
	size_t body_max;	/* what is kept; the rest is counted only */
	size_t body_total;
	char *date;		/* the answer's Date header, when any */
	time_t date_at;		/* our clock when it arrived */
	CURLcode rc;
	long status;
	int tag;		/* the probe's own use */
};

struct probe_def {
	const char *name;
	const char *title;
	/* Queue transfers (xfer_new, xfer_queue), or end at once:
	 * probe_skip, or findings and no transfer. */
	void (*start)(struct probe *);
	/* One transfer ended: rc, status, body and headers are filled. The
	 * probe ends with its last transfer, its state from its findings. */
	void (*done)(struct probe *, struct xfer *);
};

struct probe {
	const struct probe_def *def;
	struct check_run *run;
	const struct check_env *env;
	struct probe_status st;
	struct xfer **xv;
	size_t nx, ndone;
	double t0;
	int skipped, ended;
	void *data;		/* the probe's own; check_free frees it */
};

extern const struct probe_def probe_mscep, probe_tls, probe_getcacaps,
    probe_getcacert, probe_longurl, probe_endpoints, probe_crl,
    probe_connector, probe_services, probe_connector_cert,
    probe_lastcontact, probe_reboot, probe_events;

/*
 * checks.c: a finding of this probe, code "health.<probe>-<kind>"; returns
 * it for finding_hint(), as finding_add() does.
 */
struct finding *probe_add(struct probe *, enum severity, const char *kind,
    const char *field, const char *fmt, ...) PRINTFLIKE(5, 6);
/* The probe does not apply: PROBE_SKIPPED with the reason as a finding. */
void probe_skip(struct probe *, const char *kind, const char *fmt, ...)
    PRINTFLIKE(3, 4);
/* A URL next to the mscep.dll one: "?operation=OP&message=MSG". */
char *probe_scep_url(const struct probe *, const char *op, const char *msg);

/* checks.c: hand a transfer to the run (xfer_new does). */
void check_queue(struct probe *, struct xfer *);

/* xfer.c: a GET with our defaults (no proxy, no redirects, HTTP/1.1,
 * TLS verified against env->cacert, the probe's timeout). Set what else
 * it needs on x->h, then xfer_queue. */
struct xfer *xfer_new(struct probe *, const char *url, const char *label,
    size_t body_max);
void xfer_queue(struct xfer *);
/* For probes that judge the certificate themselves: no verification by
 * libcurl, the chain kept (x509_chain_from_certinfo), a new connection. */
void xfer_inspect_tls(struct xfer *);
/* The answer's Content-Type, or NULL. */
const char *xfer_content_type(struct xfer *);
/* What went wrong below HTTP, as a finding of the probe: refused, dns,
 * timeout, tls-name-mismatch, ... Returns the kind. */
const char *xfer_transport_finding(struct probe *, struct xfer *);

/* The transport rules, open for the unit tests. */
struct transport_rule {
	const char *kind;	/* "refused", "tls-untrusted", ... */
	const char *what;	/* one line for people */
	const char *hint;
};
const struct transport_rule *transport_classify(CURLcode, long verify,
    int os_errno, long connect_code, int proxied);
/* tls-schannel.c: the X.509 verify code a Schannel message names (curl
 * on Schannel reports none). */
long schannel_verify_result(const char *msg);

/* probe-mscep.c: what each answer of the bare GET means. */
struct status_rule {
	long lo, hi;		/* statuses it covers; 0, 0: any other */
	enum severity sev;
	const char *kind;	/* "403", "200", "redirect", ... */
	const char *what;
	const char *hint;
};
const struct status_rule *mscep_status_rule(long status);

/* x509.c: certificates. */
STACK_OF(X509) *x509_chain_from_certinfo(CURL *);
/* Verify a presented chain (leaf first) against a PEM bundle (NULL: the
 * system store), time not checked. X509_V_OK or the OpenSSL error. */
int x509_verify_chain(STACK_OF(X509) *, const char *cafile);
/* Does the certificate cover this name (DNS name or IP address)? */
int x509_covers(X509 *, const char *name);
/* Whole days from now to notAfter (negative: expired); *not_yet set
 * when notBefore is still ahead. */
long x509_days_left(X509 *, time_t now, int *not_yet);
char *x509_subject(X509 *);	/* one line, caller frees */
char *x509_issuer(X509 *);
/* The issuer's O= attribute, or "" (caller frees). */
char *x509_issuer_org(X509 *);

/* cacaps.c: a GetCACaps answer, one capability per line. */
enum cacap {
	CACAP_AES = 0x01,
	CACAP_DES3 = 0x02,
	CACAP_GETNEXTCACERT = 0x04,
	CACAP_POSTPKIOPERATION = 0x08,
	CACAP_RENEWAL = 0x10,
	CACAP_SHA1 = 0x20,
	CACAP_SHA256 = 0x40,
	CACAP_SHA512 = 0x80,
	CACAP_SCEPSTANDARD = 0x100,
	CACAP_UPDATE = 0x200,
};
struct cacaps {
	unsigned known;		/* enum cacap bits */
	size_t n;		/* lines that held a word */
	size_t unknown;		/* words we do not know */
};
void cacaps_parse(const char *, size_t, struct cacaps *);
const char *cacaps_name(unsigned bit);

/* cacert.c: a GetCACert answer. */
struct cacert_entry {
	char *subject;
	char *issuer;
	int is_ca;
	long days_left;
	int not_yet;
};
struct cacert_list {
	struct cacert_entry *v;
	size_t n;
	int pkcs7;		/* x-x509-ca-ra-cert */
};
/* Parse by content type. 0, or -1 with the reason in err. */
int cacert_parse(const char *content_type, const unsigned char *, size_t,
    time_t now, struct cacert_list *, char *err, size_t len);
void cacert_free(struct cacert_list *);

/* proxy.c: the [proxy] answers for one host. */
struct proxy_conf {
	int enabled;
	char *url;
	char **bypass;
	size_t nbypass;
	char *user;
	char *password_ref;
};
void proxy_conf_load(struct proxy_conf *, const struct answers *);
void proxy_conf_free(struct proxy_conf *);
/* Does host (no port) skip the proxy? The rules: backend/bypass.c. */
int proxy_bypassed(const struct proxy_conf *, const char *host);
/* The URL without user:password@, for messages. Caller frees. */
char *proxy_display(const char *url);

/* endpoint clock: skew in seconds of a Date header against our clock
 * when it arrived; 0 and *ok = 0 when the header does not parse. */
long date_skew(const char *date, time_t at, int *ok);

#endif
