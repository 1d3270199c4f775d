#!/bin/sh
# Every class of invalid input: its message shows under the field as the
# admin leaves it, Next refuses with the reason and stays on the page, and
# fixing the value clears both. Field checks come from the field table
# (field_parse); the step checks come from the steps' validate.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
t=$(mktmp)/target
export NDES_SVC_PASSWORD=not-used-offline

# Fields in form order, per section: an export lists them so.
expect_rc 0 "$NDESWIZ" -t "$WORK/fresh" export -o "$WORK/order.ini"
awk '/^\[/ { s = $0; gsub(/[][]/, "", s); n = 0; next }
    /^[a-z_0-9]+ =/ { print s, $1, n++ }' "$WORK/order.ini" >"$WORK/order"

# The position of a key among its section's fields.
pos() {
	awk -v s="$1" -v k="$2" '$1 == s && $2 == k { print $3 }' \
	    "$WORK/order"
}

# go SECTION KEY: from the page's first field to KEY.
here=0
go() {
	want=$(pos "$1" "$2")
	[ -n "$want" ] || fail "no field $1.$2"
	while [ "$here" -lt "$want" ]; do
		tui_keys Tab
		here=$((here + 1))
	done
	while [ "$here" -gt "$want" ]; do
		tui_keys BTab
		here=$((here - 1))
	done
}

# put TEXT: replace the focused field's value and leave it (Tab).
put() {
	tui_keys C-u
	[ -z "$1" ] || tui_type "$1"
	tui_keys Tab
	here=$((here + 1))
}

# refused PAGE SECTION KEY: Next does not leave the page, says why, and
# puts the focus on the first field in the way (KEY).
refused() {
	tui_keys NPage
	tui_wait "Cannot go on:"
	tui_wait "▶ $1"
	here=$(pos "$2" "$3")
}

next_page() {
	tui_keys NPage
	tui_wait "▶ $1"
	here=0
}

tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t' -a '$ex'"
tui_page Welcome
tui_keys Enter
tui_wait "▶ Prerequisites"
next_page Accounts

# An inline secret: refused, never shown, and wiped from the field.
go accounts ndes_service_password
put "hunter2"
tui_wait "error: secrets are never"
tui_wait "Allowed: env:NAME"
tui_absent "hunter2"
refused Accounts accounts ndes_service_password
tui_wait "1 value is not valid"
# A bad env: and file: reference.
go accounts ndes_service_password
put "env:1X"
tui_wait "env: needs a variable"
go accounts connector_password
put "file:"
tui_wait "file: needs a path"
refused Accounts accounts ndes_service_password
tui_wait "2 values are not valid"
go accounts ndes_service_password
put "env:NDES_SVC_PASSWORD"
go accounts connector_password
put ""
tui_wait_gone "needs a variable name"
tui_wait_gone "needs a path"
tui_wait_gone "Cannot go on:"
# A required value left empty: the step's own check, on Next.
go accounts ndes_service_account
put ""
refused Accounts accounts ndes_service_account
tui_wait "the checks of this step found"
go accounts ndes_service_account
put 'CONTOSO\svc-ndes'
next_page Template

# A number out of its range (the number field takes digits only).
go template validity_days
put "0"
tui_wait "'0' is not a whole number"
refused Template template validity_days
go template validity_days
put "365"
tui_wait_gone "is not a whole number"
# The display name given as the template name: the registry step's rule,
# shown under the Template name field as it is left, and the step list
# says err at once, not ok until Registry.
go template name
put "NDES Device Cert"
tui_wait "is the template's display"
tui_state Template err
refused Template template name
go template name
put "NDESDeviceCert"
tui_wait_gone "is the template's display"
tui_wait_gone "Cannot go on:"
tui_state Template ok
next_page NDES

# A country that is not a 2-letter code; a ';' that would start a comment.
go ndes ra_country
put "USA"
tui_wait "'USA' is not a 2-letter"
go ndes ra_company
put "Contoso ;Ltd"
tui_wait "after a space begins a"
refused NDES ndes ra_country
tui_wait "2 values are not valid"
go ndes ra_country
put "US"
go ndes ra_company
put "Contoso"
tui_wait_gone "is not a 2-letter"
tui_wait_gone "begins a comment"
next_page Registry

# A request limit below 65534: refused by the registry step, shown as
# the field is left.
go registry max_url
put "4096"
tui_wait "maxUrl = 4096 is below"
tui_state Registry err
refused Registry registry max_url
tui_wait "Use 65534 or more."
go registry max_url
put "65534"
tui_wait_gone "is below 65534"
tui_state Registry ok
next_page Binding

# A certificate source that is none of store:, pfx:, pem:, csr.
go binding certificate
put "C:\\certs\\ndes.cer"
tui_wait "is not a certificate"
refused Binding binding certificate
go binding certificate
put "csr"
tui_wait_gone "is not a certificate source"
next_page Sign-in

# Quitting with answers changed but neither applied nor exported asks.
go signin tenant
put "fabrikam.onmicrosoft.com"
tui_keys F10
tui_wait "Quit anyway and lose them?"
tui_keys s
tui_wait_gone "Quit anyway"
tui_wait "▶ Sign-in"
tui_keys C-q
tui_wait "Quit anyway and lose them?"
tui_keys q
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"
[ ! -e "$t/.ndeswiz/answers.ini" ] || fail "answers saved without apply"
echo "ok: every invalid-input class shown under its field and refused"
