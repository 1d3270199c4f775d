#!/bin/sh
# The target is never left (issue #13), through the binary: a symlink or
# FIFO planted in the target AFTER ndeswiz opened it (the run is stopped
# at its first host operation, NDESWIZ_TEST_FAULT=host-stop:1) is not
# followed: a write to it is refused by name, nothing outside the target
# changes, and the state folder swapped for a link still gets the
# journal in the folder ndeswiz holds, not in the link's target. The
# links are planted by an unprivileged user in a target that user owns;
# ndeswiz runs as the caller (root in CI).
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
unprivileged

stopped=""
trap '[ -z "$stopped" ] || kill -KILL "$stopped" 2>/dev/null; rm -rf "$WORK"' \
    EXIT INT TERM

# apply_planted NAME PLANT...: apply on a fresh target $t, stopped at its
# first host operation; PLANT runs (as the unprivileged user) while it is
# stopped; then the apply finishes. $rc, $WORK/NAME.{out,err}.
apply_planted() {
	pname=$1
	shift
	t=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
	own "$t"
	NDESWIZ_TEST_FAULT=host-stop:1 "$NDESWIZ" -t "$t" -a "$ex" apply \
	    --yes >"$WORK/$pname.out" 2>"$WORK/$pname.err" &
	pid=$!
	stopped=$pid
	i=0
	until [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = T ]; do
		i=$((i + 1))
		[ "$i" -lt 300 ] || fail "$pname: never stopped"
		kill -0 "$pid" 2>/dev/null || fail "$pname: ended before stopping"
		sleep 0.05
	done
	(cd "$t" && as_user "$@")
	kill -CONT "$pid"
	set +e
	wait "$pid"
	rc=$?
	set -e
	stopped=""
}

outside="$WORK/outside"
mkdir "$outside"
printf 'root only\n' >"$outside/secret.txt"
chmod 600 "$outside/secret.txt"
chmod 755 "$outside"
sum=$(sha256sum <"$outside/secret.txt")

# A file the apply rewrites, replaced by a link to a file outside.
for f in registry.reg ca-runbook.txt ndes-server.key; do
	apply_planted "$f" sh -c "rm -f '$f' && ln -s '$outside/secret.txt' '$f'"
	[ "$rc" -ne 0 ] || fail "$f: apply through a planted symlink exited 0"
	# Refused at the write, or already at the read before it (the
	# CSR's key is read first: host.read-failed names the file).
	grep -qF "$t/$f: is a symlink" "$WORK/$f.err" ||
	    grep -qxF "error [host.read-failed] cannot read $t/$f" \
	    "$WORK/$f.err" ||
		fail "$f: the error does not name the link: $(cat "$WORK/$f.err")"
	[ "$(sha256sum <"$outside/secret.txt")" = "$sum" ] ||
		fail "$f: the file outside the target changed"
	[ -L "$t/$f" ] || fail "$f: the planted link was replaced, not refused"
	ok "a symlink planted at $f after open is refused by name;" \
	    "outside untouched"
done

# A FIFO in place of the registry: refused at once, no hang.
apply_planted fifo sh -c 'rm -f registry.reg && mkfifo registry.reg'
[ "$rc" -ne 0 ] || fail "fifo: apply exited 0"
grep -qF "$t/registry.reg: is a FIFO" "$WORK/fifo.err" ||
	fail "fifo: the error does not name it: $(cat "$WORK/fifo.err")"
ok "a FIFO planted at registry.reg after open is refused by name"

# A folder on the way: the state folder, swapped for a link to outside.
apply_planted state sh -c "mv .ndeswiz .held && ln -s '$outside' .ndeswiz"
[ ! -e "$outside/journal" ] && [ ! -e "$outside/answers.ini" ] ||
	fail "state: the journal or the answers went through the planted link"
[ -s "$t/.held/journal" ] ||
	fail "state: no journal in the folder ndeswiz held ($rc: $(cat "$WORK/state.err"))"
ok "a state folder swapped for a link after open: the journal stays in the held folder"

echo "ok: links and FIFOs planted after open are never followed"
