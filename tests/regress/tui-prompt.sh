#!/bin/sh
# Secrets in the wizard: a secret field is masked while typed; "prompt"
# means the password is asked for, unechoed, when it is needed (the screen
# is lent to the prompt and comes back); it is never shown, never saved,
# and an export keeps only the reference.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

t=$(mktmp)/target
pw=Sekrit-$$-pw
# The example, with a proxy that wants a user whose password is prompted.
sed -e 's/^username =.*/username = CONTOSO\\proxyuser/' \
    -e 's/^password =.*/password = prompt/' \
    "$TOP/assets/examples/contoso.ini" >"$WORK/prompt.ini"
grep -q '^password = prompt' "$WORK/prompt.ini" || fail "bad fixture"

tui_start 80 24 "NDES_SVC_PASSWORD=x LANG=C.UTF-8 '$NDESWIZ' -t '$t' \
    -a '$WORK/prompt.ini'"
tui_page Welcome
tui_keys Enter
for p in Prerequisites Accounts; do
	tui_wait "▶ $p"
	[ "$p" = Accounts ] || tui_keys NPage
done
# Masked while typed: what is typed into a secret field never shows.
tui_keys Tab C-u
tui_type "$pw"
tui_wait "$(printf '\342\200\242%.0s' 1 2 3 4 5 6 7 8)"
tui_absent "$pw"
tui_keys Tab
tui_wait "error: secrets are never"
tui_absent "$pw"
tui_keys BTab C-u
tui_type "env:NDES_SVC_PASSWORD"
tui_keys Tab
tui_wait_gone "error: secrets are never"
for p in Template NDES Registry Binding Sign-in; do
	tui_keys NPage
	tui_wait "▶ $p"
done

# Sign in: the proxy password is asked for on the bare terminal.
tui_keys Tab Tab Tab Enter
tui_wait "Proxy password:"
tui_wait "is asked for here when it is"
tui_type "$pw"
tui_absent "$pw"
tui_keys Enter
tui_wait "▶ Sign-in"
tui_wait "The sign-in did not" 40
tui_absent "$pw"
# Nothing changed in the end (the reference is back): quit at once.
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"
# Nothing of it on disk: not in the target, not in its state folder.
if grep -rq -- "$pw" "$t" 2>/dev/null; then
	fail "the typed password was written to the target"
fi
expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/prompt.ini" export -o \
    "$WORK/out.ini"
grep -q '^password = prompt$' "$WORK/out.ini" || fail "reference lost"
echo "ok: masked, prompted on the terminal, never shown or saved"
