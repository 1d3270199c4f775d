#!/bin/sh
# Regenerate assets/hosts/ws2022-ndes: a server configured as
# assets/examples/contoso.ini describes. It is the fresh profile with the
# example applied by ndeswiz itself, plus what installing the NDES role
# leaves behind on a real server and ndeswiz does not model as changes:
# the SCEP app pool and application, the two RA certificates (with a CRL
# distribution point on the loopback lab, whose CRL it writes into
# tests/data/crl), and the Certificate Connector, installed and configured.
# Usage: tests/tools/make-ndes-profile.sh [NDESWIZ]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/ndeswiz}
out=$top/assets/hosts/ws2022-ndes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export NDES_SVC_PASSWORD=unused NDESWIZ_ASSETS="$top/assets"

# The server certificate a CA signed for the names in the example, bound
# by ndeswiz itself from a pem: source.
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
    -subj "/CN=Contoso Issuing CA" -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=ndes01.contoso.com" \
    -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:ndes01.contoso.com,DNS:scep.contoso.com\n%s\n%s\n' \
    'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature,keyEncipherment' \
    >"$work/ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" \
    -CAkey "$work/ca.key" -CAcreateserial -days 3650 -sha256 \
    -extfile "$work/ext" -out "$work/server.pem" 2>/dev/null
sed "s|^certificate = csr|certificate = pem:$work/server.pem,$work/server.key|" \
    "$top/assets/examples/contoso.ini" >"$work/bind.ini"
"$bin" -t "$work/t" -a "$work/bind.ini" apply --yes >/dev/null
t=$work/t
mkdir -p "$t/certs/Root"
thumb=$(openssl x509 -in "$work/ca.pem" -noout -fingerprint -sha1 |
    sed 's/.*=//; s/://g')
cp "$work/ca.pem" "$t/certs/Root/$thumb.pem"

# The role's IIS side, as Install-AdcsNetworkDeviceEnrollmentService
# writes it.
sed -i 's|^\( *\)<add name="DefaultAppPool" />|&\n\1<add name="SCEP" managedRuntimeVersion="v4.0">\n\1    <processModel identityType="SpecificUser" userName="CONTOSO\\svc-ndes" />\n\1</add>|' \
    "$t/applicationHost.config"
sed -i 's|^\( *\)<bindings>|\1<application path="/CertSrv/mscep" applicationPool="SCEP">\n\1    <virtualDirectory path="/" physicalPath="C:\\Windows\\system32\\CertSrv\\mscep" />\n\1</application>\n&|' \
    "$t/applicationHost.config"

sha1() {
	openssl x509 -in "$1" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'
}

# An RA certificate with the v1 template name extension (a BMPString),
# issued by the CA, with a CRL distribution point on the loopback lab
# (tests/regress/check-host.sh serves $crl at $CDP_URL).
CDP_URL=http://127.0.0.1:8089/pki/contoso-ca.crl
ra_cert() {
	name=$1 eku=$2
	hex=$(printf '%s' "$name" | iconv -t UTF-16BE | od -An -tx1 |
	    tr -d ' \n' | sed 's/../&:/g; s/:$//')
	len=$(printf '%02x' $((${#name} * 2)))
	openssl req -new -newkey rsa:2048 -nodes -sha256 \
	    -subj "/CN=CONTOSO-NDES-RA/O=Contoso/C=US" \
	    -keyout "$work/$name.key" -out "$work/$name.csr" 2>/dev/null
	printf '%s\n' "extendedKeyUsage=$eku" \
	    "1.3.6.1.4.1.311.20.2=DER:1e:$len:$hex" \
	    "crlDistributionPoints=URI:$CDP_URL" >"$work/$name.ext"
	openssl x509 -req -in "$work/$name.csr" -CA "$work/ca.pem" \
	    -CAkey "$work/ca.key" -CAcreateserial -days 3650 -sha256 \
	    -extfile "$work/$name.ext" -out "$work/$name.pem" 2>/dev/null
	mkdir -p "$t/certs/My"
	cat "$work/$name.pem" "$work/$name.key" \
	    >"$t/certs/My/$(sha1 "$work/$name.pem").pem"
}
ra_cert EnrollmentAgentOffline 1.3.6.1.4.1.311.20.2.1
ra_cert CEPEncryption 1.3.6.1.4.1.311.20.2.1

# The CA's CRL, for the lab to serve at $CDP_URL; ten years ahead, so
# that the profile stays healthy.
crl=$top/tests/data/crl/contoso-ca.crl
mkdir -p "$work/ca" "$top/tests/data/crl"
: >"$work/ca/index.txt"
echo 01 >"$work/ca/crlnumber"
printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\n' \
    "$work/ca/index.txt" "$work/ca/crlnumber" >"$work/ca.cnf"
openssl ca -gencrl -config "$work/ca.cnf" -cert "$work/ca.pem" \
    -keyfile "$work/ca.key" -crldays 3650 -out "$work/ca.crl" 2>/dev/null
openssl crl -in "$work/ca.crl" -outform DER -out "$crl"

# The Certificate Connector, installed and configured: its services, and
# the certificate its own CA enrolled for it (its uninstall entry and
# settings go into the registry below).
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
    -subj "/CN=Microsoft Intune ImportPFX Connector CA" \
    -addext "basicConstraints=critical,CA:true" \
    -keyout "$work/icca.key" -out "$work/icca.pem" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=NDES01-PFXConnector" \
    -keyout "$work/conn.key" -out "$work/conn.csr" 2>/dev/null
openssl x509 -req -in "$work/conn.csr" -CA "$work/icca.pem" \
    -CAkey "$work/icca.key" -CAcreateserial -days 3650 -sha256 \
    -out "$work/conn.pem" 2>/dev/null
conn_thumb=$(sha1 "$work/conn.pem")
cat "$work/conn.pem" "$work/conn.key" >"$t/certs/My/$conn_thumb.pem"
printf '%s\n' "PFXCertificateConnectorSvc: running" \
    "PKICertificateConnectorSvc: running" >>"$t/services.txt"
# The .NET 3.5 set a full prerequisites run leaves installed.
printf '%s\n' NET-Framework-Features NET-Framework-Core NET-HTTP-Activation \
    Web-Asp-Net >>"$t/features.txt"

rm -rf "$out"
mkdir -p "$out"
(cd "$t" && find . -path ./.ndeswiz -prune -o -type f -print) |
while read -r f; do
	mkdir -p "$out/$(dirname "$f")"
	cp "$t/$f" "$out/$f"
done
# Keep the registry readable in the repository: UTF-8, LF. What the role
# and the connector write besides is added as more sections; the profile
# loader merges them into canonical order when a target is made.
iconv -f UTF-16LE -t UTF-8 "$t/registry.reg" | sed '1s/^\xef\xbb\xbf//' |
    tr -d '\r' >"$out/registry.reg"
sw='HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft'
cat >>"$out/registry.reg" <<REG
[$sw\Cryptography\MSCEP]
"EncryptionTemplate"="IPSECIntermediateOffline"
"SignatureTemplate"="IPSECIntermediateOffline"

[$sw\MicrosoftIntune\PFXCertificateConnector]
"EncryptionCertThumbprint"="$conn_thumb"

[$sw\MicrosoftIntune\PFXCertificateConnector\ConnectionStatus]
"LastConnectionTime"="2025-01-01T00:00:00Z"

[$sw\Windows\CurrentVersion\Uninstall\{5A3F9D64-2B1E-4C7A-9E0D-3C8B7F1A6E42}]
"DisplayName"="Certificate Connector for Microsoft Intune"
"DisplayVersion"="6.2406.0.1001"
"Publisher"="Microsoft Corporation"

REG
sed -i '1i ; A Windows Server 2022 configured as assets/examples/contoso.ini\n; describes (made by tests/tools/make-ndes-profile.sh).' "$out/facts.ini"
echo "wrote $out"
