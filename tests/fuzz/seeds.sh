#!/bin/sh
# (Re)build the seed corpora in tests/fuzz/corpus/ from the project's real
# examples: answer files, host profiles, test data, a target after a full
# apply, and GetCACert / GetCACaps / sign-in answers shaped like the ones
# NDES, scepserver and Entra ID give. The corpora are committed, so CI
# does not run this; run it when the examples change:
#   NDESWIZ=./ndeswiz sh tests/fuzz/seeds.sh
# Harnesses that pick a parser with their first byte get that byte first.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
C=$TOP/tests/fuzz/corpus
NDESWIZ=${NDESWIZ:-$TOP/ndeswiz}
export NDESWIZ_ASSETS="$TOP/assets"
for tool in openssl "$NDESWIZ"; do
	command -v "$tool" >/dev/null ||
		{ echo "seeds.sh: $tool is needed" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ndeswiz-seeds.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
rm -rf "$C"
mkdir -p "$C/answers" "$C/regfile" "$C/iiscfg" "$C/cacaps" "$C/cacert" \
    "$C/signin_json" "$C/proxy_url" "$C/account" "$C/journal" "$C/pe" \
    "$C/xmldoc"

# prefixed HARNESS NAME BYTE: stdin to the corpus, after one selector byte.
prefixed() {
	{ printf "\\$(printf %03o "$3")"; cat; } >"$C/$1/$2"
}

# --- answer files, registry, IIS -----------------------------------------
cp "$TOP/assets/examples/contoso.ini" "$C/answers/contoso.ini"
for f in "$TOP"/tests/answers/bad/*.ini; do
	cp "$f" "$C/answers/bad-$(basename "$f")"
done
t=$WORK/target
"$NDESWIZ" -t "$t" export --force -o "$C/answers/defaults-export.ini" >/dev/null 2>&1
NDES_SVC_PASSWORD=x "$NDESWIZ" -t "$t" -a "$TOP/assets/examples/contoso.ini" \
    apply --yes >"$WORK/apply.log" 2>&1 || { cat "$WORK/apply.log"; exit 1; }
"$NDESWIZ" -t "$t" export --force -o "$C/answers/contoso-export.ini" >/dev/null 2>&1
# The journal: after the apply, after its rollback, and torn mid-record.
cp "$t/.ndeswiz/journal" "$C/journal/applied"
head -c 700 "$t/.ndeswiz/journal" >"$C/journal/torn"
cp "$t" "$WORK/rolled" -a
"$NDESWIZ" -t "$WORK/rolled" rollback --yes >/dev/null 2>&1
cp "$WORK/rolled/.ndeswiz/journal" "$C/journal/rolled-back"
for p in "$TOP"/assets/hosts/*/; do
	name=$(basename "$p")
	cp "$p/registry.reg" "$C/regfile/profile-$name.reg"
	cp "$p/applicationHost.config" "$C/iiscfg/profile-$name.config"
done
cp "$t/registry.reg" "$C/regfile/contoso-applied.reg"
cp "$t/applicationHost.config" "$C/iiscfg/contoso-applied.config"
for f in "$TOP"/tests/data/reg/*; do
	cp "$f" "$C/regfile/data-$(basename "$f")"
done
for f in "$TOP"/tests/data/iis/*; do
	cp "$f" "$C/iiscfg/data-$(basename "$f")"
done
# The XML reader: the IIS files, and what they seldom hold.
cp "$C/iiscfg/data-oddities.config" "$C/iiscfg/contoso-applied.config" \
    "$C/xmldoc/"
printf '%b\n' '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>' \
    '<?pi some data?><!-- a comment -->' \
    '<r a="&lt;&#x41;&#66;&quot;" b='"'"'x&#9;y'"'"'>t&amp;<![CDATA[<x>]]>' \
    '<c d="e&#xA;f"/><?q?><!---->\t<\xc3\xa9l\xc2\xb7 \xc3\xa9="\xe2\x82\xac"/>' \
    '</r >' '<!-- after -->' >"$C/xmldoc/features.xml"
printf '\357\273\277<?xml version='"'"'1.1'"'"'?>\r\n<a\r\n x="1\r\n2"></a>' \
    >"$C/xmldoc/bom-crlf.xml"

# --- GetCACaps: NDES (Windows), scepserver, and a sloppy one ---------------
printf '%s\r\n' POSTPKIOperation Renewal SHA-512 SHA-256 SHA-1 DES3 \
    >"$C/cacaps/ndes-2019"
printf 'Renewal\nSHA-1\nSHA-256\nAES\nDES3\nSCEPStandard\nPOSTPKIOperation\n' \
    >"$C/cacaps/scepserver"
printf '  aes \n\n\tsha-256\nGetNextCACert\nUpdate\nX-Vendor-Thing' \
    >"$C/cacaps/sloppy"

# --- GetCACert: a CA alone (DER), CA + RA as NDES sends them (PKCS#7) ------
cat >"$WORK/ext.cnf" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[ra]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
EOF
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ca.key" \
    -out "$WORK/ca.pem" -days 3650 -subj "/DC=com/DC=contoso/CN=Contoso CA" \
    -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
for ra in sign enc; do
	openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/$ra.key" \
	    -out "$WORK/$ra.csr" -subj "/C=US/O=Contoso/CN=CONTOSO-NDES-RA" \
	    2>/dev/null
	openssl x509 -req -in "$WORK/$ra.csr" -CA "$WORK/ca.pem" \
	    -CAkey "$WORK/ca.key" -CAcreateserial -days 730 \
	    -extfile "$WORK/ext.cnf" -extensions ra -out "$WORK/$ra.pem" \
	    2>/dev/null
done
openssl x509 -in "$WORK/ca.pem" -outform DER | prefixed cacert ca.der 0
openssl crl2pkcs7 -nocrl -certfile "$WORK/ca.pem" -certfile "$WORK/sign.pem" \
    -certfile "$WORK/enc.pem" -outform DER | prefixed cacert ndes-ca-ra.p7b 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$WORK/ec.key" -out "$WORK/ec.pem" -days 1 -subj "/CN=EC CA" \
    2>/dev/null
openssl crl2pkcs7 -nocrl -certfile "$WORK/ec.pem" -outform DER |
    prefixed cacert ec-ca.p7b 2

# --- sign-in: Entra ID and Graph answers, as tests/lab/signin-server.py ----
# 0 device code, 1 token, 2 errors, 3 /me, 4 connectors, 5 strings
prefixed signin_json devicecode 0 <<'EOF'
{"device_code": "dc-00112233445566778899aabbccddeeff", "user_code": "LAB-CODE", "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 5, "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code LAB-CODE to authenticate."}
EOF
prefixed signin_json devicecode-incomplete 0 <<'EOF'
{"device_code": "x", "user_code": "LAB-CODE", "verification_uri": "https://127.0.0.1/devicelogin"}
EOF
prefixed signin_json token 1 <<'EOF'
{"token_type": "Bearer", "scope": "DeviceManagementConfiguration.Read.All User.Read", "expires_in": 3600, "access_token": "at-0011223344556677", "refresh_token": "rt-8899aabbccddeeff", "id_token": "it-0123456789abcdef"}
EOF
prefixed signin_json token-pending 1 <<'EOF'
{"error": "authorization_pending", "error_description": "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.", "error_codes": [70016]}
EOF
prefixed signin_json token-malformed 1 <<'EOF'
{not json
EOF
prefixed signin_json oauth-error 2 <<'EOF'
{"error": "invalid_client", "error_description": "AADSTS7000218: public client flows are off.", "error_codes": [7000218]}
EOF
prefixed signin_json graph-error 2 <<'EOF'
{"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation."}}
EOF
prefixed signin_json me 3 <<'EOF'
{"userPrincipalName": "admin@contoso.onmicrosoft.com", "displayName": "Lab Admin\u001b[31m"}
EOF
prefixed signin_json connectors 4 <<'EOF'
{"@odata.context": "lab", "value": [{"id": "id-ndes01", "displayName": "NDES01", "machineName": "NDES01.contoso.com", "state": "active", "connectorVersion": "6.2301.1.0", "lastConnectionDateTime": "2025-12-31T22:10:05.1234567Z", "enrolledDateTime": "2025-10-01T08:00:00Z"}, {"id": "id-old", "displayName": "OLD", "machineName": "ndes-old", "state": "inactive", "lastConnectionDateTime": "2025-01-01T00:00:00+02:00"}], "@odata.nextLink": "https://graph.microsoft.com/beta/deviceManagement/ndesConnectors?$skiptoken=2"}
EOF
prefixed signin_json connectors-malformed 4 <<'EOF'
{"value": [{"displayName": "x"}, 42]}
EOF
printf '2025-12-31T22:10:05.1234567Z' | prefixed signin_json time 5

# --- proxy URLs and account names -------------------------------------------
n=0
for u in http://proxy.contoso.com:8080 https://proxy.contoso.com:3128/ \
    proxy.contoso.com:8080 socks5://proxy.contoso.com:1080 \
    http://user:pw@proxy.contoso.com:8080 http://proxy.contoso.com:8080/path \
    http://:8080 http://10.0.0.1:65535; do
	n=$((n + 1))
	printf '%s' "$u" >"$C/proxy_url/url-$n"
done
n=0
for a in 'CONTOSO\svc-ndes' 'CONTOSO\gmsa-ndes$' svc-ndes@contoso.com \
    'CONTOSO\a\b' 'user@contoso' 'TOOLONGNETBIOSNAME1\x' '*.contoso.com' \
    scep.contoso.com US; do
	n=$((n + 1))
	printf '%s' "$a" >"$C/account/name-$n"
done
# --- connector installers: no signature, signed, changed after signing --
sh "$TOP/tests/tools/make-installers.sh" "$WORK/inst" >/dev/null
for f in unsigned ms tampered baddigest; do
	cp "$WORK/inst/$f.exe" "$C/pe/$f.exe"
done
echo "seeds: $(find "$C" -type f | wc -l) files in $C"
