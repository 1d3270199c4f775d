#!/bin/sh
# assets/trust/microsoft-roots.pem holds exactly Microsoft's 2011 (code
# signing) and 2010 (time stamping) roots: self-signed CAs whose SHA-256
# fingerprints are the published ones. A changed or added certificate
# fails here before the Authenticode check trusts it.
. "$TOP/tests/regress/lib.sh"
command -v openssl >/dev/null || fail "openssl is missing (make deps)"
f="$TOP/assets/trust/microsoft-roots.pem"
[ -r "$f" ] || fail "$f is missing"
awk -v d="$WORK" '/BEGIN CERT/ { n++; in_cert = 1 }
    in_cert { print > (d "/root" n ".pem") }
    /END CERT/ { in_cert = 0 }' "$f"
got=$(for c in "$WORK"/root*.pem; do
	openssl verify -CAfile "$c" "$c" >/dev/null ||
	    fail "$c does not verify as self-signed"
	openssl x509 -in "$c" -noout -fingerprint -sha256 | sed 's/.*=//;s/://g'
done | sort | tr '\n' ' ')
want="847DF6A78497943F27FC72EB93F9A637320A02B561D0A91B09E87A7807ED7C61 \
DF545BF919A2439C36983B54CDFC903DFA4F37D3996D8D84B4C31EEC6F3C163E "
[ "$got" = "$want" ] || fail "the roots are not the published two: $got"
ok "the bundled Microsoft roots are the 2011 and 2010 roots, self-signed"
