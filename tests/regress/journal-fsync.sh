#!/bin/sh
# The journal is durable before the target changes: apply appends the
# run's records, every change's old value, to .ndeswiz/journal and fsyncs
# it before it touches the target (README, "Apply, journal, rollback").
# A missing fsync leaves no trace in the files, so this test watches the
# system calls (strace -y names each descriptor's file): after every
# write to the journal, the journal is fsynced before any other file of
# the target is written, renamed or removed; no journal write is left
# without its fsync; and what the journal held, synced, before the first
# file of the target changed is the whole run but its end record (the dir
# driver writes the records in one write: every old value before the
# first file). A file staged beside the one it replaces (.ndeswiz-tmp-*,
# swept at open) is no change: the batch writes them all while the
# journal's write is on its way to the disk, and fsyncs the journal
# before them; each must be fsynced before it is renamed into place.
. "$TOP/tests/regress/lib.sh"

command -v strace >/dev/null ||
	fail "strace is needed to see the journal's fsyncs (make deps)"
ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
# LeakSanitizer cannot run under ptrace; ASan's other checks still do.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

t=$(planned_target)
n=$(grep -c '^[+~-] ' "$WORK/last.out")
[ "$n" -gt 0 ] || fail "the plan is empty"
expect_rc 0 strace -f -y -qq -s 64 -o "$WORK/trace" \
    -e trace=write,pwrite64,writev,fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat \
    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "Applied" "$WORK/last.out" || fail "not applied: $(cat "$WORK/last.out")"

# One line per journal write made durable ("synced N"), the bytes the
# journal held, synced, when the first file of the target changed
# ("first B"), or the first change made while a write was not yet synced
# ("EARLY: ...").
awk -v j="$t/.ndeswiz/journal" -v t="$t/" -v tmp=.ndeswiz-tmp- '
function fdpath(line) {
	if (match(line, /^[0-9]+ +[a-z0-9]+\([0-9]+</) == 0)
		return ""
	s = substr(line, RLENGTH + 1)
	return substr(s, 1, index(s, ">") - 1)
}
# The staged file a rename puts in place (folder path / name).
function renamed(line,   s, d, n) {
	s = substr(line, index(line, "<") + 1)
	d = substr(s, 1, index(s, ">") - 1)
	s = substr(s, index(s, "\"") + 1)
	n = substr(s, 1, index(s, "\"") - 1)
	return d "/" n
}
{
	call = $2
	sub(/\(.*/, "", call)
	p = fdpath($0)
	if (index(p, "/" tmp) > 0) {
		# Staged, not yet a change: made durable before its rename.
		if (call ~ /^f(data)?sync$/)
			durable[p] = 1
		else if (call ~ /^(write|pwrite64|writev)$/)
			durable[p] = 0
		next
	}
	if (call ~ /^(unlink)/ && index($0, tmp) > 0)
		next
	if (call ~ /^rename/ && index($0, "\"" tmp) > 0 &&
	    !durable[renamed($0)]) {
		print "UNSYNCED: " $0
		exit
	}
	# renameat names its folder by a handle: a change in that folder.
	if (call ~ /^renameat/)
		p = p "/"
	if (call ~ /^(write|pwrite64|writev)$/ && p == j) {
		writes++
		pending = 1
		bytes += $NF
	} else if (call ~ /^f(data)?sync$/ && p == j) {
		if (pending)
			print "synced " ++synced
		pending = 0
	} else if (index(p, t) == 1 ||
	    (call ~ /^(rename|unlink)/ && index($0, "\"" t) > 0)) {
		if (pending) {
			print "EARLY: " $0
			exit
		}
		# The state folder (the lock, the answers) is not the target.
		if (index(p, t ".ndeswiz/") != 1 && !seen++)
			print "first " bytes + 0
	}
}
END {
	if (pending)
		print "EARLY: the last journal write was never fsynced"
	print "writes " writes + 0
}' "$WORK/trace" >"$WORK/verdict"

if grep -q '^UNSYNCED: ' "$WORK/verdict"; then
	fail "a staged file put in place before its fsync: $(grep '^UNSYNCED' \
	    "$WORK/verdict")"
fi
if grep -q '^EARLY: ' "$WORK/verdict"; then
	fail "a change before the journal was fsynced: $(grep '^EARLY' \
	    "$WORK/verdict")"
fi
writes=$(sed -n 's/^writes //p' "$WORK/verdict")
synced=$(grep -c '^synced ' "$WORK/verdict")
first=$(sed -n 's/^first //p' "$WORK/verdict")
# begin and the records, then the end.
[ "$writes" -ge 2 ] || fail "$writes journal writes: strace saw too little"
[ "$synced" -eq "$writes" ] || fail "$writes journal writes, $synced fsynced"
records=$(grep -c '"op":"change"' "$t/.ndeswiz/journal") || :
[ "$records" -eq "$n" ] || fail "$records journal records for $n changes"
run=$(($(wc -c <"$t/.ndeswiz/journal") - $(tail -n 1 "$t/.ndeswiz/journal" |
    wc -c)))
[ -n "$first" ] || fail "strace saw no file of the target change"
[ "$first" -eq "$run" ] || fail "the journal held $first bytes, synced," \
    "when the first file changed; the run's records are $run bytes"
ok "every record ($n changes, $run bytes) fsynced before the first file changed"
while read -r what k; do
	[ "$what" = synced ] && ok "journal write $k fsynced before the next change"
done <"$WORK/verdict"
echo "ok: $writes journal writes, each fsynced before the change it guards"
