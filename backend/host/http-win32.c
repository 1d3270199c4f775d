/*
 * HTTP: the WinHTTP default proxy and HTTP.sys SSL bindings.
 */
#include "win32-priv.h"

/* ---- WinHTTP default proxy: "host:port|bypass;bypass" ------------------ */

int
proxy_get(struct winhost *w, const char *path, const char *name,
    char **v, char *err, size_t len)
{
	WINHTTP_PROXY_INFO pi = {0};
	char *server, *bypass;

	(void)w;
	(void)path;
	(void)name;
	if (!WinHttpGetDefaultProxyConfiguration(&pi))
		return win_err(err, len, GetLastError(), "cannot read",
		    "the WinHTTP proxy");
	if (pi.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY &&
	    pi.lpszProxy != NULL) {
		server = narrow(pi.lpszProxy, -1);
		bypass = pi.lpszProxyBypass ? narrow(pi.lpszProxyBypass, -1) :
		    xstrdup("");
		*v = xasprintf("%s|%s", server, bypass);
		free(server);
		free(bypass);
	}
	if (pi.lpszProxy)
		GlobalFree(pi.lpszProxy);
	if (pi.lpszProxyBypass)
		GlobalFree(pi.lpszProxyBypass);
	return 0;
}

int
proxy_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	WINHTTP_PROXY_INFO pi = { WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL };
	const char *bar = v ? strchr(v, '|') : NULL;
	char *server = NULL;
	int rc = 0;

	(void)w;
	(void)path;
	(void)name;
	if (v != NULL) {
		server = bar ? xstrndup(v, (size_t)(bar - v)) : xstrdup(v);
		pi.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
		pi.lpszProxy = wide(server);
		pi.lpszProxyBypass = bar && bar[1] ? wide(bar + 1) : NULL;
	}
	if (!WinHttpSetDefaultProxyConfiguration(&pi))
		rc = win_err(err, len, GetLastError(), "cannot set",
		    "the WinHTTP proxy");
	free(server);
	free(pi.lpszProxy);
	free(pi.lpszProxyBypass);
	return rc;
}

/* ---- HTTP.sys SSL bindings: "hash=THUMB;store=MY;appid={...}" ---------- */

static int
ipport(const char *s, SOCKADDR_STORAGE *sa, char *err, size_t len)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
	long port;

	memset(sa, 0, sizeof *sa);
	if (colon == NULL || (size_t)(colon - s) >= sizeof host ||
	    (port = strtol(colon + 1, NULL, 10)) <= 0 || port > 65535)
		goto bad;
	snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((u_short)port);
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1)
			return 0;
	} else {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((u_short)port);
		if (inet_pton(AF_INET, host, &in4->sin_addr) == 1)
			return 0;
	}
bad:
	snprintf(err, len, "'%s' is not an ip:port", s);
	return -1;
}

static char *
guid_text(const GUID *g)
{
	return xasprintf("{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
	    (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0],
	    g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
	    g->Data4[6], g->Data4[7]);
}

static int
guid_parse(const char *s, GUID *g)
{
	unsigned long d1;
	unsigned d2, d3, b[8];

	if (sscanf(s, "{%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d1, &d2,
	    &d3, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]) != 11)
		return -1;
	g->Data1 = d1;
	g->Data2 = (unsigned short)d2;
	g->Data3 = (unsigned short)d3;
	for (int i = 0; i < 8; i++)
		g->Data4[i] = (unsigned char)b[i];
	return 0;
}

static char *
sslset_text(const HTTP_SERVICE_CONFIG_SSL_SET *set)
{
	const unsigned char *h = set->ParamDesc.pSslHash;
	char *store = set->ParamDesc.pSslCertStoreName ?
	    narrow(set->ParamDesc.pSslCertStoreName, -1) : xstrdup("");
	char *appid = guid_text(&set->ParamDesc.AppId);
	struct buf b = {0};

	buf_adds(&b, "hash=");
	for (ULONG i = 0; i < set->ParamDesc.SslHashLength; i++)
		buf_addf(&b, "%02X", h[i]);
	buf_addf(&b, ";store=%s;appid=%s", store, appid);
	free(store);
	free(appid);
	return buf_steal(&b);
}

int
ssl_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len)
{
	HTTP_SERVICE_CONFIG_SSL_QUERY q = { .QueryDesc =
	    HttpServiceConfigQueryExact };
	SOCKADDR_STORAGE sa;
	unsigned char out[4096];
	ULONG n = 0;
	ULONG rc;

	(void)w;
	(void)name;
	if (ipport(path, &sa, err, len) != 0)
		return -1;
	q.KeyDesc.pIpPort = (PSOCKADDR)&sa;
	rc = HttpQueryServiceConfiguration(NULL, HttpServiceConfigSSLCertInfo,
	    &q, sizeof q, out, sizeof out, &n, NULL);
	if (rc == ERROR_FILE_NOT_FOUND || rc == ERROR_NO_MORE_ITEMS)
		return 0;
	if (rc != NO_ERROR)
		return win_err(err, len, rc, "cannot read the SSL binding",
		    path);
	*v = sslset_text((HTTP_SERVICE_CONFIG_SSL_SET *)out);
	return 0;
}

int
ssl_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	HTTP_SERVICE_CONFIG_SSL_SET set = {0};
	SOCKADDR_STORAGE sa;
	unsigned char hash[20];
	struct sslbind sb;
	wchar_t *wstore;
	ULONG rc;
	int ok;

	(void)w;
	(void)name;
	if (ipport(path, &sa, err, len) != 0)
		return -1;
	set.KeyDesc.pIpPort = (PSOCKADDR)&sa;
	rc = HttpDeleteServiceConfiguration(NULL,
	    HttpServiceConfigSSLCertInfo, &set, sizeof set, NULL);
	if (rc != NO_ERROR && rc != ERROR_FILE_NOT_FOUND)
		return win_err(err, len, rc, "cannot remove the SSL binding",
		    path);
	if (v == NULL)
		return 0;
	sslbind_parse(v, &sb);
	ok = thumb_bytes(sb.hash, hash) == 0 && guid_parse(sb.appid,
	    &set.ParamDesc.AppId) == 0;
	wstore = wide(*sb.store ? sb.store : "MY");
	sslbind_free(&sb);
	if (!ok) {
		free(wstore);
		snprintf(err, len, "SSL binding '%s' needs hash=<40 hex>;"
		    "store=NAME;appid={GUID}", v);
		return -1;
	}
	set.ParamDesc.pSslHash = hash;
	set.ParamDesc.SslHashLength = sizeof hash;
	set.ParamDesc.pSslCertStoreName = wstore;
	rc = HttpSetServiceConfiguration(NULL, HttpServiceConfigSSLCertInfo,
	    &set, sizeof set, NULL);
	free(wstore);
	if (rc != NO_ERROR)
		return win_err(err, len, rc, "cannot set the SSL binding",
		    path);
	return 0;
}

int
ssl_list(char ***names, size_t *n, char *err, size_t len)
{
	HTTP_SERVICE_CONFIG_SSL_QUERY q = { .QueryDesc =
	    HttpServiceConfigQueryNext };
	unsigned char out[4096];
	char host[INET6_ADDRSTRLEN];
	ULONG got, rc;

	for (q.dwToken = 0;; q.dwToken++) {
		HTTP_SERVICE_CONFIG_SSL_SET *set = (void *)out;
		struct sockaddr_in *in4;
		struct sockaddr_in6 *in6;

		rc = HttpQueryServiceConfiguration(NULL,
		    HttpServiceConfigSSLCertInfo, &q, sizeof q, out,
		    sizeof out, &got, NULL);
		if (rc == ERROR_NO_MORE_ITEMS)
			return 0;
		if (rc != NO_ERROR)
			return win_err(err, len, rc, "cannot list",
			    "the SSL bindings");
		in4 = (struct sockaddr_in *)set->KeyDesc.pIpPort;
		in6 = (struct sockaddr_in6 *)set->KeyDesc.pIpPort;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		if (in4->sin_family == AF_INET6) {
			inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
			(*names)[(*n)++] = xasprintf("[%s]:%u", host,
			    ntohs(in6->sin6_port));
		} else {
			inet_ntop(AF_INET, &in4->sin_addr, host, sizeof host);
			(*names)[(*n)++] = xasprintf("%s:%u", host,
			    ntohs(in4->sin_port));
		}
	}
}
