#!/bin/sh
# Packs the Windows build into one zip to carry to the server.
# Usage: tests/win/dist.sh EXE OUTDIR VERSION [CERT KEY [PASSFILE [TSURL]]]
#
# The zip holds ndeswiz.exe (which carries its assets inside it),
# README.md, LICENSE.txt, the man page as text (ndeswiz.txt), the example
# answer files (examples/) and SHA256SUMS over all of them, which Get-FileHash checks on the server. Given a certificate
# and its key (PEM or DER; CERT may instead be a .pfx/.p12 with the key
# in it, KEY then empty), the exe is signed with Authenticode first
# (osslsigncode, SHA-256); PASSFILE holds the key's passphrase (read by
# osslsigncode, never on a command line); TSURL, an RFC 3161 timestamp
# server, keeps the signature valid after the certificate expires.
# Without a certificate the zip is named ...-unsigned.zip and says so.
set -eu
exe=$1 out=$2 version=$3
cert=${4:-} key=${5:-} passfile=${6:-} tsurl=${7:-}
top=$(cd "$(dirname "$0")/../.." && pwd)

die() { echo "dist: $*" >&2; exit 1; }
for tool in osslsigncode groff zip sha256sum; do
	command -v "$tool" >/dev/null 2>&1 ||
	    die "$tool is missing; run 'make deps'"
done
[ -f "$exe" ] || die "$exe is missing; run 'make windows'"
[ -z "$key" ] || [ -n "$cert" ] || die "SIGN_KEY given without SIGN_CERT"

name=ndeswiz-$version-win64
[ -n "$cert" ] || name=$name-unsigned
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d "$out/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM
dir=$stage/$name
mkdir "$dir"

if [ -n "$cert" ]; then
	case $cert in
	*.pfx | *.p12) creds="-pkcs12 $cert" ;;
	*) [ -n "$key" ] || die "SIGN_CERT $cert needs SIGN_KEY"
	   creds="-certs $cert -key $key" ;;
	esac
	[ -z "$passfile" ] || creds="$creds -readpass $passfile"
	[ -z "$tsurl" ] || creds="$creds -ts $tsurl"
	# shellcheck disable=SC2086 # creds: separate words by design
	osslsigncode sign $creds -h sha256 -n ndeswiz \
	    -i https://github.com/ndeswiz -in "$exe" -out "$dir/ndeswiz.exe" \
	    >"$stage/sign.log" 2>&1 ||
	    { cat "$stage/sign.log" >&2; die "signing $exe failed"; }
else
	cp "$exe" "$dir/ndeswiz.exe"
fi

# Text files get CRLF: Notepad on Server 2012 R2 shows LF files on one line.
crlf() { sed 's/\r*$/\r/' "$1" >"$2"; }
crlf "$top/README.md" "$dir/README.md"
crlf "$top/LICENSE" "$dir/LICENSE.txt"
# -P-cbou: plain text, no escape sequences nor overstrikes.
groff -mandoc -Tascii -P-cbou "$top/ndeswiz.1" >"$stage/man.txt" 2>"$stage/groff.log"
[ ! -s "$stage/groff.log" ] || { cat "$stage/groff.log" >&2; die "groff: ndeswiz.1 has errors"; }
crlf "$stage/man.txt" "$dir/ndeswiz.txt"
mkdir "$dir/examples"
for f in "$top"/assets/examples/*; do
	crlf "$f" "$dir/examples/$(basename "$f")"
done

(cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' |
    LC_ALL=C sort | while read -r f; do sha256sum "$f"; done) \
    >"$dir/SHA256SUMS"
rm -f "$out/$name.zip"
(cd "$stage" && zip -qrX "$out/$name.zip" "$name")
# The zip's own hash: publish it next to the download.
(cd "$out" && sha256sum "$name.zip" >"$name.zip.sha256")
if [ -n "$cert" ]; then
	echo "dist: $out/$name.zip: ndeswiz.exe signed with $cert"
else
	echo "dist: $out/$name.zip is UNSIGNED: give SIGN_CERT and SIGN_KEY to sign ndeswiz.exe"
fi
echo "dist: sha256 $(cut -d' ' -f1 "$out/$name.zip.sha256")"
