/* The sign-in run's contract without a real server: set-up errors, bad
 * settings as findings, signin_poll bounded by its caller against a
 * server that never answers, cancel, and a refused connection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "signin.h"
#include "util.h"

struct fixture {
	char dir[64];
	char clouds[128];
	struct answers a;
	int listener; /* accepts connections, never answers */
	int port;
};

static int64_t
ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
write_clouds(struct fixture *f, int port)
{
	FILE *fp = fopen(f->clouds, "w");

	assert_non_null(fp);
	fprintf(fp, "[custom]\ntitle = lab\nlogin = 127.0.0.1:%d\n"
	    "graph = 127.0.0.1:%d\nintune = x\nupdate = x\nca_file =\n"
	    "[odd]\nlogin = evil.example/path?\ngraph = g\nintune = x\n"
	    "update = x\n", port, port);
	fclose(fp);
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;

	snprintf(f->dir, sizeof f->dir, "/tmp/test_signin.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->clouds, sizeof f->clouds, "%s/clouds.ini", f->dir);
	f->listener = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->listener, (struct sockaddr *)&sin,
	    sizeof sin), 0);
	assert_int_equal(listen(f->listener, 4), 0);
	getsockname(f->listener, (struct sockaddr *)&sin, &sl);
	f->port = ntohs(sin.sin_port);
	write_clouds(f, f->port);
	answers_init(&f->a);
	answers_put(&f->a, F_SIGNIN_CLOUD, "custom", SRC_FILE);
	answers_put(&f->a, F_SIGNIN_TENANT, "contoso.onmicrosoft.com",
	    SRC_FILE);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	answers_free(&f->a);
	close(f->listener);
	unlink(f->clouds);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
test_start_errors(void **state)
{
	struct fixture *f = *state;
	struct signin_options o = { .clouds_file = f->clouds };
	char err[512];

	o.clouds_file = "/nonexistent/clouds.ini";
	assert_null(signin_start(&f->a, &o, err, sizeof err));
	assert_non_null(strstr(err, "cannot read the clouds table"));
	o.clouds_file = f->clouds;
	answers_put(&f->a, F_SIGNIN_CLOUD, "public", SRC_FILE);
	assert_null(signin_start(&f->a, &o, err, sizeof err));
	assert_non_null(strstr(err, "no [public] cloud"));
	answers_put(&f->a, F_SIGNIN_CLOUD, "odd", SRC_FILE);
	assert_null(signin_start(&f->a, &o, err, sizeof err));
	assert_non_null(strstr(err, "must be host names"));
}

struct setting_case {
	enum field_id id;
	const char *value;
	const char *code;
};

static const struct setting_case settings[] = {
	{ F_SIGNIN_TENANT, "contoso.com/../x", "signin.tenant" },
	{ F_SIGNIN_TENANT, "a b", "signin.tenant" },
	{ F_SIGNIN_CLIENT_ID, "x&scope=y", "signin.client-id" },
	{ F_PROXY_ENABLED, "yes", "signin.proxy-url" },
};

/* A bad setting fails the run at once, with a finding, no request. */
static void
test_bad_settings(void **state)
{
	struct fixture *f = *state;
	struct signin_options o = { .clouds_file = f->clouds };
	struct signin_run *r;
	char err[512];

	for (size_t i = 0; i < nitems(settings); i++) {
		struct answers a;

		answers_copy(&a, &f->a);
		answers_put(&a, settings[i].id, settings[i].value, SRC_FILE);
		r = signin_start(&a, &o, err, sizeof err);
		assert_non_null(r);
		assert_int_equal(signin_state(r), SIGNIN_FAILED);
		assert_int_equal(signin_poll(r, 0), 0);
		assert_non_null(findings_find(signin_findings(r),
		    settings[i].code));
		assert_null(signin_prompt(r));
		assert_null(signin_user(r));
		assert_int_equal(signin_connector_count(r), 0);
		assert_null(signin_connector(r, 0));
		signin_free(r);
		answers_free(&a);
	}
}

/* Empty tenant and client id mean "organizations" and the default app:
 * the run starts. */
static void
test_empty_defaults(void **state)
{
	struct fixture *f = *state;
	struct signin_options o = { .clouds_file = f->clouds };
	struct signin_run *r;
	char err[512];

	answers_put(&f->a, F_SIGNIN_TENANT, "", SRC_FILE);
	answers_put(&f->a, F_SIGNIN_CLIENT_ID, "", SRC_FILE);
	r = signin_start(&f->a, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(signin_state(r), SIGNIN_REQUESTING);
	assert_int_equal(signin_findings(r)->n, 0);
	signin_free(r);
}

/* The server accepts and never answers: every poll returns in about the
 * time asked, the state stays REQUESTING, cancel ends it. */
static void
test_poll_bounded_and_cancel(void **state)
{
	struct fixture *f = *state;
	struct signin_options o = { .clouds_file = f->clouds,
	    .machine = "ndes01" };
	struct signin_run *r;
	char err[512];
	int64_t t0, took;

	r = signin_start(&f->a, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(signin_state(r), SIGNIN_REQUESTING);
	assert_null(signin_prompt(r));
	/* The first polls connect and start the TLS handshake, where
	 * OpenSSL reads the CA store: CPU work inside libcurl
	 * (milliseconds; seconds under valgrind), not a wait. The bound
	 * is about waiting: measured once that is done. */
	for (int quick = 0, n = 0; quick < 3; n++) {
		t0 = ms();
		assert_int_equal(signin_poll(r, 20), 1);
		quick = ms() - t0 < 100 ? quick + 1 : 0;
		assert_true(n < 1000);
	}
	for (int i = 0; i < 3; i++) {
		t0 = ms();
		assert_int_equal(signin_poll(r, 150), 1);
		took = ms() - t0;
		if (took < 100 || took > 1000)
			fail_msg("signin_poll(150) took %lld ms",
			    (long long)took);
	}
	t0 = ms();
	assert_int_equal(signin_poll(r, 0), 1);
	assert_true(ms() - t0 < 100);
	assert_int_equal(signin_state(r), SIGNIN_REQUESTING);
	signin_cancel(r);
	assert_int_equal(signin_state(r), SIGNIN_CANCELLED);
	assert_int_equal(signin_poll(r, 1000), 0);
	assert_non_null(findings_find(signin_findings(r), "signin.cancelled"));
	signin_cancel(r); /* twice is harmless */
	signin_free(r);
	signin_free(NULL);
}

/* --timeout: the request gives up, with a finding, in that time. */
static void
test_request_timeout(void **state)
{
	struct fixture *f = *state;
	struct signin_options o = { .clouds_file = f->clouds };
	struct signin_run *r;
	char err[512];
	int64_t t0 = ms();

	r = signin_start(&f->a, &o, err, sizeof err);
	assert_non_null(r);
	signin_set_timeout(r, 1);
	while (signin_poll(r, 200))
		if (ms() - t0 > 10000)
			fail_msg("still running after 10 s");
	assert_int_equal(signin_state(r), SIGNIN_FAILED);
	assert_non_null(findings_find(signin_findings(r), "signin.timeout"));
	signin_free(r);
}

/* Nobody listens: a connect finding, quickly. */
static void
test_refused(void **state)
{
	struct fixture *f = *state;
	struct signin_options o = { .clouds_file = f->clouds };
	struct signin_run *r;
	char err[512];
	int n = 0;

	close(f->listener);
	f->listener = -1;
	r = signin_start(&f->a, &o, err, sizeof err);
	assert_non_null(r);
	while (signin_poll(r, 200))
		assert_true(++n < 50);
	assert_int_equal(signin_state(r), SIGNIN_FAILED);
	assert_non_null(findings_find(signin_findings(r), "signin.connect"));
	assert_int_equal(findings_worst(signin_findings(r)), SEV_ERROR);
	signin_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_settings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_poll_bounded_and_cancel,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
