#include "journal.h"
#include "fault.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include "jsonutil.h"
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One record holds at most one value of a state file (16 MiB), in hex. */
#define RECORD_MAX (40 * 1024 * 1024)
#define VALUE_MAX (16 * 1024 * 1024)
#define RUN_ID_MAX 63

/*
 * What the reader keeps: the newest run only (rollback undoes nothing
 * older), so a journal of any size is read in constant memory.
 */
struct jhist {
	size_t runs;      /* runs begun */
	char id[RUN_ID_MAX + 1];
	json_t *changes;  /* the newest run's change records, in order */
	int ended, rolled_back;
	size_t line;      /* lines read */
};

/* For messages only: the journal is reached through the folder's handle. */
static char *
journal_path(struct host *h)
{
	return path_join(host_state_shown(h), "journal");
}

/* Where a write began, to take it back when it cannot be made durable. */
struct jwrite {
	int fd;
	off_t start;
};

/* The write w taken back, so that no part of it stays (errno kept). */
static void
take_back(const struct jwrite *w)
{
	int saved = errno;

	if (w->start != -1)
		(void)!ftruncate(w->fd, w->start);
	errno = saved;
}

/* fsync the write w; one that fails is taken back. */
static int
journal_sync(struct jwrite *w)
{
	if (fsync(w->fd) == 0)
		return 0;
	take_back(w);
	return -1;
}

/* Records (a JSON array), one line each, in one write; durable when sync
 * (else journal_sync later). A write that fails is taken back. */
static int
journal_write_all(struct jwrite *w, json_t *recs, int sync)
{
	struct buf b = {0};
	int rc = -1;

	w->start = lseek(w->fd, 0, SEEK_END);
	for (size_t i = 0; i < json_array_size(recs); i++) {
		char *line = json_dumps(json_array_get(recs, i),
		    JSON_COMPACT | JSON_PRESERVE_ORDER);

		if (line == NULL) {
			buf_free(&b);
			return -1;
		}
		buf_adds(&b, line);
		buf_addc(&b, '\n');
		free(line);
	}
	if (write(w->fd, b.p, b.len) == (ssize_t)b.len)
		rc = sync ? journal_sync(w) : 0;
	else
		take_back(w);
	buf_free(&b);
	return rc;
}

static int
journal_append(int fd, json_t *rec)
{
	json_t *one = json_array();
	int rc;

	json_array_append(one, rec);
	rc = journal_write_all(&(struct jwrite){ fd, -1 }, one, 1);
	json_decref(one);
	return rc;
}

/* ---- reading: every record is checked before any is believed ---------- */

static int
run_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > RUN_ID_MAX)
		return 0;
	for (; *id; id++)
		if (!isalnum((unsigned char)*id) && !strchr(".:_-", *id))
			return 0;
	return 1;
}

static int
hex_ok(const char *s, size_t even_len_max)
{
	size_t n = strlen(s);

	if (n % 2 != 0 || n > even_len_max)
		return 0;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* A string of at most max bytes, or null, or absent. */
static int
opt_string(json_t *rec, const char *key, size_t max)
{
	json_t *v = json_object_get(rec, key);

	return v == NULL || json_is_null(v) || (json_is_string(v) &&
	    json_string_length(v) <= max &&
	    strlen(json_string_value(v)) == json_string_length(v));
}

/* "at", when there, is a position (digits) of an IIS element. */
static int
at_ok(json_t *rec)
{
	const char *at = json_string_value(json_object_get(rec, "at"));

	if (at == NULL)
		return 1;
	if (*at == '\0' || !str_eq(json_string_value(json_object_get(rec,
	    "kind")), res_kind_name(RES_IISELEM)))
		return 0;
	for (; *at; at++)
		if (*at < '0' || *at > '9')
			return 0;
	return 1;
}

static int
change_ok(json_t *rec)
{
	json_t *seq = json_object_get(rec, "seq");
	json_t *name = json_object_get(rec, "name");
	const char *hex = json_string_value(json_object_get(rec, "old_hex"));
	const char *sum = json_string_value(json_object_get(rec, "new_sha256"));
	char why[128];

	if (!json_is_integer(seq) || json_integer_value(seq) < 0)
		return 0;
	if (name != NULL && !json_is_null(name) && !json_is_string(name))
		return 0;
	if (!opt_string(rec, "path", 4096) || !opt_string(rec, "name", 4096) ||
	    !opt_string(rec, "old", VALUE_MAX) ||
	    !opt_string(rec, "old_hex", 2 * VALUE_MAX) ||
	    !opt_string(rec, "new_sha256", 64) || !opt_string(rec, "at", 8))
		return 0;
	if (!at_ok(rec))
		return 0;
	if (hex != NULL && !hex_ok(hex, 2 * VALUE_MAX))
		return 0;
	if (sum != NULL && (strlen(sum) != 64 || !hex_ok(sum, 64)))
		return 0;
	return res_check(res_kind_from_name(json_string_value(
	    json_object_get(rec, "kind"))), json_string_value(
	    json_object_get(rec, "path")), json_string_value(name), why,
	    sizeof why) == 0;
}

/* Take one checked record into the history; 0, or -1 when damaged. */
static int
hist_add(struct jhist *hist, json_t *rec)
{
	const char *op = json_string_value(json_object_get(rec, "op"));
	const char *id = json_string_value(json_object_get(rec, "run"));
	int mine;

	if (!json_is_object(rec) || op == NULL || !run_id_ok(id))
		return -1;
	if (strcmp(op, "begin") == 0) {
		json_decref(hist->changes);
		hist->changes = json_array();
		snprintf(hist->id, sizeof hist->id, "%s", id);
		hist->ended = hist->rolled_back = 0;
		hist->runs++;
		return 0;
	}
	/* Records of older runs matter no more, but must be sound. */
	mine = hist->runs > 0 && strcmp(hist->id, id) == 0;
	if (strcmp(op, "change") == 0) {
		if (!change_ok(rec))
			return -1;
		if (mine)
			json_array_append(hist->changes, rec);
	} else if (strcmp(op, "end") == 0) {
		const char *st = json_string_value(json_object_get(rec,
		    "status"));

		if (!str_eq(st, "ok") && !str_eq(st, "rolled-back"))
			return -1;
		if (mine) {
			hist->ended = 1;
			hist->rolled_back |= str_eq(st, "rolled-back");
		}
	} else if (strcmp(op, "rollback") == 0) {
		if (mine)
			hist->rolled_back = 1;
	} else
		return -1;
	return 0;
}

/*
 * One line. A torn line (a crash while writing it: a prefix of a record,
 * so the parser runs out of input) is skipped: its change had not started,
 * because the record is written first. Anything else that does not parse
 * or check is damage: nothing may be undone from a journal we misread.
 */
static int
hist_line(struct jhist *hist, const char *line, size_t n, char *err,
    size_t len)
{
	json_error_t e;
	json_t *rec;
	int rc;

	hist->line++;
	if (n == 0)
		return 0;
	if (n > RECORD_MAX) {
		snprintf(err, len, "journal:%zu: damaged (a record over %d "
		    "bytes)", hist->line, RECORD_MAX);
		return -1;
	}
	rec = json_loadb(line, n, JSON_REJECT_DUPLICATES, &e);
	if (rec == NULL && e.position >= (int)n && memchr(line, '\0', n) ==
	    NULL && line[0] == '{')
		return 0;
	rc = rec == NULL ? -1 : hist_add(hist, rec);
	json_decref(rec);
	if (rc != 0)
		snprintf(err, len, "journal:%zu: damaged", hist->line);
	return rc;
}

int
journal_scan_text(const char *data, size_t len, char *err, size_t errlen)
{
	struct jhist hist = {0};
	const char *end = data + len;
	int rc = 0;

	while (rc == 0 && data < end) {
		const char *nl = memchr(data, '\n', (size_t)(end - data));
		size_t n = nl ? (size_t)(nl - data) : (size_t)(end - data);

		rc = hist_line(&hist, data, n, err, errlen);
		data += n + (nl != NULL);
	}
	json_decref(hist.changes);
	return rc;
}

/* Streamed, line by line: no size makes the reader give up, so the
 * unfinished-run guard holds however long the journal grows. */
static int
hist_load(struct host *h, struct jhist *hist, char *err, size_t len)
{
	char *path = journal_path(h), chunk[65536];
	struct buf line = {0};
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	memset(hist, 0, sizeof *hist);
	fd = openat(host_state_fd(h), "journal", O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK);
	if (fd == -1 && errno == ENOENT) {
		free(path);
		return 0;
	}
	if (fd == -1 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: cannot read the journal: %s", path,
		    fd == -1 ? strerror(errno) : "not a regular file");
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	while (rc == 0 && (n = read(fd, chunk, sizeof chunk)) != 0) {
		const char *p = chunk, *end, *nl;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, len, "%s: cannot read the journal: %s",
			    path, strerror(errno));
			rc = -1;
			break;
		}
		for (end = chunk + n; rc == 0 && p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
				buf_add(&line, p, (size_t)(end - p));
				break;
			}
			buf_add(&line, p, (size_t)(nl - p));
			rc = hist_line(hist, line.p ? line.p : "", line.len,
			    err, len);
			line.len = 0;
		}
		/* A line that outgrows any record is damage, not memory. */
		if (rc == 0 && line.len > RECORD_MAX)
			rc = hist_line(hist, line.p, line.len, err, len);
	}
	if (rc == 0 && line.len > 0)
		rc = hist_line(hist, line.p, line.len, err, len);
	buf_free(&line);
	close(fd);
	free(path);
	/* A journal we cannot read holds nothing for the caller. */
	if (rc != 0) {
		json_decref(hist->changes);
		hist->changes = NULL;
	}
	return rc;
}

static void
hist_free(struct jhist *hist)
{
	json_decref(hist->changes);
	hist->changes = NULL;
}

int
journal_unfinished(struct host *h, char *run, size_t len)
{
	struct jhist hist;
	int open_run = 0;

	if (hist_load(h, &hist, run, len) != 0)
		return -1;
	if (hist.runs > 0) {
		open_run = !hist.ended && !hist.rolled_back;
		snprintf(run, len, "%s", hist.id);
	}
	hist_free(&hist);
	return open_run;
}

/* ---- writing ------------------------------------------------------------ */

/* A crash while a record was written leaves a line without its newline;
 * close it, so that the next record is not glued onto it. */
static void
end_torn_line(int fd)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char last;

	if (end > 0 && pread(fd, &last, 1, end - 1) == 1 && last != '\n')
		(void)!write(fd, "\n", 1);
}

static int
journal_open(struct host *h)
{
	struct stat st;
	int fd;

	/* Through the state folder the driver holds: never by its path. */
	fd = openat(host_state_fd(h), "journal", O_RDWR | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd != -1 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if (fd != -1)
		end_torn_line(fd);
	return fd;
}

/* JSON holds UTF-8 only; any other bytes go in hex so none are lost. */
static void
set_old(json_t *rec, const char *old)
{
	json_t *j = old ? json_string(old) : json_null();
	struct buf hex = {0};

	if (j != NULL) {
		json_object_set_new(rec, "old", j);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)old; *p; p++)
		buf_addf(&hex, "%02x", *p);
	json_object_set_new(rec, "old_hex", json_string(hex.p));
	buf_free(&hex);
}

static char *
get_old(json_t *rec)
{
	const char *hex = json_string_value(json_object_get(rec, "old_hex"));
	const char *old = json_string_value(json_object_get(rec, "old"));
	size_t n;
	char *out;

	if (hex == NULL)
		return old ? xstrdup(old) : NULL;
	n = strlen(hex) / 2;
	out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (char)v;
	}
	out[n] = '\0';
	return out;
}

/* What a change wrote, as a SHA-256: enough to tell later whether someone
 * changed it since, and never the value (a private key, a secret). */
static void
value_sum(const char *v, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	EVP_Digest(v, strlen(v), md, &n, EVP_sha256(), NULL);
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * Where an IIS element this change removes stands among its siblings, so
 * that undo puts it back there and not at the end (a binding's order is
 * the site's). NULL for every other change, or when it cannot be told.
 */
static char *
change_at(struct host *h, const struct change *c)
{
	char *at = NULL, err[256];

	if (c->kind != RES_IISELEM || c->new != NULL || c->old == NULL ||
	    host_get(h, c->kind, c->path, HOST_IIS_INDEX, &at, err,
	    sizeof err) != 0)
		return NULL;
	return at;
}

static json_t *
change_record(const char *run, size_t seq, const struct change *c,
    const char *at)
{
	json_t *rec = json_object();
	char sum[65];

	json_object_set_new(rec, "op", json_string("change"));
	json_object_set_new(rec, "run", json_string(run));
	json_object_set_new(rec, "seq", json_integer((json_int_t)seq));
	json_object_set_new(rec, "kind", json_string(res_kind_name(c->kind)));
	json_object_set_new(rec, "path", json_text(c->path));
	json_object_set_new(rec, "name", json_text(c->name));
	/* The old value, to undo; of the new one its hash only. */
	set_old(rec, c->old);
	if (c->new != NULL)
		value_sum(c->new, sum);
	json_object_set_new(rec, "new_sha256", c->new ? json_string(sum) :
	    json_null());
	if (at != NULL)
		json_object_set_new(rec, "at", json_string(at));
	return rec;
}

static json_t *
simple_record(const char *op, const char *run, const char *key, json_t *val)
{
	json_t *rec = json_object();

	json_object_set_new(rec, "op", json_string(op));
	json_object_set_new(rec, "run", json_string(run));
	if (key != NULL)
		json_object_set_new(rec, key, val);
	return rec;
}

static int
write_simple(int fd, const char *op, const char *run, const char *key,
    json_t *val)
{
	json_t *rec = simple_record(op, run, key, val);
	int rc = journal_append(fd, rec);

	json_decref(rec);
	return rc;
}

static void
notify(const struct apply_observer *o, enum apply_event ev, size_t i,
    size_t n, const struct change *c, const char *err)
{
	if (o != NULL && o->event != NULL)
		o->event(o->arg, ev, i, n, c, err);
}

/* ---- undo ---------------------------------------------------------------- */

/*
 * A private key this target is losing goes to STATE/undone/ (0600), not
 * away: the CA may already be signing the request made with it.
 */
static int
keep_private_key(struct host *h, const char *run, const struct change *c,
    const char *cur, char *err, size_t len)
{
	char *rel, *path;
	int rc = 0;

	if (c->new != NULL || cur == NULL || strstr(cur, "PRIVATE KEY-----") ==
	    NULL)
		return 0;
	rel = xasprintf("undone/%s-%s%s%s", run, c->path, c->name ? "-" : "",
	    c->name ? c->name : "");
	for (char *p = rel + strlen("undone/"); *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_", *p))
			*p = '_';
	if (file_write_atomic_at(host_state_fd(h), rel, cur, strlen(cur), 0600,
	    0700) != 0) {
		path = path_join(host_state_shown(h), rel);
		snprintf(err, len, "cannot keep the private key in %s: %s",
		    path, strerror(errno));
		free(path);
		rc = -1;
	}
	free(rel);
	return rc;
}

static void
change_clear(struct change *c)
{
	struct plan one = { .n = 1, .cap = 1 };

	one.v = xmalloc(sizeof *c);
	one.v[0] = *c;
	plan_free(&one);
}

static void
change_set(struct change *c, json_t *rec)
{
	memset(c, 0, sizeof *c);
	c->kind = (enum res_kind)res_kind_from_name(json_string_value(
	    json_object_get(rec, "kind")));
	c->path = xstrdup(json_string_value(json_object_get(rec, "path")));
	if (json_string_value(json_object_get(rec, "name")) != NULL)
		c->name = xstrdup(json_string_value(json_object_get(rec,
		    "name")));
	if (json_string_value(json_object_get(rec, "at")) != NULL)
		c->at = xstrdup(json_string_value(json_object_get(rec, "at")));
	c->step = xstrdup("rollback");
	/* secret: the values are not printed, only their size. */
	c->secret = c->kind == RES_CERT || c->kind == RES_FILE;
}

/* Put back what change c's record says was there: an IIS element where
 * it stood among its siblings, anything else as it was. */
static int
undo_set(struct host *h, const struct change *c, char *err, size_t len)
{
	if (c->at != NULL && c->new != NULL)
		return host_set(h, c->kind, c->path, HOST_IIS_INDEX, c->at,
		    err, len);
	return host_set(h, c->kind, c->path, c->name, c->new, err, len);
}

static void
plan_push(struct plan *p, struct change *c)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n++] = *c;
}

static int
same_place(json_t *a, json_t *b)
{
	return str_eq(json_string_value(json_object_get(a, "kind")),
	    json_string_value(json_object_get(b, "kind"))) &&
	    str_ieq(json_string_value(json_object_get(a, "path")),
	    json_string_value(json_object_get(b, "path"))) &&
	    str_ieq(json_string_value(json_object_get(a, "name")),
	    json_string_value(json_object_get(b, "name")));
}

/* Is (kind, path, name) in the list of what rollback leaves alone? */
static int
is_kept(const struct plan *kept, const char *kind, const char *path,
    const char *name)
{
	for (size_t i = 0; i < kept->n; i++)
		if (str_eq(res_kind_name(kept->v[i].kind), kind) &&
		    str_ieq(kept->v[i].path, path) &&
		    str_ieq(kept->v[i].name, name))
			return 1;
	return 0;
}

/* Did this run create (kind, path, name), and does rollback remove it? */
static int
run_created(json_t *changes, const struct plan *kept, const char *kind,
    const char *path, const char *name)
{
	if (is_kept(kept, kind, path, name))
		return 0;
	for (size_t i = 0; i < json_array_size(changes); i++) {
		json_t *r = json_array_get(changes, i);

		if (str_eq(json_string_value(json_object_get(r, "kind")),
		    kind) && str_ieq(json_string_value(json_object_get(r,
		    "path")), path) && str_ieq(json_string_value(
		    json_object_get(r, "name")), name) &&
		    json_string_value(json_object_get(r, "old")) == NULL &&
		    json_object_get(r, "old_hex") == NULL)
			return 1;
	}
	return 0;
}

/*
 * A registry key the run created is removed only when it holds nothing
 * but what the run put there: a value or subkey someone added since (a
 * connector installer) keeps it, and the rest of the rollback goes on.
 */
static int
key_holds_others(struct host *h, json_t *changes, const struct plan *kept,
    const char *key)
{
	char **names = NULL, err[128];
	size_t n = 0, klen = strlen(key);
	int others = 0;

	if (host_list(h, RES_REG, key, &names, &n, err, sizeof err) == 0)
		for (size_t i = 0; i < n && !others; i++)
			others = !run_created(changes, kept, "reg", key,
			    names[i]);
	str_list_free(names, n);
	names = NULL;
	n = 0;
	if (!others && host_list(h, RES_REGKEY, NULL, &names, &n, err,
	    sizeof err) == 0)
		for (size_t i = 0; i < n && !others; i++)
			others = strncasecmp(names[i], key, klen) == 0 &&
			    names[i][klen] == '\\' &&
			    !run_created(changes, kept, "regkey", names[i],
			    NULL);
	str_list_free(names, n);
	return others;
}

void
rollback_plan_free(struct rollback_plan *rp)
{
	plan_free(&rp->undo);
	plan_free(&rp->kept);
}

/*
 * What undoing the newest run takes, resource by resource, newest first.
 * A resource whose value is no longer what the run wrote was changed by
 * someone since: it goes to kept, and is undone only with force.
 */
static void
plan_undo(struct host *h, json_t *changes, int force, struct rollback_plan *rp)
{
	size_t n = json_array_size(changes);

	for (size_t i = n; i-- > 0;) {
		json_t *rec = json_array_get(changes, i);
		json_t *sum = json_object_get(rec, "new_sha256");
		char *cur = NULL, err[256], have[65] = "";
		struct change c;
		int later = 0, drift = 0;

		for (size_t k = i + 1; k < n && !later; k++)
			later = same_place(rec, json_array_get(changes, k));
		change_set(&c, rec);
		c.new = get_old(rec);
		if (host_get(h, c.kind, c.path, c.name, &cur, err,
		    sizeof err) != 0) {
			c.reason = xasprintf("cannot be read now: %s", err);
			plan_push(&rp->kept, &c);
			continue;
		}
		c.old = cur;
		if (cur != NULL)
			value_sum(cur, have);
		/* A later record of the run changed it again: no drift to
		 * see here. Records without a sum predate drift checks. */
		if (!later && sum != NULL)
			drift = json_is_null(sum) ? cur != NULL :
			    !str_eq(have, json_string_value(sum));
		if (str_eq(c.old, c.new)) {
			change_clear(&c);
			continue;
		}
		if (c.kind == RES_REGKEY && c.new == NULL &&
		    key_holds_others(h, changes, &rp->kept, c.path)) {
			c.reason = xstrdup("left in place: it holds values or "
			    "keys added or changed since the apply");
			plan_push(&rp->kept, &c);
		} else if (drift && !force) {
			c.reason = xstrdup("changed since the apply: left as it "
			    "is now (--force restores it anyway)");
			plan_push(&rp->kept, &c);
		} else {
			c.reason = xasprintf("undo run %s%s", rp->run, drift ?
			    " (changed since the apply; forced)" : "");
			plan_push(&rp->undo, &c);
		}
	}
}

enum rollback_result
journal_rollback_plan(struct host *h, int force, struct rollback_plan *rp,
    char *info, size_t len)
{
	struct jhist hist;

	memset(rp, 0, sizeof *rp);
	host_forget(h);
	if (hist_load(h, &hist, info, len) != 0)
		return ROLLBACK_DAMAGED;
	if (hist.runs == 0 || hist.rolled_back) {
		snprintf(info, len, hist.runs ? "the last apply was already "
		    "rolled back" : "no apply has been made on this target");
		hist_free(&hist);
		return ROLLBACK_NOTHING;
	}
	snprintf(rp->run, sizeof rp->run, "%s", hist.id);
	snprintf(info, len, "%s", hist.id);
	plan_undo(h, hist.changes, force, rp);
	hist_free(&hist);
	return ROLLBACK_OK;
}

/* Undo i of rp is on the target (when made): say so, count it. */
static void
undone_now(const struct apply_observer *o, const struct rollback_plan *rp,
    size_t i, const char *made, size_t *undone)
{
	if (!made[i])
		return;
	notify(o, APPLY_UNDONE, rp->undo.n - 1 - i, rp->undo.n,
	    &rp->undo.v[i], NULL);
	(*undone)++;
}

enum rollback_result
journal_rollback_run(struct host *h, const struct rollback_plan *rp,
    const struct apply_observer *o, size_t *undone, char *info, size_t len)
{
	enum rollback_result res = ROLLBACK_OK;
	size_t n = rp->undo.n;
	char *made = xcalloc(n + 1, 1);
	int fd, batch = host_begin(h);

	*undone = 0;
	snprintf(info, len, "%s", rp->run);
	/* In a batch the undo is made in memory, then each file is written
	 * once; a failure there writes nothing. Else change by change,
	 * undoing what can be. */
	for (size_t i = 0; i < n && (res == ROLLBACK_OK || !batch); i++) {
		const struct change *c = &rp->undo.v[i];

		if (keep_private_key(h, rp->run, c, c->old, info, len) != 0 ||
		    undo_set(h, c, info, len) != 0)
			res = ROLLBACK_FAILED;
		else
			made[i] = 1;
		if (!batch)
			undone_now(o, rp, i, made, undone);
	}
	if (batch && res != ROLLBACK_OK)
		host_abort(h);
	else if (batch && host_commit(h, info, len) != 0)
		res = ROLLBACK_FAILED;
	for (size_t i = 0; batch && res == ROLLBACK_OK && i < n; i++)
		undone_now(o, rp, i, made, undone);
	free(made);
	if (res != ROLLBACK_OK)
		return res;
	if ((fd = journal_open(h)) == -1 ||
	    write_simple(fd, "rollback", rp->run, NULL, NULL) != 0) {
		snprintf(info, len, "undone, but the journal could not record "
		    "it: %s", strerror(errno));
		res = ROLLBACK_FAILED;
	}
	if (fd != -1)
		close(fd);
	return res;
}

enum rollback_result
journal_rollback(struct host *h, const struct apply_observer *o,
    size_t *undone, char *info, size_t len)
{
	struct rollback_plan rp;
	enum rollback_result res;

	*undone = 0;
	res = journal_rollback_plan(h, 0, &rp, info, len);
	if (res == ROLLBACK_OK)
		res = journal_rollback_run(h, &rp, o, undone, info, len);
	rollback_plan_free(&rp);
	return res;
}

/* ---- apply --------------------------------------------------------------- */

/* Undo what this run did so far, newest first: nobody else can have
 * changed it in between (the target is locked), so no drift check. */
static int
undo_records(struct host *h, json_t *changes, const struct apply_observer *o,
    char *err, size_t len)
{
	size_t n = json_array_size(changes);
	int rc = 0;

	for (size_t i = n; i-- > 0;) {
		json_t *rec = json_array_get(changes, i);
		struct change c;

		change_set(&c, rec);
		c.new = get_old(rec);
		if (undo_set(h, &c, err, len) != 0)
			rc = -1;
		else
			notify(o, APPLY_UNDONE, i, n, &c, NULL);
		change_clear(&c);
	}
	return rc;
}

static void
make_run_id(char *id, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(id, len, "%04d%02d%02dT%02d%02d%02d.%06ldZ-%ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000, (long)getpid());
}

/*
 * A change failed: undo the run. What a batch held and had not written
 * goes first (the driver then holds what the disk holds, so undoing a
 * change that never reached the disk writes nothing), then the undo is
 * made, in a batch of its own when the driver has batches. fd -1: the
 * run was never journaled (a batch that failed in memory), so no end.
 */
static enum apply_result
fail_and_undo(struct host *h, int fd, const char *run, json_t *done,
    const struct apply_observer *o, char *err, size_t len)
{
	char undo_err[512] = "";
	enum apply_result res = APPLY_ROLLED_BACK;
	int batch;

	host_abort(h);
	batch = host_begin(h);
	if (undo_records(h, done, o, undo_err, sizeof undo_err) != 0) {
		if (batch)
			host_abort(h);
		res = APPLY_BROKEN;
	} else if (host_commit(h, undo_err, sizeof undo_err) != 0)
		res = APPLY_BROKEN;
	if (res == APPLY_BROKEN) {
		size_t used = strlen(err);

		snprintf(err + used, len - used, "; undoing it failed too: %s "
		    "(run 'ndeswiz rollback' once the cause is fixed)",
		    undo_err);
	} else if (fd != -1)
		write_simple(fd, "end", run, "status",
		    json_string("rolled-back"));
	return res;
}

/* Find the address of a change made at apply (plan.h's resolve) now
 * that the changes before it are made; it is checked as every other. */
static int
change_resolve(struct host *h, struct change *c, char *err, size_t len)
{
	char why[256];

	if (c->resolve == NULL)
		return 0;
	if (c->resolve(h, c, err, len) != 0)
		return -1;
	c->resolve = NULL;
	if (res_check((int)c->kind, c->path, c->name, why, sizeof why) != 0) {
		snprintf(err, len, "%s cannot be stored: %s", c->path, why);
		return -1;
	}
	return 0;
}

static void
no_journal(struct host *h, char *err, size_t len)
{
	snprintf(err, len, "cannot write the journal in %s: %s",
	    host_state_shown(h), strerror(errno));
}

/*
 * Make the changes, each record made right before its change (where an
 * IIS element stands is what the changes before it left). fd: each
 * record is journaled, durable, before its change (a driver without
 * batches, whose changes are each durable at once); -1: in a batch, in
 * memory, journaled all at once afterwards (journal_commit).
 */
static enum apply_result
make_changes(struct host *h, int fd, const char *run, const struct plan *p,
    const struct apply_observer *o, json_t *done, char *err, size_t len)
{
	for (size_t i = 0; i < p->n; i++) {
		struct change *c = &p->v[i];
		char *at;
		json_t *rec;

		if (change_resolve(h, c, err, len) != 0) {
			notify(o, APPLY_FAILED, i, p->n, c, err);
			return fail_and_undo(h, fd, run, done, o, err, len);
		}
		at = change_at(h, c);
		rec = change_record(run, i, c, at);
		free(at);
		notify(o, APPLY_START, i, p->n, c, NULL);
		if (fd != -1 && journal_append(fd, rec) != 0) {
			snprintf(err, len, "cannot write the journal: %s",
			    strerror(errno));
			json_decref(rec);
			return fail_and_undo(h, fd, run, done, o, err, len);
		}
		json_array_append_new(done, rec);
		fault_point(FAULT_BEFORE_CHANGE, i + 1);
		if (host_set(h, c->kind, c->path, c->name, c->new, err,
		    len) != 0 || (c->verify != NULL && c->verify(h, c, err,
		    len) != 0)) {
			notify(o, APPLY_FAILED, i, p->n, c, err);
			return fail_and_undo(h, fd, run, done, o, err, len);
		}
		fault_point(FAULT_AFTER_CHANGE, i + 1);
		notify(o, APPLY_DONE, i, p->n, c, NULL);
	}
	return APPLY_OK;
}

/* The journal's write made durable, between the commit's writing of the
 * files and their putting in place (host_commit_after). */
struct jready {
	struct jwrite w;
	struct host *h;
	int failed;
};

static int
journal_ready(void *ctx, char *err, size_t len)
{
	struct jready *r = ctx;

	if (journal_sync(&r->w) == 0)
		return 0;
	r->failed = 1;
	no_journal(r->h, err, len);
	return -1;
}

/* A batch made in memory: the journal takes the begin and every record,
 * old values all, in one write, durable before the commit puts the first
 * changed file in place (each written once). */
static enum apply_result
journal_commit(struct host *h, int fd, const char *run, size_t n,
    const struct apply_observer *o, json_t *done, char *err, size_t len)
{
	struct jready r = { { fd, -1 }, h, 0 };
	json_t *all = json_array();
	int rc;

	json_array_append_new(all, simple_record("begin", run, "changes",
	    json_integer((json_int_t)n)));
	json_array_extend(all, done);
	rc = journal_write_all(&r.w, all, 0);
	json_decref(all);
	if (rc != 0) {
		no_journal(h, err, len);
		host_abort(h);
		return APPLY_REFUSED;
	}
	if (host_commit_after(h, journal_ready, &r, err, len) != 0)
		/* Not durable: no file changed, and the records are gone. */
		return r.failed ? APPLY_REFUSED :
		    fail_and_undo(h, fd, run, done, o, err, len);
	return APPLY_OK;
}

enum apply_result
journal_apply(struct host *h, const struct plan *p,
    const struct apply_observer *o, char *err, size_t len)
{
	char run[64], open_run[512];
	json_t *done;
	enum apply_result res;
	int fd, unfinished;

	if ((unfinished = journal_unfinished(h, open_run, sizeof open_run))) {
		snprintf(err, len, unfinished < 0 ? "%s; nothing can be applied "
		    "until the journal is readable" : "the apply of run %s did "
		    "not finish; run 'ndeswiz rollback' first, then apply "
		    "again", open_run);
		return APPLY_REFUSED;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].resolve == NULL && res_check((int)p->v[i].kind,
		    p->v[i].path, p->v[i].name, open_run, sizeof open_run) != 0) {
			snprintf(err, len, "change %zu cannot be stored: %s",
			    i + 1, open_run);
			return APPLY_REFUSED;
		}
	if ((fd = journal_open(h)) == -1) {
		no_journal(h, err, len);
		return APPLY_REFUSED;
	}
	make_run_id(run, sizeof run);
	done = json_array();
	/* A change's resolve and verify hooks read the server: as it is
	 * now, not as the plan read it (the wizard's plan may be older). */
	host_forget(h);
	if (host_begin(h)) {
		res = make_changes(h, -1, run, p, o, done, err, len);
		if (res == APPLY_OK)
			res = journal_commit(h, fd, run, p->n, o, done, err,
			    len);
	} else if (write_simple(fd, "begin", run, "changes",
	    json_integer((json_int_t)p->n)) != 0) {
		no_journal(h, err, len);
		res = APPLY_REFUSED;
	} else
		res = make_changes(h, fd, run, p, o, done, err, len);
	if (res == APPLY_OK)
		write_simple(fd, "end", run, "status", json_string("ok"));
	json_decref(done);
	close(fd);
	return res;
}
