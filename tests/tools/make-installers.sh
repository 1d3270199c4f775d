#!/bin/sh
# Make throwaway signed Windows programs for the connector-installer
# tests, in OUT: a test CA (ca.pem; its key is thrown away with the work
# folder) and programs with a version resource, signed with osslsigncode:
#   ms.exe        O=Microsoft Corporation under the CA, version 6.2406.0.1001
#   ms-old.exe    the same signer, version 6.2300.0.1 (below the minimum)
#   contoso.exe   O=Contoso Ltd under the CA
#   selfsigned.exe O=Microsoft Corporation, a self-signed signer (no chain)
#   tampered.exe  ms.exe with one byte changed after signing
#   baddigest.exe ms.exe whose SignedData lists a digest no one knows
#                 (the signature's own bytes: the image digest still holds)
#   unsigned.exe  no signature at all
# Usage: tests/tools/make-installers.sh OUT
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
out=$1
for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres osslsigncode \
    openssl; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "make-installers: $tool is missing; run 'make deps'" >&2
		  exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

program() {	# program NAME A B C D: an exe whose product version is A.B.C.D
	cat >"$work/$1.rc" <<RC
1 VERSIONINFO
FILEVERSION $2,$3,$4,$5
PRODUCTVERSION $2,$3,$4,$5
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "ProductName", "ndeswiz test installer"
      VALUE "ProductVersion", "$2.$3.$4.$5"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
	printf 'int main(void) { return 0; }\n' >"$work/main.c"
	x86_64-w64-mingw32-windres "$work/$1.rc" -O coff -o "$work/$1.res"
	x86_64-w64-mingw32-gcc -Os -s -o "$work/$1.exe" "$work/main.c" \
	    "$work/$1.res"
}

signer() {	# signer NAME SUBJECT [self]: a code-signing cert and key
	if [ "${3:-}" = self ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
		    -subj "$2" -addext "extendedKeyUsage=codeSigning" \
		    -keyout "$work/$1.key" -out "$work/$1.pem" 2>/dev/null
		return
	fi
	openssl req -new -newkey rsa:2048 -nodes -subj "$2" \
	    -keyout "$work/$1.key" -out "$work/$1.csr" 2>/dev/null
	printf '%s\n' "extendedKeyUsage=codeSigning" \
	    "keyUsage=critical,digitalSignature" >"$work/$1.ext"
	openssl x509 -req -in "$work/$1.csr" -CA "$out/ca.pem" \
	    -CAkey "$work/ca.key" -CAserial "$work/ca.srl" \
	    -CAcreateserial -days 3650 -sha256 \
	    -extfile "$work/$1.ext" -out "$work/$1.pem" 2>/dev/null
}

sign() {	# sign SIGNER IN OUT
	osslsigncode sign -certs "$work/$1.pem" -key "$work/$1.key" \
	    -h sha256 -n "ndeswiz test installer" -in "$2" -out "$3" \
	    >"$work/sign.log" 2>&1 || { cat "$work/sign.log" >&2; exit 1; }
}

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
    -subj "/CN=ndeswiz throwaway code-signing CA" \
    -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$out/ca.pem" 2>/dev/null
signer ms "/C=US/O=Microsoft Corporation/CN=Microsoft Corporation"
signer contoso "/C=US/O=Contoso Ltd/CN=Contoso Code Signing"
signer self "/C=US/O=Microsoft Corporation/CN=Microsoft Corporation" self

program new 6 2406 0 1001
program old 6 2300 0 1
sign ms "$work/new.exe" "$out/ms.exe"
sign ms "$work/old.exe" "$out/ms-old.exe"
sign contoso "$work/new.exe" "$out/contoso.exe"
sign self "$work/new.exe" "$out/selfsigned.exe"
cp "$work/new.exe" "$out/unsigned.exe"
# One byte of the code changed after signing: the digest no longer matches.
cp "$out/ms.exe" "$out/tampered.exe"
printf 'Z' | dd of="$out/tampered.exe" bs=1 seek=1024 conv=notrunc 2>/dev/null
# SHA-256's OID, first met in the SignedData's digestAlgorithms: its last
# arc 1 becomes 127. OpenSSL 3.0's PKCS7_verify lost memory on this.
cp "$out/ms.exe" "$out/baddigest.exe"
sha256_oid=$(printf '\006\011\140\206\110\001\145\003\004\002\001')
at=$(LC_ALL=C grep -obUaF "$sha256_oid" "$out/ms.exe" | head -1 | cut -d: -f1)
[ -n "$at" ] || { echo "make-installers: no SHA-256 OID in ms.exe" >&2; exit 1; }
printf '\177' | dd of="$out/baddigest.exe" bs=1 seek=$((at + 10)) \
    conv=notrunc 2>/dev/null
