/*
 * The machine being configured, behind one table of operations.
 *
 * Every piece of state the wizard may change is a resource, addressed by
 * a kind, a path and a name, whose value is a string or absent (NULL).
 * That one shape lets the plan, the journal and rollback treat a registry
 * value, a group member and an IIS attribute alike. Drivers: "dir" (an
 * offline target directory, the POSIX default) and "win32" (the server).
 */
#ifndef NDESWIZ_HOST_H
#define NDESWIZ_HOST_H

#include <stddef.h>

/* winsock2.h (which curl's headers bring in on Windows) defines
 * RES_SERVICE, a name-service flag that is not our resource kind. */
#ifdef RES_SERVICE
#undef RES_SERVICE
#endif

enum res_kind {
	RES_REGKEY,  /* path: HKLM\...; value "present" */
	RES_REG,     /* path: key, name: value name; value in .reg syntax:
	                "text", dword:0000fffe, hex(7):..., hex:... */
	RES_FEATURE, /* path: Install-WindowsFeature name; "installed" */
	RES_GROUP,   /* path: local group, name: member; "member" */
	RES_SPN,     /* path: account, name: HTTP/host; "registered" */
	RES_RIGHT,   /* path: user right (SeServiceLogonRight), name: account */
	RES_IISELEM, /* path: IIS config path; "present". Name
	              * HOST_IIS_INDEX: its position among its parent's
	              * child elements ("0", "1"...); set with it creates
	              * the element there (dir driver; win32 appends). */
	RES_IIS,     /* path: IIS config path, name: attribute */
	RES_CERT,    /* path: store (My, Root), name: thumbprint;
	                value: PEM (certificate, then key when it has one) */
	RES_SSLBIND, /* path: ip:port; value "hash=THUMB;store=MY;appid={..}" */
	RES_PROXY,   /* path: "winhttp"; value "server;bypass" */
	RES_SERVICE, /* path: service name; "running" or "stopped" */
	RES_ROLE,    /* path: role (ADCS-Device-Enrollment); value: the
	                configuration, without secrets */
	RES_FILE,    /* path: file in the target (runbooks, CSRs) */
	RES_KEYACL,  /* path: STORE\THUMBPRINT of a certificate with its
	                key, name: account; "read" (the account may read
	                the private key) or absent (keyacl.h) */
	RES_INSTALL, /* path: a program's DisplayName, name: its installer
	                (a file); "installed" (an uninstall entry of that
	                name) or absent (install.h) */
	RES__COUNT
};

/* Facts about the machine: read-only, for inspections and prefill. */
struct host_facts {
	char hostname[256];    /* short name */
	char fqdn[256];
	char domain[256];      /* DNS domain; empty when not joined */
	char netbios_domain[64];
	int domain_role;       /* Win32_ComputerSystem DomainRole 0..5 */
	int part_of_domain;
	int os_major, os_minor, os_build;
	int server_core;
	int elevated;
	char os_caption[128];
	long long clock_skew;  /* seconds against a reference, if known */
};

#define HOST_IIS_INDEX "index"
/* RES_REGKEY get with this name: does the key exist at all? On the dir
 * driver a key without a header of its own exists when a key below it
 * has one (RES_REGKEY itself is "has a header", so that undoing a create
 * restores the file byte for byte); Windows has no such difference. */
#define HOST_REGKEY_EXISTS "exists"

struct host;

struct host_ops {
	const char *name;
	int (*open)(struct host *, const char *where, char *err, size_t len);
	void (*close)(struct host *);
	int (*facts)(struct host *, struct host_facts *);
	/*
	 * get: 0 and *value (caller frees; NULL when absent), or -1 + err.
	 * set: value NULL removes. Returns 0 or -1 + err. Outside a batch
	 * (begin below) each set is durable when it returns: the journal
	 * relies on that. A set that fails in a batch drops the batch's
	 * changes too (the caller aborts it).
	 */
	int (*get)(struct host *, enum res_kind, const char *path,
	    const char *name, char **value, char *err, size_t len);
	int (*set)(struct host *, enum res_kind, const char *path,
	    const char *name, const char *value, char *err, size_t len);
	/* Enumerate a kind: names under path (or paths when path NULL).
	 * RES_REGKEY: the full paths of the keys right under path (every
	 * key when path is NULL, on the dir driver only). */
	int (*list)(struct host *, enum res_kind, const char *path,
	    char ***names, size_t *n, char *err, size_t len);
	/* Where the state folder (last answers, journal) lives. */
	const char *(*state_dir)(struct host *);
	/* The state folder, held open by the driver from open to close: the
	 * journal is reached through it, never by its path again. */
	int (*state_fd)(struct host *);
	/* Where files of RES_FILE land, for messages. */
	const char *(*file_path)(struct host *, const char *name);
	/*
	 * A batch (optional: NULL in a driver whose sets are each durable,
	 * win32). After begin, sets (and gets, lists) work on what the
	 * driver holds in memory and nothing reaches the disk; commit writes
	 * every file they changed, each once, beside the one it replaces,
	 * calls ready (when not NULL: a -1 there, with its err, ends the
	 * commit before any file changed), fsyncs them, puts each in place
	 * and fsyncs each folder once: durable when it returns 0. On -1 +
	 * err, or after abort, the batch is over and the driver holds what
	 * the disk holds (commit may have put some files in place, not
	 * others).
	 */
	void (*begin)(struct host *);
	int (*commit)(struct host *, int (*ready)(void *, char *, size_t),
	    void *ctx, char *err, size_t len);
	void (*abort)(struct host *);
	/*
	 * Drop what the driver kept of earlier gets (optional: NULL in a
	 * driver that reads each time). A driver may keep a read that is
	 * costly (win32: the installed features, one PowerShell run) for
	 * the gets that follow it, never past a set of that kind; every
	 * entry point that reads the server to decide (a plan, an
	 * inspection, an apply, a rollback) calls host_forget first, so
	 * that a change someone made meanwhile is seen.
	 */
	void (*forget)(struct host *);
};

struct host {
	const struct host_ops *ops;
	void *priv;
	char *where;
	/* Some callers (prefill, inspections) shrug off a failed get; the
	 * first failure is kept here so that no plan is built on it. */
	int read_failed;
	char read_err[512];
	char state_shown[1024];   /* host_state_shown's */
};

extern const struct host_ops host_dir_ops;
#ifdef _WIN32
extern const struct host_ops host_win32_ops;
#endif

#define HOST_DEFAULT_TARGET "ndes-target"
#define HOST_DEFAULT_PROFILE "ws2022-fresh"

/*
 * Open the default driver for target (NULL: the platform default). A dir
 * target that does not exist yet is made from assets/hosts/<profile>
 * (NULL: HOST_DEFAULT_PROFILE); *created tells. Returns NULL + err.
 */
struct host *host_open(const char *target, const char *profile,
    int *created, char *err, size_t len);
/* Open with a given driver (tests, fault injection). */
struct host *host_open_with(const struct host_ops *, const char *target,
    char *err, size_t len);
/* Fault injection for the tests (faulty.c): the driver itself unless
 * NDESWIZ_TEST_FAULT asks for host-op:K or host-stop:K. */
const struct host_ops *host_fault_wrap(const struct host_ops *);
/*
 * --fact KEY=VALUE: set a fact of the next target made from a profile
 * (host_fact_check's rules; a key given twice: the last wins). Returns
 * 0 or -1 + err. host_open refuses an existing target (or the machine
 * itself) while facts are set: their facts are read, never set this way.
 */
int host_new_fact(const char *key_value, char *err, size_t len);
size_t host_new_fact_count(void);
/* facts.c: is value allowed for fact key? 0 or -1 + err. */
int host_fact_check(const char *key, const char *value, char *err,
    size_t len);
/* Do the names agree (fqdn = hostname.domain, case-insensitive)? 0, or
 * -1 + err saying which one does not. */
int host_facts_agree(const char *hostname, const char *fqdn,
    const char *domain, char *err, size_t len);
/* Make a dir target from a profile folder, atomically (temp + rename). */
int host_dir_create(const char *target, const char *profile_dir, char *err,
    size_t len);
/* Remove a folder a failed create left, with all it holds. */
void host_dir_remove(const char *path);
void host_close(struct host *);

int host_get(struct host *, enum res_kind, const char *path, const char *name,
    char **value, char *err, size_t len);
int host_set(struct host *, enum res_kind, const char *path, const char *name,
    const char *value, char *err, size_t len);
/* The driver's list, or -1 when it has none. */
int host_list(struct host *, enum res_kind, const char *path, char ***names,
    size_t *n, char *err, size_t len);
int host_facts(struct host *, struct host_facts *);
/* The driver's batch (host_ops.begin): host_begin returns 1 when the
 * driver has one, else 0 and each set stays durable on its own;
 * host_commit and host_abort do nothing (0) without one. */
int host_begin(struct host *);
int host_commit(struct host *, char *err, size_t len);
/* host_commit, calling ready(ctx, err, len) once the files are written,
 * before the first is put in place: the journal is made durable there,
 * its write on its way to the disk with theirs, not before them. */
int host_commit_after(struct host *, int (*ready)(void *, char *, size_t),
    void *ctx, char *err, size_t len);
void host_abort(struct host *);
/* host_ops.forget, when the driver has one. */
void host_forget(struct host *);
/* The first host_get that failed since the host was opened, or NULL. */
const char *host_read_error(const struct host *);
const char *host_state_dir(struct host *);
/* The same, as the admin reads it: in Windows' own separators there. */
const char *host_state_shown(struct host *);
/* The state folder's handle (not to be closed), for openat & co. */
int host_state_fd(struct host *);

const char *res_kind_name(enum res_kind);
/* Can every driver hold this address? 0, or -1 + why. The journal checks
 * each record with it before anything is undone. */
int res_check(int kind, const char *path, const char *name, char *why,
    size_t len);
int res_kind_from_name(const char *);

/* Where bundled data lives (profiles, help, clouds). */
const char *assets_dir(void);

#endif
