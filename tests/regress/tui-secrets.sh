#!/bin/sh
# Secrets at Review and apply, through the binary:
#  - a password field holding a reference (env:NAME, file:PATH) shows it
#    in clear, focused or not; a typed password is masked and refused;
#  - an env: reference that does not resolve is an error under its field
#    on Review (as "ndeswiz plan" says it), and Apply is refused: nothing
#    is journalled or changed;
#  - "prompt" is asked for before apply starts (wizard and CLI), in a
#    masked box or at the terminal; cancelled, nothing is applied.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

# page_says TEXT: until the content box holds TEXT, read as one line (the
# page wraps its messages at the box's width).
page_says() {
	end=$(($(date +%s) + TUI_DEADLINE))
	while :; do
		tui_screen | sed -n 's/^│[^│]*││ \(.*\)│$/\1/p' |
		    tr '\n' ' ' | tr -s ' ' | grep -qF -- "$1" && return 0
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.05
	done
	tui_dump
	fail "the page did not say '$1' within ${TUI_DEADLINE}s"
}

ex="$TOP/assets/examples/contoso.ini"
unset_var=NDESWIZ_TEST_UNSET_$$
unset "$unset_var" 2>/dev/null || :
pw=Sekrit-$$-pw
masks=$(printf '\342\200\242%.0s' 1 2 3 4 5 6 7 8)
sed "s/^ndes_service_password = .*/ndes_service_password = env:$unset_var/" \
    "$ex" >"$WORK/env.ini"
sed 's/^ndes_service_password = .*/ndes_service_password = prompt/' \
    "$ex" >"$WORK/prompt.ini"
grep -q "^ndes_service_password = env:$unset_var\$" "$WORK/env.ini" &&
    grep -q '^ndes_service_password = prompt$' "$WORK/prompt.ini" ||
	fail "bad fixtures"
printf 'x\n' >"$WORK/pw.txt"
chmod 600 "$WORK/pw.txt"

# The CLI first: plan and apply stop at the unresolved reference, naming
# the field.
t=$(mktmp)/cli
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/env.ini" plan
grep -q "accounts.ndes_service_password: environment variable $unset_var is not set" \
    "$WORK/last.out" "$WORK/last.err" || fail "plan does not name the field"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/env.ini" apply --yes
grep -q "accounts.ndes_service_password: environment variable $unset_var" \
    "$WORK/last.out" "$WORK/last.err" || fail "apply does not name the field"
[ ! -e "$t/.ndeswiz/journal" ] || fail "a refused apply wrote a journal"
ok "plan and apply refuse an unresolved env: reference, naming the field"

# ---- the wizard: references in clear, typed passwords masked ----
t=$(mktmp)/wiz
tui_start 100 40 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$WORK/env.ini'"
tui_page Welcome
tui_keys Enter
tui_wait "▶ Prerequisites"
tui_keys NPage
tui_wait "▶ Accounts"
tui_wait "NDES account password  env:$unset_var"
ok "a password field holding env:NAME shows it"
# Focused and typed into: a file: reference stays in clear.
tui_keys Tab C-u
tui_type "file:$WORK/pw.txt"
tui_wait "NDES account password  file:$WORK/pw.txt"
tui_absent "•"
ok "a file: reference typed into the focused field is shown in clear"
# A typed password is masked, and refused when it leaves the field.
tui_keys C-u
tui_type "$pw"
tui_wait "NDES account password  $masks"
tui_absent "$pw"
tui_keys Tab
tui_wait "error: secrets are never"
tui_absent "$pw"
ok "a typed password is masked and refused"
tui_keys BTab C-u
tui_type "env:$unset_var"
tui_wait "NDES account password  env:$unset_var"
tui_keys Tab
tui_wait_gone "error: secrets are never"
tui_wait "NDES account password  env:$unset_var"

# ---- Review: the unresolved reference is an error under its field ----
for p in Template NDES Registry Binding Sign-in Proxy Connector Review; do
	tui_keys NPage
	tui_wait "▶ $p"
done
tui_page "Review the changes"
page_says "error: NDES account password (Accounts): environment variable $unset_var is not set"
tui_state Review err
ok "Review shows the unresolved env: reference under its field"
tui_keys NPage
tui_wait "Cannot apply: 1 error; see above."
tui_absent "? Each change is"
# Straight to the Apply step from the step list: it applies nothing.
tui_keys F2
tui_wait "Enter go there"
tui_keys Down Enter
tui_page "Apply"
tui_wait "Nothing applied yet: review the plan first"
[ ! -e "$t/.ndeswiz/journal" ] || fail "the wizard journalled a refused apply"
grep -q "$pw" "$t/applicationHost.config" "$t/registry.reg" 2>/dev/null &&
	fail "the typed password reached the target"
ok "Apply is refused: nothing journalled, nothing changed"
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"

# ---- "prompt": asked before the apply starts ----
t=$(mktmp)/prompt
tui_start 100 40 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$WORK/prompt.ini'"
tui_page Welcome
tui_keys Enter
tui_wait "▶ Prerequisites"
tui_keys NPage
tui_wait "NDES account password  prompt"
for p in Template NDES Registry Binding Sign-in Proxy Connector Review; do
	tui_keys NPage
	tui_wait "▶ $p"
done
tui_page "Review the changes"
tui_wait "changes planned"
tui_keys NPage
tui_wait "? Each change is"
tui_keys Left Enter
tui_wait "NDES account password is set to 'prompt'"
tui_wait "Esc cancel"
[ ! -e "$t/.ndeswiz/journal" ] || fail "the apply began before the prompt"
tui_keys Escape
tui_wait "Not applied: NDES account password: cancelled."
[ ! -e "$t/.ndeswiz/journal" ] || fail "a cancelled prompt journalled"
ok "wizard: prompt is asked before the apply starts; cancelled, nothing applied"
tui_keys PageUp
tui_page "Review the changes"
tui_keys NPage
tui_wait "? Each change is"
tui_keys Left Enter
tui_wait "NDES account password is set to 'prompt'"
tui_type "$pw"
tui_wait "$masks"
tui_absent "$pw"
tui_keys Enter
tui_wait "changes." 60
tui_wait "The answers were saved in the target"
grep -q '"op":"begin"' "$t/.ndeswiz/journal" || fail "no apply after the prompt"
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"
grep -rq -- "$pw" "$t" && fail "the typed password was written to the target"
ok "wizard: the prompted password is used for the apply and never saved"

# ---- the CLI asks at the terminal before apply starts ----
t=$(mktmp)/cliprompt
tui_start 100 40 "'$NDESWIZ' -t '$t' -a '$WORK/prompt.ini' apply --yes"
tui_wait "NDES account password"
[ ! -e "$t/.ndeswiz/journal" ] || fail "CLI: the apply began before the prompt"
tui_type "$pw"
tui_absent "$pw"
tui_keys Enter
tui_wait "EXIT:"
tui_exit
[ "$tui_rc" = 0 ] || { tui_dump; fail "CLI apply after the prompt ended with $tui_rc"; }
grep -q '"op":"begin"' "$t/.ndeswiz/journal" || fail "CLI: nothing applied"
grep -rq -- "$pw" "$t" && fail "CLI: the typed password was written"
ok "CLI: prompt is asked at the terminal before the apply starts"
