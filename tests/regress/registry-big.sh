#!/bin/sh
# A server-sized registry.reg: 100k more values (as tests/bench generates
# them, appended after the profile's keys, so out of regedit's sorted
# order) are read, planned, applied and rolled back; what apply does not
# touch keeps its bytes and its place, rollback gives the file back byte
# for byte. A file past this machine's limit is refused by name, with its
# size and the limit.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
for tool in iconv awk cmp truncate; do
	command -v $tool >/dev/null || fail "$tool is missing (make deps)"
done
command -v strace >/dev/null || fail "strace is missing (make deps)"
# LeakSanitizer cannot run under ptrace; ASan's other checks still do.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
t=$(planned_target)
base=$(stat -c %s "$t/registry.reg")

# The generated keys, alone, as UTF-16LE (no BOM: they follow the file's).
awk -v n=100000 -f "$TOP/tests/bench/gen-registry.awk" |
    iconv -f UTF-8 -t UTF-16LE >"$WORK/gen.u16"
gen=$(stat -c %s "$WORK/gen.u16")
[ "$gen" -gt 12000000 ] || fail "generated only $gen bytes"
cat "$WORK/gen.u16" >>"$t/registry.reg"
cp "$t/registry.reg" "$WORK/before.reg"
ok "registry.reg holds 100k more values ($((base + gen)) bytes)"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
cmp -s "$t/registry.reg" "$WORK/before.reg" || fail "plan changed the file"
grep -q 'MaxFieldLength' "$WORK/last.out" ||
	fail "the plan does not show the registry changes: $(cat "$WORK/last.out")"
ok "plan reads it and writes nothing"

# Traced: the old file's cache is dropped on a thread of its own (its
# own task id), before the new file is renamed over it (retire.h).
expect_rc 0 strace -f -y -qq -o "$WORK/apply.trace" \
    -e trace=fadvise64,renameat,rename "$NDESWIZ" -t "$t" -a "$ex" apply --yes
awk -v reg="$t/registry.reg" '
$2 ~ /^fadvise64\(/ && index($2 $3, "<" reg ">") && /POSIX_FADV_DONTNEED/ {
	dropped = $1
}
$2 ~ /^rename/ && /"registry.reg"\) = 0/ { renamed = $1; done = NR; exit }
END {
	if (dropped == "" || renamed == "" || dropped == renamed)
		exit 1
}' "$WORK/apply.trace" ||
	fail "the old registry's cache was not dropped by another thread" \
	    "before its rename: $(grep -E "fadvise|registry.reg\"" \
	    "$WORK/apply.trace")"
after=$(stat -c %s "$t/registry.reg")
[ "$after" -gt "$((base + gen))" ] || fail "apply wrote no more ($after bytes)"
# Apply's keys go among the profile's (export order); the generated block
# stays where it was, at the end, to the byte.
cmp -s -i "$((after - gen)):0" "$t/registry.reg" "$WORK/gen.u16" ||
	fail "the untouched 100k values changed or moved"
cmp -s -n 2 "$t/registry.reg" "$WORK/before.reg" || fail "BOM lost"
ok "apply keeps the 100k untouched values byte for byte; the old file's cache dropped on a thread of its own before the rename"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan --detailed-exitcode
ok "after apply, nothing left to plan"

expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
cmp -s "$t/registry.reg" "$WORK/before.reg" ||
	fail "rollback did not give registry.reg back byte for byte"
ok "rollback gives the file back byte for byte"

# Past the limit (a sparse file: nothing is read, the size refuses it; a
# target that cannot be read is exit 2, as any bad target).
s=$(mktmp)/s
expect_rc 0 "$NDESWIZ" -t "$s" -a "$ex" plan
truncate -s 1025M "$s/registry.reg"
snapshot "$s" >"$WORK/s.before"
expect_rc 2 "$NDESWIZ" -t "$s" -a "$ex" plan
grep -q "^ndeswiz: $s/registry.reg: cannot read: it is 1074790400 bytes, over this machine's limit of [0-9]* for a target file" \
    "$WORK/last.err" || fail "no clear size error: $(cat "$WORK/last.err")"
snapshot "$s" >"$WORK/s.after"
cmp -s "$WORK/s.before" "$WORK/s.after" || fail "the refused target changed"
ok "a file past the limit is refused by name, size and limit; nothing written"
