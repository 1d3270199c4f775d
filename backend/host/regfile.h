/*
 * An in-memory registry, read from and written to regedit's own .reg text.
 *
 * The offline target directory keeps a server's registry as a .reg file so
 * that an admin can diff it, read it, or import it on the real server with
 * regedit. The text we write is the text regedit exports (version 5.00:
 * UTF-16LE with a BOM, CRLF), and it is canonical: the same database always
 * gives the same bytes, so a change that is undone leaves the file as it was.
 *
 * Value data travels as one line of .reg syntax, without continuations:
 *	"text"			REG_SZ (\\ and \" escaped)
 *	dword:0000fffe		REG_DWORD
 *	hex:01,02		REG_BINARY
 *	hex(N):..		type N, e.g. hex(2) REG_EXPAND_SZ, hex(7)
 *				REG_MULTI_SZ, hex(b) REG_QWORD
 * Data given to regdb_set is stored in canonical form (lower-case hex, eight
 * dword digits, no blanks), which is what regdb_get returns: compare values
 * with regval_canon'ed data, not the caller's spelling.
 */
#ifndef NDESWIZ_REGFILE_H
#define NDESWIZ_REGFILE_H

#include <stddef.h>

/* Registry value types, as in winnt.h. */
#define REGT_NONE		0
#define REGT_SZ			1
#define REGT_EXPAND_SZ		2
#define REGT_BINARY		3
#define REGT_DWORD		4
#define REGT_DWORD_BIG_ENDIAN	5
#define REGT_LINK		6
#define REGT_MULTI_SZ		7
#define REGT_QWORD		11

struct regdb;

struct regdb *regdb_new(void);
void regdb_free(struct regdb *);

/*
 * Parse a .reg file: UTF-16LE with BOM, or UTF-8 with or without BOM; CRLF
 * or LF. On success the database holds exactly the file's keys and values
 * (what it held before is dropped). On error returns -1, the database is
 * unchanged, and err holds "NAME:LINE: what is wrong; what is expected".
 * Deletions ([-KEY], "x"=-) are refused: the file is a state snapshot.
 * Several headers for one key merge; a value given twice in a key is an
 * error. A value named "@" or "" is the default value.
 */
int regdb_parse(struct regdb *, const char *name, const unsigned char *data,
    size_t len, char *err, size_t errlen);

/*
 * Canonical regedit 5.00 text: UTF-16LE, BOM, CRLF. Deterministic: the same
 * db gives the same bytes. Keys in the order the file read listed them, so
 * what a change does not touch comes back byte for byte; a key added later
 * goes where regedit's export order (case-insensitive, component by
 * component) puts it among its neighbours. Values in insertion order, "@"
 * first.
 */
unsigned char *regdb_format(const struct regdb *, size_t *len);
/*
 * The same bytes handed to put in chunks of at most about CHUNK bytes, in
 * order (a big registry is never all in memory twice; a file being written
 * gets each chunk as it is ready; the tests ask for small chunks: the text
 * must not depend on where it is cut). put returns 0, or -1 to stop: then
 * so does this (0 or -1).
 */
int regdb_format_to(const struct regdb *, size_t chunk,
    int (*put)(void *ctx, const void *data, size_t n), void *ctx);
/* The chunk for a file: big enough that a call of put costs little
 * against it, small enough to stay in the cache. */
#define REG_CHUNK	((size_t)1 << 20)
/* Same text as UTF-8 with LF (for display/debug/tests). */
char *regdb_format_utf8(const struct regdb *);

/*
 * Key paths accept the long and short root names (HKEY_LOCAL_MACHINE/HKLM,
 * HKEY_CURRENT_USER/HKCU, HKEY_CLASSES_ROOT/HKCR, HKEY_USERS/HKU,
 * HKEY_CURRENT_CONFIG/HKCC); stored and written in the long form. Key and
 * value names compare case-insensitively (ASCII), as Windows does; the case
 * given first is kept. A key exists when it has a header in the file or is
 * an ancestor of one that does.
 */
int regdb_key_exists(const struct regdb *, const char *key);
/* Adds exactly this key (no-op when it has a header); 0 ok, -1 bad path. */
int regdb_key_create(struct regdb *, const char *key);
/*
 * Removes exactly this key's header when it has no values and no explicit
 * subkeys; -1 otherwise (also when it has no header of its own).
 */
int regdb_key_delete(struct regdb *, const char *key);
/*
 * The header of exactly this key, as the file lists it (an ancestor of a
 * listed key exists but is not listed). unlist removes the header when the
 * key holds no values, whatever its subkeys: they keep it existing. The dir
 * driver's RES_REGKEY is "listed", so that undoing a create restores the
 * file byte for byte.
 */
int regdb_key_listed(const struct regdb *, const char *key);
int regdb_key_unlist(struct regdb *, const char *key);

/*
 * Value data in .reg syntax on one line, canonical form. NULL when absent.
 * Name "" or "@" = the default value. The pointer is valid until the value
 * or its key is changed.
 */
const char *regdb_get(const struct regdb *, const char *key, const char *name);
/*
 * Set a value (data in the one-line syntax; validated, stored canonical).
 * The key must exist (-1 + err otherwise); a key that exists only as an
 * ancestor gets a header of its own. Replacing keeps the value's position.
 */
int regdb_set(struct regdb *, const char *key, const char *name,
    const char *data, char *err, size_t errlen);
/* 0 removed, 1 was absent. */
int regdb_delete(struct regdb *, const char *key, const char *name);

/*
 * Enumerate: keys that have headers (long root form, in the file's order,
 * which a file from regedit has sorted), values of a key (names in file
 * order; the default value is "@"). NULL and *n = 0 when there are none.
 * Caller frees arrays and strings (str_list_free).
 */
char **regdb_keys(const struct regdb *, size_t *n);
/* The listed keys one component below key (any root spelling), in the same
 * order; all of them when key is NULL. Never NULL: an empty list is an
 * array with *n = 0. */
char **regdb_subkeys(const struct regdb *, const char *key, size_t *n);
char **regdb_values(const struct regdb *, const char *key, size_t *n);

/*
 * Value data helpers (the one-line syntax above). The constructors return
 * NULL when the text is not valid UTF-8.
 */
char *regval_sz(const char *utf8);          /* -> "\"...\"" escaped; hex(1):
                                               when it holds line breaks */
char *regval_expand_sz(const char *utf8);   /* -> hex(2):... */
char *regval_multi_sz(const char *const *v, size_t n);
                                            /* -> hex(7):...; NULL also when
                                               an element is empty */
char *regval_dword(unsigned long v);        /* -> dword:%08x (low 32 bits) */
char *regval_qword(unsigned long long v);   /* -> hex(b):... */
char *regval_binary(const unsigned char *, size_t); /* -> hex:... */

/* 0 when it is valid one-line data. */
int regval_check(const char *data, char *err, size_t errlen);
/* Canonical spelling of valid data (caller frees), else NULL + err. */
char *regval_canon(const char *data, char *err, size_t errlen);
/* Registry type of valid data (REGT_*; "text" is REGT_SZ), else -1. */
long regval_type(const char *data);
int regval_get_dword(const char *data, unsigned long *out);
    /* 0 when data is a dword */
int regval_get_qword(const char *data, unsigned long long *out);
    /* 0 when data is hex(b) of 8 bytes */
/* Unescaped text of REG_SZ/REG_EXPAND_SZ ("..", hex(1), hex(2)), else NULL. */
char *regval_get_sz(const char *data);
/* Strings of a hex(7) REG_MULTI_SZ (caller frees, str_list_free), else NULL
 * (an empty list is a non-NULL array with *n = 0). */
char **regval_get_multi_sz(const char *data, size_t *n);
/* Raw bytes of hex: / hex(N): data (caller frees), else NULL. */
unsigned char *regval_get_binary(const char *data, size_t *len);
/* "REG_DWORD 65534 (0x0000fffe)", "REG_SZ \"x\"", "REG_MULTI_SZ a | b",
 * "REG_BINARY 01 02 ..."; NULL when data is not valid. */
char *regval_human(const char *data);

#endif
