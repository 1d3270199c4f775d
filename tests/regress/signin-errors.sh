#!/bin/sh
# ndeswiz signin when things go wrong: malformed and failing answers, a
# server too slow, redirects, TLS that does not verify, bad settings, and
# the [proxy] section (used when enabled, bypassed, wrong credentials).
. "$TOP/tests/regress/lib.sh"
. "$TOP/tests/lab/signin-lib.sh"

signin_lab

# Broken answers from the login endpoints: a finding each, exit 1.
for c in "token-malformed signin.malformed" "token-500 signin.http" \
    "devicecode-500 signin.http" "devicecode-malformed signin.malformed" \
    "devicecode-incomplete signin.malformed" \
    "redirect signin.redirect" "no-tenant signin.refused" \
    "invalid-client signin.client"; do
	set -- $c
	signin_server "$1"
	signin_expect 1 "$1" -a "$RUN/answers.ini"
	signin_finding "$1" "$2"
	! grep -q "GET " "$SRV/requests.log" || fail "$1: Graph was called"
done
grep -q "answered HTTP 500 to the device code request" \
    "$RUN/devicecode-500.err" || fail "HTTP 500 not named"
grep -q "expires_in" "$RUN/devicecode-incomplete.err" ||
	fail "the missing field is not named"
grep -q "AADSTS90002" "$RUN/no-tenant.err" || fail "server's reason lost"
grep -q "evil.example" "$RUN/redirect.err" || fail "redirect target"

# A server that does not answer: --timeout bounds every request. It would
# answer after 300 s; the ceiling, far above the 2 s asked for, only
# catches a run that waited for it.
signin_server devicecode-slow --slow 300
start=$(date +%s)
signin_expect 1 slow -a "$RUN/answers.ini" --timeout 2
took=$(($(date +%s) - start))
signin_finding slow signin.timeout
[ "$took" -ge 2 ] || fail "a slow server was given up after $took s, not 2"
[ "$took" -le 120 ] || fail "a slow server held the run for $took s"

# TLS: the lab CA is not in the system store, so no ca_file = refused;
# --cacert supplies it.
signin_server quick
signin_clouds "$RUN/clouds.ini" ""
signin_expect 1 untrusted -a "$RUN/answers.ini"
signin_finding untrusted signin.tls
! grep -q "POST" "$SRV/requests.log" 2>/dev/null ||
	fail "a request got through unverified TLS"
signin_expect 0 cacert -a "$RUN/answers.ini" --cacert "$LAB/ca.pem"
signin_clouds "$RUN/clouds.ini" "$WORK/no-such-ca.pem"
signin_expect 1 badca -a "$RUN/answers.ini"
signin_finding badca signin.tls

# Settings: a clouds file that cannot be read or lacks the cloud is an
# input error (2); a bad tenant or client id is a finding (1), and no
# request is made.
signin_server quick
signin_expect 2 noclouds -a "$RUN/answers.ini" --clouds "$WORK/none.ini"
grep -q "cannot read the clouds table" "$RUN/noclouds.err" ||
	fail "missing clouds file: $(cat "$RUN/noclouds.err")"
sed -n '/^\[public\]/,/^ca_file/p' "$RUN/clouds.ini" >"$RUN/public.ini"
signin_expect 2 nocustom -a "$RUN/answers.ini" --clouds "$RUN/public.ini"
grep -q "no \[custom\] cloud" "$RUN/nocustom.err" || fail "unknown cloud"
signin_answers "$RUN/bad-tenant.ini" "tenant = contoso.com/../x"
sed -i '/^tenant = contoso.onmicrosoft.com$/d' "$RUN/bad-tenant.ini"
signin_expect 1 badtenant -a "$RUN/bad-tenant.ini"
signin_finding badtenant signin.tenant
signin_answers "$RUN/bad-client.ini" "client_id = a&scope=x"
signin_expect 1 badclient -a "$RUN/bad-client.ini"
signin_finding badclient signin.client-id
[ ! -s "$SRV/requests.log" ] || fail "bad settings still sent requests"
printf '[meta]\nversion = 1\n[signin]\ncolour = blue\n' >"$RUN/bad.ini"
signin_expect 2 badini -a "$RUN/bad.ini"
signin_expect 2 usage extra-argument

# [proxy] enabled = no: direct, even with a proxy in the environment.
https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
    signin_expect 0 envproxy -a "$RUN/answers.ini"

# [proxy] enabled: every request goes through it, with its credentials.
export LAB_PROXY_PW=lab-proxy-pw-0b9c1e
printf '%s\n' "$LAB_PROXY_PW" >"$SECRETS/proxy-password"
signin_server quick --proxy-auth "lab:$LAB_PROXY_PW"
pport=$(cat "$SRV/proxy-port")
signin_answers "$RUN/proxy.ini" "[proxy]" "enabled = yes" \
    "url = http://127.0.0.1:$pport" "username = lab" \
    "password = env:LAB_PROXY_PW" "bypass = <local>, *.contoso.com"
signin_expect 0 proxy -a "$RUN/proxy.ini"
grep -q "PROXY CONNECT 127.0.0.1:$PORT" "$SRV/requests.log" ||
	fail "the proxy was not used: $(cat "$SRV/requests.log")"
grep -q "GET /beta/deviceManagement/ndesConnectors" "$SRV/requests.log" ||
	fail "no connectors through the proxy"
# ... bypassed for hosts on the list,
signin_server quick --proxy-auth "lab:$LAB_PROXY_PW"
signin_answers "$RUN/bypass.ini" "[proxy]" "enabled = yes" \
    "url = http://127.0.0.1:$(cat "$SRV/proxy-port")" \
    "bypass = 127.0.0.*"
signin_expect 0 bypass -a "$RUN/bypass.ini"
! grep -q "PROXY" "$SRV/requests.log" || fail "bypass list ignored"
# ... refused with the wrong password, or none resolvable.
signin_server quick --proxy-auth "lab:$LAB_PROXY_PW"
signin_answers "$RUN/badpw.ini" "[proxy]" "enabled = yes" \
    "url = http://127.0.0.1:$(cat "$SRV/proxy-port")" "username = lab" \
    "password = env:LAB_WRONG_PW"
LAB_WRONG_PW=nope signin_expect 1 proxy407 -a "$RUN/badpw.ini"
signin_finding proxy407 signin.proxy-auth
grep -q "407" "$RUN/proxy407.err" || fail "407 not named"
signin_expect 1 proxynopw -a "$RUN/badpw.ini"
signin_finding proxynopw signin.proxy-password
signin_answers "$RUN/deadproxy.ini" "[proxy]" "enabled = yes" \
    "url = http://127.0.0.1:9"
signin_expect 1 deadproxy -a "$RUN/deadproxy.ini"
signin_finding deadproxy signin.proxy
signin_answers "$RUN/nourl.ini" "[proxy]" "enabled = yes"
signin_expect 1 proxynourl -a "$RUN/nourl.ini"
signin_finding proxynourl signin.proxy-url

signin_no_secrets
echo ok
