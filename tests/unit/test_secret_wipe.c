/*
 * Secrets are wiped before their memory goes back to the allocator.
 *
 * Looking at memory after free() is undefined behaviour, so this test looks
 * just before: it is linked with -Wl,--wrap=free (see the Makefile), which
 * sends every free() call of the objects linked into it -- ndeswiz's own
 * code, not libc's or a shared library's -- through __wrap_free below.
 * That sees each block while it is still allocated, over its whole usable
 * size, and counts the blocks that still hold a secret, before handing
 * the block on to the real free(). jansson's frees pass through it too
 * once sj_wipe_on_free() has hooked them, as the sign-in does. realloc()
 * is wrapped the same way (-Wl,--wrap=realloc): a block that moves is
 * freed by libc itself, so a secret handed to realloc is a copy left
 * behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

#include "nw.h"
#include "secret.h"
#include "signin-json.h"

void __real_free(void *);
void __wrap_free(void *);
void *__real_realloc(void *, size_t);
void *__wrap_realloc(void *, size_t);

#define NEEDLES 4

static struct {
	const char *needle[NEEDLES]; /* secrets to look for; NULL: off */
	size_t blocks;               /* blocks looked at */
	size_t holding;              /* of those, blocks that held one */
	const void *watch;           /* one block that must be all zero */
	int watch_seen, watch_zero;
} spy;

/* memmem is a GNU extension; this build asks for POSIX. */
static int
holds(const unsigned char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(p + i, needle, k) == 0)
			return 1;
	return 0;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Look at block p, about to go back to the allocator (or to move). */
static void
spy_look(void *p)
{
	size_t n;

	if (p != NULL && spy.needle[0] != NULL) {
		n = malloc_usable_size(p);
		/* Bytes never written are fair game too: an old copy of a
		 * secret is exactly what could hide there. */
		(void)VALGRIND_MAKE_MEM_DEFINED(p, n);
		spy.blocks++;
		for (int i = 0; i < NEEDLES && spy.needle[i] != NULL; i++)
			if (holds(p, n, spy.needle[i])) {
				spy.holding++;
				break;
			}
		if (p == spy.watch) {
			spy.watch_seen = 1;
			spy.watch_zero = all_zero(p, n);
		}
	}
}

void
__wrap_free(void *p)
{
	spy_look(p);
	__real_free(p);
}

void *
__wrap_realloc(void *p, size_t n)
{
	spy_look(p);
	return __real_realloc(p, n);
}

static void
spy_on(const char *a, const char *b, const char *c, const char *d)
{
	memset(&spy, 0, sizeof spy);
	spy.needle[0] = a;
	spy.needle[1] = b;
	spy.needle[2] = c;
	spy.needle[3] = d;
}

static void
spy_off(void)
{
	spy.needle[0] = NULL;
}

/* Stop spying: the watched block was seen, all zero or not, and so many
 * blocks held a secret when they went. */
static void
spy_verdict(int zero, size_t holding)
{
	spy_off();
	assert_true(spy.watch_seen);
	assert_int_equal(spy.watch_zero, zero);
	assert_int_equal(spy.holding, holding);
}

/* The test itself must not leave copies in blocks it frees later. */
#define PW "Tr0ub4dor&3-env-secret"

static void
test_env_secret_wiped(void **state)
{
	struct secret s;
	char why[256];

	(void)state;
	setenv("NDESWIZ_TEST_PW", PW, 1);
	assert_int_equal(secret_resolve("env:NDESWIZ_TEST_PW", "test", &s,
	    why, sizeof why), 0);
	assert_string_equal(s.p, PW);
	spy_on(PW, NULL, NULL, NULL);
	spy.watch = s.p;
	secret_wipe(&s);
	spy_verdict(1, 0);
	assert_null(s.p);
	unsetenv("NDESWIZ_TEST_PW");
}

static void
test_file_secret_wiped(void **state)
{
	static const char pw[] = "correct horse battery staple\n";
	char path[] = "/tmp/ndeswiz-secret.XXXXXX", ref[64], why[256];
	struct secret s;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, pw, sizeof pw - 1), (ssize_t)sizeof pw - 1);
	close(fd);
	snprintf(ref, sizeof ref, "file:%s", path);
	assert_int_equal(secret_resolve(ref, "test", &s, why, sizeof why), 0);
	unlink(path);
	assert_string_equal(s.p, "correct horse battery staple");
	spy_on("correct horse", NULL, NULL, NULL);
	spy.watch = s.p;
	secret_wipe(&s);
	spy_verdict(1, 0);
}

/* A refused file is never read into memory at all. */
static void
test_file_secret_refused(void **state)
{
	char path[] = "/tmp/ndeswiz-secret.XXXXXX", ref[64], why[256];
	struct secret s;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, "open-to-all", 11), 11);
	fchmod(fd, 0644);
	close(fd);
	snprintf(ref, sizeof ref, "file:%s", path);
	assert_int_equal(secret_resolve(ref, "test", &s, why, sizeof why),
	    -1);
	unlink(path);
	assert_null(s.p);
	assert_null(strstr(why, "open-to-all"));
}

#define AT "at-eyJ0eXAiOiJKV1QiLCJhbGciOi-access"
#define RT "rt-0.AXwA-refresh-token-value"
#define IT "it-eyJhbGciOiJub25lIn0-id-token"
#define DC "dc-00112233445566778899aabbccddeeff"

/* Every block the token answer passed through is wiped when freed: the
 * parsed strings, jansson's lexer buffers, our copy of the token. */
static void
test_token_wiped(void **state)
{
	static const char body[] = "{\"token_type\": \"Bearer\", "
	    "\"expires_in\": 3600, \"access_token\": \"" AT "\", "
	    "\"refresh_token\": \"" RT "\", \"id_token\": \"" IT "\"}";
	struct sj_token t;
	char why[256];

	(void)state;
	sj_wipe_on_free();
	spy_on("JKV1QiLCJhbGci", "refresh-token-value", "Jub25lIn0-id",
	    NULL);
	sj_token(body, sizeof body - 1, &t, why, sizeof why);
	assert_int_equal(t.kind, SJ_TOKEN_OK);
	assert_string_equal(t.access_token, AT);
	spy.watch = t.access_token;
	sj_token_free(&t);
	spy_off();
	assert_true(spy.blocks > 3);
	assert_true(spy.watch_seen);
	assert_true(spy.watch_zero);
	assert_int_equal(spy.holding, 0);
}

static void
test_device_code_wiped(void **state)
{
	static const char body[] = "{\"device_code\": \"" DC "\", "
	    "\"user_code\": \"LAB-CODE\", \"verification_uri\": "
	    "\"https://microsoft.com/devicelogin\", \"expires_in\": 900, "
	    "\"interval\": 5, \"message\": \"enter LAB-CODE\"}";
	struct sj_devicecode d;
	char why[256];

	(void)state;
	sj_wipe_on_free();
	spy_on("445566778899", NULL, NULL, NULL);
	assert_int_equal(sj_devicecode(body, sizeof body - 1, &d, why,
	    sizeof why), 0);
	spy.watch = d.device_code;
	sj_devicecode_free(&d);
	spy_verdict(1, 0);
}

/* The spy itself works: a block freed unwiped is caught. */
static void
test_spy_sees_unwiped(void **state)
{
	/* Called through a volatile pointer, or the compiler may drop the
	 * strdup and free pair it can see through. */
	void (*volatile release)(void *) = free;
	char *p = strdup("x-" PW "-x");

	(void)state;
	assert_non_null(p);
	spy_on(PW, NULL, NULL, NULL);
	spy.watch = p;
	release(p);
	spy_verdict(0, 1);
}

/* The wizard's secret entry, typed far past its first allocation: its
 * buffer never moves (a moved buffer leaves the typed secret in freed
 * heap) and is zero when it is freed. */
#define TYPED "hunter2-typed-into-the-wizard"

static void
test_tui_secret_entry_never_moves(void **state)
{
	struct nw_widget *e = nw_entry_new("", NW_ENTRY_SECRET);
	const char *buf = nw_entry_text(e);

	(void)state;
	spy_on(TYPED, NULL, NULL, NULL);
	for (const char *s = TYPED; *s; s++)
		nw_widget_key(e, (struct nw_key){ .ch = (unsigned char)*s });
	for (int i = 0; i < 3 * 4096; i++)
		nw_widget_key(e, (struct nw_key){ .ch = 'x' });
	assert_ptr_equal(nw_entry_text(e), buf);
	assert_memory_equal(buf, TYPED, strlen(TYPED));
	spy.watch = buf;
	nw_widget_free(e);
	spy_verdict(1, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spy_sees_unwiped),
		cmocka_unit_test(test_env_secret_wiped),
		cmocka_unit_test(test_file_secret_wiped),
		cmocka_unit_test(test_file_secret_refused),
		cmocka_unit_test(test_token_wiped),
		cmocka_unit_test(test_device_code_wiped),
		cmocka_unit_test(test_tui_secret_entry_never_moves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
