#!/bin/sh
# libcurl is loaded only by what talks to the network (check, signin):
# the binary does not link it, plan, apply and --version run on a machine
# without it, and check and signin say what is missing and how to get it.
# libcurl is hidden in a mount namespace of this test's own (/dev/null
# bound over it), as on a machine where libcurl4 is not installed.
. "$TOP/tests/regress/lib.sh"

if [ -z "${CURL_HIDDEN:-}" ]; then
	if ldd "$NDESWIZ" | grep -q libcurl; then
		fail "the binary links libcurl: $(ldd "$NDESWIZ" | grep libcurl)"
	fi
	ok "the binary does not link libcurl"
	lib=$(ldconfig -p | awk '/libcurl\.so\.4 .*x86-64/ { print $NF; exit }')
	[ -n "$lib" ] && [ -f "$lib" ] || fail "no libcurl.so.4 to hide"
	if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
	$ns true 2>"$WORK/ns.err" || fail "cannot make a mount namespace" \
	    "($ns: $(cat "$WORK/ns.err")); this test needs root or user" \
	    "namespaces"
	CURL_HIDDEN=$lib $ns sh -c 'mount --bind /dev/null "$CURL_HIDDEN" &&
	    exec sh "$0"' "$0" || fail "without libcurl (see above)"
	exit 0
fi

# From here on libcurl cannot be loaded (the case numbers go on).
ok_n=1
expect_rc 0 "$NDESWIZ" --version
ex="$TOP/assets/examples/contoso.ini"
t=$(mktmp)/t
NDES_SVC_PASSWORD=x
export NDES_SVC_PASSWORD
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
ok "--version, plan, apply and rollback run without libcurl"

expect_rc 2 "$NDESWIZ" -t "$t" -a "$ex" check \
    --url https://127.0.0.1:9/certsrv/mscep/mscep.dll
grep -q "health check needs libcurl.*apt-get install libcurl4" \
    "$WORK/last.err" || fail "check: $(cat "$WORK/last.err")"
grep -qF "$CURL_HIDDEN" "$WORK/last.err" || fail "check: no reason given"
ok "check says it needs libcurl, why it cannot load it, and the package"

expect_rc 2 "$NDESWIZ" -a "$ex" signin
grep -q "sign-in needs libcurl.*apt-get install libcurl4" \
    "$WORK/last.err" || fail "signin: $(cat "$WORK/last.err")"
ok "signin says it needs libcurl and the package"
