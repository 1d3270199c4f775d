#include "journal.h"
#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include "jsonutil.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_MAX (64 * 1024 * 1024)

struct jrun {
	char *id;
	json_t *changes; /* array of change records, in order */
	int ended, rolled_back;
};

struct jhist {
	struct jrun *runs;
	size_t n;
};

static char *
journal_path(struct host *h)
{
	return path_join(host_state_dir(h), "journal");
}

static int
journal_append(int fd, json_t *rec)
{
	char *line = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t n;
	int rc = -1;

	if (line == NULL)
		return -1;
	n = strlen(line);
	line = xrealloc(line, n + 2);
	line[n++] = '\n';
	line[n] = '\0';
	if (write(fd, line, n) == (ssize_t)n && fsync(fd) == 0)
		rc = 0;
	free(line);
	return rc;
}

static struct jrun *
hist_run(struct jhist *hist, const char *id)
{
	for (size_t i = hist->n; i-- > 0;)
		if (strcmp(hist->runs[i].id, id) == 0)
			return &hist->runs[i];
	return NULL;
}

static void
hist_add_record(struct jhist *hist, json_t *rec)
{
	const char *op = json_string_value(json_object_get(rec, "op"));
	const char *id = json_string_value(json_object_get(rec, "run"));
	struct jrun *r;

	if (op == NULL || id == NULL)
		return;
	if (strcmp(op, "begin") == 0) {
		hist->runs = xreallocarray(hist->runs, hist->n + 1,
		    sizeof *hist->runs);
		r = &hist->runs[hist->n++];
		memset(r, 0, sizeof *r);
		r->id = xstrdup(id);
		r->changes = json_array();
		return;
	}
	if ((r = hist_run(hist, id)) == NULL)
		return;
	if (strcmp(op, "change") == 0)
		json_array_append(r->changes, rec);
	else if (strcmp(op, "end") == 0) {
		r->ended = 1;
		if (str_eq(json_string_value(json_object_get(rec, "status")),
		    "rolled-back"))
			r->rolled_back = 1;
	} else if (strcmp(op, "rollback") == 0)
		r->rolled_back = 1;
}

/* A torn last line (a crash while writing it) is skipped: its change had
 * not started, because the record is written first. */
static int
hist_load(struct host *h, struct jhist *hist)
{
	char *path = journal_path(h), *data, *line, *save;
	size_t len;

	memset(hist, 0, sizeof *hist);
	if (file_read(path, JOURNAL_MAX, &data, &len) != 0) {
		free(path);
		return errno == ENOENT ? 0 : -1;
	}
	free(path);
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		json_t *rec = json_loads(line, 0, NULL);

		if (rec == NULL)
			continue;
		hist_add_record(hist, rec);
		json_decref(rec);
	}
	free(data);
	return 0;
}

static void
hist_free(struct jhist *hist)
{
	for (size_t i = 0; i < hist->n; i++) {
		free(hist->runs[i].id);
		json_decref(hist->runs[i].changes);
	}
	free(hist->runs);
}

int
journal_unfinished(struct host *h, char *run, size_t len)
{
	struct jhist hist;
	int open_run = 0;

	if (hist_load(h, &hist) != 0)
		return 0;
	if (hist.n > 0) {
		struct jrun *r = &hist.runs[hist.n - 1];

		open_run = !r->ended && !r->rolled_back;
		snprintf(run, len, "%s", r->id);
	}
	hist_free(&hist);
	return open_run;
}

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
	char *path = journal_path(h);
	int fd;

	mkdir_p(host_state_dir(h), 0700);
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	free(path);
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

static json_t *
change_record(const char *run, size_t seq, const struct change *c)
{
	json_t *rec = json_object();

	json_object_set_new(rec, "op", json_string("change"));
	json_object_set_new(rec, "run", json_string(run));
	json_object_set_new(rec, "seq", json_integer((json_int_t)seq));
	json_object_set_new(rec, "kind", json_string(res_kind_name(c->kind)));
	json_object_set_new(rec, "path", json_text(c->path));
	json_object_set_new(rec, "name", json_text(c->name));
	/* The old value only: enough to undo, and never the new secret. */
	set_old(rec, c->old);
	return rec;
}

static int
write_simple(int fd, const char *op, const char *run, const char *key,
    json_t *val)
{
	json_t *rec = json_object();
	int rc;

	json_object_set_new(rec, "op", json_string(op));
	json_object_set_new(rec, "run", json_string(run));
	if (key != NULL)
		json_object_set_new(rec, key, val);
	rc = journal_append(fd, rec);
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

/* Undo a list of journal records, newest first. */
static int
undo_records(struct host *h, json_t *changes, const struct apply_observer *o,
    size_t *undone, char *err, size_t len)
{
	size_t n = json_array_size(changes);
	int rc = 0;

	for (size_t i = n; i-- > 0;) {
		json_t *rec = json_array_get(changes, i);
		int kind = res_kind_from_name(json_string_value(
		    json_object_get(rec, "kind")));
		const char *path = json_string_value(json_object_get(rec,
		    "path"));
		const char *name = json_string_value(json_object_get(rec,
		    "name"));
		char *old = get_old(rec);
		struct change c = { .kind = (enum res_kind)kind,
		    .path = (char *)path, .name = (char *)name };

		if (kind < 0 || path == NULL) {
			snprintf(err, len, "journal record %zu is damaged", i);
			rc = -1;
			free(old);
			continue;
		}
		if (host_set(h, (enum res_kind)kind, path, name, old, err,
		    len) != 0) {
			rc = -1;
			free(old);
			continue;
		}
		free(old);
		notify(o, APPLY_UNDONE, i, n, &c, NULL);
		if (undone != NULL)
			(*undone)++;
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

static enum apply_result
fail_and_undo(struct host *h, int fd, const char *run, json_t *done,
    const struct apply_observer *o, char *err, size_t len)
{
	char undo_err[512] = "";
	enum apply_result res = APPLY_ROLLED_BACK;

	if (undo_records(h, done, o, NULL, undo_err, sizeof undo_err) != 0) {
		size_t used = strlen(err);

		snprintf(err + used, len - used, "; undoing it failed too: %s "
		    "(run 'ndeswiz rollback' once the cause is fixed)",
		    undo_err);
		res = APPLY_BROKEN;
	} else
		write_simple(fd, "end", run, "status",
		    json_string("rolled-back"));
	return res;
}

enum apply_result
plan_apply(struct host *h, const struct plan *p,
    const struct apply_observer *o, char *err, size_t len)
{
	char run[64], open_run[64];
	json_t *done;
	enum apply_result res = APPLY_OK;
	int fd;

	if (journal_unfinished(h, open_run, sizeof open_run)) {
		snprintf(err, len, "the apply of run %s did not finish; run "
		    "'ndeswiz rollback' first, then apply again", open_run);
		return APPLY_REFUSED;
	}
	if ((fd = journal_open(h)) == -1) {
		snprintf(err, len, "cannot write the journal in %s: %s",
		    host_state_dir(h), strerror(errno));
		return APPLY_REFUSED;
	}
	make_run_id(run, sizeof run);
	if (write_simple(fd, "begin", run, "changes",
	    json_integer((json_int_t)p->n)) != 0) {
		snprintf(err, len, "cannot write the journal in %s: %s",
		    host_state_dir(h), strerror(errno));
		close(fd);
		return APPLY_REFUSED;
	}
	done = json_array();
	for (size_t i = 0; i < p->n && res == APPLY_OK; i++) {
		const struct change *c = &p->v[i];
		json_t *rec = change_record(run, i, c);

		notify(o, APPLY_START, i, p->n, c, NULL);
		if (journal_append(fd, rec) != 0) {
			snprintf(err, len, "cannot write the journal: %s",
			    strerror(errno));
			json_decref(rec);
			res = fail_and_undo(h, fd, run, done, o, err, len);
			break;
		}
		json_array_append_new(done, rec);
		fault_point(FAULT_BEFORE_CHANGE, i + 1);
		if (host_set(h, c->kind, c->path, c->name, c->new, err,
		    len) != 0) {
			notify(o, APPLY_FAILED, i, p->n, c, err);
			res = fail_and_undo(h, fd, run, done, o, err, len);
			break;
		}
		fault_point(FAULT_AFTER_CHANGE, i + 1);
		notify(o, APPLY_DONE, i, p->n, c, NULL);
	}
	if (res == APPLY_OK)
		write_simple(fd, "end", run, "status", json_string("ok"));
	json_decref(done);
	close(fd);
	return res;
}

enum rollback_result
journal_rollback(struct host *h, const struct apply_observer *o,
    size_t *undone, char *info, size_t len)
{
	struct jhist hist;
	struct jrun *r = NULL;
	enum rollback_result res = ROLLBACK_OK;
	int fd;

	*undone = 0;
	if (hist_load(h, &hist) != 0) {
		snprintf(info, len, "cannot read the journal: %s",
		    strerror(errno));
		return ROLLBACK_FAILED;
	}
	if (hist.n > 0 && !hist.runs[hist.n - 1].rolled_back)
		r = &hist.runs[hist.n - 1];
	if (r == NULL) {
		snprintf(info, len, hist.n ? "the last apply was already "
		    "rolled back" : "no apply has been made on this target");
		hist_free(&hist);
		return ROLLBACK_NOTHING;
	}
	snprintf(info, len, "%s", r->id);
	if (undo_records(h, r->changes, o, undone, info, len) != 0)
		res = ROLLBACK_FAILED;
	else if ((fd = journal_open(h)) == -1 ||
	    write_simple(fd, "rollback", r->id, NULL, NULL) != 0) {
		snprintf(info, len, "undone, but the journal could not record "
		    "it: %s", strerror(errno));
		res = ROLLBACK_FAILED;
		if (fd != -1)
			close(fd);
	} else
		close(fd);
	hist_free(&hist);
	return res;
}
