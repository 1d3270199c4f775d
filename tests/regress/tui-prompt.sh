#!/bin/sh
# Secrets in the wizard: a secret field is masked while typed; "prompt"
# means the password is asked for in a masked box on the wizard's screen
# when it is first needed, once a run; it is never shown, never saved, and
# an export keeps only the reference.
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

# Sign in: the proxy password is asked for in a masked box.
tui_keys Tab Tab Tab Enter
tui_wait "Proxy password is set to 'prompt'"
tui_wait "Esc cancel"
tui_type "$pw"
tui_wait "$(printf '\342\200\242%.0s' 1 2 3 4 5 6 7 8)"
tui_absent "$pw"
tui_keys Enter
tui_wait "▶ Sign-in"
tui_wait "The sign-in did not" 40
tui_absent "$pw"
# Asked once a run: a second sign-in goes straight on.
tui_keys Enter
tui_absent "Proxy password is set to 'prompt'"
tui_wait "The sign-in did not" 40
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
echo "ok: masked, prompted in a box once a run, never shown or saved"
