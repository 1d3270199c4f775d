/*
 * What the win32 driver's files share (win32.c and *-win32.c): the
 * driver's state, the UTF-8/UTF-16 helpers, the tool runner, and each
 * kind's get and set for the dispatch table in win32.c. Windows only.
 */
#ifndef NDESWIZ_WIN32_PRIV_H
#define NDESWIZ_WIN32_PRIV_H

#include "host.h"
#include "iiscfg.h"
#include "regfile.h"
#include "sslbind.h"
#include "wincmd.h"
#include "../lock.h"
#include "../certio.h"
#include "../fields.h"
#include "../secret.h"
#include "../util.h"

/* Winsock's gethostname is not compat.h's. */
#undef gethostname
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <dsrole.h>
#include <http.h>
#include <lm.h>
#include <ntsecapi.h>
#include <sddl.h>
#include <aclapi.h>
#include <wincrypt.h>
#include <winhttp.h>
/* winsock2.h's RES_SERVICE (a name-service flag) is not our resource kind. */
#undef RES_SERVICE

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list a tool read, kept (see struct winhost); key is what it was read
 * for (an account), NULL when the list is the whole machine's. */
struct toolcache {
	char *key;
	char **v;
	size_t n;
	int read;
};

struct winhost {
	char *state;      /* %ProgramData%/ndeswiz, '/' separated */
	int lock;         /* the state folder's lock (lock.h) */
	int sfd;          /* the state folder, held open (host_state_fd) */
	char *sysdir;     /* %windir%/System32 */
	char pathbuf[1024];
	/* Lists a tool gave, read once for all the gets of a plan (one
	 * PowerShell run loads Server Manager's module; one setspn -l lists
	 * an account's SPNs): dropped by a change of their kind and by
	 * host_forget. */
	struct toolcache features;  /* the installed features */
	struct toolcache spns;      /* the SPNs of spns.key */
};

static inline struct winhost *
W(struct host *h)
{
	return h->priv;
}

/* text and tools (win32.c) */
/* compat.h's one UTF-8 <-> UTF-16 pair, by the short names used here */
#define wide(s)		compat_wide(s)
#define narrow(w, n)	compat_narrow(w, n)
int win_err(char *err, size_t len, DWORD code, const char *what,
    const char *on);
int run_checked(const char *cmdline, const char *input, size_t n, char **out,
    char *err, size_t len);
char *sys_tool(struct winhost *w, const char *rel);
int powershell(struct winhost *w, const char *script, const char *input,
    size_t n, char **out, char *err, size_t len);

/* reg-win32.c */
int regkey_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len);
int regkey_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len);
int reg_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len);
int reg_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len);
int reg_enum(const char *path, int keys, char ***names, size_t *n, char *err,
    size_t len);

/* certstore-win32.c */
int thumb_bytes(const char *thumb, unsigned char out[20]);
int cert_get(struct winhost *w, const char *store, const char *thumb, char **v,
    char *err, size_t len);
int cert_set(struct winhost *w, const char *store, const char *thumb,
    const char *v, char *err, size_t len);
int cert_list(const char *store, char ***names, size_t *n, char *err,
    size_t len);

/* install-win32.c */
int install_get(struct winhost *w, const char *program, const char *installer,
    char **v, char *err, size_t len);
int install_set(struct winhost *w, const char *program, const char *installer,
    const char *v, char *err, size_t len);

/* keyacl-win32.c */
int keyacl_get(struct winhost *w, const char *path, const char *account,
    char **v, char *err, size_t len);
int keyacl_set(struct winhost *w, const char *path, const char *account,
    const char *v, char *err, size_t len);

/* http-win32.c */
int proxy_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len);
int proxy_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len);
int ssl_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len);
int ssl_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len);
int ssl_list(char ***names, size_t *n, char *err, size_t len);

/* lsa-win32.c */
int group_members(const char *group, char ***names, size_t *n, char *err,
    size_t len);
int group_get(struct winhost *w, const char *group, const char *member,
    char **v, char *err, size_t len);
int group_set(struct winhost *w, const char *group, const char *member,
    const char *v, char *err, size_t len);
int right_get(struct winhost *w, const char *right, const char *account,
    char **v, char *err, size_t len);
int right_set(struct winhost *w, const char *right, const char *account,
    const char *v, char *err, size_t len);
int service_get(struct winhost *wh, const char *name, const char *unused,
    char **v, char *err, size_t len);
int service_set(struct winhost *wh, const char *name, const char *unused,
    const char *v, char *err, size_t len);

/* tools-win32.c */
/* Drop what c kept (win32.c's host_ops.forget drops every cache). */
void toolcache_forget(struct toolcache *c);
int feature_get(struct winhost *w, const char *name, const char *unused,
    char **v, char *err, size_t len);
int feature_set(struct winhost *w, const char *name, const char *unused,
    const char *v, char *err, size_t len);
int spn_get(struct winhost *w, const char *account, const char *spn, char **v,
    char *err, size_t len);
int spn_set(struct winhost *w, const char *account, const char *spn,
    const char *v, char *err, size_t len);
int role_get(struct winhost *w, const char *role, const char *name, char **v,
    char *err, size_t len);
int role_set(struct winhost *w, const char *role, const char *name,
    const char *v, char *err, size_t len);
int iis_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len);
int iiselem_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len);
int iis_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len);
int iiselem_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len);

#ifdef NDESWIZ_TEST_TOOLS
/* testtools-win32.c: in the test build only (ndeswiz-test.exe), never in
 * ndeswiz.exe. The tools' folder and the facts, from the environment. */
typedef int (*winres_get_fn)(struct winhost *, const char *path,
    const char *name, char **v, char *err, size_t len);
typedef int (*winres_set_fn)(struct winhost *, const char *path,
    const char *name, const char *v, char *err, size_t len);
void testtools_sysdir(char **sysdir);
int testtools_facts(struct host_facts *f);
/* 1 when the test build stands in for kind (Wine's stubs): *get, *set. */
int testtools_res(enum res_kind kind, winres_get_fn *get, winres_set_fn *set);
/* 1 + *code when this start of a tool is to fail as Windows would with
 * that code (NDESWIZ_TEST_SPAWN_FAIL=N:CODE: the run's first N starts). */
int testtools_spawn_fails(DWORD *code);
#endif

#endif
