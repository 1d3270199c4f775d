#!/bin/sh
# The wizard's first frame comes before its target is read ("Reading
# TARGET..."), and what stops it there (an answer file it cannot take) is
# said once the screen is given back, where the admin can read it.
. "$TOP/tests/regress/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing (make deps)"

t=$(mktmp)/target
expect_rc 1 "$NDESWIZ" -t "$t" plan  # makes the target (no answers: errors)

# onpty.py MARKER|--exit CMD...: run CMD on an 80x24 pseudo-terminal; with a
# marker, stop it once the marker is on screen; print all it wrote.
cat >"$WORK/onpty.py" <<'EOF'
import os, pty, select, signal, struct, sys, fcntl, termios
marker, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(cmd[0], cmd, dict(os.environ, TERM="xterm-256color"))
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = b""
while True:
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        sys.exit("pty: nothing for 20 s")
    try:
        data = os.read(fd, 65536)
    except OSError:
        data = b""
    seen += data
    if data == b"" or (marker != "--exit" and marker.encode() in seen):
        break
if marker != "--exit" and data != b"":
    os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status) if marker == "--exit" else 0)
EOF

python3 "$WORK/onpty.py" "Ctrl-C quit" "$NDESWIZ" -t "$t" \
    >"$WORK/frame.out" ||
	fail "no first frame: $(tail -c 300 "$WORK/frame.out")"
grep -q "Reading $t" "$WORK/frame.out" ||
	fail "the first frame does not say what it reads"
# One read may hold both frames when the target is read quickly, so the
# order in the byte stream decides: no Welcome page ("F10 quit") before it.
python3 - "$WORK/frame.out" "Reading $t" <<'EOF' ||
import sys
s = open(sys.argv[1], "rb").read()
first, welcome = s.find(sys.argv[2].encode()), s.find(b"F10 quit")
sys.exit(0 if welcome < 0 or first < welcome else 1)
EOF
	fail "the Welcome page came before the first frame"
ok "the first frame is drawn before the target is read"

# An answer file that cannot be read: exit 2, and the error comes after
# the alternate screen is left (ESC [?1049l), not on the wizard's screen.
rc=0
python3 "$WORK/onpty.py" --exit "$NDESWIZ" -t "$t" -a "$WORK/missing.ini" \
    >"$WORK/bad.out" || rc=$?
[ "$rc" -eq 2 ] || fail "a missing answer file: exit $rc, want 2"
python3 - "$WORK/bad.out" <<'EOF' || fail "the error is not after the screen is given back"
import sys
s = open(sys.argv[1], "rb").read()
end = s.rfind(b"\x1b[?1049l")
err = s.find(b"ndeswiz: ")
sys.exit(0 if 0 <= end < err and b"missing.ini" in s[err:] else 1)
EOF
ok "an answer file it cannot take is said after the screen is given back (exit 2)"
