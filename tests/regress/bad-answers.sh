#!/bin/sh
# Every malformed answer file under tests/answers/bad gives exit 2, exactly
# one "FILE:LINE: ..." line naming the expected line and problem, and leaves
# the target byte-for-byte as it was.
. "$TOP/tests/regress/lib.sh"

t=$(mktmp)/target
"$NDESWIZ" -t "$t" plan >/dev/null 2>&1 || true   # create the target
snapshot "$t" >"$WORK/before"

n=0
for f in "$TOP"/tests/answers/bad/*.ini; do
	n=$((n + 1))
	exp="${f%.ini}.expect"
	[ -f "$exp" ] || exp="$f"
	line=$(sed -n 's/^; expect-line: //p' "$exp" | head -1)
	want=$(sed -n 's/^; expect: //p' "$exp" | head -1)
	[ -n "$line" ] && [ -n "$want" ] || fail "$f: no expectation"
	for cmd in plan "apply --yes" "export -o $WORK/out.ini"; do
		set +e
		# shellcheck disable=SC2086
		"$NDESWIZ" -t "$t" -a "$f" $cmd >"$WORK/stdout" 2>"$WORK/stderr"
		rc=$?
		set -e
		[ "$rc" -eq 2 ] || fail "$f ($cmd): exit $rc, want 2"
		[ "$(wc -l <"$WORK/stderr")" -eq 1 ] ||
			fail "$f ($cmd): want one line, got: $(cat "$WORK/stderr")"
		grep -qF -- "$f:$line: " "$WORK/stderr" ||
			fail "$f ($cmd): no '$f:$line:' in: $(cat "$WORK/stderr")"
		grep -qF -- "$want" "$WORK/stderr" ||
			fail "$f ($cmd): no '$want' in: $(cat "$WORK/stderr")"
		[ ! -s "$WORK/stdout" ] || fail "$f ($cmd): wrote to stdout"
		[ ! -e "$WORK/out.ini" ] || fail "$f ($cmd): export wrote a file"
		ok "$(basename "$f") refused by ${cmd%% *}"
	done
	snapshot "$t" | cmp -s - "$WORK/before" ||
		fail "$f: the target changed"
done
[ "$n" -ge 25 ] || fail "only $n malformed files"
echo "ok: $n malformed answer files refused"
