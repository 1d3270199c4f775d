#!/bin/sh
# Regenerate assets/hosts/ws2022-ndes: a server configured as
# assets/examples/contoso.ini describes. It is the fresh profile with the
# example applied by ndeswiz itself, plus what installing the NDES role
# leaves behind on a real server and ndeswiz does not model as changes:
# the SCEP app pool and application, and the two RA certificates.
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

# An RA certificate with the v1 template name extension (a BMPString).
ra_cert() {
	name=$1 eku=$2
	hex=$(printf '%s' "$name" | iconv -t UTF-16BE | od -An -tx1 |
	    tr -d ' \n' | sed 's/../&:/g; s/:$//')
	len=$(printf '%02x' $((${#name} * 2)))
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
	    -subj "/CN=CONTOSO-NDES-RA/O=Contoso/C=US" \
	    -addext "extendedKeyUsage=$eku" \
	    -addext "1.3.6.1.4.1.311.20.2=DER:1e:$len:$hex" \
	    -keyout "$work/$name.key" -out "$work/$name.pem" 2>/dev/null
	thumb=$(openssl x509 -in "$work/$name.pem" -noout -fingerprint -sha1 |
	    sed 's/.*=//; s/://g')
	mkdir -p "$t/certs/My"
	cat "$work/$name.pem" "$work/$name.key" >"$t/certs/My/$thumb.pem"
}
ra_cert EnrollmentAgentOffline 1.3.6.1.4.1.311.20.2.1
ra_cert CEPEncryption 1.3.6.1.4.1.311.20.2.1

rm -rf "$out"
mkdir -p "$out"
(cd "$t" && find . -path ./.ndeswiz -prune -o -type f -print) |
while read -r f; do
	mkdir -p "$out/$(dirname "$f")"
	cp "$t/$f" "$out/$f"
done
# Keep the registry readable in the repository: UTF-8, LF.
iconv -f UTF-16LE -t UTF-8 "$t/registry.reg" | sed '1s/^\xef\xbb\xbf//' |
    tr -d '\r' >"$out/registry.reg"
sed -i '1i ; A Windows Server 2022 configured as assets/examples/contoso.ini\n; describes (made by tests/tools/make-ndes-profile.sh).' "$out/facts.ini"
echo "wrote $out"
