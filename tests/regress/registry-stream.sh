#!/bin/sh
# A big registry.reg is written as it is formatted (issue 16): apply's
# commit hands the staged file its text a chunk at a time (never the whole
# file in one write), starts each chunk on its way to the disk at once
# (sync_file_range, Linux), and fsyncs the file once, after its last byte,
# before it is renamed into place. strace shows each of these on the
# staged file itself; the file put in place is the one plan's reader
# takes, and rollback gives back the target byte for byte.
. "$TOP/tests/regress/lib.sh"

command -v strace >/dev/null ||
	fail "strace is needed to see the writes (make deps)"
# LeakSanitizer cannot run under ptrace; ASan's other checks still do.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=x

t=$(planned_target)
pad_registry "$t" 4000
size=$(stat -c %s "$t/registry.reg")
[ "$size" -gt 5000000 ] || fail "setup: registry.reg is only $size bytes"
# Once through apply and rollback: the registry in ndeswiz's own layout.
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
rm -rf "$t/.ndeswiz"
snapshot "$t" >"$WORK/before"

expect_rc 0 strace -f -y -qq -o "$WORK/trace" \
    -e trace=write,sync_file_range,fsync,fdatasync,renameat,rename \
    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
# The calls on the staged registry, in order: "write N", "range", "fsync".
grep "<$t/\.ndeswiz-tmp-registry\.reg\.[^>]*>" "$WORK/trace" |
    sed -n -e 's/^[0-9]* *write(.*) = \([0-9]*\)$/write \1/p' \
	-e 's/^[0-9]* *sync_file_range(.*SYNC_FILE_RANGE_WRITE) = 0$/range/p' \
	-e 's/^[0-9]* *f\(data\)\{0,1\}sync(.*) = 0$/fsync/p' >"$WORK/calls"
[ "$(grep -c "<$t/\.ndeswiz-tmp-registry\.reg\." "$WORK/trace")" -eq \
    "$(wc -l <"$WORK/calls")" ] ||
	fail "a call on the staged registry was not read: $(grep \
	    "ndeswiz-tmp-registry" "$WORK/trace" | head -5)"
new=$(stat -c %s "$t/registry.reg")
writes=$(grep -c '^write ' "$WORK/calls") || :
written=$(awk '/^write / { n += $2 } END { print n + 0 }' "$WORK/calls")
largest=$(awk '/^write / && $2 > m { m = $2 } END { print m + 0 }' \
    "$WORK/calls")
ranges=$(grep -c '^range$' "$WORK/calls") || :
[ "$written" -eq "$new" ] ||
	fail "$written bytes written to the staged registry, it has $new"
[ "$writes" -ge 4 ] && [ "$largest" -le 2097152 ] ||
	fail "$writes writes, the largest $largest bytes: not in chunks"
[ "$ranges" -eq "$writes" ] ||
	fail "$ranges of $writes chunks started on their way to the disk"
[ "$(grep -c '^fsync$' "$WORK/calls")" -eq 1 ] &&
    [ "$(tail -n 1 "$WORK/calls")" = fsync ] ||
	fail "the staged registry is not fsynced once, after its last write"
grep -q "^[0-9]* *rename.*ndeswiz-tmp-registry.*\"registry.reg\") = 0$" \
    "$WORK/trace" || fail "the staged registry was not renamed into place"
ok "registry.reg ($new bytes) went out in $writes chunks of at most" \
    "$largest bytes, each started at once, one fsync after the last"

# What was written reads, and is what a plan sees: nothing left to do.
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q '^[+~-] ' "$WORK/last.out" &&
	fail "a plan after the apply still has changes: $(cat "$WORK/last.out")"
ok "a plan after it reads the streamed registry and has nothing to do"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
snapshot "$t" | cmp -s - "$WORK/before" || fail "rollback is not byte-identical"
ok "rollback (streamed the same way) gives back the target byte for byte"
