#!/bin/sh
# Disk full and permission denied, on the two files ndeswiz writes for the
# admin: the exported answer file and the apply journal.
#   export: exit 2, a clear error, the old file untouched, no temporary
#           file left behind;
#   apply:  when the journal cannot be written nothing is applied: exit 1
#           (the run is refused before its first change, like a run that
#           finds an unfinished one; 3 is for a run that changed something
#           and undid it), the target unchanged, an old journal untouched.
#           A disk that fills up after the journal took the run's
#           records gives exit 3, every change undone.
# Disk full is a real one: a small tmpfs, mounted in a mount namespace of
# this test's own (unshare -m as root, unshare -rm otherwise), so nothing
# outside sees it. Permission denied: as root, ndeswiz runs as nobody
# (setpriv); otherwise as ourselves, on folders made read-only. When the
# mechanism is missing the test fails and says so: it never skips.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver

# Fill a mounted tmpfs to the last page; a new file's first byte then fails.
fill() {
	dd if=/dev/zero of="$1/fill" bs=64k >/dev/null 2>&1 || :
	if printf x >"$1/probe" 2>/dev/null; then
		fail "could not fill the tmpfs at $1"
	fi
	rm -f "$1/probe"
}

# Files of a folder, for "nothing left behind".
files() {
	(cd "$1" && find . -type f | LC_ALL=C sort | tr '\n' ' ')
}

# ---- disk full, inside the namespace ------------------------------------
disk_full() {
	t=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan

	# export: the old answer file stays as it was.
	d=$(mktmp)
	mount -t tmpfs -o size=256k tmpfs "$d" || fail "mount tmpfs at $d"
	echo "; the old answers" >"$d/old.ini"
	fill "$d"
	expect_rc 2 "$NDESWIZ" -t "$t" -a "$ex" export -o "$d/old.ini" --force
	grep -q "cannot write $d/old.ini: No space left on device" \
	    "$WORK/last.err" || fail "export: $(cat "$WORK/last.err")"
	grep -q "nothing was changed" "$WORK/last.err" ||
		fail "export does not say nothing changed"
	[ "$(cat "$d/old.ini")" = "; the old answers" ] ||
		fail "export damaged the old file"
	[ "$(files "$d")" = "./fill ./old.ini " ] ||
		fail "export left files behind: $(files "$d")"
	umount "$d"

	# apply: the journal's first record cannot be written.
	d=$(mktmp)
	mount -t tmpfs -o size=4m tmpfs "$d" || fail "mount tmpfs at $d"
	expect_rc 0 "$NDESWIZ" -t "$d/t" -a "$ex" plan
	snapshot "$d/t" >"$WORK/before"
	fill "$d"
	expect_rc 1 "$NDESWIZ" -t "$d/t" -a "$ex" apply --yes
	grep -q "cannot write the journal in $d/t/.ndeswiz: No space left" \
	    "$WORK/last.err" || fail "apply: $(cat "$WORK/last.err")"
	grep -q "Nothing was applied" "$WORK/last.err" ||
		fail "apply does not say nothing was applied"
	snapshot "$d/t" | cmp -s - "$WORK/before" || fail "disk full: changed"

	# Room for the journal's records and not a page more (as many pages
	# as the same run's records took on a copy): the journal takes every
	# old value, the first file cannot be written: exit 3, nothing
	# changed, and the run is undone then and there (undoing a change
	# that never reached the disk writes nothing).
	rm -f "$d/t/.ndeswiz/journal" "$d/fill"
	cp -a "$d/t" "$d/m"
	expect_rc 0 "$NDESWIZ" -t "$d/m" -a "$ex" apply --yes
	j=$(($(wc -c <"$d/m/.ndeswiz/journal") - $(tail -n 1 \
	    "$d/m/.ndeswiz/journal" | wc -c)))
	rm -rf "$d/m"
	room=$(((j + 4095) / 4096 * 4096))
	head -c "$room" /dev/zero >"$d/page"
	fill "$d"
	rm -f "$d/page"
	expect_rc 3 "$NDESWIZ" -t "$d/t" -a "$ex" apply --yes
	grep -q "No space left on device" "$WORK/last.err" ||
		fail "full mid-apply: $(cat "$WORK/last.err")"
	grep -q "Every change of this run was undone" "$WORK/last.err" ||
		fail "full mid-apply: not undone: $(cat "$WORK/last.err")"
	snapshot "$d/t" | cmp -s - "$WORK/before" || fail "mid-apply: changed"

	# A registry.reg of several of the chunks it is written in (its text
	# goes to the staged file as it is made, issue 16): the disk fills
	# with half of it written. Exit 3, the target as it was, the staged
	# file gone.
	b=$(mktmp)
	mount -t tmpfs -o size=24m tmpfs "$b" || fail "mount tmpfs at $b"
	expect_rc 0 "$NDESWIZ" -t "$b/t" -a "$ex" plan
	pad_registry "$b/t" 3000
	size=$(stat -c %s "$b/t/registry.reg")
	[ "$size" -gt 3145728 ] ||
		fail "setup: registry.reg is $size bytes, want 3 MiB and more"
	snapshot "$b/t" >"$WORK/big-before"
	head -c $((size / 2)) /dev/zero >"$b/half"
	fill "$b"
	rm -f "$b/half"
	expect_rc 3 "$NDESWIZ" -t "$b/t" -a "$ex" apply --yes
	grep -q "cannot write $b/t/registry.reg: No space left on device" \
	    "$WORK/last.err" || fail "full mid-registry: $(cat "$WORK/last.err")"
	grep -q "Every change of this run was undone" "$WORK/last.err" ||
		fail "full mid-registry: not undone: $(cat "$WORK/last.err")"
	snapshot "$b/t" | cmp -s - "$WORK/big-before" ||
		fail "full mid-registry: changed"
	ls -A "$b/t" | grep -q '^\.ndeswiz-tmp-' &&
		fail "full mid-registry: a staged file is left: $(ls -A "$b/t")"
	umount "$b"

	# Room again: rollback closes the run if it is open, then the same
	# apply goes through and the journal still reads.
	rm -f "$d/fill"
	expect_rc 0 "$NDESWIZ" -t "$d/t" rollback --yes
	snapshot "$d/t" | cmp -s - "$WORK/before" || fail "rollback changed"
	expect_rc 0 "$NDESWIZ" -t "$d/t" -a "$ex" apply --yes
	expect_rc 0 "$NDESWIZ" -t "$d/t" rollback --yes
	snapshot "$d/t" | cmp -s - "$WORK/before" || fail "rollback after"
	umount "$d"
	echo "ok: disk full"
}

if [ "${FAULT_DISK_INNER:-}" = 1 ]; then
	# The tmpfs mounts go before the folders they sit in.
	trap 'grep -F " $WORK/" /proc/self/mounts | cut -d" " -f2 |
	    xargs -r umount; rm -rf "$WORK"' EXIT INT TERM
	disk_full
	exit 0
fi

# ---- permission denied ----------------------------------------------------
unprivileged
ex="$NDESWIZ_ASSETS/examples/contoso.ini"

# export into a folder the user cannot write: the old file stays.
d=$(mktmp)
chmod 755 "$d"
echo "; the old answers" >"$d/old.ini"
t=$(mktmp)/t
chmod 755 "$(dirname "$t")"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
own "$t" "$(dirname "$t")"
lock "$d"
expect_rc 2 as_user "$NDESWIZ" -t "$t" -a "$ex" export -o "$d/old.ini" --force
grep -q "cannot write $d/old.ini: Permission denied" "$WORK/last.err" ||
	fail "export: $(cat "$WORK/last.err")"
[ "$(cat "$d/old.ini")" = "; the old answers" ] || fail "old file damaged"
[ "$(files "$d")" = "./old.ini " ] || fail "left behind: $(files "$d")"

# apply with a journal the user cannot write: a state folder of someone
# else's, holding the journal of an earlier run.
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
snapshot "$t" >"$WORK/before"
cp "$t/.ndeswiz/journal" "$WORK/journal"
rm "$t/.ndeswiz/answers.ini" # someone else's, unreadable: another refusal
own "$t"
lock "$t/.ndeswiz"
chmod 755 "$t/.ndeswiz"
chmod 644 "$t/.ndeswiz/journal"
# The lock cannot even be read: the run stops before it reads the target.
expect_rc 2 as_user "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "$t/.ndeswiz/lock: cannot open the lock file: Permission denied" \
    "$WORK/last.err" || fail "apply (lock): $(cat "$WORK/last.err")"
snapshot "$t" | cmp -s - "$WORK/before" || fail "lock denied: target changed"
# Readable, it locks read-only; the journal then cannot be written.
chmod 644 "$t/.ndeswiz/lock"
expect_rc 1 as_user "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "cannot write the journal in $t/.ndeswiz: Permission denied" \
    "$WORK/last.err" || fail "apply: $(cat "$WORK/last.err")"
grep -q "Nothing was applied" "$WORK/last.err" || fail "no 'Nothing applied'"
snapshot "$t" | cmp -s - "$WORK/before" || fail "permission: target changed"
cmp -s "$t/.ndeswiz/journal" "$WORK/journal" || fail "old journal changed"
chmod -R u+w "$d" "$t" 2>/dev/null || :
echo "ok: permission denied"

# ---- disk full: again, in a mount namespace of its own ---------------------
if [ "$(id -u)" -eq 0 ]; then
	ns="unshare -m"
else
	ns="unshare -rm"
fi
$ns true 2>"$WORK/ns.err" ||
	fail "cannot make a mount namespace for the tmpfs ($ns:" \
	    "$(cat "$WORK/ns.err")); this test needs root or user namespaces"
FAULT_DISK_INNER=1 $ns sh "$0" || fail "disk full (see above)"
echo ok
