#!/bin/sh
# Ctrl-C in the wizard (issue 15). With answers changed since the start
# (or the last save) it asks first: "No" stays with the answers, "Yes"
# ends with a line on the terminal. During the apply it does not stop the
# run half-way: the apply ends, then the wizard ends with a line saying
# how many changes were applied and that 'ndeswiz rollback' undoes them.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/target

# ---- unsaved edits: the question, No stays, Yes ends with the line ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys C-c			# nothing changed yet: no question
tui_exit
[ "$tui_rc" = 130 ] || fail "Ctrl-C without edits: exit $tui_rc, want 130"
tui_wait "ndeswiz: interrupted (signal 2) on Welcome;"
ok "Ctrl-C with nothing changed ends at once, with a line"

tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys NPage NPage
tui_page Accounts
tui_keys C-u
tui_type 'CONTOSO\svc-other'
tui_wait 'CONTOSO\svc-other'	# typed, not yet left: an edit all the same
tui_keys C-c
tui_wait "┌ Ctrl-C "
tui_wait "Quit and lose them?"
tui_keys Enter			# the default: No
tui_wait_gone "Quit and lose them?"
tui_wait "Not quit: the changed answers are still here."
tui_wait 'CONTOSO\svc-other'
tui_absent "EXIT:"
ok "Ctrl-C with an edit asks; No (the default) keeps the wizard and edit"
tui_keys C-c
tui_wait "Quit and lose them?"
tui_keys Left Enter		# Yes
tui_exit
[ "$tui_rc" = 130 ] || fail "Ctrl-C, Yes: exit $tui_rc, want 130"
tui_wait "ndeswiz: interrupted (signal 2) on Accounts; answers changed"
tui_wait "nothing is half-applied."
ok "Yes ends the wizard with a line saying the edits were not saved"
[ -e "$t/.ndeswiz" ] && find "$t/.ndeswiz" -name 'journal*' | grep -q . &&
	fail "an interrupted wizard left a journal"

# ---- during the apply: it completes, then the line ----
tui_start 80 24 "LANG=C.UTF-8 NDESWIZ_TEST_FAULT=slow-change:100 \
    '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys F3
tui_page "Review the changes"
n=$(tui_screen | sed -n 's/.*│ \([0-9]*\) changes planned.*/\1/p' | head -1)
[ -n "$n" ] && [ "$n" -gt 5 ] || { tui_dump; fail "no count on Review"; }
tui_keys NPage
tui_wait "Apply $n changes to"
tui_keys Left Enter
tui_page Apply
tui_wait "[1/$n] done"
tui_keys C-c
tui_wait "Interrupted: the apply finishes first"
tui_absent "EXIT:"
tui_absent "[$n/$n] done"
ok "Ctrl-C during the apply: the apply goes on, the screen says so"
tui_exit
[ "$tui_rc" = 130 ] || fail "Ctrl-C during apply: exit $tui_rc, want 130"
tui_wait "interrupted (signal 2) during the apply"
tui_wait "$n changes applied ('ndeswiz rollback' undoes them)"
# The run ended cleanly: nothing to roll back as unfinished, and the
# target holds every change (a plan finds nothing left).
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "^No changes" "$WORK/last.out" || fail "the apply did not finish"
ok "then the wizard ends with the count and the rollback hint; all applied"
echo "ok: Ctrl-C asks with unsaved edits, lets the apply finish, says so"
