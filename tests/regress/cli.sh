#!/bin/sh
# The command line: usage errors, exit codes, garbage input.
. "$TOP/tests/regress/lib.sh"
# plan resolves the secret references the plan needs.
export NDES_SVC_PASSWORD=not-used-offline

t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" --help
grep -q "rollback" "$WORK/last.out" || fail "--help lacks commands"
expect_rc 0 "$NDESWIZ" --version
grep -q "^ndeswiz [0-9]" "$WORK/last.out" || fail "--version"
expect_rc 2 "$NDESWIZ" frobnicate
expect_rc 2 "$NDESWIZ" --no-such-option plan
expect_rc 2 "$NDESWIZ" plan extra
expect_rc 2 "$NDESWIZ" --timeout 0 plan
expect_rc 2 "$NDESWIZ" -t "$t" export
grep -q "needs -o FILE" "$WORK/last.err" || fail "export without -o"
expect_rc 2 "$NDESWIZ" -t "$t" export -o -
expect_rc 2 "$NDESWIZ" -a "$WORK/missing.ini" -t "$t" plan
grep -q "missing.ini: cannot read" "$WORK/last.err" || fail "missing file"
[ ! -e "$t" ] || fail "a bad answer file still created the target"

# Garbage never crashes: a directory, binary, a 1 MB line, > 1 MiB.
mkdir "$WORK/adir"
expect_rc 2 "$NDESWIZ" -a "$WORK/adir" -t "$t" plan
grep -q "is a directory" "$WORK/last.err" || fail "directory"
head -c 65536 /dev/urandom >"$WORK/bin.ini"
expect_rc 2 "$NDESWIZ" -a "$WORK/bin.ini" -t "$t" plan
{ printf '[meta]\nversion = 1\n[ndes]\nra_name = '
  head -c 1000000 /dev/zero | tr '\0' 'a'; echo; } >"$WORK/long.ini"
expect_rc 2 "$NDESWIZ" -a "$WORK/long.ini" -t "$t" plan
grep -q "long.ini:4: line longer than" "$WORK/last.err" || fail "long line"
head -c 2000000 /dev/zero | tr '\0' ';' >"$WORK/big.ini"
expect_rc 2 "$NDESWIZ" -a "$WORK/big.ini" -t "$t" plan
grep -q "larger than 1 MiB" "$WORK/last.err" || fail "big file"
[ ! -e "$t" ] || fail "garbage created the target"

# A new target comes from the profile; an unknown profile is refused.
expect_rc 2 "$NDESWIZ" -t "$WORK/p" --profile no-such plan
[ ! -e "$WORK/p" ] || fail "half-made target left behind"
expect_rc 1 "$NDESWIZ" -t "$t" plan
grep -q "registry.template-name-missing" "$WORK/last.err" ||
	fail "default answers should miss the template name"
[ -f "$t/registry.reg" ] && [ -f "$t/applicationHost.config" ] ||
	fail "target not created"

# --json is JSON with findings and plan.
expect_rc 0 "$NDESWIZ" -t "$t" -a "$TOP/assets/examples/contoso.ini" \
    --json plan
jq -e '(.plan.changes | length) > 0 and .plan.reboot_required == true and
    (.findings | type) == "array"' <"$WORK/last.out" >/dev/null ||
	fail "plan --json: $(cat "$WORK/last.out")"
echo ok
