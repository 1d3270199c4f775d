/*
 * The health check's engine through its public interface: what stops a
 * run before it starts, what is skipped and why, that check_poll keeps to
 * the time it is given, and cancelling. Only 127.0.0.1 is ever dialled:
 * a port nobody listens on, and one that accepts and stays silent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "checks.h"
#include "util.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A listening socket on 127.0.0.1; *port gets its port. */
static int
listener(int *port, int listening)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	if (listening)
		assert_int_equal(listen(fd, 16), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static const struct probe_status *
probe(struct check_run *r, const char *name)
{
	for (size_t i = 0; i < check_probe_count(r); i++)
		if (strcmp(check_probe(r, i)->name, name) == 0)
			return check_probe(r, i);
	fail_msg("no probe %s", name);
	return NULL;
}

static int
has(const struct probe_status *s, const char *code)
{
	return findings_find(&s->findings, code) != NULL;
}

static void
test_cannot_start(void **state)
{
	struct check_options o = {0};
	struct answers a;
	char err[512];

	(void)state;
	answers_init(&a);
	assert_null(check_start(&a, &o, err, sizeof err));
	assert_non_null(strstr(err, "no URL to probe"));
	o.url = "ftp://ndes.example.com/x";
	assert_null(check_start(&a, &o, err, sizeof err));
	assert_non_null(strstr(err, "only https://"));
	o.url = "https://127.0.0.1/certsrv/mscep/mscep.dll";
	o.cacert = "/nonexistent/ca.pem";
	assert_null(check_start(&a, &o, err, sizeof err));
	assert_non_null(strstr(err, "cannot read this CA bundle"));
	o.cacert = NULL;
	o.clouds_file = "/nonexistent/clouds.ini";
	assert_null(check_start(&a, &o, err, sizeof err));
	assert_non_null(strstr(err, "clouds"));
	answers_free(&a);
}

static void
test_refused_and_skipped(void **state)
{
	struct check_options o = { .timeout = 5 };
	struct check_run *r;
	struct answers a;
	char err[512], url[128];
	double t0;
	int fd, port;

	(void)state;
	fd = listener(&port, 0);	/* bound, not listening: refused */
	snprintf(url, sizeof url, "https://127.0.0.1:%d/certsrv/mscep/"
	    "mscep.dll", port);
	answers_init(&a);
	o.url = url;
	r = check_start(&a, &o, err, sizeof err);
	assert_non_null(r);
	assert_string_equal(check_url(r), url);
	assert_int_equal(check_probe_count(r), 13);
	assert_null(check_probe(r, 13));
	/* Before the first poll: what runs waits, what does not is done. */
	assert_int_equal(probe(r, "mscep")->state, PROBE_WAITING);
	assert_int_equal(probe(r, "endpoints")->state, PROBE_SKIPPED);
	/* No host given: the rows that read the server say why. */
	assert_int_equal(probe(r, "reboot")->state, PROBE_SKIPPED);
	assert_int_equal(probe(r, "crl")->state, PROBE_SKIPPED);
	assert_int_equal(probe(r, "connector")->state, PROBE_SKIPPED);
	assert_true(has(probe(r, "services"), "health.services-skipped"));
	assert_true(has(probe(r, "endpoints"), "health.endpoints-skipped"));
	/* No host given: the events probe has nothing to read. */
	assert_int_equal(probe(r, "events")->state, PROBE_SKIPPED);
	assert_true(has(probe(r, "events"), "health.events-no-host"));
	t0 = now();
	/* A ceiling that only catches a hang (no timing assertions here:
	 * a refusal is told by the findings, a timeout would name itself). */
	while (check_poll(r, 1000))
		assert_true(now() - t0 < 120);
	assert_int_equal(probe(r, "mscep")->state, PROBE_FAIL);
	assert_true(has(probe(r, "mscep"), "health.mscep-refused"));
	assert_true(has(probe(r, "tls"), "health.tls-refused"));
	assert_true(has(probe(r, "getcacaps"), "health.getcacaps-refused"));
	assert_true(has(probe(r, "getcacert"), "health.getcacert-refused"));
	assert_true(has(probe(r, "long-url"), "health.long-url-refused"));
	/* A finished run polls as finished, at once. */
	assert_int_equal(check_poll(r, 1000), 0);
	check_free(r);
	answers_free(&a);
	close(fd);
}

static void
test_poll_keeps_time_and_cancel(void **state)
{
	struct check_options o = { .timeout = 30 };
	struct check_run *r;
	struct answers a;
	char err[512], url[128];
	double t0, took;
	int fd, port;

	(void)state;
	fd = listener(&port, 1);	/* accepts into the backlog, silent */
	snprintf(url, sizeof url, "https://127.0.0.1:%d/certsrv/mscep/"
	    "mscep.dll", port);
	answers_init(&a);
	answers_put(&a, F_HEALTH_LONG_URL_PROBE, "no", SRC_FILE);
	o.url = url;
	r = check_start(&a, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(probe(r, "long-url")->state, PROBE_SKIPPED);
	/* A poll waits the time it is given, at least (a lower bound holds
	 * on any machine); the upper bounds, far below the probes' 30 s
	 * timeout, only catch a poll that waits for the probes instead:
	 * how fast it returns is for tests/bench. */
	t0 = now();
	assert_int_equal(check_poll(r, 150), 1);
	assert_true(now() - t0 >= 0.14);
	for (int i = 0; i < 3; i++) {
		t0 = now();
		assert_int_equal(check_poll(r, 150), 1);
		took = now() - t0;
		assert_true(took >= 0.14);
		assert_true(took < 15);
	}
	t0 = now();
	assert_int_equal(check_poll(r, 0), 1);
	assert_true(now() - t0 < 15);
	assert_int_equal(probe(r, "mscep")->state, PROBE_RUNNING);
	check_cancel(r);
	assert_int_equal(probe(r, "mscep")->state, PROBE_SKIPPED);
	assert_true(has(probe(r, "mscep"), "health.mscep-cancelled"));
	assert_int_equal(check_poll(r, 100), 0);
	check_free(r);
	answers_free(&a);
	close(fd);
}

static void
test_endpoints_without_servers(void **state)
{
	struct check_options o = { .timeout = 5 };
	struct check_run *r;
	struct answers a;
	char err[512], path[] = "/tmp/ndeswiz-clouds.XXXXXX";
	FILE *fp;
	int fd, lfd, port;

	(void)state;
	lfd = listener(&port, 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fprintf(fp, "[custom]\nlogin = 127.0.0.1:%d\ngraph = 127.0.0.1:%d\n"
	    "intune = 127.0.0.1:%d\nupdate = 127.0.0.1:%d\n", port, port,
	    port, port);
	fclose(fp);
	o.clouds_file = path;
	answers_init(&a);
	answers_put(&a, F_PREREQS_SCENARIOS, "pkcs", SRC_FILE);
	answers_put(&a, F_SIGNIN_CLOUD, "custom", SRC_FILE);

	/* No SCEP, no URL: the SCEP probes are skipped, no URL needed. */
	r = check_start(&a, &o, err, sizeof err);
	assert_non_null(r);
	assert_null(check_url(r));
	assert_int_equal(probe(r, "mscep")->state, PROBE_SKIPPED);
	while (check_poll(r, 1000))
		;
	assert_int_equal(probe(r, "endpoints")->state, PROBE_FAIL);
	/* One host behind all four roles: dialled once. */
	assert_int_equal(probe(r, "endpoints")->findings.n, 1);
	assert_true(has(probe(r, "endpoints"), "health.endpoints-refused"));
	assert_non_null(strstr(probe(r, "endpoints")->findings.v[0].message,
	    "login, graph, intune, update"));
	check_free(r);

	/* A proxy password that cannot be had stops the probe, alone. */
	unsetenv("NDESWIZ_TEST_NO_SUCH_VAR");
	answers_put(&a, F_PROXY_ENABLED, "yes", SRC_FILE);
	answers_put(&a, F_PROXY_URL, "http://127.0.0.1:1", SRC_FILE);
	answers_put(&a, F_PROXY_USERNAME, "lab", SRC_FILE);
	answers_put(&a, F_PROXY_PASSWORD, "env:NDESWIZ_TEST_NO_SUCH_VAR",
	    SRC_FILE);
	r = check_start(&a, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(probe(r, "endpoints")->state, PROBE_FAIL);
	assert_true(has(probe(r, "endpoints"),
	    "health.endpoints-proxy-password"));
	assert_int_equal(check_poll(r, 100), 0);
	check_free(r);

	/* A cloud the table lacks. */
	answers_put(&a, F_SIGNIN_CLOUD, "china", SRC_FILE);
	assert_null(check_start(&a, &o, err, sizeof err));
	assert_non_null(strstr(err, "'china' is not in the clouds table"));
	answers_free(&a);
	unlink(path);
	close(lfd);
}

static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(probe_state_name(PROBE_WAITING), "waiting");
	assert_string_equal(probe_state_name(PROBE_RUNNING), "running");
	assert_string_equal(probe_state_name(PROBE_PASS), "pass");
	assert_string_equal(probe_state_name(PROBE_WARN), "warn");
	assert_string_equal(probe_state_name(PROBE_FAIL), "fail");
	assert_string_equal(probe_state_name(PROBE_SKIPPED), "skipped");
	assert_string_equal(probe_state_name((enum probe_state)42), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cannot_start),
		cmocka_unit_test(test_refused_and_skipped),
		cmocka_unit_test(test_poll_keeps_time_and_cancel),
		cmocka_unit_test(test_endpoints_without_servers),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests_name("check run", tests, NULL, NULL);
}
