/*
 * The events probe's pieces without a host: the JSON-lines parser and its
 * FILE:LINE errors, event times, a channel's filter, grouping by ID, the
 * rule table's lookups, and the terminal sanitiser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "isotime.h"
#include "sanitize.h"
#include "util.h"

static void
test_time(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(event_time_parse("2026-05-01T10:00:00Z", &t), 0);
	assert_int_equal((long long)t, 1777629600LL);
	assert_int_equal(event_time_parse("2026-05-01T10:00:00.1234567Z",
	    &t), 0);
	assert_int_equal((long long)t, 1777629600LL);
	assert_int_equal(event_time_parse("2026-05-01T12:00:00+02:00", &t),
	    0);
	assert_int_equal((long long)t, 1777629600LL);
	assert_int_equal(event_time_parse("2026-05-01T09:30:00-00:30", &t),
	    0);
	assert_int_equal((long long)t, 1777629600LL);
	assert_int_equal(event_time_parse("2026-05-01 10:00:00Z", &t), -1);
	assert_int_equal(event_time_parse("2026-13-01T10:00:00Z", &t), -1);
	assert_int_equal(event_time_parse("2026-05-01T10:00:00", &t), -1);
	assert_int_equal(event_time_parse("2026-05-01T10:00:00Zjunk", &t),
	    -1);
	/* The same reader, as the connector's registry values need it. */
	assert_int_equal(iso_time_parse("2026-05-01 12:00:00+02:00",
	    ISO_SPACE, &t), 0);
	assert_int_equal((long long)t, 1777629600LL);
	assert_int_equal(iso_time_parse("2026-05-01T10:00:00.5",
	    ISO_ZONE_OPTIONAL, &t), 0);
	assert_int_equal((long long)t, 1777629600LL);
	assert_int_equal(iso_time_parse("2026-05-01 10:00:00", 0, &t), -1);
	assert_int_equal(iso_time_parse("1969-12-31T23:59:59Z", 0, &t), -1);
	assert_int_equal(iso_time_parse("2026-05-01T10:00:00+24:00", 0, &t),
	    -1);
	assert_int_equal(iso_time_parse(NULL, ISO_SPACE, &t), -1);
}

static void
test_parse(void **state)
{
	const char *ok = "{\"time\":\"2026-05-01T10:00:00Z\",\"id\":4001,"
	    "\"level\":\"error\",\"provider\":\"P\",\"message\":\"m1\"}\r\n"
	    "\n"
	    "{\"time\":\"2026-05-01T11:00:00Z\",\"id\":7000,\"level\":2,"
	    "\"provider\":\"Q\",\"message\":\"m2\"}";
	static const struct {
		const char *line2, *want;
	} bad[] = {
		{ "[1]", "f.jsonl:2: not a JSON object" },
		{ "{", "f.jsonl:2: not a JSON object" },
		{ "{\"time\":\"now\",\"id\":1,\"level\":2,\"provider\":\"\","
		    "\"message\":\"\"}", "f.jsonl:2: \"time\" must be" },
		{ "{\"time\":\"2026-05-01T10:00:00Z\",\"id\":-1,\"level\":2,"
		    "\"provider\":\"\",\"message\":\"\"}",
		    "f.jsonl:2: \"id\" must be" },
		{ "{\"time\":\"2026-05-01T10:00:00Z\",\"id\":1,\"level\":9,"
		    "\"provider\":\"\",\"message\":\"\"}",
		    "f.jsonl:2: \"level\" must be" },
		{ "{\"time\":\"2026-05-01T10:00:00Z\",\"id\":1,\"level\":"
		    "\"loud\",\"provider\":\"\",\"message\":\"\"}",
		    "f.jsonl:2: \"level\" must be" },
		{ "{\"time\":\"2026-05-01T10:00:00Z\",\"id\":1,\"level\":2,"
		    "\"message\":\"\"}", "f.jsonl:2: \"provider\" must be" },
		{ "{\"time\":\"2026-05-01T10:00:00Z\",\"id\":1,\"level\":2,"
		    "\"provider\":\"\",\"message\":3}",
		    "f.jsonl:2: \"message\" must be" },
	};
	struct event_list l;
	char err[512], *text;

	(void)state;
	assert_int_equal(events_parse("f.jsonl", ok, strlen(ok), &l, err,
	    sizeof err), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, 4001);
	assert_int_equal(l.v[0].level, EVL_ERROR);
	assert_string_equal(l.v[0].message, "m1");
	assert_int_equal(l.v[1].level, EVL_ERROR);
	assert_string_equal(l.v[1].provider, "Q");
	text = event_to_json(&l.v[0]);
	assert_string_equal(text, "{\"time\":\"2026-05-01T10:00:00Z\","
	    "\"id\":4001,\"level\":\"error\",\"provider\":\"P\","
	    "\"message\":\"m1\"}");
	free(text);
	events_free(&l);
	for (size_t i = 0; i < nitems(bad); i++) {
		text = xasprintf("%.*s\n%s\n", 87, ok, bad[i].line2);
		assert_int_equal(events_parse("f.jsonl", text, strlen(text),
		    &l, err, sizeof err), -1);
		assert_int_equal(l.n, 0);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			fail_msg("case %zu: %s", i, err);
		free(text);
	}
	/* A NUL byte inside a line. */
	assert_int_equal(events_parse("f.jsonl", "{}\0x\n", 5, &l, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "f.jsonl:1: holds a NUL byte"));
}

static struct event
mk(time_t t, long id, int level, const char *prov, const char *msg)
{
	return (struct event){ t, id, level, xstrdup(prov), xstrdup(msg) };
}

static void
test_filter_and_group(void **state)
{
	const struct event_channel *admin = event_channel_find(
	    "Microsoft-Intune-CertificateConnectors/Admin");
	const struct event_channel *sys = event_channel_find("System");
	struct event_list l = {0};
	struct event_group *g;
	size_t n;

	(void)state;
	assert_non_null(admin);
	assert_non_null(sys);
	l.v = xcalloc(5, sizeof *l.v);
	l.v[l.n++] = mk(100, 4001, EVL_ERROR, "P", "a");
	l.v[l.n++] = mk(300, 4001, EVL_ERROR, "P", "newest");
	l.v[l.n++] = mk(200, 1001, EVL_ERROR, "P", "c");
	l.v[l.n++] = mk(300, 4000, EVL_INFO, "P", "success");
	l.v[l.n++] = mk(50, 4002, EVL_ERROR, "P", "too old");
	events_filter(admin, 100, &l);
	assert_int_equal(l.n, 3);
	n = events_group(&l, &g);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].id, 1001);
	assert_int_equal(g[1].id, 4001);
	assert_int_equal(g[1].count, 2);
	assert_string_equal(g[1].newest->message, "newest");
	free(g);
	events_free(&l);

	l.v = xcalloc(4, sizeof *l.v);
	l.v[l.n++] = mk(1, 7000, EVL_ERROR, "Service Control Manager",
	    "The World Wide Web Publishing Service service failed");
	l.v[l.n++] = mk(1, 7000, EVL_ERROR, "service control manager",
	    "The Print Spooler service failed");
	l.v[l.n++] = mk(1, 7000, EVL_WARNING, "Service Control Manager",
	    "W3SVC warned");
	l.v[l.n++] = mk(1, 5002, EVL_ERROR, "Microsoft-Windows-WAS",
	    "Application pool 'SCEP' is being automatically disabled");
	events_filter(sys, 0, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, 7000);
	assert_int_equal(l.v[1].id, 5002);
	events_free(&l);
}

static void
test_rules(void **state)
{
	static const long admin_ids[] = { 1001, 1201, 2001, 3001, 4001,
	    4002 };

	(void)state;
	for (size_t i = 0; i < nitems(admin_ids); i++) {
		const struct event_rule *r = event_rule_find("admin",
		    admin_ids[i]);

		assert_non_null(r);
		assert_int_equal(r->id, admin_ids[i]);
		assert_non_null(r->source);
	}
	assert_int_equal(event_rule_find("admin", 4000)->id, EVENT_ANY_ID);
	/* Every channel has a fallback, so every event gets a rule. */
	for (size_t i = 0; i < event_channel_count; i++)
		assert_non_null(event_rule_find(event_channels[i].key, 65535));
	for (size_t i = 0; i < event_rule_count; i++) {
		int known = 0;

		for (size_t k = 0; k < event_channel_count; k++)
			known |= strcmp(event_rules[i].channel,
			    event_channels[k].key) == 0;
		assert_true(known);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_filter_and_group),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
