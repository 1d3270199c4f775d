#!/bin/sh
# Apply and rollback write each file of the target once per run (issue
# 16): the dir driver makes a run's changes in memory and its commit puts
# each changed file in place once (temp + fsync + rename) and fsyncs each
# folder once, where it used to rewrite registry.reg once per registry
# change. strace counts the renames and fsyncs of the example apply with a
# pem certificate (the import and both bindings among its changes): each
# file is renamed into place at most once, every file that changed was,
# each folder is fsynced at most once, the journal twice (the run's
# records, then its end). The same for the rollback of that run.
. "$TOP/tests/regress/lib.sh"

command -v strace >/dev/null ||
	fail "strace is needed to count the renames and fsyncs (make deps)"
# LeakSanitizer cannot run under ptrace; ASan's other checks still do.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ex="$WORK/example.ini"
pem_example "$ex"
export NDES_SVC_PASSWORD=x

t=$(planned_target)
n=$(grep -c '^[+~-] ' "$WORK/last.out")
[ "$n" -gt 20 ] || fail "the plan has $n changes, want the full example"
grep -q "import certificate" "$WORK/last.out" || fail "no import planned"
snapshot "$t" >"$WORK/before"

# traced NAME CMD...: CMD under strace; $WORK/NAME.{renames,fsyncs}: the
# full path of each file renamed into place, of each file fsynced.
traced() {
	tname=$1
	shift
	expect_rc 0 strace -f -y -qq -o "$WORK/$tname.trace" \
	    -e trace=fsync,fdatasync,rename,renameat,renameat2 "$@"
	# renameat(D<dir>, "tmp", D<dir>, "name") = 0
	sed -n 's/^[0-9]* *rename.*, [0-9]*<\([^>]*\)>, "\([^"]*\)".*) = 0$/\1\/\2/p' \
	    "$WORK/$tname.trace" >"$WORK/$tname.renames"
	sed -n 's/^[0-9]* *f\(data\)\{0,1\}sync([0-9]*<\([^>]*\)>) = 0$/\2/p' \
	    "$WORK/$tname.trace" >"$WORK/$tname.fsyncs"
	[ "$(grep -c 'rename' "$WORK/$tname.trace")" -eq \
	    "$(wc -l <"$WORK/$tname.renames")" ] ||
		fail "$tname: a rename strace shows was not read: $(cat \
		    "$WORK/$tname.trace")"
	[ "$(grep -c 'sync(' "$WORK/$tname.trace")" -eq \
	    "$(wc -l <"$WORK/$tname.fsyncs")" ] ||
		fail "$tname: an fsync strace shows was not read"
}

# once NAME J: no file renamed twice, no folder fsynced twice, the journal
# fsynced J times; prints the counts.
once() {
	twice=$(sort "$WORK/$1.renames" | uniq -d)
	[ -z "$twice" ] || fail "$1: renamed into place more than once: $twice"
	twice=$(grep -v "^$t/.ndeswiz/journal$" "$WORK/$1.fsyncs" | sort |
	    uniq -d)
	[ -z "$twice" ] || fail "$1: fsynced more than once: $twice"
	j=$(grep -c "^$t/.ndeswiz/journal$" "$WORK/$1.fsyncs") || :
	[ "$j" -eq "$2" ] || fail "$1: the journal fsynced $j times, want $2"
	echo "$(wc -l <"$WORK/$1.fsyncs") fsyncs, $(wc -l <"$WORK/$1.renames")" \
	    "renames"
}

traced apply "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "^Applied $n changes" "$WORK/last.out" ||
	fail "not applied: $(cat "$WORK/last.out")"
counts=$(once apply 2)
# Every file that changed was renamed into place: the files of the
# target's listing whose line changed, but the folders.
snapshot "$t" >"$WORK/after"
diff "$WORK/before" "$WORK/after" |
    sed -n 's/^> \.\/\(.*\) [0-7]* [0-9a-f]\{64\}$/\1/p' >"$WORK/changed"
while read -r f; do
	grep -qxF "$t/$f" "$WORK/apply.renames" ||
		fail "apply: $f changed but was not renamed into place"
done <"$WORK/changed"
changed=$(wc -l <"$WORK/changed")
[ "$changed" -ge 8 ] || fail "only $changed files changed"
grep -qx "$t/registry.reg" "$WORK/apply.renames" || fail "registry not written"
grep -qx "$t/certs/My/.*\.pem" "$WORK/apply.renames" ||
	fail "the certificate was not written"
ok "apply of $n changes: $counts; each of the $changed changed files put in place once"

# Again: nothing to change, so nothing is written, not even the last
# answers (the same bytes); one whose mode changed is written again.
traced again "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "No changes" "$WORK/last.out" ||
	fail "a second apply still changes: $(cat "$WORK/last.out")"
[ ! -s "$WORK/again.renames" ] && [ ! -s "$WORK/again.fsyncs" ] ||
	fail "an apply with nothing to do wrote: $(cat "$WORK/again.renames" \
	    "$WORK/again.fsyncs")"
chmod 644 "$t/.ndeswiz/answers.ini"
traced mode "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -qx "$t/.ndeswiz/answers.ini" "$WORK/mode.renames" &&
    [ "$(stat -c %a "$t/.ndeswiz/answers.ini")" = 600 ] ||
	fail "answers.ini of mode 644 was not written again as 600"
ok "an apply with nothing to change: no fsync, no rename; answers of another mode written again"

traced rollback "$NDESWIZ" -t "$t" rollback --yes
counts=$(once rollback 1)
snapshot "$t" | cmp -s - "$WORK/before" || fail "rollback: not byte-identical"
ok "rollback of them: $counts; each file once; byte-identical"
echo "ok: apply and rollback write each file of the target once per run"
