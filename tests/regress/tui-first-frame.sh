#!/bin/sh
# The wizard's first frame comes before its target is read ("Reading
# TARGET..."), and what stops it there (an answer file it cannot take) is
# said once the screen is given back, where the admin can read it.
. "$TOP/tests/regress/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing (make deps)"

t=$(mktmp)/target
expect_rc 1 "$NDESWIZ" -t "$t" plan  # makes the target (no answers: errors)

# tests/tools/onpty.py: CMD on an 80x24 pseudo-terminal.
ONPTY="$TOP/tests/tools/onpty.py"

python3 "$ONPTY" "Ctrl-C quit" "$NDESWIZ" -t "$t" \
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
python3 "$ONPTY" --exit "$NDESWIZ" -t "$t" -a "$WORK/missing.ini" \
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
