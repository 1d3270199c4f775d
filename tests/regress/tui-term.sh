#!/bin/sh
# The wizard and the terminal: no usable terminal is a clear error (exit
# 2, nothing made), a small window gets a notice instead of a broken
# screen, NO_COLOR and --ascii are honoured, and SIGINT, SIGTERM and
# SIGHUP give the terminal back as it was.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

t=$(mktmp)/target

# ---- no terminal to draw on: a sentence, exit 2, no target made ----
expect_rc 2 env -u TERM "$NDESWIZ" -t "$t"
grep -q "TERM is not set" "$WORK/last.err" || fail "TERM unset: $(cat \
    "$WORK/last.err")"
expect_rc 2 env TERM=dumb "$NDESWIZ" -t "$t"
grep -q "TERM is 'dumb'" "$WORK/last.err" || fail "TERM=dumb"
expect_rc 2 env TERM= "$NDESWIZ" -t "$t"
expect_rc 2 env TERM=xterm "$NDESWIZ" -t "$t" </dev/null
grep -q "needs a terminal" "$WORK/last.err" || fail "not a tty"
[ ! -e "$t" ] || fail "a refused start made the target"
# The same inside a real terminal, and a type curses does not know.
tui_start 80 24 "env -u TERM '$NDESWIZ' -t '$t'"
tui_exit
[ "$tui_rc" = 2 ] || fail "TERM unset in a pane: exit $tui_rc"
tui_wait "TERM is not set"
tui_start 80 24 "TERM=no-such-terminal-type '$NDESWIZ' -t '$t'"
tui_exit
[ "$tui_rc" = 2 ] || fail "unknown TERM: exit $tui_rc"
tui_wait "cannot use terminal type 'no-such-terminal-type'"
[ ! -e "$t" ] || fail "a refused start made the target"

# ---- resize below 80x24 and back ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t'"
tui_page Welcome
tui_keys Enter
tui_wait "▶ Prerequisites"
tmx resize-window -t t -x 60 -y 20
tui_wait "Make the window at least 80x24 (it is 60x20)."
tui_absent "Prerequisites"
# Keys other than quit do nothing meanwhile.
tui_keys NPage
tmx resize-window -t t -x 100 -y 30
tui_wait "▶ Prerequisites"
tui_wait "Connector features"
tmx resize-window -t t -x 80 -y 24
tui_wait "▶ Prerequisites"
tui_absent "Make the window"

# ---- colours: on by default, none with NO_COLOR ----
colours() {
	tmx capture-pane -e -p -t t | grep -c "$(printf '\033')\[[34][0-7]m" ||
	    true
}
[ "$(colours)" -gt 0 ] || fail "no colours by default"
tui_keys F10
tui_exit
tui_start 80 24 "LANG=C.UTF-8 NO_COLOR=1 '$NDESWIZ' -t '$t'"
tui_page Welcome
[ "$(colours)" -eq 0 ] || fail "colours despite NO_COLOR"
tui_keys F10
tui_exit
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' --no-color -t '$t'"
tui_page Welcome
[ "$(colours)" -eq 0 ] || fail "colours despite --no-color"
tui_keys F10
tui_exit

# ---- --ascii: no line drawing characters, no Unicode marks ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' --ascii -t '$t'"
tui_page Welcome
tui_wait "+ Steps ------"
tui_wait "> Welcome"
tui_screen | grep -q '[┌│─▶]' && fail "--ascii still draws Unicode"
tui_keys Enter
tui_wait "> Prerequisites"
tui_keys F10
tui_exit
# Without a UTF-8 locale the same plain marks are used.
tui_start 80 24 "LANG=C LC_ALL=C '$NDESWIZ' -t '$t'"
tui_page Welcome
tui_wait "> Welcome"
tui_keys F10
tui_exit

# ---- signals mid-screen: the terminal comes back as it was ----
for sig in INT:2 TERM:15 HUP:1; do
	num=${sig#*:}
	sig=${sig%:*}
	# The pane's shell writes its pid and becomes the wizard.
	tui_start 80 24 "sh -c 'echo \$\$ >\"$WORK/pid\"; LANG=C.UTF-8 \
	    exec \"$NDESWIZ\" -t \"$t\"'"
	tui_page Welcome
	tui_keys Enter
	tui_wait "▶ Prerequisites"
	if [ "$sig" = INT ]; then
		tui_keys C-c
	else
		kill -"$sig" "$(cat "$WORK/pid")"
	fi
	tui_exit
	want=$((128 + num))
	[ "$tui_rc" = "$want" ] || fail "SIG$sig: exit $tui_rc, want $want"
	# A line on the terminal says what happened (it was cleared).
	tui_wait "ndeswiz: interrupted (signal $num) on Prerequisites;"
	tui_wait "nothing is half-applied."
	cmp -s "$WORK/stty.before" "$WORK/stty.after" || {
		diff "$WORK/stty.before" "$WORK/stty.after" >&2 || :
		fail "SIG$sig left the terminal modes changed"
	}
done
echo "ok: terminal refusals, resize, NO_COLOR, --ascii, signals"
