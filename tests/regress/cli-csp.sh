#!/bin/sh
# [ndes] signing_csp and encryption_csp: the CryptoAPI CSPs Windows ships
# are the fields' choices (accepted quietly, offered by F4 in the wizard),
# any other name is still taken with a warning, a CNG provider is an error.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"
trap 'tui_cleanup' EXIT INT TERM
export NDES_SVC_PASSWORD=not-used-offline
ex="$TOP/assets/examples/contoso.ini"

csp() { # KEY VALUE -> $WORK/csp.ini
	sed "s/^$1 *=.*/$1 = $2/" "$ex" >"$WORK/csp.ini"
}

while IFS='|' read -r key value want code; do
	csp "$key" "$value"
	expect_rc "$want" "$NDESWIZ" -t "$(mktmp)/t" -a "$WORK/csp.ini" plan
	if [ -n "$code" ]; then
		grep -q "\[ndes.$code\] ndes.$key: " "$WORK/last.err" ||
			fail "$key = $value: $(cat "$WORK/last.err")"
	else
		grep -q "ndes.csp-" "$WORK/last.err" &&
			fail "$key = $value: $(cat "$WORK/last.err")"
	fi
	ok "$key = $value: exit $want ${code:-quietly}"
done <<'LIST'
signing_csp|Microsoft Enhanced RSA and AES Cryptographic Provider|0|
encryption_csp|Microsoft Base Cryptographic Provider v1.0|0|
signing_csp|Microsoft Enhanced Cryptographic Provider v1.0|0|
signing_csp|Contoso HSM CSP|0|csp-unknown
encryption_csp|Microsoft Software Key Storage Provider|1|csp-is-cng
LIST

# The wizard: F4 on the CSP field lists them; the one picked is taken,
# and typing over it is still allowed.
t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
tui_start 100 30 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys Enter
for page in Prerequisites Accounts Template; do
	tui_wait "▶ $page"
	tui_keys NPage
done
tui_wait "▶ NDES"
# signing_csp is the tenth field of the page.
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab
tui_keys F4
tui_wait "Microsoft Enhanced RSA and AES Cryptographic Provider"
tui_wait "Microsoft Base Cryptographic Provider v1.0"
ok "F4 lists the CryptoAPI CSPs"

tui_keys Down Down Down Enter
tui_wait_gone "Microsoft Base Smart Card Crypto Provider"
tui_wait "Enhanced RSA and AES Cryptographic Provider"
tui_absent "Signing CSP            Microsoft Strong"
ok "the CSP picked replaces the text"

# Free text still: type over it; the next field's Tab keeps it.
tui_keys C-u
tui_type "Contoso HSM CSP"
tui_keys Tab
tui_wait "Signing CSP            Contoso HSM CSP"
tui_absent "Enhanced RSA and AES"
ok "another name may still be typed"
