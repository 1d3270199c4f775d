#!/bin/sh
# The wizard's wording (issue 15): screens and F1 help speak in the
# forms' labels, never in answer-file keys ("[binding] certificate");
# Review says the reboot once; the export says where it wrote, that no
# secret is in it, and the next step on the next server.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-offline
t=$(mktmp)/target

# Every "[section] key" of the field table, as the answer file has it.
expect_rc 0 "$NDESWIZ" -t "$WORK/fresh" export -o "$WORK/all.ini"
awk '/^\[/ { s = $0; next } /^[a-z_]+ *=/ { sub(/ *=.*/, ""); print s " " $0 }' \
    "$WORK/all.ini" >"$WORK/keys"
[ "$(wc -l <"$WORK/keys")" -gt 20 ] || fail "no keys read from the export"
# The content box's text as one line (wrapped lines joined).
content() {
	tui_screen | sed -n 's/^│[^│]*││\(.*\)│$/\1/p' | tr '\n' ' ' |
	    tr -s ' '
}
no_keys() {
	tui_screen >"$WORK/screen"
	if grep -oF -f "$WORK/keys" "$WORK/screen" >"$WORK/hits"; then
		tui_dump
		fail "$1 shows answer-file keys: $(tr '\n' ' ' <"$WORK/hits")"
	fi
}

tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
pages=0
for name in Prerequisites Accounts Template NDES Registry Binding Sign-in \
    Proxy Connector; do
	tui_keys NPage
	tui_wait "▶ $name"
	sleep 0.2
	no_keys "$name"
	pages=$((pages + 1))
done
ok "$pages step screens show no answer-file key"
tui_keys F3
tui_page "Review the changes"
tui_wait "changes planned"
no_keys Review
[ "$(tui_screen | grep -ciE 'reboot (is needed|afterwards)')" = 1 ] || {
	tui_dump
	fail "Review does not say the reboot exactly once"
}
# The binding finding's hint names the field by its label (below the
# connector hand-over: scroll to it).
tui_scroll_to "set Certificate (Binding) ="
# Nowhere further down does Review say the reboot a second time.
k=0
while [ $k -lt 60 ]; do
	tui_screen >>"$WORK/review-all.txt"
	tui_keys Down
	k=$((k + 1))
done
tui_screen >>"$WORK/review-all.txt"
if grep -qiE 'reboot afterwards' "$WORK/review-all.txt"; then
	fail "Review says the reboot a second time, further down"
fi
ok "Review: labels, not keys, and the reboot said once"

# F1 on a field: its label and help, no key line.
tui_keys F2
tui_keys Up Up Up Up Up Up Up Up Enter	# Accounts
tui_page Accounts
tui_keys F1
tui_wait "┌ NDES service account "
tui_wait "Allowed:"
no_keys "F1 help"
tui_keys Escape
tui_wait_gone "Allowed:"
ok "F1 help is titled by the label and names no key"

# The export: where, no secrets, the next step.
tui_keys F2
for i in 1 2 3 4 5 6 7 8 9 10 11; do tui_keys Down; done
tui_keys Enter
tui_page "Finish: export the answers"
tui_keys C-u
tui_type "next.ini"
tui_keys Enter Enter
tui_wait "Exported to $WORK/next.ini"
content | grep -qF "Exported to $WORK/next.ini (0600, no secrets). Next step" || {
	tui_dump
	fail "the status does not say where, 0600 and no secrets"
}
tui_wait "Next: copy it with the ndeswiz binary"
content | grep -qF "Next: copy it with the \
ndeswiz binary to the next server and run 'ndeswiz -a next.ini apply --yes'" ||
    fail "the export does not say the next step"
tui_wait "NDES account password: env:NDES_SVC_PASSWORD"
no_keys Finish
[ "$(stat -c %a "$WORK/next.ini")" = 600 ] || fail "the export is not 0600"
ok "the export says where, 0600, no secrets, and what to run next"
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"
echo "ok: labels not keys on $pages steps, Review, F1, Finish"
