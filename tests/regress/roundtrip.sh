#!/bin/sh
# export -> plan -a round trips: the example and the defaults.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
# plan resolves the secret references the plan needs.
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/t

# The example: export it, then the export plans what the example plans,
# byte for byte (certificate = csr: apply makes the key, so no plan holds
# anything random).
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
cp "$WORK/last.out" "$WORK/plan1"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" export -o "$WORK/a.ini"
[ "$(stat -c %a "$WORK/a.ini")" = 600 ] || fail "export is not 0600"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/a.ini" plan
cmp -s "$WORK/plan1" "$WORK/last.out" || fail "plans differ"
grep -q "(made at apply: " "$WORK/plan1" || fail "no key planned?"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/a.ini" export -o "$WORK/b.ini"
cmp -s "$WORK/a.ini" "$WORK/b.ini" || fail "export of the export differs"
# Every key is written, each under a one-line comment.
keys=$(grep -c '^[a-z_]* =' "$WORK/a.ini")
[ "$keys" -ge 55 ] || fail "only $keys keys exported"
grep -q '^ndes_service_password = env:NDES_SVC_PASSWORD$' "$WORK/a.ini" ||
	fail "secret reference not kept"

# The defaults, on a target of their own.
d=$(mktmp)/d
expect_rc 0 "$NDESWIZ" -t "$d" export -o "$WORK/d1.ini"
expect_rc 0 "$NDESWIZ" -t "$d" -a "$WORK/d1.ini" export -o "$WORK/d2.ini"
cmp -s "$WORK/d1.ini" "$WORK/d2.ini" || fail "defaults do not round-trip"
run_rc p1 "$NDESWIZ" -t "$d" plan
run_rc p2 "$NDESWIZ" -t "$d" -a "$WORK/d1.ini" plan
# (Findings on values from the file name its FILE:LINE; the rest is equal.)
sed "s|^$WORK/d1.ini:[0-9]*: ||" "$WORK/p2.err" >"$WORK/p2.bare"
cmp -s "$WORK/p1.out" "$WORK/p2.out" && cmp -s "$WORK/p1.err" "$WORK/p2.bare" ||
	fail "defaults plan differently after export"
grep -q "^$WORK/d1.ini:[0-9]*: " "$WORK/p2.err" ||
	fail "no finding names the exported file: $(cat "$WORK/p2.err")"

# export never overwrites through a failure: a read-only folder (as
# nobody when we are root: root writes anywhere).
unprivileged
ex="$NDESWIZ_ASSETS/examples/contoso.ini"	# where nobody can read it
mkdir "$WORK/ro" && echo keep >"$WORK/ro/x.ini" && chmod 755 "$WORK/ro"
chmod 755 "$(dirname "$t")"
own "$t"
lock "$WORK/ro"
expect_rc 2 as_user "$NDESWIZ" -t "$t" -a "$ex" export -o "$WORK/ro/x.ini" \
    --force
grep -q "cannot write $WORK/ro/x.ini" "$WORK/last.err" ||
	fail "export into a read-only folder: $(cat "$WORK/last.err")"
[ "$(cat "$WORK/ro/x.ini")" = keep ] || fail "old file damaged"
[ "$(ls "$WORK/ro")" = x.ini ] || fail "left behind: $(ls "$WORK/ro")"
chmod -R u+w "$WORK/ro"
echo ok
