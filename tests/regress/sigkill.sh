#!/bin/sh
# Kill apply with SIGKILL at every point: before and after each change is
# made (in memory: the dir driver batches them), and in the commit before
# each file is put in place and after the last. Then rollback (or nothing
# at all, before the journal holds the run) must give back a target
# byte-identical to the one before.
. "$TOP/tests/regress/lib.sh"

# The example with a real certificate (pem:), so that the import and both
# bindings are among the changes.
ex="$WORK/example.ini"
pem_example "$ex"
export NDES_SVC_PASSWORD=x
base=$(mktmp)/base
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan
snapshot "$base" >"$WORK/before"
n=$(grep -c '^[+~-] ' "$WORK/last.out")
[ "$n" -gt 0 ] || fail "the plan is empty"
for kind in "import certificate" "bind HTTP.sys SSL binding" \
    "[@protocol='https']"; do
	grep -qF "$kind" "$WORK/last.out" || fail "plan lacks $kind"
done

# A full apply, for what a target holds when every file is in place.
full=$(mktmp)/full
cp -a "$base" "$full"
expect_rc 0 "$NDESWIZ" -t "$full" -a "$ex" apply --yes
snapshot "$full" >"$WORK/after"

# The dir driver makes the changes in memory first (a batch): a kill
# before or after any of them leaves the target as it was and the
# journal without the run, and the next apply goes on.
kills=0
for when in before after; do
	k=1
	while [ "$k" -le "$n" ]; do
		t=$(mktmp)/t
		cp -a "$base" "$t"
		run_rc kill env NDESWIZ_TEST_FAULT="kill-$when:$k" \
		    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
		[ "$rc" -eq 137 ] || fail "kill-$when:$k: exit $rc, want 137"
		kills=$((kills + 1))
		snapshot "$t" | cmp -s - "$WORK/before" ||
			fail "kill-$when:$k: a change reached the target before" \
			    "the journal held them all"
		if grep -q '"op":"begin"' "$t/.ndeswiz/journal" 2>/dev/null; then
			fail "kill-$when:$k: the run was journaled before all" \
			    "its changes were made in memory"
		fi
		expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
		ok "kill-$when:$k: target untouched, apply goes on afterwards"
		k=$((k + 1))
	done
done

# Then the journal takes every old value, and each changed file is put in
# place, one after the other. A kill before the K-th file is in place
# (K = 1: none is; one past the last: all are, the run not ended) leaves a
# run that blocks a new apply until rolled back, and rollback gives back
# the target byte for byte, never calling a file the kill kept from its
# place "changed since the apply".
k=1
while :; do
	t=$(mktmp)/t
	cp -a "$base" "$t"
	run_rc kill env NDESWIZ_TEST_FAULT="kill-commit:$k" \
	    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	[ "$rc" -ne 0 ] || break	# one past the last kill point
	[ "$rc" -eq 137 ] || fail "kill-commit:$k: exit $rc, want 137"
	kills=$((kills + 1))
	records=$(grep -c '"op":"change"' "$t/.ndeswiz/journal") || :
	[ "$records" -eq "$n" ] ||
		fail "kill-commit:$k: the journal holds $records of $n records"
	# The refusal opens the target, which sweeps the kill's temporary
	# files: what stays is what the kill left in place.
	expect_rc 1 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	grep -q "did not finish" "$WORK/last.err" || fail "no refusal"
	snapshot "$t" >"$WORK/killed"
	if [ "$k" -eq 1 ]; then
		cmp -s "$WORK/killed" "$WORK/before" ||
			fail "kill-commit:1: a file changed before the first one" \
			    "was put in place"
	elif ! cmp -s "$WORK/killed" "$WORK/after"; then
		cmp -s "$WORK/killed" "$WORK/before" &&
			fail "kill-commit:$k: no file was put in place"
		mixed=$((${mixed:-0} + 1))
	fi
	expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
	if grep -q "changed since" "$WORK/last.out" "$WORK/last.err"; then
		fail "kill-commit:$k: rollback says something changed since" \
		    "the apply: $(cat "$WORK/last.out" "$WORK/last.err")"
	fi
	snapshot "$t" | cmp -s - "$WORK/before" || {
		snapshot "$t" | diff "$WORK/before" - >&2 || :
		fail "kill-commit:$k: differs after rollback"
	}
	ok "kill-commit:$k: refused, rolled back byte-identical"
	k=$((k + 1))
	[ "$k" -le 100 ] || fail "kill-commit: more than 99 kill points"
done
snapshot "$t" | cmp -s - "$WORK/after" ||
	fail "kill-commit:$k, past the last point: not applied"
# Kill points: one before each file, one after them all.
[ "$k" -ge 4 ] || fail "only $((k - 1)) kill points in the commit"
[ "${mixed:-0}" -ge 1 ] || fail "no kill left some files new, some old"
echo "ok: $kills kills over $n changes and $((k - 2)) files put in place" \
    "(${mixed} with some old, some new), every rollback byte-identical"
