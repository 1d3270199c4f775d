#!/bin/sh
# plan --detailed-exitcode, for scripts: 0 nothing to change, 1 errors,
# 2 usage, 4 changes pending (terraform's convention). Without the option
# a plan with changes still exits 0.
. "$TOP/tests/regress/lib.sh"
export NDES_SVC_PASSWORD=not-used-offline
ex="$TOP/assets/examples/contoso.ini"

t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
[ -s "$WORK/last.out" ] || fail "the first plan shows no changes"
ok "without the option, changes pending exit 0"

expect_rc 4 "$NDESWIZ" -t "$t" -a "$ex" plan --detailed-exitcode
[ -s "$WORK/last.out" ] || fail "exit 4 but no plan printed"
ok "changes pending: 4, and the plan is printed"

expect_rc 4 "$NDESWIZ" -t "$t" -a "$ex" plan --detailed-exitcode --json
grep -q '"plan"' "$WORK/last.out" || fail "json: $(cat "$WORK/last.out")"
ok "with --json: 4 too"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan --detailed-exitcode
ok "after the apply: nothing to change, 0"

sed 's/^ra_country *=.*/ra_country =/' "$ex" >"$WORK/bad.ini"
expect_rc 1 "$NDESWIZ" -t "$(mktmp)/t" -a "$WORK/bad.ini" plan \
    --detailed-exitcode
ok "errors: 1, not 4"

expect_rc 2 "$NDESWIZ" -t "$(mktmp)/t" apply --detailed-exitcode
grep -q "apply does not take --detailed-exitcode" "$WORK/last.err" ||
	fail "apply: $(cat "$WORK/last.err")"
ok "another command: a usage error, 2"
