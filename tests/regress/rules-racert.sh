#!/bin/sh
# Issue 14 item 8 (first half) through the binary: RA certificates
# renewed from version 2 templates carry the template's OID extension
# (1.3.6.1.4.1.311.21.7), not its name. On the configured profile, the v1
# RA certificates are replaced by such copies (EKU Certificate Request
# Agent; digital signature for the enrollment agent, key encipherment for
# CEP encryption): both are recognised (ndes.ra-cert, plan exit 0). A
# copy with both usages is not (ndes.ra-cert-missing, exit 1).
. "$TOP/tests/regress/lib.sh"

command -v openssl >/dev/null || fail "openssl is needed"
command -v jq >/dev/null || fail "jq is needed"
ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference
# SEQUENCE { OID 1.3.6.1.4.1.311.21.8.1.2, INTEGER 100, INTEGER 0 }
V2="1.3.6.1.4.1.311.21.7=DER:3013060b2b06010401823715080102020164020100"

# v2cert T KU: a v2-template RA certificate with its key into T's My.
v2cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
	    -subj "/CN=NDES01-MSCEP-RA" -addext "$V2" \
	    -addext "extendedKeyUsage=1.3.6.1.4.1.311.20.2.1" \
	    -addext "keyUsage=$2" -keyout "$WORK/ra.key" \
	    -out "$WORK/ra.crt" 2>"$WORK/openssl.err" ||
		fail "openssl: $(cat "$WORK/openssl.err")"
	th=$(openssl x509 -in "$WORK/ra.crt" -noout -fingerprint -sha1 |
	    sed 's/.*=//; s/://g')
	cat "$WORK/ra.crt" "$WORK/ra.key" >"$1/certs/My/$th.pem"
}

# target: the configured profile without its v1 RA certificates; $T.
target() {
	T=$(mktmp)/t
	run_rc mk "$NDESWIZ" -t "$T" --profile ws2022-ndes -a "$ex" plan
	for c in "$T"/certs/My/*.pem; do
		if openssl x509 -in "$c" -noout -text |
		    grep -q "1.3.6.1.4.1.311.20.2:"; then
			rm "$c"
		fi
	done
}

plan_codes() {
	run_rc "$1" "$NDESWIZ" -t "$T" -a "$ex" plan --json
	jq -r '.findings[] | "\(.code) \(.message)"' "$WORK/$1.out" \
	    >"$WORK/$1.codes"
}

target
plan_codes none
grep -q "^ndes.ra-cert-missing no EnrollmentAgentOffline" "$WORK/none.codes" ||
	fail "v1 certificates not removed: $(cat "$WORK/none.codes")"
ok "without the v1 RA certificates: ndes.ra-cert-missing"

v2cert "$T" "critical,digitalSignature"
v2cert "$T" "critical,keyEncipherment"
plan_codes v2
[ "$rc" -eq 0 ] || fail "v2: exit $rc: $(grep -v '^[a-z.-]* ok' "$WORK/v2.codes")"
for t in EnrollmentAgentOffline CEPEncryption; do
	grep -q "^ndes.ra-cert the $t RA certificate" "$WORK/v2.codes" ||
		fail "v2: $t not recognised: $(cat "$WORK/v2.codes")"
done
! grep -q "^ndes.ra-cert-missing" "$WORK/v2.codes" || fail "v2: still missing"
ok "v2-template copies recognised by EKU and key usage (exit 0)"

target
v2cert "$T" "critical,digitalSignature,keyEncipherment"
plan_codes both
[ "$rc" -eq 1 ] || fail "both usages: exit $rc"
grep -q "^ndes.ra-cert-missing" "$WORK/both.codes" ||
	fail "both usages: recognised: $(cat "$WORK/both.codes")"
ok "a v2 copy with both usages is not taken for either (exit 1)"
