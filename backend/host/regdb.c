/*
 * The registry database: keys and values in hash tables and ordered lists
 * (regdb.h says why), and the key and value calls of regfile.h.
 */
#include "regfile.h"
#include "regdb.h"
#include "regint.h"
#include "util.h"
#include "../bigmem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FNV_BASIS	2166136261u
#define FNV_PRIME	16777619u

static const struct {
	const char *name;
	const char *abbrev;
} roots[] = {
	{ "HKEY_LOCAL_MACHINE", "HKLM" },
	{ "HKEY_CURRENT_USER", "HKCU" },
	{ "HKEY_CLASSES_ROOT", "HKCR" },
	{ "HKEY_USERS", "HKU" },
	{ "HKEY_CURRENT_CONFIG", "HKCC" },
};

/* ---- hash tables ------------------------------------------------------- */

/* reg_upper, here where the hashing loops can inline it. */
static inline int
up(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* FNV-1a of the upper-cased bytes: equal names hash equal in any case. */
static uint32_t
hash_ci(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint32_t)up((unsigned char)s[i])) * FNV_PRIME;
	return h;
}

static int
eq_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i] && up((unsigned char)a[i]) !=
		    up((unsigned char)b[i]))
			return 0;
	return 1;
}

static struct hnode *
htab_chain(const struct htab *t, uint32_t hash)
{
	return t->slot != NULL ? t->slot[hash & t->mask] : NULL;
}

static void
htab_add(struct htab *t, struct hnode *n)
{
	if (t->slot == NULL || t->n > t->mask) {
		size_t cap = t->slot != NULL ? 2 * (t->mask + 1) : 64;
		struct hnode **slot = xcalloc(cap, sizeof *slot);

		for (size_t i = 0; t->slot != NULL && i <= t->mask; i++) {
			for (struct hnode *e = t->slot[i], *next; e != NULL;
			    e = next) {
				next = e->next;
				e->next = slot[e->hash & (cap - 1)];
				slot[e->hash & (cap - 1)] = e;
			}
		}
		free(t->slot);
		t->slot = slot;
		t->mask = cap - 1;
	}
	n->next = t->slot[n->hash & t->mask];
	t->slot[n->hash & t->mask] = n;
	t->n++;
}

static void
htab_remove(struct htab *t, struct hnode *n)
{
	struct hnode **pp = &t->slot[n->hash & t->mask];

	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	t->n--;
}

/* ---- the arena -------------------------------------------------------- */

/*
 * The first chunk is 64 KiB (a small registry takes little), the next
 * ones 8 MiB, a few huge pages (bigmem.h): a big export fills them with
 * few page faults (chunks growing by halves, faulted a 4 KiB page at a
 * time, cost a 100k-value plan 3 ms more). What is bigger than an eighth
 * of a chunk gets a chunk of its own.
 */
#define POOL_FIRST	((size_t)64 << 10)
#define POOL_CHUNK	((size_t)8 << 20)

struct pool {
	struct pool *next;
	size_t size;			/* of align[] */
	int big;			/* from big_alloc, else malloc */
	max_align_t align[];
};

static struct pool *
pool_chunk(struct regdb *db, size_t size)
{
	struct pool *c = NULL;

	if (size >= POOL_CHUNK && (c = big_alloc(sizeof *c + size)) != NULL)
		c->big = 1;
	else {
		c = xmalloc(sizeof *c + size);
		c->big = 0;
	}
	c->size = size;
	c->next = db->pool;
	db->pool = c;
	return c;
}

/* Memory for a key, a value or its data, until the db is cleared. */
static void *
db_alloc(struct regdb *db, size_t n)
{
	struct pool *c;
	void *p;

	n = (n + sizeof (max_align_t) - 1) & ~(sizeof (max_align_t) - 1);
	if (db->poolchunk == 0)
		db->poolchunk = POOL_FIRST;
	if (n > db->poolchunk / 8)
		return pool_chunk(db, n)->align;
	if (db->poolleft < n) {
		c = pool_chunk(db, db->poolchunk);
		db->poolnext = (char *)c->align;
		db->poolleft = c->size;
		db->poolchunk = POOL_CHUNK;
	}
	p = db->poolnext;
	db->poolnext += n;
	db->poolleft -= n;
	return p;
}

/* ---- keys -------------------------------------------------------------- */

static int
keychar(const char *s, const char *end)
{
	/* A separator sorts before any character: component-wise order. */
	if (s == end)
		return 0;
	if (*s == '\\')
		return 1;
	return up((unsigned char)*s);
}

/* regedit's export order of two stored paths. */
static int
keycmp(const struct regkey *k, const char *path, size_t len)
{
	const char *a = k->path, *ae = a + k->pathlen, *b = path;
	const char *be = b + len;

	for (;; a++, b++) {
		int x = keychar(a, ae), y = keychar(b, be);

		if (x != y || x == 0)
			return x - y;
	}
}

/* k lies below the listed key a (a's path, then a separator). */
static int
key_below(const struct regkey *k, const struct regkey *a)
{
	return k->pathlen > a->pathlen && k->path[a->pathlen] == '\\' &&
	    eq_ci(k->path, a->path, a->pathlen);
}

int
regdb_normalize_into(struct buf *out, const char *key, int checked,
    char *err, size_t errlen)
{
	const char *rest;
	char tmp[SNIP_MAX + 8];
	size_t rootlen, i;

	if (!checked && reg_text_bad(key) != NULL) {
		reg_seterr(err, errlen, "key \"%s\" is not printable UTF-8; "
		    "expected a key path", reg_snip(key, tmp, sizeof tmp));
		return -1;
	}
	rest = strchr(key, '\\');
	rootlen = rest != NULL ? (size_t)(rest - key) : strlen(key);
	for (i = 0; i < nitems(roots); i++) {
		if ((strlen(roots[i].name) == rootlen &&
		    reg_prefix_ci(key, roots[i].name)) ||
		    (strlen(roots[i].abbrev) == rootlen &&
		    reg_prefix_ci(key, roots[i].abbrev)))
			break;
	}
	if (i == nitems(roots)) {
		reg_seterr(err, errlen, "unknown root key in \"%s\"; expected "
		    "HKEY_LOCAL_MACHINE (HKLM), HKEY_CURRENT_USER (HKCU), "
		    "HKEY_CLASSES_ROOT (HKCR), HKEY_USERS (HKU) or "
		    "HKEY_CURRENT_CONFIG (HKCC)", reg_snip(key, tmp, sizeof tmp));
		return -1;
	}
	if (rest != NULL && (rest[1] == '\0' || strstr(rest, "\\\\") != NULL ||
	    rest[strlen(rest) - 1] == '\\')) {
		reg_seterr(err, errlen, "empty name in key \"%s\"; expected "
		    "ROOT\\KEY\\SUBKEY without doubled or trailing "
		    "backslashes", reg_snip(key, tmp, sizeof tmp));
		return -1;
	}
	out->len = 0;
	buf_adds(out, roots[i].name);
	buf_adds(out, rest != NULL ? rest : "");
	return 0;
}

char *
regdb_normalize(const char *key, char *err, size_t errlen)
{
	struct buf b = { 0 };

	if (regdb_normalize_into(&b, key, 0, err, errlen) == -1)
		return NULL;
	return buf_steal(&b);
}

static struct regkey *
find_h(const struct regdb *db, const char *path, size_t len, uint32_t h)
{
	for (struct hnode *e = htab_chain(&db->keys, h); e != NULL;
	    e = e->next) {
		struct regkey *k = (struct regkey *)e;

		if (e->hash == h && k->pathlen == len &&
		    eq_ci(k->path, path, len))
			return k;
	}
	return NULL;
}

struct regkey *
regdb_find(const struct regdb *db, const char *path, size_t len)
{
	return find_h(db, path, len, hash_ci(FNV_BASIS, path, len));
}

static struct regkey *
key_make(struct regdb *db, const char *path, size_t len, uint32_t h,
    struct regkey *parent)
{
	struct regkey *k = db_alloc(db, sizeof *k + len + 1);

	memset(k, 0, sizeof *k);
	memcpy(k->path, path, len);
	k->path[len] = '\0';
	k->pathlen = len;
	k->h.hash = h;
	k->parent = parent;
	if (parent != NULL)
		parent->nchildren++;
	htab_add(&db->keys, &k->h);
	return k;
}

/*
 * The node of path, made with its missing ancestors. FNV goes left to
 * right, so one pass gives the hash of every ancestor's path on the way.
 */
static struct regkey *
key_node(struct regdb *db, const char *path, size_t len)
{
	struct level {
		size_t len;
		uint32_t hash;
	} few[64], *lv = few;
	size_t n = 0, j, i;
	uint32_t h = FNV_BASIS;
	struct regkey *k = NULL;

	for (i = 0; i < len; i++)
		n += path[i] == '\\';
	if (n + 1 > nitems(few))
		lv = xreallocarray(NULL, n + 1, sizeof *lv);
	for (i = 0, n = 0; i < len; i++) {
		if (path[i] == '\\') {
			lv[n].len = i;
			lv[n++].hash = h;
		}
		h = (h ^ (uint32_t)up((unsigned char)path[i])) * FNV_PRIME;
	}
	lv[n].len = len;
	lv[n].hash = h;
	/* Up to the nearest key that is there, then down making the rest. */
	for (j = n + 1; j-- > 0;)
		if ((k = find_h(db, path, lv[j].len, lv[j].hash)) != NULL)
			break;
	for (j = k != NULL ? j + 1 : 0; j <= n; j++)
		k = key_make(db, path, lv[j].len, lv[j].hash, k);
	if (lv != few)
		free(lv);
	return k;
}

static void
list_insert_before(struct list *list, struct link *l, struct link *at)
{
	l->next = at;
	l->prev = at != NULL ? at->prev : list->last;
	if (l->prev != NULL)
		l->prev->next = l;
	else
		list->first = l;
	if (at != NULL)
		at->prev = l;
	else
		list->last = l;
}

static void
list_remove(struct list *list, struct link *l)
{
	if (l->prev != NULL)
		l->prev->next = l->next;
	else
		list->first = l->next;
	if (l->next != NULL)
		l->next->prev = l->prev;
	else
		list->last = l->prev;
	l->prev = l->next = NULL;
}

/* Whether the listed keys are in export order: found out once, when a key
 * is first added after a file was read (a plan never needs to know). */
static int
in_export_order(struct regdb *db)
{
	const struct regkey *k, *next;

	if (db->sorted == SORTED_UNKNOWN) {
		db->sorted = SORTED_YES;
		for (k = regkey_at(db->order.first); k != NULL; k = next) {
			next = regkey_at(k->l.next);
			if (next != NULL && keycmp(k, next->path,
			    next->pathlen) > 0) {
				db->sorted = SORTED_NO;
				break;
			}
		}
	}
	return db->sorted == SORTED_YES;
}

/*
 * Where sorted order puts k: after what sorts before it within the block of
 * its nearest listed ancestor (its descendants follow it in an export), or
 * in the whole list when no ancestor is listed (then, in a list in export
 * order, a key past the last, the common case, is one comparison). A file
 * in export order stays in it; in a file that is not, a new key still goes
 * among the keys it sorts with, not after whatever came last.
 */
static struct regkey *
sorted_place(struct regdb *db, const struct regkey *k)
{
	const struct regkey *a = k->parent;
	struct regkey *at;

	while (a != NULL && !a->listed)
		a = a->parent;
	if (a == NULL && in_export_order(db) && (db->order.last == NULL ||
	    keycmp(regkey_at(db->order.last), k->path, k->pathlen) < 0))
		return NULL;
	at = regkey_at(a != NULL ? a->l.next : db->order.first);
	while (at != NULL && (a == NULL || key_below(at, a)) &&
	    keycmp(at, k->path, k->pathlen) < 0)
		at = regkey_at(at->l.next);
	return at;
}

struct regkey *
regdb_list(struct regdb *db, const char *path, size_t len, int append)
{
	struct regkey *k = key_node(db, path, len), *at;

	if (k->listed)
		return k;
	/* Same length: only ASCII letters fold. */
	memcpy(k->path, path, len);
	k->listed = 1;
	if (append)
		db->sorted = SORTED_UNKNOWN;
	at = append ? NULL : sorted_place(db, k);
	list_insert_before(&db->order, &k->l, at != NULL ? &at->l : NULL);
	db->nlisted++;
	db->textlen += len;
	return k;
}

/* A key's table of values goes; the key itself stays in the arena. */
static void
vtab_free(struct regkey *k)
{
	if (k->vtab != NULL) {
		free(k->vtab->slot);
		free(k->vtab);
		k->vtab = NULL;
	}
}

/* Drop nodes that hold nothing any more: no header, no subkeys. */
static void
key_prune(struct regdb *db, struct regkey *k)
{
	while (k != NULL && !k->listed && k->nchildren == 0) {
		struct regkey *parent = k->parent;

		htab_remove(&db->keys, &k->h);
		vtab_free(k);
		if (parent != NULL)
			parent->nchildren--;
		k = parent;
	}
}

static void
key_unlist(struct regdb *db, struct regkey *k)
{
	list_remove(&db->order, &k->l);
	k->listed = 0;
	db->nlisted--;
	db->textlen -= k->pathlen;
	key_prune(db, k);
}

/* ---- values ------------------------------------------------------------ */

/*
 * A key's values are found by looking through them while there are few (as
 * in nearly every key: they sit together in memory), through a table of
 * the key's own once there are more.
 */
#define VALUES_SCAN	16

static uint32_t
value_hash(const char *name, size_t namelen)
{
	return hash_ci(FNV_BASIS, name, namelen);
}

static void
value_index(struct regkey *k, struct regvalue *v)
{
	v->h.hash = value_hash(v->name, v->namelen);
	htab_add(k->vtab, &v->h);
}

struct regvalue *
regdb_value_find(const struct regdb *db, const struct regkey *k,
    const char *name, size_t namelen)
{
	struct regvalue *v;
	uint32_t h;

	(void)db;
	if (k->vtab == NULL) {
		for (v = regvalue_at(k->values.first); v != NULL;
		    v = regvalue_at(v->l.next))
			if (v->namelen == namelen &&
			    eq_ci(v->name, name, namelen))
				return v;
		return NULL;
	}
	h = value_hash(name, namelen);
	for (struct hnode *e = htab_chain(k->vtab, h); e != NULL;
	    e = e->next) {
		v = (struct regvalue *)e;
		if (e->hash == h && v->namelen == namelen &&
		    eq_ci(v->name, name, namelen))
			return v;
	}
	return NULL;
}

/* The default value goes first, as regedit writes it. */
struct regvalue *
regdb_value_add(struct regdb *db, struct regkey *k, const char *name,
    size_t namelen, const char *data, size_t datalen)
{
	struct regvalue *v = db_alloc(db, sizeof *v + namelen + datalen + 2);
	struct link *at = namelen == 0 ? k->values.first : NULL;

	memcpy(v->name, name, namelen);
	v->name[namelen] = '\0';
	v->namelen = namelen;
	v->data = v->name + namelen + 1;
	memcpy(v->data, data, datalen);
	v->data[datalen] = '\0';
	v->datalen = datalen;
	v->key = k;
	list_insert_before(&k->values, &v->l, at);
	if (k->vtab != NULL)
		value_index(k, v);
	else if (k->nvalues == VALUES_SCAN) {
		k->vtab = xcalloc(1, sizeof *k->vtab);
		k->vnext = db->vtabbed;
		db->vtabbed = k;
		for (struct regvalue *x = regvalue_at(k->values.first);
		    x != NULL; x = regvalue_at(x->l.next))
			value_index(k, x);
	}
	k->nvalues++;
	db->nvalues++;
	db->textlen += namelen + datalen;
	return v;
}

static void
value_remove(struct regdb *db, struct regvalue *v)
{
	struct regkey *k = v->key;

	list_remove(&k->values, &v->l);
	if (k->vtab != NULL)
		htab_remove(k->vtab, &v->h);
	k->nvalues--;
	db->nvalues--;
	db->textlen -= v->namelen + v->datalen;
}

/* ---- the database ------------------------------------------------------ */

struct regdb *
regdb_new(void)
{
	return xcalloc(1, sizeof (struct regdb));
}

void
regdb_clear(struct regdb *db)
{
	for (struct regkey *k = db->vtabbed; k != NULL; k = k->vnext)
		vtab_free(k);
	while (db->pool != NULL) {
		struct pool *next = db->pool->next;

		if (db->pool->big)
			big_free(db->pool, sizeof *db->pool + db->pool->size);
		else
			free(db->pool);
		db->pool = next;
	}
	free(db->keys.slot);
	memset(db, 0, sizeof *db);
}

void
regdb_free(struct regdb *db)
{
	if (db == NULL)
		return;
	regdb_clear(db);
	free(db);
}

/* The node of a caller's key path (any root spelling), or NULL. */
static struct regkey *
key_lookup(const struct regdb *db, const char *key)
{
	char *path = regdb_normalize(key, NULL, 0);
	struct regkey *k;

	if (path == NULL)
		return NULL;
	k = regdb_find(db, path, strlen(path));
	free(path);
	return k;
}

int
regdb_key_exists(const struct regdb *db, const char *key)
{
	/* A node is there only while it is listed or holds subkeys. */
	return key_lookup(db, key) != NULL;
}

int
regdb_key_create(struct regdb *db, const char *key)
{
	char *path = regdb_normalize(key, NULL, 0);

	if (path == NULL)
		return -1;
	regdb_list(db, path, strlen(path), 0);
	free(path);
	return 0;
}

/* Remove the key's header when it holds no values; with leaf_only, only
 * when no subkey is listed below it either. */
static int
key_remove_header(struct regdb *db, const char *key, int leaf_only)
{
	struct regkey *k = key_lookup(db, key);

	if (k == NULL || !k->listed || k->nvalues != 0 ||
	    (leaf_only && k->nchildren != 0))
		return -1;
	key_unlist(db, k);
	return 0;
}

int
regdb_key_delete(struct regdb *db, const char *key)
{
	return key_remove_header(db, key, 1);
}

int
regdb_key_listed(const struct regdb *db, const char *key)
{
	struct regkey *k = key_lookup(db, key);

	return k != NULL && k->listed;
}

int
regdb_key_unlist(struct regdb *db, const char *key)
{
	return key_remove_header(db, key, 0);
}

static const char *
value_name(const char *name)
{
	return name == NULL || strcmp(name, "@") == 0 ? "" : name;
}

static struct regvalue *
value_lookup(const struct regdb *db, const char *key, const char *name)
{
	struct regkey *k = key_lookup(db, key);

	name = value_name(name);
	return k != NULL ? regdb_value_find(db, k, name, strlen(name)) : NULL;
}

const char *
regdb_get(const struct regdb *db, const char *key, const char *name)
{
	struct regvalue *v = value_lookup(db, key, name);

	return v != NULL ? v->data : NULL;
}

int
regdb_set(struct regdb *db, const char *key, const char *name,
    const char *data, char *err, size_t errlen)
{
	struct regkey *k;
	struct regvalue *v;
	char *path, *c, tmp[SNIP_MAX + 8];
	size_t namelen;

	name = value_name(name);
	namelen = strlen(name);
	if (reg_text_bad(name) != NULL) {
		reg_seterr(err, errlen, "value name \"%s\" is not printable UTF-8; "
		    "expected a name without control characters",
		    reg_snip(name, tmp, sizeof tmp));
		return -1;
	}
	if ((path = regdb_normalize(key, err, errlen)) == NULL)
		return -1;
	if (regdb_find(db, path, strlen(path)) == NULL) {
		reg_seterr(err, errlen, "no key \"%s\"; expected an existing key",
		    reg_snip(path, tmp, sizeof tmp));
		free(path);
		return -1;
	}
	if ((c = regval_canon(data, err, errlen)) == NULL) {
		free(path);
		return -1;
	}
	k = regdb_list(db, path, strlen(path), 0);
	free(path);
	if ((v = regdb_value_find(db, k, name, namelen)) == NULL) {
		regdb_value_add(db, k, name, namelen, c, strlen(c));
		free(c);
		return 0;
	}
	/* Replacing keeps the value's place; the old data stays in the
	 * arena. */
	db->textlen -= v->datalen;
	v->datalen = strlen(c);
	v->data = memcpy(db_alloc(db, v->datalen + 1), c, v->datalen + 1);
	db->textlen += v->datalen;
	free(c);
	return 0;
}

int
regdb_delete(struct regdb *db, const char *key, const char *name)
{
	struct regvalue *v = value_lookup(db, key, name);

	if (v == NULL)
		return 1;
	value_remove(db, v);
	return 0;
}

char **
regdb_keys(const struct regdb *db, size_t *n)
{
	char **v;
	size_t i = 0;

	*n = db->nlisted;
	if (db->nlisted == 0)
		return NULL;
	v = xreallocarray(NULL, db->nlisted, sizeof *v);
	for (const struct regkey *k = regkey_at(db->order.first); k != NULL;
	    k = regkey_at(k->l.next))
		v[i++] = xstrndup(k->path, k->pathlen);
	return v;
}

char **
regdb_values(const struct regdb *db, const char *key, size_t *n)
{
	struct regkey *k = key_lookup(db, key);
	char **v;
	size_t i = 0;

	*n = 0;
	if (k == NULL || k->nvalues == 0)
		return NULL;
	v = xreallocarray(NULL, k->nvalues, sizeof *v);
	for (const struct regvalue *x = regvalue_at(k->values.first);
	    x != NULL; x = regvalue_at(x->l.next))
		v[i++] = xstrdup(x->namelen == 0 ? "@" : x->name);
	*n = k->nvalues;
	return v;
}

char **
regdb_subkeys(const struct regdb *db, const char *key, size_t *n)
{
	char *path = key != NULL ? regdb_normalize(key, NULL, 0) : NULL;
	const struct regkey *parent = NULL;
	char **v = xcalloc(db->nlisted + 1, sizeof *v);
	size_t plen = path != NULL ? strlen(path) : 0;

	*n = 0;
	if (key != NULL && (path == NULL ||
	    (parent = regdb_find(db, path, plen)) == NULL)) {
		free(path);
		return v;
	}
	for (const struct regkey *k = regkey_at(db->order.first); k != NULL;
	    k = regkey_at(k->l.next)) {
		if (parent == NULL || k->parent == parent)
			v[(*n)++] = xstrndup(k->path, k->pathlen);
	}
	free(path);
	return v;
}
