#!/bin/sh
# "ndeswiz check" on the command line: usage errors and their exit codes
# (2, or UNKNOWN = 3 with --nagios), where the answers come from, and that
# a check never makes a target. Runs in its own network namespace, so the
# ports it dials on 127.0.0.1 are surely closed.
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init

url() {
	echo "https://127.0.0.1:$1/certsrv/mscep/mscep.dll"
}

cd "$WORK"
expect_rc 2 "$NDESWIZ" check
grep -q "no URL to probe" "$WORK/last.err" || fail "no URL"
[ ! -e "$WORK/ndes-target" ] || fail "check made a target"
expect_rc 3 "$NDESWIZ" check --nagios
grep -q "^NDES UNKNOWN - no URL to probe" "$WORK/last.out" ||
	fail "nagios no URL: $(cat "$WORK/last.out")"
expect_rc 3 "$NDESWIZ" check --json --nagios --url "$(url 1)"
expect_rc 2 "$NDESWIZ" check --timeout 0 --url "$(url 1)"
expect_rc 2 "$NDESWIZ" check --url "ftp://127.0.0.1/x"
expect_rc 2 "$NDESWIZ" -t "$WORK/nothere" check --url "$(url 1)"
expect_rc 3 "$NDESWIZ" -t "$WORK/nothere" check --nagios --url "$(url 1)"
[ ! -e "$WORK/nothere" ] || fail "check made a target"
printf '[meta]\nversion = 1\n[health]\ncolour = red\n' >"$WORK/bad.ini"
expect_rc 2 "$NDESWIZ" -a "$WORK/bad.ini" check --url "$(url 1)"
expect_rc 3 "$NDESWIZ" -a "$WORK/bad.ini" check --nagios --url "$(url 1)"
grep -q "^NDES UNKNOWN - .*bad.ini:4: unknown key" "$WORK/last.out" ||
	fail "nagios bad answers: $(cat "$WORK/last.out")"

# Nothing listens: the probes fail, exit 1 (CRITICAL with --nagios).
expect_rc 1 "$NDESWIZ" check --url "$(url 9)"
expect_rc 2 "$NDESWIZ" check --nagios --url "$(url 9)"
grep -q "^NDES CRITICAL - mscep: \[health.mscep-refused\]" \
    "$WORK/last.out" || fail "nagios refused: $(cat "$WORK/last.out")"

# The URL from the FQDN and port in the answers.
printf '[meta]\nversion = 1\n[binding]\nfqdn = 127.0.0.1\nport = 7\n' \
    >"$WORK/fqdn.ini"
expect_rc 1 "$NDESWIZ" -a "$WORK/fqdn.ini" check --json
jq -e '.url == "https://127.0.0.1:7/certsrv/mscep/mscep.dll"' \
    <"$WORK/last.out" >/dev/null || fail "fqdn url: $(cat "$WORK/last.out")"

# A target's saved answers lie under the -a file.
t=$WORK/target
expect_rc 1 "$NDESWIZ" -t "$t" plan
mkdir -p "$t/.ndeswiz"
printf '[meta]\nversion = 1\n[health]\nurl = %s\ntimeout_seconds = 3\n' \
    "$(url 11)" >"$t/.ndeswiz/answers.ini"
chmod 600 "$t/.ndeswiz/answers.ini"
expect_rc 1 "$NDESWIZ" -t "$t" check --json
jq -e --arg u "$(url 11)" '.url == $u' <"$WORK/last.out" >/dev/null ||
	fail "saved answers: $(cat "$WORK/last.out")"
printf '[meta]\nversion = 1\n[health]\nurl = %s\n' "$(url 12)" \
    >"$WORK/over.ini"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/over.ini" check --json
jq -e --arg u "$(url 12)" '.url == $u' <"$WORK/last.out" >/dev/null ||
	fail "-a over saved: $(cat "$WORK/last.out")"
# --url beats both.
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/over.ini" check --json \
    --url "$(url 13)"
jq -e --arg u "$(url 13)" '.url == $u' <"$WORK/last.out" >/dev/null ||
	fail "--url: $(cat "$WORK/last.out")"
# The default target is read when it is there.
mv "$t" "$WORK/ndes-target"
expect_rc 1 "$NDESWIZ" check --json
jq -e --arg u "$(url 11)" '.url == $u' <"$WORK/last.out" >/dev/null ||
	fail "default target: $(cat "$WORK/last.out")"

# --json: one object, every probe with state, time and findings; with a
# target, the steps' inspections are rows too.
jq -e '([.probes[] | select(.source == "probe")] | length) == 13 and
    ([.probes[] | select(.source == "inspect")] | length) > 0 and
    all(.probes[]; has("name") and has("state") and has("seconds") and
        (.findings | type) == "array") and .status == "fail"' \
    <"$WORK/last.out" >/dev/null || fail "json shape"
echo ok
