/*
 * RES_KEYACL on the dir driver, table-driven: who may read a
 * certificate's private key, kept in certs/<Store>/<THUMB>.acl beside
 * it. A key that is not there (a certificate without one, or none) is
 * refused, as on a server; a revoke leaves no empty file behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "host/host.h"
#include "host/keyacl.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RA "448CEC793CC225E4088F77B5C77E2054F88FE4E1"
#define ROOT_CA "C1F88149A1E4478E6B7EA6ADC2963B35D96DA85E"
#define GMSA "CONTOSO\\gmsa-ndes$"

static const struct acl_case {
	const char *path, *account, *value;
	int rc;                /* of the set */
	const char *after;     /* what get reads then (NULL: absent) */
	const char *file;      /* the .acl file's bytes then, NULL: none */
	const char *why;       /* part of the error */
} cases[] = {
	{ "My\\" RA, GMSA, "read", 0, "read", GMSA "\n", NULL },
	/* Granted twice: one line. */
	{ "My\\" RA, GMSA, "read", 0, "read", GMSA "\n", NULL },
	{ "My\\" RA, "CONTOSO\\other$", "read", 0, "read",
	  GMSA "\nCONTOSO\\other$\n", NULL },
	/* Accounts compare as Windows names do: case aside. */
	{ "My\\" RA, "contoso\\GMSA-NDES$", NULL, 0, NULL,
	  "CONTOSO\\other$\n", NULL },
	{ "My\\" RA, "CONTOSO\\other$", NULL, 0, NULL, NULL, NULL },
	{ "My\\" RA, GMSA, NULL, 0, NULL, NULL, NULL },
	{ "My\\" RA, GMSA, "write", -1, NULL, NULL, "only read" },
	{ "Root\\" ROOT_CA, GMSA, "read", -1, NULL, NULL,
	  "no certificate with its private key" },
	{ "My\\0000000000000000000000000000000000000000", GMSA, "read", -1,
	  NULL, NULL, "no certificate with its private key" },
	{ "My", GMSA, "read", -1, NULL, NULL, "not STORE\\THUMBPRINT" },
	{ "My\\../x", GMSA, "read", -1, NULL, NULL, "not STORE\\THUMBPRINT" },
};

static void
test_dir_keyacl(void **state)
{
	char tmpl[] = "/tmp/ndeswiz-keyacl.XXXXXX", err[512], *where, *rel;
	struct host *h;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	where = path_join(tmpl, "t");
	assert_int_equal(host_dir_create(where, "assets/hosts/ws2022-ndes",
	    err, sizeof err), 0);
	h = host_open_with(&host_dir_ops, where, err, sizeof err);
	assert_non_null(h);
	rel = xasprintf("%s/certs/My/%s.acl", where, RA);
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct acl_case *c = &cases[i];
		char *v = NULL, *data = NULL;
		size_t n;

		err[0] = '\0';
		assert_int_equal(host_set(h, RES_KEYACL, c->path, c->account,
		    c->value, err, sizeof err), c->rc);
		if (c->why != NULL && strstr(err, c->why) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err, c->why);
		if (c->rc != 0)
			continue;
		assert_int_equal(host_get(h, RES_KEYACL, c->path, c->account,
		    &v, err, sizeof err), 0);
		if (c->after == NULL)
			assert_null(v);
		else
			assert_string_equal(v, c->after);
		if (c->file == NULL)
			assert_int_not_equal(file_read(rel, 4096, &data, &n), 0);
		else {
			assert_int_equal(file_read(rel, 4096, &data, &n), 0);
			assert_string_equal(data, c->file);
		}
		free(data);
		free(v);
	}
	assert_int_equal(res_check(RES_KEYACL, "My\\" RA, GMSA, err,
	    sizeof err), 0);
	assert_int_equal(res_check(RES_KEYACL, "My\\" RA, NULL, err,
	    sizeof err), -1);
	host_close(h);
	host_dir_remove(tmpl);
	free(rel);
	free(where);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_keyacl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
