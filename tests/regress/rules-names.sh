#!/bin/sh
# Issue 14 item 3 through the binary: a server certificate whose CN is an
# external name (the classic NDES layout) with every name in the SAN plans
# (exit 0, note binding.cn-external); a CN that is neither the FQDN nor
# an external name stops plan (exit 1, binding.cn-mismatch). The alias
# SPN is the same whichever name [binding] fqdn holds.
. "$TOP/tests/regress/lib.sh"

command -v openssl >/dev/null || fail "openssl is needed"
command -v jq >/dev/null || fail "jq is needed"
ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference

# cert NAME CN: a self-signed server certificate for both names.
cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 200 -subj "/CN=$2" \
	    -addext "subjectAltName=DNS:scep.contoso.com,DNS:ndes01.contoso.com" \
	    -addext "extendedKeyUsage=serverAuth" \
	    -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
	    -keyout "$WORK/$1.key" -out "$WORK/$1.crt" 2>/dev/null ||
		fail "openssl req failed"
}

# plan_json NAME SED [TARGET]: plan --json (in a new target unless
# given); $rc, codes in NAME.codes, SPNs in NAME.spns.
plan_json() {
	n=$1 s=$2 tg=${3:-$(mktmp)/t}
	f=$(mktmp)/a.ini
	sed -e "$s" "$ex" >"$f"
	run_rc "$n" "$NDESWIZ" -t "$tg" -a "$f" plan --json
	jq -r '.findings[].code' "$WORK/$n.out" >"$WORK/$n.codes" ||
		fail "$n: no JSON: $(cat "$WORK/$n.err")"
	jq -r '.plan.changes[]? | select(.kind == "spn") | .name' \
	    "$WORK/$n.out" | sort >"$WORK/$n.spns"
}

cert ext scep.contoso.com
plan_json cn-ext "s|^certificate = .*|certificate = pem:$WORK/ext.crt,$WORK/ext.key|"
[ "$rc" -eq 0 ] || fail "cn-ext: exit $rc: $(cat "$WORK/cn-ext.err")"
grep -qx binding.cn-external "$WORK/cn-ext.codes" || fail "cn-ext: no note"
! grep -qx binding.cn-mismatch "$WORK/cn-ext.codes" || fail "cn-ext: mismatch"
ok "CN the external name: plans (exit 0), binding.cn-external"

cert other www.contoso.com
plan_json cn-other "s|^certificate = .*|certificate = pem:$WORK/other.crt,$WORK/other.key|"
[ "$rc" -eq 1 ] || fail "cn-other: exit $rc"
grep -qx binding.cn-mismatch "$WORK/cn-other.codes" || fail "cn-other: no error"
ok "CN neither name: exit 1, binding.cn-mismatch"

swap='s/^fqdn = .*/fqdn = scep.contoso.com/; s/^external_names = .*/external_names = ndes01.contoso.com/'
# (A target's facts.ini must have fqdn; the short-name-only facts are
# covered by tests/unit/test_accounts.c.)
ta=$(mktmp)/t tb=$(mktmp)/t
plan_json spn-a '' "$ta"
plan_json spn-b "$swap" "$tb"
cmp -s "$WORK/spn-a.spns" "$WORK/spn-b.spns" ||
	fail "SPNs differ: $(cat "$WORK/spn-a.spns") / $(cat "$WORK/spn-b.spns")"
grep -qx HTTP/scep.contoso.com "$WORK/spn-b.spns" ||
	fail "no alias SPN: $(cat "$WORK/spn-b.spns")"
! grep -qix HTTP/ndes01.contoso.com "$WORK/spn-b.spns" ||
	fail "SPN for the host's own name"
ok "SPNs the same whichever name is fqdn: $(tr '\n' ' ' <"$WORK/spn-b.spns")"
