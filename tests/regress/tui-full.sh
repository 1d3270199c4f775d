#!/bin/sh
# The wizard end to end, as an admin would use it: on a fresh target type
# every answer of assets/examples/contoso.ini through the screens, review,
# apply, skip the health check, export; the export must say what the
# example says. Then a rerun: every field comes back pre-filled, and
# Review has nothing left to change.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
t=$(mktmp)/target
export NDES_SVC_PASSWORD=not-used-offline

. "$TOP/tests/regress/tui-walk-lib.sh"

walk_exe() {
	name=$1
	shift
	run_rc "$name" "$NDESWIZ" "$@"
}

# The forms follow the field table: an export of a fresh target lists
# every key in that order, with its default.
expect_rc 0 "$NDESWIZ" -t "$WORK/fresh" export -o "$WORK/order.ini"
walk_answers "$WORK/order.ini"

# ---- the first run: a fresh target, every answer typed ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t'"
tui_page "Welcome"
tui_wait "new, made from the profile ws2022-fresh"
tui_wait "NDES01 (ndes01.contoso.com)"
tui_wait "no answer file (-a)"
tui_keys Enter
walk_pages type

# Review: the same diff as "ndeswiz plan" with the example.
tui_page "Review the changes"
# The wizard holds the target's lock: plan a copy of it.
rm -rf "$WORK/tcopy"
cp -a "$t" "$WORK/tcopy"
expect_rc 0 "$NDESWIZ" -t "$WORK/tcopy" -a "$ex" plan
walk_planned "$WORK/last.out"
tui_wait "$first"
tui_wait "a reboot is needed afterwards"
walk_apply "$n"
tui_keys NPage
tui_page "Health check"
tui_keys NPage
walk_export exported.ini "$WORK/exported.ini"
walk_quit "the wizard"

# The export says what the example says, and is 0600.
[ "$(stat -c %a "$WORK/exported.ini")" = 600 ] || fail "export is not 0600"
walk_same_as_example "$WORK/exported.ini"
# The target holds what the example plans: nothing is left to do.
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "^No changes" "$WORK/last.out" || fail "apply left changes"

# ---- the rerun: everything pre-filled, nothing to change ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t'"
walk_rerun
echo "ok: $(walk_answer_count) answers typed, $n changes applied," \
    "export equals the example, rerun pre-filled with no changes"
