#!/bin/sh
# [connector] installer in the wizard: the Connector page runs the same
# rule as plan (backend/connector-install.c): an unsigned installer shows
# its reason there, the step is an error, Review has no plan to apply;
# a Microsoft-signed one (a throwaway CA the test names) plans its run.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"
trap 'tui_cleanup' EXIT INT TERM

inst=$(mktmp)
sh "$TOP/tests/tools/make-installers.sh" "$inst" ||
	fail "cannot make the test installers"
export NDES_SVC_PASSWORD=not-used-offline
ex="$TOP/assets/examples/contoso.ini"
t=$(mktmp)/target
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan	# makes the target
before=$(snapshot "$t")

with() {	# with NAME: the example answers with that installer
	cat "$ex" >"$WORK/$1.ini"
	printf '\n[connector]\ninstaller = %s\n' "$inst/$1" >>"$WORK/$1.ini"
}

# press_until TEXT KEY: press KEY until the screen shows TEXT (15 times
# at most).
press_until() {
	k=0
	until tui_screen | grep -qF "$1"; do
		[ $k -lt 15 ] || { tui_dump; fail "never showed '$1'"; }
		tui_keys "$2"
		sleep 0.4
		k=$((k + 1))
	done
}

# to_connector: from Welcome, Next until the Connector page.
to_connector() {
	tui_page Welcome
	press_until "▶ Connector" NPage
}

with unsigned.exe
tui_start 100 32 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$WORK/unsigned.exe.ini'"
to_connector
tui_wait "is not run"
tui_wait "unsigned.exe"
tui_state Connector err
ok "an unsigned installer: the Connector page shows why, the step is an error"
tui_keys NPage
tui_wait "Cannot go on"
tui_keys F3
tui_page "Review the changes"
tui_wait "1 error stops the apply"
tui_wait "No plan: fix the errors above first"
ok "Next stops on it; Review cannot apply while the installer is refused"
tui_keys F10
tui_exit
[ "$(snapshot "$t")" = "$before" ] || fail "the target changed"
ok "the target is unchanged"

with ms.exe
tui_start 100 32 "LANG=C.UTF-8 NDESWIZ_TEST_CODESIGN_CA='$inst/ca.pem' \
    '$NDESWIZ' -t '$t' -a '$WORK/ms.exe.ini'"
to_connector
tui_state Connector warn	# the test CA named: a warning says so
tui_keys NPage
tui_page "Review the changes"
# The installer's run is the plan's last change: page down to it.
press_until "install program Certificate Connector" Space
tui_scroll_to "(signed by Microsoft"
ok "a Microsoft-signed installer: Review plans its run"
tui_keys F10
tui_exit
