#!/bin/sh
# The step list tells the truth and Esc cancels an edit (issue 15):
# - a check of a step's own shows "not run" until it ran, and a failed
#   health check stays err when its fields are left (it turned ok);
# - Esc puts back the focused field's value (a half-typed edit was kept
#   and marked ok); a second Esc goes back;
# - without complete answers F2 reaches only visited steps; with them
#   (-a) the step list is a hub: F2 reaches any step, F3 opens Review.
# (Findings on the page of their field: tui-invalid.sh.)
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/target
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan	# makes the target

# A fresh run, no answer file: not a hub.
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$WORK/fresh'"
tui_page Welcome
tui_state Sign-in "not run"
tui_state "Health ch(eck|…)" "not run"
tui_state Accounts ""
tui_keys F2 End Enter
tui_wait "Finish was not visited yet"
tui_absent "F3 review"
tui_screen | head -1 | grep -q 'Certtarget' && fail "the title runs into the path"
ok "fresh run: checks 'not run', unvisited steps blank, F2 only to visited"
tui_keys F10
tui_exit

# A long -t path at 80x24: cut from the left with '…', its end shown.
long="$WORK/a-directory-name-long-enough-to-overflow-the-header/ndes-target"
mkdir -p "$(dirname "$long")"
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$long'"
tui_page Welcome
tui_screen | head -1 | grep -q 'target: ….*-the-header/ndes-target *$' || {
	tui_dump; fail "the header does not end with the path's end"; }
ok "80x24 header: the long path cut from the left, its end shown"
tui_keys F10
tui_exit

# -a: complete answers. The hub: any step by F2, Review by F3.
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex' \
    --url http://127.0.0.1:9/certsrv/mscep/mscep.dll --timeout 2"
tui_page Welcome
tui_wait "F3 review"
tui_keys F2 End Enter
tui_wait "▶ Finish"
tui_keys F3
tui_wait "▶ Review"
tui_wait "changes planned"
ok "hub: F2 reaches an unvisited step, F3 opens Review"

# Esc cancels the edit of the field; PgDn then keeps the old value.
tui_keys F2 Home Down Down Enter
tui_wait "▶ Accounts"
tui_wait 'CONTOSO\svc-ndes'
tui_keys End
tui_type "oops"
tui_wait 'CONTOSO\svc-ndesoops'
tui_keys Escape
tui_wait "Edit cancelled"
tui_wait_gone 'svc-ndesoops'
tui_wait "▶ Accounts"
tui_keys NPage
tui_wait "▶ Template"
tui_keys PPage
tui_wait "▶ Accounts"
tui_absent 'svc-ndesoops'
tui_wait 'CONTOSO\svc-ndes'
ok "Esc restores the field; the half-typed edit is not kept"
tui_keys Escape			# nothing to cancel: back
tui_wait "▶ Prerequisites"
ok "a second Esc goes back"

# A failed health check stays err when its fields are left.
tui_keys F2 End Up Enter
tui_page "Health check"
tui_state "Health ch(eck|…)" "not run"
tui_keys Enter
tui_wait "Done:" 60
tui_state "Health ch(eck|…)" err
tui_wait "[ Run the check again ]"
tui_keys BTab BTab Tab Tab
tui_wait "▶ Health"
tui_state "Health ch(eck|…)" err
ok "a failed health check stays err after Shift-Tab and Tab"
tui_keys F10			# nothing changed: no question
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"
echo "ok: status truth, Esc, hub navigation"
