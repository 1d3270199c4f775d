#!/bin/sh
# The tmux harness of the wizard's tests (tests/regress/tui-*.sh source
# it after lib.sh). Each test drives the real binary in a detached tmux
# session on a private server socket, waits on capture-pane text with a
# deadline (no long sleeps) and kills its server at the end.
# A helper, not a test: tests/run does not run it on its own.

if [ -z "${TUI_LIB_SOURCED:-}" ]; then
	. "$TOP/tests/regress/lib.sh"
fi

command -v tmux >/dev/null 2>&1 ||
	fail "tmux is not installed: the wizard's tests need it (make deps)"

TUI_SOCK=ndeswiz-test-$$
# Sanitizer builds start slower; every wait is bounded by this.
TUI_DEADLINE=${TUI_DEADLINE:-30}
printf '%s\n' 'set -s exit-empty off' 'set -g remain-on-exit on' \
    'set -g history-limit 0' >"$WORK/tmux.conf"
TUI_SOCK_FILE=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK
tui_cleanup() {
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	rm -f "$TUI_SOCK_FILE"
	rm -rf "$WORK"
}
trap tui_cleanup EXIT INT TERM

tmx() {
	tmux -L "$TUI_SOCK" -f "$WORK/tmux.conf" "$@"
}

# tui_start COLS ROWS CMD: run CMD (a shell command line) in a new
# session. The pane records the terminal modes before and after, and the
# exit status as "EXIT:n", then waits to be read. The wrapping shell
# ignores SIGINT so that Ctrl-C reaches only the program (which sets its
# own handler) and the shell lives on to report.
tui_start() {
	tmx kill-session -t t 2>/dev/null || true
	tmx new-session -d -x "$1" -y "$2" -s t -c "$WORK" \
	    "trap '' INT; stty -a >'$WORK/stty.before'; $3; rc=\$?;
	    stty -a >'$WORK/stty.after'; echo \"EXIT:\$rc\"; exec sleep 600"
}

tui_screen() {
	tmx capture-pane -p -t t
}

tui_keys() {
	tmx send-keys -t t "$@"
}

# Literal text, never read as key names.
tui_type() {
	tmx send-keys -t t -l -- "$1"
}

tui_dump() {
	echo "---- screen ----" >&2
	tui_screen >&2 || true
	echo "----------------" >&2
}

# tui_wait TEXT [SECONDS]: until the screen shows TEXT (a fixed string).
tui_wait() {
	end=$(($(date +%s) + ${2:-$TUI_DEADLINE}))
	while :; do
		tui_screen | grep -qF -- "$1" && return 0
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.05
	done
	tui_dump
	fail "the screen did not show '$1' within ${2:-$TUI_DEADLINE}s"
}

# tui_wait_gone TEXT: until TEXT is no longer on the screen.
tui_wait_gone() {
	end=$(($(date +%s) + TUI_DEADLINE))
	while tui_screen | grep -qF -- "$1"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			tui_dump
			fail "'$1' stayed on the screen"
		fi
		sleep 0.05
	done
}

# tui_absent TEXT: TEXT is not on the screen now.
# tui_scroll_to TEXT: press Down (the focused text scrolls) until TEXT
# shows, at most 60 times; fail naming it if it never does.
tui_scroll_to() {
	k=0
	while [ $k -lt 60 ]; do
		tui_screen | grep -qF -- "$1" && return 0
		tui_keys Down
		sleep 0.1
		k=$((k + 1))
	done
	tui_dump
	fail "the screen never showed '$1', scrolled 60 lines"
}

tui_absent() {
	if tui_screen | grep -qF -- "$1"; then
		tui_dump
		fail "the screen shows '$1'"
	fi
}

# tui_exit: wait for the program to end; its status in $tui_rc.
tui_exit() {
	tui_wait "EXIT:"
	tui_rc=$(tui_screen | sed -n 's/.*EXIT:\([0-9]*\).*/\1/p' | head -1)
}

# tui_page TITLE: wait until the content box is titled so.
tui_page() {
	tui_wait "$1  ("
}

# tui_state STEP WORD: until the step list shows STEP's state as WORD
# (ok, warn, err, "not run"; "" for none).
tui_state() {
	end=$(($(date +%s) + TUI_DEADLINE))
	while :; do
		tui_screen | grep -qE "^│[▶ ] $1 +$2│" && return 0
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.05
	done
	tui_dump
	fail "the step list did not show $1 as '$2' within ${TUI_DEADLINE}s"
}
