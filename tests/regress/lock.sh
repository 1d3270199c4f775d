#!/bin/sh
# One run at a time: 20 rounds of two concurrent "apply --yes" on one
# target, then "rollback --yes": one run applies, the other waits for the
# lock and finds nothing left to do; rollback gives back a target
# byte-identical to the one before, every round. A run that cannot get
# the lock in time says who holds it.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
snapshot "$t" >"$WORK/before"

rounds=0
while [ "$rounds" -lt 20 ]; do
	"$NDESWIZ" -t "$t" -a "$ex" apply --yes >"$WORK/a.out" 2>&1 &
	pa=$!
	"$NDESWIZ" -t "$t" -a "$ex" apply --yes >"$WORK/b.out" 2>&1 &
	pb=$!
	wait "$pa" || fail "round $rounds: apply A failed: $(cat "$WORK/a.out")"
	wait "$pb" || fail "round $rounds: apply B failed: $(cat "$WORK/b.out")"
	applied=$(cat "$WORK/a.out" "$WORK/b.out" | grep -c "^Applied ") || :
	nochange=$(cat "$WORK/a.out" "$WORK/b.out" | grep -c "^No changes") || :
	[ "$applied" = 1 ] && [ "$nochange" = 1 ] ||
		fail "round $rounds: applied $applied, unchanged $nochange"
	expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
	snapshot "$t" | cmp -s - "$WORK/before" || {
		snapshot "$t" | diff "$WORK/before" - >&2
		fail "round $rounds: differs after rollback"
	}
	expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
	grep -q "already rolled back" "$WORK/last.out" ||
		fail "round $rounds: a second run left something to undo"
	rounds=$((rounds + 1))
done

# A holder that does not let go: the second run waits, then names it.
command -v flock >/dev/null || fail "flock (util-linux) is needed"
sh -c 'exec 9<>"$0"; flock 9; echo "pid $$ (test holder)" >&9
	exec sleep 30' "$t/.ndeswiz/lock" &
holder=$!
sleep 1
expect_rc 2 env NDESWIZ_LOCK_WAIT=1 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "the target is busy: pid [0-9]* (test holder) holds" "$WORK/last.err" ||
	fail "busy: $(cat "$WORK/last.err")"
kill "$holder" 2>/dev/null || :
wait "$holder" 2>/dev/null || :
echo "ok: $rounds rounds of two concurrent applies, one applied and one waited, rollback byte-identical each time"
