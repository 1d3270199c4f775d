/* The plan engine, the journal, apply and rollback (on an in-memory host). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>

#include "journal.h"
#include "memhost.h"
#include "plan.h"

#define KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Test"

static int
qsort_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
snapshot(struct host *h)
{
	struct memhost *m = h->priv;
	struct buf b = {0};
	char **lines = xcalloc(m->n + 1, sizeof *lines);

	/* Order-independent: sort the rows. */
	for (size_t i = 0; i < m->n; i++)
		lines[i] = xasprintf("%d|%s|%s|%s", m->v[i].kind, m->v[i].path,
		    m->v[i].name ? m->v[i].name : "", m->v[i].value);
	qsort(lines, m->n, sizeof *lines, qsort_strcmp);
	for (size_t i = 0; i < m->n; i++) {
		buf_addf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return buf_steal(&b);
}

static void
seed(struct host *h)
{
	char err[128];

	host_set(h, RES_REGKEY, KEY, NULL, "present", err, sizeof err);
	host_set(h, RES_REG, KEY, "Old", "\"was\"", err, sizeof err);
	host_set(h, RES_FEATURE, "Web-Server", NULL, "installed", err,
	    sizeof err);
	((struct memhost *)h->priv)->sets = 0;
}

static void
build_plan(struct host *h, struct plan *p, struct findings *f)
{
	plan_want_reg(p, h, f, "t", KEY, "Old", "\"new\"", 1, "change it");
	plan_want_reg(p, h, f, "t", KEY "\\Sub", "A", "dword:00000001", 0,
	    "add it");
	plan_want(p, h, f, "t", RES_FEATURE, "Web-Server", NULL, NULL, 0,
	    "remove it");
	plan_want(p, h, f, "t", RES_GROUP, "IIS_IUSRS", "C\\svc", "member",
	    0, "add member");
	plan_want_iis(p, h, f, "t", "Default Web Site|a/b[@k='v']/c", "x",
	    "1", 0, "iis attr");
}

static void
test_plan_want(void **state)
{
	struct host *h = memhost_new();
	struct findings f = {0};
	struct plan p = {0};
	int found;

	(void)state;
	seed(h);
	build_plan(h, &p, &f);
	assert_int_equal(f.n, 0);
	/* Old: changed; Sub key + A; feature; group; IIS: location, a,
	 * a/b[..], a/b[..]/c, the attribute. The existing KEY is no change. */
	assert_int_equal(p.n, 10);
	assert_int_equal(p.v[0].kind, RES_REG);
	assert_string_equal(p.v[0].old, "\"was\"");
	assert_string_equal(p.v[0].new, "\"new\"");
	assert_int_equal(p.v[1].kind, RES_REGKEY);
	assert_string_equal(p.v[1].path, KEY "\\Sub");
	assert_null(p.v[1].old);
	assert_int_equal(p.v[3].kind, RES_FEATURE);
	assert_null(p.v[3].new);
	assert_string_equal(p.v[5].path, "Default Web Site|");
	assert_string_equal(p.v[6].path, "Default Web Site|a");
	assert_string_equal(p.v[7].path, "Default Web Site|a/b[@k='v']");
	assert_string_equal(p.v[8].path, "Default Web Site|a/b[@k='v']/c");
	assert_string_equal(p.v[9].name, "x");
	assert_true(plan_reboot_required(&p));
	assert_string_equal(plan_pending(&p, RES_REG, KEY, "old", &found),
	    "\"new\"");
	assert_true(found);
	/* Wanting what the plan already gives adds nothing. */
	assert_int_equal(plan_want_reg(&p, h, &f, "t", KEY, "Old", "\"new\"",
	    0, "again"), 0);
	assert_int_equal(p.n, 10);
	/* Keys above a value's key that do not exist at all are changes of
	 * their own, outermost first, so rollback takes each away. */
	plan_want_reg(&p, h, &f, "t", "HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B",
	    "V", "dword:00000001", 0, "deep");
	assert_int_equal(p.n, 14);
	assert_string_equal(p.v[10].path, "HKEY_LOCAL_MACHINE\\SYSTEM");
	assert_string_equal(p.v[11].path, "HKEY_LOCAL_MACHINE\\SYSTEM\\A");
	assert_string_equal(p.v[12].path, "HKEY_LOCAL_MACHINE\\SYSTEM\\A\\B");
	assert_int_equal(p.v[13].kind, RES_REG);
	plan_free(&p);
	findings_free(&f);
	memhost_free(h);
}

static void
test_plan_json(void **state)
{
	struct host *h = memhost_new();
	struct findings f = {0};
	struct plan p = {0};
	json_t *j, *c;
	char *s;

	(void)state;
	seed(h);
	build_plan(h, &p, &f);
	s = plan_to_json(&p);
	j = json_loads(s, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "changes")), p.n);
	assert_true(json_is_true(json_object_get(j, "reboot_required")));
	c = json_array_get(json_object_get(j, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "kind")),
	    "reg");
	assert_string_equal(json_string_value(json_object_get(c, "old")),
	    "\"was\"");
	assert_true(json_is_null(json_object_get(json_array_get(
	    json_object_get(j, "changes"), 3), "new")));
	json_decref(j);
	free(s);
	plan_free(&p);
	findings_free(&f);
	memhost_free(h);
}

static void
test_apply_and_rollback(void **state)
{
	struct host *h = memhost_new();
	struct findings f = {0};
	struct plan p = {0}, again = {0};
	char err[512], *before, *after, run[64];
	size_t undone;

	(void)state;
	seed(h);
	before = snapshot(h);
	build_plan(h, &p, &f);
	assert_int_equal(journal_apply(h, &p, NULL, err, sizeof err),
	    APPLY_OK);
	assert_false(journal_unfinished(h, run, sizeof run));
	/* Idempotent: nothing left to plan. */
	build_plan(h, &again, &f);
	assert_int_equal(again.n, 0);
	after = snapshot(h);
	assert_string_not_equal(before, after);
	assert_int_equal(journal_rollback(h, NULL, &undone, err, sizeof err),
	    ROLLBACK_OK);
	assert_int_equal(undone, p.n);
	free(after);
	after = snapshot(h);
	assert_string_equal(before, after);
	assert_int_equal(journal_rollback(h, NULL, &undone, err, sizeof err),
	    ROLLBACK_NOTHING);
	free(before);
	free(after);
	plan_free(&p);
	plan_free(&again);
	findings_free(&f);
	memhost_free(h);
}

static void
test_failure_undoes(void **state)
{
	(void)state;
	/* Fail at every position in turn. */
	for (int k = 1; k <= 10; k++) {
		struct host *h = memhost_new();
		struct memhost *m = h->priv;
		struct findings f = {0};
		struct plan p = {0};
		char err[512] = "", *before, *after;
		size_t undone;

		seed(h);
		before = snapshot(h);
		build_plan(h, &p, &f);
		m->fail_at = k;
		assert_int_equal(journal_apply(h, &p, NULL, err, sizeof err),
		    APPLY_ROLLED_BACK);
		assert_non_null(strstr(err, "fails"));
		after = snapshot(h);
		assert_string_equal(before, after);
		/* The failed run is closed: nothing is left to roll back. */
		assert_int_equal(journal_rollback(h, NULL, &undone, err,
		    sizeof err), ROLLBACK_NOTHING);
		free(before);
		free(after);
		plan_free(&p);
		findings_free(&f);
		memhost_free(h);
	}
}

/* A crash leaves a begin, some changes, maybe a torn line: rollback copes,
 * and apply refuses until it has run. */
static void
test_unfinished_run(void **state)
{
	struct host *h = memhost_new();
	struct findings f = {0};
	struct plan p = {0};
	char err[512], *before, *after, *jpath, run[64];
	size_t undone;
	int fd;

	(void)state;
	seed(h);
	before = snapshot(h);
	build_plan(h, &p, &f);
	assert_int_equal(journal_apply(h, &p, NULL, err, sizeof err),
	    APPLY_OK);
	/* Turn the run into an unfinished one: drop its "end" record. */
	jpath = path_join(host_state_dir(h), "journal");
	char *cmd = xasprintf("sed -i '/\"op\":\"end\"/d' '%s'", jpath);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	fd = open(jpath, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"op\":\"chan", 11), 11);
	close(fd);
	assert_true(journal_unfinished(h, run, sizeof run));
	assert_int_equal(journal_apply(h, &p, NULL, err, sizeof err),
	    APPLY_REFUSED);
	assert_non_null(strstr(err, "did not finish"));
	assert_int_equal(journal_rollback(h, NULL, &undone, err, sizeof err),
	    ROLLBACK_OK);
	after = snapshot(h);
	assert_string_equal(before, after);
	assert_false(journal_unfinished(h, run, sizeof run));
	free(jpath);
	free(before);
	free(after);
	plan_free(&p);
	findings_free(&f);
	memhost_free(h);
}

/* The journal keeps old values only: a new secret never lands there. */
static void
test_journal_has_no_new_values(void **state)
{
	struct host *h = memhost_new();
	struct findings f = {0};
	struct plan p = {0};
	char err[512], *jpath, *data;
	size_t len;

	(void)state;
	plan_want(&p, h, &f, "t", RES_ROLE, "ADCS-Device-Enrollment", NULL,
	    "RAName=X;Marker=NEW-VALUE-ONLY", 0, "install");
	assert_int_equal(journal_apply(h, &p, NULL, err, sizeof err),
	    APPLY_OK);
	jpath = path_join(host_state_dir(h), "journal");
	assert_int_equal(file_read(jpath, 1 << 20, &data, &len), 0);
	assert_null(strstr(data, "NEW-VALUE-ONLY"));
	assert_non_null(strstr(data, "\"op\":\"change\""));
	free(data);
	free(jpath);
	plan_free(&p);
	findings_free(&f);
	memhost_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_want),
		cmocka_unit_test(test_plan_json),
		cmocka_unit_test(test_apply_and_rollback),
		cmocka_unit_test(test_failure_undoes),
		cmocka_unit_test(test_unfinished_run),
		cmocka_unit_test(test_journal_has_no_new_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
