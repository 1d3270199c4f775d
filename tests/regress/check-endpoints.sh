#!/bin/sh
# The endpoints probe: local TLS servers stand in for the cloud's hosts
# (a clouds file whose [custom] entry points at them, given with
# --clouds), reached directly or through a real proxy (tinyproxy).
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_pki

lab_nginx cloud 9441 9442 9443 9444 9445 <<EOF
$(lab_cloud_servers)
server {
$(lab_tls 9445 intercepted)
	location / { return 200 "inspected"; }
}
EOF

PROXY_PASSWORD=lab-proxy-s3cret-Zq7
export PROXY_PASSWORD
lab_proxy "$PROXY_PASSWORD"

lab_clouds "$WORK/clouds.ini" 9443
lab_clouds "$WORK/inspected.ini" 9445

answers() { # FILE [proxy lines...]
	f=$1
	shift
	{
		printf '[meta]\nversion = 1\n[prereqs]\nscenarios = pkcs\n'
		printf '[signin]\ncloud = custom\n[proxy]\n'
		for l in "$@"; do
			echo "$l"
		done
	} >"$f"
}
answers "$WORK/direct.ini" "enabled = no"
answers "$WORK/proxy.ini" "enabled = yes" "url = http://127.0.0.1:8888" \
    "bypass = <local>" "username = lab" "password = env:PROXY_PASSWORD"
answers "$WORK/wrongpw.ini" "enabled = yes" "url = http://127.0.0.1:8888" \
    "username = lab" "password = env:WRONG_PASSWORD"
answers "$WORK/noproxy.ini" "enabled = yes" "url = http://127.0.0.1:8899"
answers "$WORK/bypass.ini" "enabled = yes" "url = http://127.0.0.1:8899" \
    "bypass = <local>, 127.0.0.1"

CL="--clouds $WORK/clouds.ini"
connects() {
	grep -c "CONNECT 127.0.0.1:944" "$LAB/proxy/tinyproxy.log" || :
}

# Directly: four hosts, all reachable, the SCEP probes do not apply.
# shellcheck disable=SC2086
lab_check direct --json $CL -a "$WORK/direct.ini"
lab_rc direct 0
lab_state direct endpoints pass
lab_state direct mscep skipped
jq -e '[.probes[] | select(.name == "endpoints") | .findings[] |
    select(.code == "health.endpoints-reachable")] | length == 4' \
    <"$WORK/direct.out" >/dev/null || fail "direct: $(cat "$WORK/direct.out")"
grep -q "clocks agree" "$WORK/direct.out" || fail "direct: no clock"

# Through the proxy, with its password from the environment.
before=$(connects)
# shellcheck disable=SC2086
lab_check proxy --json $CL -a "$WORK/proxy.ini"
lab_rc proxy 0
lab_state proxy endpoints pass
grep -q "reachable through http://127.0.0.1:8888" "$WORK/proxy.out" ||
	fail "proxy: $(cat "$WORK/proxy.out")"
[ "$(connects)" -ge $((before + 4)) ] ||
	fail "the proxy saw no CONNECT: $(cat "$LAB/proxy/tinyproxy.log")"
# The text output too, and never the password.
# shellcheck disable=SC2086
lab_check proxytext $CL -a "$WORK/proxy.ini"
lab_rc proxytext 0
if grep -F -- "$PROXY_PASSWORD" "$WORK/proxy.out" "$WORK/proxy.err" \
    "$WORK/proxytext.out" "$WORK/proxytext.err"; then
	fail "the proxy password was printed"
fi

# The wrong password: the proxy says 407.
WRONG_PASSWORD=not-it
export WRONG_PASSWORD
# shellcheck disable=SC2086
lab_check wrongpw --json $CL -a "$WORK/wrongpw.ini"
lab_rc wrongpw 1
lab_has wrongpw health.endpoints-proxy-auth

# No proxy where the answers say.
# shellcheck disable=SC2086
lab_check noproxy --json $CL -a "$WORK/noproxy.ini"
lab_rc noproxy 1
lab_has noproxy health.endpoints-proxy-unreachable

# ... unless the bypass list names the hosts.
# shellcheck disable=SC2086
lab_check bypass --json $CL -a "$WORK/bypass.ini"
lab_rc bypass 0
grep -q "reachable directly" "$WORK/bypass.out" || fail "bypass"

# A middlebox re-signs one host with a CA the cloud does not use.
lab_check inspected --json --clouds "$WORK/inspected.ini" \
    -a "$WORK/direct.ini"
lab_rc inspected 1
lab_has inspected health.endpoints-tls-intercepted
jq -e '[.probes[] | select(.name == "endpoints") | .findings[] |
    select(.code == "health.endpoints-tls-intercepted")] | length == 1 and
    (.[0].message | contains("Inspector CA"))' <"$WORK/inspected.out" \
    >/dev/null || fail "inspected: $(cat "$WORK/inspected.out")"

# This clock ten minutes ahead of the servers' Date headers.
# (libfaketime is preloaded; ASan must let it come first.)
FAKETIME_DONT_FAKE_MONOTONIC=1 \
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    run_rc skew timeout 60 faketime -f "+10m" "$NDESWIZ" check --json \
    --clouds "$WORK/clouds.ini" -a "$WORK/direct.ini"
lab_rc skew 1
lab_has skew health.endpoints-clock-skew
grep -q "ahead of the server" "$WORK/skew.out" ||
	fail "skew: $(cat "$WORK/skew.out")"

# A broken clouds file, or a cloud it lacks, is an input error.
printf '[custom]\nlogin = x\n' >"$WORK/bad.ini"
lab_check badclouds --clouds "$WORK/bad.ini" -a "$WORK/direct.ini"
lab_rc badclouds 2
grep -q "needs login, graph, intune and update" "$WORK/badclouds.err" ||
	fail "badclouds: $(cat "$WORK/badclouds.err")"
sed "s|$LAB/pki/ca.pem|$WORK/none.pem|" "$WORK/clouds.ini" >"$WORK/noca.ini"
lab_check noca --clouds "$WORK/noca.ini" -a "$WORK/direct.ini"
lab_rc noca 2
grep -q "ca_file .*none.pem of the clouds table cannot be read" \
    "$WORK/noca.err" || fail "noca: $(cat "$WORK/noca.err")"
sed 's/custom/china/' "$WORK/direct.ini" >"$WORK/china.ini"
# shellcheck disable=SC2086
lab_check nocloud $CL -a "$WORK/china.ini"
lab_rc nocloud 2
grep -q "cloud 'china' is not in the clouds table" "$WORK/nocloud.err" ||
	fail "nocloud: $(cat "$WORK/nocloud.err")"
echo ok
