/*
 * The registry database behind regfile.h: what regdb.c (keys and values)
 * and regfile.c (the .reg text) share. Internal to those two files.
 *
 * Sized for a whole HKLM export (a million values and more): every key and
 * value is found through a hash table (names compare ASCII case-insensitively,
 * as Windows compares them), and order lives in linked lists, so neither a
 * lookup nor an insert moves or scans the rest:
 *   - keys: one node per key path that exists, listed (it has a header in
 *     the file) or only an ancestor of a listed key; the listed ones are
 *     kept in a list in file order, which is the order they are written in,
 *     so a file comes back byte for byte whatever order it was in;
 *   - values: each key's list in file order (the default value first, as
 *     regedit writes it); a key with more than a few has a table of them.
 */
#ifndef NDESWIZ_REGDB_H
#define NDESWIZ_REGDB_H

#include <stddef.h>
#include <stdint.h>

struct buf;

struct hnode {
	struct hnode *next;		/* the chain of one slot */
	uint32_t hash;
};

struct htab {
	struct hnode **slot;
	size_t n, mask;			/* mask + 1 slots, a power of 2 */
};

/* A place in an ordered list (keys in the file, values in a key). */
struct link {
	struct link *prev, *next;
};

struct list {
	struct link *first, *last;
};

struct regvalue {
	struct hnode h;			/* first: the table's node */
	struct link l;			/* in the key's values, in order */
	struct regkey *key;
	char *data;			/* canonical one-line data */
	size_t datalen;
	size_t namelen;
	char name[];			/* "" for the default value; the data
					   follows it when read from a file */
};

struct regkey {
	struct hnode h;
	struct regkey *parent;		/* one component up; NULL for a root */
	struct link l;			/* in the listed keys, in order */
	struct list values;
	struct htab *vtab;		/* the values by name, once many */
	struct regkey *vnext;		/* the next key that has had one */
	size_t nvalues;
	size_t nchildren;		/* keys one component down */
	int listed;			/* has a header of its own */
	size_t pathlen;
	char path[];			/* long root name, then components as
					   given first */
};

struct regdb {
	struct htab keys;
	struct list order;		/* the listed keys */
	size_t nlisted, nvalues;
	enum { SORTED_YES, SORTED_NO, SORTED_UNKNOWN } sorted;
					/* the listed keys in export order */
	size_t textlen;			/* sum of path, name and data lengths:
					   sizes the formatted text */
	/* Keys, values and their text all come from an arena of big chunks
	 * (a malloc each was a third of the time of reading a file), freed
	 * all at once: what is removed or replaced stays until then, which
	 * is a few changes' worth. So clearing a database of a million
	 * values is a free a chunk, not a walk of them all. */
	struct pool *pool;
	char *poolnext;
	size_t poolleft;
	size_t poolchunk;		/* the size of the next chunk */
	struct regkey *vtabbed;		/* keys that have had a vtab */
};

/* The key or value at a place in a list; NULL for NULL. */
static inline struct regkey *
regkey_at(const struct link *l)
{
	return l != NULL ? (struct regkey *)(void *)((char *)(uintptr_t)l -
	    offsetof(struct regkey, l)) : NULL;
}

static inline struct regvalue *
regvalue_at(const struct link *l)
{
	return l != NULL ? (struct regvalue *)(void *)((char *)(uintptr_t)l -
	    offsetof(struct regvalue, l)) : NULL;
}

/* A key path in stored form (long root name), or NULL and why not. */
char *regdb_normalize(const char *key, char *err, size_t errlen);
/* The same into out (emptied first); checked: key is known to be printable
 * UTF-8 already. 0, or -1 and why not. */
int regdb_normalize_into(struct buf *out, const char *key, int checked,
    char *err, size_t errlen);
/* The node of exactly this stored-form path, or NULL. */
struct regkey *regdb_find(const struct regdb *, const char *path, size_t len);
/*
 * The node of this path, made (with its ancestors) when missing, and
 * listed: appended at the end when append (a file being read, in its
 * order), else where sorted order puts it among its listed neighbours
 * (regedit's export order). A header of a key that is there already keeps
 * its place; an ancestor listed now takes this spelling.
 */
struct regkey *regdb_list(struct regdb *, const char *path, size_t len,
    int append);
struct regvalue *regdb_value_find(const struct regdb *, const struct regkey *,
    const char *name, size_t namelen);
/* A new value (not there yet) with a copy of name and data. */
struct regvalue *regdb_value_add(struct regdb *, struct regkey *,
    const char *name, size_t namelen, const char *data, size_t datalen);
void regdb_clear(struct regdb *);

#endif
