#!/bin/sh
# Rollback from the wizard's Welcome screen (issue 13/15): after a killed
# apply, Welcome says so and offers the rollback; its preview is the same
# as 'ndeswiz rollback' shows; the confirmation defaults to Cancel (Enter
# alone changes nothing); Roll back puts the target back byte-identical.
# An unreadable journal shows its reason, not "run <error>".
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/target
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan	# makes the target
snapshot "$t" >"$WORK/before"
# Killed in the commit, after its first file was put in place.
run_rc kill env NDESWIZ_TEST_FAULT=kill-commit:2 "$NDESWIZ" -t "$t" \
    -a "$ex" apply --yes
[ "$rc" -eq 137 ] || fail "the killed apply exited $rc, want 137"
snapshot "$t" | cmp -s - "$WORK/before" && fail "the killed apply changed nothing"
run_rc cli env "$NDESWIZ" -t "$t" rollback </dev/null	# no --yes: preview
first_undo=$(grep -m1 '^[+~-] ' "$WORK/cli.out") ||
    fail "the CLI preview lists no change"
undo_n=$(grep -c '^[+~-] ' "$WORK/cli.out")

tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_wait "did not finish"
tui_wait "[ Review the rollback ]"
tui_absent "Press Enter or PgDn to begin"
ok "Welcome says the run is unfinished and offers the rollback"
tui_keys Enter			# the focus is on the rollback button
tui_wait "Rollback: what it undoes"
tui_wait "Rollback of run"
# The box wraps a long title (a registry value's): its first words and
# its last one.
tui_wait "$(printf '%s\n' "$first_undo" | cut -d' ' -f1-4)"
tui_wait "$(printf '%s\n' "$first_undo" | sed 's/  *(rollback)$//' |
    awk '{ print $NF }')"
ok "the preview lists what the CLI's preview lists ($first_undo)"
tui_keys Escape
tui_wait "Roll back $undo_n changes of run"
tui_keys Enter			# the default: Cancel
tui_wait "Nothing was rolled back."
snapshot "$t" | cmp -s - "$WORK/before" && fail "Cancel rolled back"
ok "the confirmation defaults to Cancel"
tui_keys Enter			# the button again
tui_wait "Rollback: what it undoes"
tui_keys Escape
tui_wait "Roll back $undo_n changes"
tui_keys Right Enter		# Roll back
tui_wait "Rolled back run"
tui_wait "changes undone"
tui_wait_gone "did not finish"
tui_wait_gone "[ Review the rollback ]"
snapshot "$t" | cmp -s - "$WORK/before" || fail "not byte-identical"
ok "Roll back restores the target byte-identical; Welcome is clear"
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"

# An unreadable journal: the reason, where the run id would be.
j=$(find "$t/.ndeswiz" -name 'journal*' -type f | head -1)
[ -n "$j" ] || fail "no journal in $t/.ndeswiz"
{ echo 'not a record'; cat "$j"; } >"$WORK/j" && cat "$WORK/j" >"$j"
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_wait "cannot be read"
tui_wait "damaged"
tui_absent "the apply of run"
ok "an unreadable journal shows why"
tui_keys F10
tui_exit
echo "ok: rollback from Welcome, previewed, Cancel by default, restored"
