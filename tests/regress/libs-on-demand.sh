#!/bin/sh
# libzip is loaded only by what uses it, as libcurl is (curl-on-demand.sh):
# the binary does not link it, --version and plan do not load it, collect
# does. libxml2 (and its ICU) is not used at all: applicationHost.config
# has its own reader (backend/host/xmldoc.c), so nothing loads it. With
# one of them missing (hidden in a mount namespace of this test's own,
# /dev/null bound over it, as on a machine without the package) what
# needs it says so, with the package to install, and exits 2; the rest
# still runs.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
NDES_SVC_PASSWORD=x
export NDES_SVC_PASSWORD
URL=https://127.0.0.1:9/certsrv/mscep/mscep.dll

# loads NAME CMD...: the sonames ld.so opened for CMD (start or dlopen).
loads() {
	name=$1
	shift
	LD_DEBUG=files "$@" >/dev/null 2>"$WORK/$name.ld" || :
	sed -n 's/.*file=\(lib[^ ]*\.so[^ ]*\) .*/\1/p' "$WORK/$name.ld" |
	    sort -u | tr '\n' ' '
}

# hide SONAME: run this script again with SONAME unloadable.
hide() {
	lib=$(ldconfig -p | awk -v so="$1" '$1 == so && /x86-64/ {
	    print $NF; exit }')
	[ -n "$lib" ] && [ -f "$lib" ] || fail "no $1 to hide"
	if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
	$ns true 2>"$WORK/ns.err" || fail "cannot make a mount namespace" \
	    "($ns: $(cat "$WORK/ns.err")); this test needs root or user" \
	    "namespaces"
	LIB_HIDDEN=$lib LIB_SONAME=$1 LIB_TARGET=$t $ns sh -c \
	    'mount --bind /dev/null "$LIB_HIDDEN" && exec sh "$0"' "$0" ||
		fail "without $1 (see above)"
}

if [ -z "${LIB_HIDDEN:-}" ]; then
	for l in libxml2 libzip libicu; do
		if ldd "$NDESWIZ" | grep -q "$l"; then
			fail "the binary links $l: $(ldd "$NDESWIZ" | grep "$l")"
		fi
	done
	ok "the binary links neither libxml2 (nor ICU) nor libzip"

	t=$(mktmp)/t
	got=$(loads version "$NDESWIZ" --version)
	case $got in *libc.so.6*) ;; *) fail "LD_DEBUG shows nothing: $got" ;; esac
	case $got in *libxml2* | *libzip* | *libicu* | *libcurl*)
		fail "--version loads $got" ;; esac
	ok "--version loads none of libxml2, libzip, libcurl"
	got=$(loads plan "$NDESWIZ" -t "$t" -a "$ex" plan)
	[ -f "$t/applicationHost.config" ] || fail "plan made no target"
	case $got in *libxml2* | *libicu* | *libzip*) fail "plan loads $got" ;; esac
	ok "plan reads applicationHost.config and loads none of libxml2, ICU, libzip"
	got=$(loads collect "$NDESWIZ" -t "$t" -a "$ex" collect \
	    -o "$WORK/c.zip" --url "$URL" --timeout 1)
	[ -s "$WORK/c.zip" ] || fail "collect wrote no zip: $(tail -3 \
	    "$WORK/collect.ld")"
	case $got in *libzip.so.4*) ;; *) fail "collect: no libzip in $got" ;; esac
	ok "collect loads libzip and writes its bundle"

	rm -rf "$t/.ndeswiz"
	hide libxml2.so.2
	hide libzip.so.4
	exit 0
fi

# From here on $LIB_SONAME cannot be loaded (the case numbers go on).
ok_n=4
t=$(mktmp)/t
case $LIB_SONAME in
libxml2.so.2)
	ok_n=4
	# The target the outer run made, and a new one.
	for t in "$LIB_TARGET" "$t"; do
		expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
		expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
		expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
	done
	ok "plan, apply and rollback run without libxml2"
	;;
libzip.so.4)
	ok_n=5
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
	ok "plan, apply and rollback run without libzip"

	expect_rc 2 "$NDESWIZ" -t "$t" -a "$ex" collect -o "$WORK/c.zip" \
	    --url "$URL" --timeout 1
	grep -q "writing a zip needs libzip.*apt-get install libzip4" \
	    "$WORK/last.err" || fail "collect: $(cat "$WORK/last.err")"
	grep -qF "$LIB_HIDDEN" "$WORK/last.err" ||
		fail "collect: no reason given: $(cat "$WORK/last.err")"
	[ ! -e "$WORK/c.zip" ] || fail "collect wrote $WORK/c.zip"
	ok "collect says it needs libzip, why, and the package; writes nothing"
	;;
*) fail "unknown LIB_SONAME $LIB_SONAME" ;;
esac
