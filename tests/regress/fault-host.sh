#!/bin/sh
# Fail every host operation of a full apply in turn, through the faulty
# driver (backend/host/faulty.c, NDESWIZ_TEST_FAULT=host-op:K):
#   - a failed read (get) comes while the run is still planning: it stops
#     before anything is changed, exit 1 with a host.read-failed error
#     (a plan built on a read that failed could overwrite what the host
#     holds with a default);
#   - a failed write (set) comes during apply: every change of the run is
#     undone, exit 3;
#   - so does a failed commit (the dir driver makes the changes in memory,
#     then writes each changed file once, after the journal took them);
#     the faulty driver fails it once every file is in place, so that the
#     undo has them all to put back.
# Either way the target is byte-identical to before (its .ndeswiz/ state
# folder aside, which keeps the journal).
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
base=$(mktmp)/base
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan
snapshot "$base" >"$WORK/before"

# Without the variable the wrapper is not there: no count is printed.
t=$(mktmp)/t
cp -a "$base" "$t"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "^ndeswiz-test: " "$WORK/last.err" && fail "inert wrapper spoke"
rm -rf "$t"

# How many operations a full apply makes: K = 0 only counts.
cp -a "$base" "$t"
expect_rc 0 env NDESWIZ_TEST_FAULT=host-op:0 "$NDESWIZ" -t "$t" -a "$ex" \
    apply --yes
n=$(sed -n 's/^ndeswiz-test: \([0-9]*\) host operations; none injected$/\1/p' \
    "$WORK/last.err")
[ -n "$n" ] && [ "$n" -gt 0 ] ||
	fail "no operation count: $(cat "$WORK/last.err")"
rm -rf "$t"

gets=0
sets=0
commits=0
k=1
while [ "$k" -le "$n" ]; do
	cp -a "$base" "$t"
	run_rc f env NDESWIZ_TEST_FAULT="host-op:$k" "$NDESWIZ" -t "$t" \
	    -a "$ex" apply --yes
	op=$(sed -n 's/^ndeswiz-test: .*; injected at a \([a-z]*\) of .*/\1/p' \
	    "$WORK/f.err")
	case $op in
	get)
		want=1 said="nothing was changed|Nothing applied"
		why="operation $k |\[host.read-failed\]"
		gets=$((gets + 1)) ;;
	set)
		want=3 said="Every change of this run was undone"
		why="operation $k "
		sets=$((sets + 1)) ;;
	commit)
		want=3 said="Every change of this run was undone"
		why="operation $k "
		commits=$((commits + 1)) ;;
	*)
		fail "host-op:$k: the fault did not fire: $(cat "$WORK/f.err")"
	esac
	[ "$rc" -eq "$want" ] || fail "host-op:$k ($op): exit $rc, want $want
$(cat "$WORK/f.out" "$WORK/f.err")"
	grep -Eq "$why" "$WORK/f.err" ||
		fail "host-op:$k: no word of the failure: $(cat "$WORK/f.err")"
	grep -Eq "$said" "$WORK/f.err" ||
		fail "host-op:$k: no '$said': $(cat "$WORK/f.err")"
	snapshot "$t" | cmp -s - "$WORK/before" || {
		snapshot "$t" | diff "$WORK/before" - >&2 || :
		fail "host-op:$k ($op): the target changed"
	}
	ok "host-op:$k ($op): exit $want, the target unchanged"
	# The run is closed: the next apply is not refused.
	if [ "$k" -eq "$n" ]; then
		expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	fi
	rm -rf "$t"
	k=$((k + 1))
done
[ "$gets" -gt 0 ] && [ "$sets" -gt 0 ] && [ "$commits" -eq 1 ] ||
	fail "$gets gets, $sets sets, $commits commits"

# One past the last operation nothing fails: the count was the whole run.
cp -a "$base" "$t"
expect_rc 0 env NDESWIZ_TEST_FAULT="host-op:$((n + 1))" "$NDESWIZ" -t "$t" \
    -a "$ex" apply --yes
echo "ok: $n host operations failed in turn ($gets reads: exit 1," \
    "$sets writes and $commits commit: exit 3), the target unchanged each time"
