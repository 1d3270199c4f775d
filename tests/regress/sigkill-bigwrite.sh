#!/bin/sh
# kill -9 while a ~16 MiB registry.reg is being written: the temporary
# file the write leaves (.ndeswiz-tmp-registry.reg.XXXXXX) is swept by the
# next run under the lock, and rollback gives back a byte-identical target.
# 20 trials spread over the time one whole apply takes on this machine
# (measured first, so a fast or a loaded machine is covered alike), then
# up to 40 more at random moments until one catches a write in flight (a
# temporary file on disk after the kill). The registry is written once per
# run, at its end (issue 16), so a random kill may miss it on a loaded
# machine: one more trial kills the apply once its files are written
# beside the old ones and none is in place yet (kill-commit:1), which
# always leaves the whole temporary registry on disk. If no trial left
# one, the test proves nothing and fails.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
base=$(mktmp)/base
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan
pad_registry "$base" 11780
size=$(stat -c %s "$base/registry.reg")
[ "$size" -gt 15728640 ] && [ "$size" -lt 16777216 ] ||
	fail "setup: registry.reg is $size bytes, want 15-16 MiB"
# Once through apply and rollback: the registry in ndeswiz's own layout.
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" apply --yes
expect_rc 0 "$NDESWIZ" -t "$base" rollback --yes
rm -rf "$base/.ndeswiz"
snapshot "$base" >"$WORK/before"

# How long one whole apply takes here, in seconds.
t=$(mktmp)/t
cp -a "$base" "$t"
start=$(date +%s.%N)
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
whole=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
rm -rf "$t"

trials=0 caught=0

# rolled_back WHAT T: rollback of T sweeps every temporary file and gives
# back the target as it was, byte for byte.
rolled_back() {
	expect_rc 0 "$NDESWIZ" -t "$2" rollback --yes
	ls -A "$2" | grep -q '^\.ndeswiz-tmp-' &&
		fail "$1: a temporary file is left: $(ls -A "$2")"
	snapshot "$2" | cmp -s - "$WORK/before" || {
		snapshot "$2" | diff "$WORK/before" - >&2
		fail "$1: differs after rollback"
	}
}
t=$(mktmp)/t
cp -a "$base" "$t"
run_rc kill env NDESWIZ_TEST_FAULT=kill-commit:1 "$NDESWIZ" -t "$t" \
    -a "$ex" apply --yes
[ "$rc" -eq 137 ] || fail "kill-commit:1: exit $rc, want 137"
ls -A "$t" | grep -q '^\.ndeswiz-tmp-registry\.reg' ||
	fail "kill-commit:1: no temporary registry left: $(ls -A "$t")"
caught=1
rolled_back kill-commit:1 "$t"
rm -rf "$t"
ok "killed with the whole registry written beside the old one: swept," \
    "rolled back byte-identical"
while [ "$trials" -lt 20 ] || { [ "$caught" -eq 0 ] && [ "$trials" -lt 60 ]; }
do
	t=$(mktmp)/t
	cp -a "$base" "$t"
	"$NDESWIZ" -t "$t" -a "$ex" apply --yes >/dev/null 2>&1 &
	pid=$!
	# 5 % .. 95 % of a whole apply, spread over the first 20 trials;
	# after them, random moments.
	sleep "$(awk -v k="$trials" -v w="$whole" -v s="$$" 'BEGIN {
		srand(s + k)
		f = k < 20 ? 0.05 + 0.9 * k / 19 : 0.05 + 0.9 * rand()
		printf "%.3f", w * f }')"
	kill -9 "$pid" 2>/dev/null || :
	wait "$pid" 2>/dev/null || :
	ls -A "$t" | grep -q '^\.ndeswiz-tmp-' && caught=$((caught + 1))
	rolled_back "trial $trials" "$t"
	rm -rf "$t"
	trials=$((trials + 1))
done
[ "$caught" -gt 0 ] || fail "no trial killed a write in flight"
echo "ok: $trials kills during writes of a $size-byte registry.reg, $caught left a temporary file, all swept; rollback byte-identical each time"
