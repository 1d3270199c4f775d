/*
 * One HTTP transfer of a probe, and what a failure below HTTP means.
 * Every probe names the same transport troubles with the same kinds, so
 * "health.<probe>-refused" or "-tls-untrusted" read alike everywhere.
 */
#include "probe.h"
#include "curl-ca.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509_vfy.h>

#ifndef VERSION
#define VERSION "0"
#endif

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, keep = 0;

	x->body_total += len;
	if (x->body.len < x->body_max)
		keep = x->body_max - x->body.len;
	if (keep > len)
		keep = len;
	if (keep > 0)
		buf_add(&x->body, data, keep);
	/* Taking all of it keeps libcurl from calling the answer an error;
	 * a probe needs the first bytes only. */
	return len;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	char *v;

	/* A status line begins an answer (after a 100 Continue, another):
	 * only the last answer's Date counts. */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		free(x->date);
		x->date = NULL;
	} else if (len > 5 && strncasecmp(data, "Date:", 5) == 0 &&
	    x->date == NULL) {
		v = xstrndup(data + 5, len - 5);
		x->date = xstrdup(str_trim(v));
		free(v);
		x->date_at = time(NULL);
	}
	return len;
}

struct xfer *
xfer_new(struct probe *p, const char *url, const char *label,
    size_t body_max)
{
	struct xfer *x = xcalloc(1, sizeof *x);
	CURL *h;

	if ((h = curl_easy_init()) == NULL)
		abort();
	x->p = p;
	x->h = h;
	x->url = xstrdup(url);
	x->label = xstrdup(label);
	x->body_max = body_max;
	curl_easy_setopt(h, CURLOPT_URL, x->url);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	/* A redirect is a finding of its own, never followed. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	/* Devices reach NDES directly; a proxy from the environment would
	 * test some other path. The endpoints probe sets its own. */
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	/* SCEP clients speak HTTP/1.1; HTTP/2 would take other limits. */
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, p->env->timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, p->env->timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ndeswiz/" VERSION);
	curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	if (p->env->cacert != NULL) {
		/* These CAs and no others: the system path is dropped. */
		curl_ca_file(h, p->env->cacert);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	return x;
}

void
xfer_queue(struct xfer *x)
{
	check_queue(x->p, x);
}

void
xfer_inspect_tls(struct xfer *x)
{
	/* The probe verifies the chain itself, so it can say which part
	 * is wrong (and see the certificate when it is). */
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(x->h, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(x->h, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(x->h, CURLOPT_FORBID_REUSE, 1L);
}

const char *
xfer_content_type(struct xfer *x)
{
	char *ct = NULL;

	curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct);
	return ct;
}

/* What each kind of trouble means and what to look at next. */
static const struct transport_rule transport_rules[] = {
	{ "dns", "the name does not resolve",
	  "check the DNS record, or probe the name clients use (--url)" },
	{ "refused", "the connection was refused: nothing listens there",
	  "check that IIS runs, that Default Web Site has an https binding "
	  "on this port, and the port in the URL" },
	{ "unreachable", "the host cannot be reached",
	  "check routing and firewalls between here and the server" },
	{ "timeout", "no answer in time",
	  "a firewall that drops packets, a wrong address, or a hung "
	  "server; raise --timeout if the server is only slow" },
	{ "tls-name-mismatch", "the certificate does not name this host",
	  "bind a certificate whose subject alternative names include "
	  "every name clients use ([binding] fqdn, external_names)" },
	{ "tls-expired", "the certificate has expired",
	  "renew the server certificate and bind the new one" },
	{ "tls-not-yet-valid", "the certificate is not valid yet",
	  "check this machine's clock and the certificate's start date" },
	{ "tls-revoked", "the certificate was revoked",
	  "enroll a new server certificate and bind it" },
	{ "tls-untrusted", "the certificate chain is not trusted",
	  "bind a certificate from a CA clients trust and send the "
	  "intermediates; for a private CA pass it with --cacert or "
	  "[health] ca_bundle" },
	{ "tls-handshake", "the TLS handshake failed",
	  "check the https binding has a certificate with a private key, "
	  "and that TLS 1.2 is enabled on the server" },
	{ "cacert-unreadable", "the CA bundle cannot be used",
	  "give a readable PEM file with --cacert or [health] ca_bundle" },
	{ "reset", "the connection closed before a whole answer came",
	  "HTTP.sys drops requests over its limits (MaxFieldLength, "
	  "MaxRequestBytes); otherwise look at the server's HTTPERR log" },
	{ "proxy-dns", "the proxy's name does not resolve",
	  "check [proxy] url" },
	{ "proxy-unreachable", "the proxy cannot be reached",
	  "check [proxy] url (host and port) and that the proxy runs" },
	{ "proxy-auth", "the proxy wants other credentials",
	  "set [proxy] username and password, or let this server through "
	  "without authentication (Intune prefers that)" },
	{ "proxy-denied", "the proxy refused the connection",
	  "allow this host and port 443 on the proxy" },
	{ "transport", "the request failed",
	  "see the message; libcurl's words name the cause" },
};

static const struct transport_rule *
rule(const char *kind)
{
	for (size_t i = 0; i < nitems(transport_rules); i++)
		if (strcmp(transport_rules[i].kind, kind) == 0)
			return &transport_rules[i];
	return &transport_rules[nitems(transport_rules) - 1];
}

#define ANY (-1)

/* First matching row wins. */
static const struct {
	CURLcode rc;
	int proxied;	/* ANY, 0 or 1 */
	int os_errno;	/* 0: any */
	long verify;	/* ANY or an X509_V_ code */
	const char *kind;
} transport_map[] = {
	{ CURLE_COULDNT_RESOLVE_PROXY, ANY, 0, ANY, "proxy-dns" },
	{ CURLE_COULDNT_RESOLVE_HOST, ANY, 0, ANY, "dns" },
	{ CURLE_COULDNT_CONNECT, 1, 0, ANY, "proxy-unreachable" },
	{ CURLE_COULDNT_CONNECT, ANY, ECONNREFUSED, ANY, "refused" },
	{ CURLE_COULDNT_CONNECT, ANY, 0, ANY, "unreachable" },
	{ CURLE_OPERATION_TIMEDOUT, ANY, 0, ANY, "timeout" },
	/* libcurl checks the name itself after a chain that verified; the
	 * result it reports then is OK or, in 7.88, "unspecified". OpenSSL's
	 * own name checks have codes of their own. */
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0, X509_V_OK,
	  "tls-name-mismatch" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0, X509_V_ERR_UNSPECIFIED,
	  "tls-name-mismatch" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0, X509_V_ERR_HOSTNAME_MISMATCH,
	  "tls-name-mismatch" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0,
	  X509_V_ERR_IP_ADDRESS_MISMATCH, "tls-name-mismatch" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0,
	  X509_V_ERR_CERT_HAS_EXPIRED, "tls-expired" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0,
	  X509_V_ERR_CERT_NOT_YET_VALID, "tls-not-yet-valid" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0, X509_V_ERR_CERT_REVOKED,
	  "tls-revoked" },
	{ CURLE_PEER_FAILED_VERIFICATION, ANY, 0, ANY, "tls-untrusted" },
	{ CURLE_SSL_CONNECT_ERROR, ANY, 0, ANY, "tls-handshake" },
	{ CURLE_SSL_CACERT_BADFILE, ANY, 0, ANY, "cacert-unreadable" },
	{ CURLE_GOT_NOTHING, ANY, 0, ANY, "reset" },
	{ CURLE_RECV_ERROR, ANY, 0, ANY, "reset" },
	{ CURLE_SEND_ERROR, ANY, 0, ANY, "reset" },
	{ CURLE_PARTIAL_FILE, ANY, 0, ANY, "reset" },
	{ CURLE_PROXY, 1, 0, ANY, "proxy-denied" },
};

const struct transport_rule *
transport_classify(CURLcode rc, long verify, int os_errno, long connect_code,
    int proxied)
{
	/* A tunnel the proxy would not open says more than the error.
	 * Some proxies (tinyproxy) answer wrong credentials with 401. */
	if (proxied && (connect_code == 407 || connect_code == 401))
		return rule("proxy-auth");
	if (proxied && connect_code >= 300)
		return rule("proxy-denied");
	for (size_t i = 0; i < nitems(transport_map); i++) {
		if (transport_map[i].rc != rc)
			continue;
		if (transport_map[i].proxied != ANY &&
		    transport_map[i].proxied != (proxied != 0))
			continue;
		if (transport_map[i].os_errno != 0 &&
		    transport_map[i].os_errno != os_errno)
			continue;
		if (transport_map[i].verify != ANY &&
		    transport_map[i].verify != verify)
			continue;
		return rule(transport_map[i].kind);
	}
	return rule("transport");
}

const char *
xfer_transport_finding(struct probe *p, struct xfer *x)
{
	const struct transport_rule *t;
	long verify = 0, connect_code = 0, os_errno = 0;
	const char *detail;
	char extra[256] = "";

	curl_easy_getinfo(x->h, CURLINFO_SSL_VERIFYRESULT, &verify);
	curl_easy_getinfo(x->h, CURLINFO_HTTP_CONNECTCODE, &connect_code);
	curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &os_errno);
#ifdef _WIN32
	if (x->rc == CURLE_PEER_FAILED_VERIFICATION && verify == X509_V_OK)
		verify = schannel_verify_result(x->errbuf);
#endif
	t = transport_classify(x->rc, verify, (int)os_errno, connect_code,
	    x->proxy != NULL);
	detail = x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(x->rc);
	if (x->proxy != NULL)
		snprintf(extra, sizeof extra, " via proxy %s", x->proxy);
	finding_set_hint(probe_add(p, SEV_ERROR, t->kind, NULL, "%s%s: %s (%s)",
	    x->label, extra, t->what, detail),
	    t->hint);
	return t->kind;
}
