#!/bin/sh
# The wizard's layout at 80x24 (issue 15): a value wider than its box
# shows which end is hidden (‹ ›, or < > with --ascii), also after a
# resize; the focus is visible and owns the cursor (on a button, the
# cursor is on the button); the Health results are a visible Tab stop
# (the row shows in reverse and takes the cursor); quitting with unsaved
# edits defaults to Stay.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/target
long='svc-ndes@a-very-long-domain-name-for-this-test.contoso.example.com'

# The row of the service account field, from its input on.
row() {
	tui_screen |
	    sed -nE 's/.*(│|[|]) NDES service account +(.*)(│|[|])$/\2/p'
}
# tmux's cursor: "x y visible".
cursor() {
	tmx display -p -t t '#{cursor_x} #{cursor_y} #{cursor_flag}'
}
# The screen text under the cursor, from there on.
at_cursor() {
	set -- $(cursor)
	# Columns, not bytes: the borders are multibyte.
	tui_screen | sed -n "$(($2 + 1))p" | LC_ALL=C.UTF-8 sed -E "s/^.{$1}//"
}
# until the service account row matches the regex $1 (ERE).
row_is() {
	end=$(($(date +%s) + TUI_DEADLINE))
	until row | grep -qE -- "$1"; do
		[ "$(date +%s)" -lt "$end" ] || {
			tui_dump
			fail "the field shows '$(row)', want /$1/ ($2)"
		}
		sleep 0.05
	done
}

for mode in utf8 ascii; do
	if [ $mode = utf8 ]; then
		L='‹' R='›' opt=
	else
		L='<' R='>' opt=--ascii
	fi
	tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' $opt -t '$t' -a '$ex'"
	tui_page Welcome
	tui_keys NPage NPage
	tui_page Accounts
	tui_keys C-u
	tui_type "$long"
	row_is "^$L.*test\\.contoso\\.example\\.com +\$" "typing: start hidden"
	row | grep -qF "$R" && fail "$mode: the end is shown, yet marked $R"
	tui_keys C-a
	row_is "^svc-ndes@a-very.*$R +\$" "Home: end hidden"
	tui_keys Tab
	row_is "^svc-ndes@a-very.*$R +\$" "unfocused: its start, end mark"
	row | grep -qF "$L" && fail "$mode: an unfocused field shows $L"
	ok "$mode: a long value shows $L/$R for the hidden end, typed and left"
	tmx resize-window -t t -x 100 -y 30
	row_is "^svc-ndes@a-very-long-domain-name-for-this.*$R +\$" \
	    "after a resize to 100x30"
	tmx resize-window -t t -x 80 -y 24
	row_is "^svc-ndes@a-very.*$R +\$" "after a resize back to 80x24"
	tui_keys BTab End
	row_is "^$L.*example\\.com +\$" "focused again after the resize"
	ok "$mode: the marks follow a resize"
	tui_keys F10
	tui_wait "Quit anyway and lose them?"
	tui_keys Enter			# the default: Stay
	tui_wait_gone "Quit anyway"
	tui_absent "EXIT:"
	[ $mode = ascii ] || ok "Quit with unsaved edits defaults to Stay"
	tui_keys F10
	tui_wait "Quit anyway"
	tui_keys q
	tui_exit
done

# The cursor goes with the focus: on a field, then on a button.
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys NPage NPage
tui_page Accounts
set -- $(cursor)
tui_screen | sed -n "$(($2 + 1))p" | grep -q 'NDES service account  *CONTOSO' ||
    fail "the cursor is not on the first field ($(cursor))"
n=0
while ! at_cursor | grep -q '^Next \]'; do
	n=$((n + 1))
	[ $n -le 12 ] || { tui_dump; fail "Tab never put the cursor on Next"; }
	tui_keys Tab
	sleep 0.2
done
[ "$(cursor | cut -d' ' -f3)" = 1 ] || fail "the cursor is hidden on Next"
ok "the cursor is on the Next button when it has the focus ($n Tabs)"
tui_keys BTab
sleep 0.2
at_cursor | grep -q '^Back \]' || fail "S-Tab: cursor not on Back"
ok "and on Back after Shift-Tab"
tui_keys F10
tui_exit

# Health: the results take the focus visibly (reverse row, the cursor).
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys F2
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do tui_keys Down; done
tui_keys Enter
tui_page "Health check"
tui_wait "[ Run the check ]"
at_cursor | grep -q '^Run the check' ||
    fail "Health: the cursor is not on Run the check: '$(at_cursor)'"
tui_keys Tab
sleep 0.3
at_cursor | grep -q '^The probes ask' ||
    fail "Health: Tab from the button does not reach the results"
set -- $(cursor)
tmx capture-pane -p -e -t t | sed -n "$(($2 + 1))p" | grep -q '\[[0-9;]*7m' ||
    { tui_dump; fail "Health: the focused results row is not in reverse"; }
ok "Health: the results are a visible Tab stop (reverse row, cursor)"
tui_keys F10
tui_exit
echo "ok: overflow marks (UTF-8, ASCII, resize), cursor on the focus," \
    "Health results visible, Quit defaults to Stay"
