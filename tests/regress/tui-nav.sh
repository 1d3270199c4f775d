#!/bin/sh
# Moving around the wizard and its long actions: F1 help, the step list
# (F2), Esc and PgUp; a failed apply shows what was undone and leaves the
# target as it was; sign-in behind an unreachable proxy offers the Proxy
# page and comes back; a running health check shows live states and Esc
# cancels it.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/target
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan	# makes the target
snapshot "$t" >"$WORK/before"

# A listener that accepts and never answers: probes hang until cancelled.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(120)
' >"$WORK/port" &
listener=$!
trap 'kill "$listener" 2>/dev/null; tui_cleanup' EXIT INT TERM
end=$(($(date +%s) + 10))
until [ -s "$WORK/port" ]; do
	[ "$(date +%s)" -lt "$end" ] || fail "the listener did not start"
	sleep 0.05
done
port=$(cat "$WORK/port")

tui_start 80 24 "LANG=C.UTF-8 NDESWIZ_TEST_FAULT=fail-set:3 '$NDESWIZ' \
    -t '$t' -a '$ex' --url http://127.0.0.1:$port/certsrv/mscep/mscep.dll"
tui_page Welcome
tui_keys Enter

# F1: the focused field's help, from assets/help, with the table's facts.
tui_wait "▶ Prerequisites"
tui_keys F1
tui_wait "Which jobs the Certificate Connector"
tui_keys End
tui_wait "┌ Connector features "	# the label, not "[prereqs] scenarios"
tui_absent "[prereqs] scenarios"
tui_wait "Allowed: a comma-separated list"
tui_keys Escape
tui_wait_gone "Allowed: a comma-separated list"

# Esc and PgUp go back; F2 jumps to a visited step (with -a the answers
# are complete, so any step: tui-hub.sh).
tui_keys NPage
tui_wait "▶ Accounts"
tui_keys Escape
tui_wait "▶ Prerequisites"
tui_keys NPage NPage
tui_wait "▶ Template"
tui_keys PPage
tui_wait "▶ Accounts"
tui_keys F2
tui_wait "Enter go there"
tui_keys Home Enter
tui_page Welcome
tui_keys F2 Down Down Down Enter
tui_wait "▶ Template"

# On to Sign-in. The example's proxy does not resolve, so sign-in fails
# and offers the Proxy page; Next there comes back here.
for p in NDES Registry Binding Sign-in; do
	tui_keys NPage
	tui_wait "▶ $p"
done
tui_keys Tab Tab Tab	# cloud, tenant, client id, then the button
tui_keys Enter
tui_wait "The sign-in did not" 40
tui_wait "[ Set the proxy first ]"
tui_keys Tab Enter
tui_wait "▶ Proxy"
tui_wait "Next brings you back to Sign-in."
tui_keys C-u
tui_type "no"
tui_keys Tab NPage
tui_wait "▶ Sign-in"
tui_keys NPage
tui_wait "▶ Proxy"
tui_wait "[ ] no"
tui_keys NPage
tui_wait "▶ Connector"
tui_keys NPage
tui_wait "▶ Review"

# A change fails half-way (fault injection): the page says so, lists
# what was undone, and the target is byte-identical to before.
tui_wait "changes planned"
tui_keys NPage
tui_wait "changes to"
tui_keys Left Enter		# Apply (the default is Cancel)
tui_page Apply
tui_wait "FAILED"
tui_wait "undone"
tui_wait "Every change of this run"
tui_screen | grep -q '▶ Apply *err' || fail "Apply is not marked err"
snapshot "$t" | cmp -s - "$WORK/before" || fail "target changed"

# Health: the probes run against the silent listener, live, until Esc.
tui_keys NPage
tui_page "Health check"
tui_keys Enter	# the focus is on "Run the check"
tui_wait "Checking"
tui_wait "running"
tui_wait "Esc cancel"
tui_keys Escape
tui_wait "Cancelled:"
tui_wait "skipped"
tui_wait "▶ Health check"
tui_keys C-q
tui_wait "Quit anyway and lose them?"	# the proxy was turned off
tui_keys q
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"
echo "ok: help, step list, back, sign-in via proxy, failed apply undone," \
    "health live and cancelled"
