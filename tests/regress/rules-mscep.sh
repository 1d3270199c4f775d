#!/bin/sh
# Issue 14 item 11 through the binary: [registry] all_purposes = yes (the
# default) plans the template into all three MSCEP values; no plans only
# the purpose's; an explicit value wins either way.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference

# mscep NAME SED: plan --json of the example changed by SED; prints the
# MSCEP values planned, sorted, one "Value=data" a line.
mscep() {
	f=$(mktmp)/a.ini
	sed -e "$2" "$ex" >"$f"
	expect_rc 0 "$NDESWIZ" -t "$(mktmp)/t" -a "$f" plan --json
	jq -r '.plan.changes[] | select(.path | test("MSCEP$")) |
	    select(.name != null) | "\(.name)=\(.new)"' "$WORK/last.out" |
	    sort >"$WORK/$1.got"
}

# want CASE VALUE...: exactly these values were planned.
want() {
	c=$1
	shift
	printf '%s\n' "$@" | sort | cmp -s - "$WORK/$c.got" ||
		fail "$c: got $(cat "$WORK/$c.got")"
	ok "$c: $*"
}

tmpl=$(sed -n 's/^name = *\([^ ;]*\).*/\1/p' "$ex" | head -1)
mscep all ''
want all "EncryptionTemplate=\"$tmpl\"" "GeneralPurposeTemplate=\"$tmpl\"" \
    "SignatureTemplate=\"$tmpl\""
mscep purpose-only 's/^all_purposes = .*/all_purposes = no/'
[ "$(wc -l <"$WORK/purpose-only.got")" -eq 1 ] ||
	fail "purpose-only: $(cat "$WORK/purpose-only.got")"
ok "purpose-only: one value, $(cat "$WORK/purpose-only.got")"
mscep explicit 's/^signature_template = .*/signature_template = OtherSig/'
want explicit "EncryptionTemplate=\"$tmpl\"" "GeneralPurposeTemplate=\"$tmpl\"" \
    "SignatureTemplate=\"OtherSig\""
