#!/bin/sh
# The health check against real servers: nginx with TLS in front of
# scepserver on 127.0.0.1, one port per way NDES can answer.
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_pki
lab_scep
# NDES's own page, as it answers without the Intune policy module.
cat >"$LAB/ndes.html" <<EOF
<html><head><title>Network Device Enrollment Service</title></head>
<body><p>Network Device Enrollment Service allows you to obtain
certificates for routers or other network devices.</p></body></html>
EOF

lab_nginx mscep 8443 8444 8445 8446 8447 8448 8449 8450 8451 <<EOF
server {
$(lab_tls 8443 ndes)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
server {
$(lab_tls 8444 ndes)
	location = /certsrv/mscep/mscep.dll {
		default_type text/html;
		alias $LAB/ndes.html;
	}
}
server {
$(lab_tls 8445 ndes)
	location / { return 404; }
}
server {
$(lab_tls 8446 ndes)
	location / { return 500; }
}
server {
$(lab_tls 8447 ndes)
	location / { return 503; }
}
server {
$(lab_tls 8448 ndes)
	location / { return 302 https://login.lab.test/adfs/ls/; }
}
server {
$(lab_tls 8449 ndes)
	# nginx's own default: an 8 KB request line, far below 31 KB.
	large_client_header_buffers 4 8k;
$(lab_ndes_locations)
}
server {
$(lab_tls 8450 ndes)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations "$LAB/pki/cacert-soon.p7b")
}
server {
$(lab_tls 8451 ndes)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations "$LAB/pki/cacert-expired.p7b")
}
EOF

url() {
	echo "https://127.0.0.1:$1/certsrv/mscep/mscep.dll"
}
CA="--cacert $LAB/pki/ca.pem"

# Healthy: every probe that applies passes.
# shellcheck disable=SC2086
lab_check healthy --json $CA --url "$(url 8443)"
lab_rc healthy 0
for p in mscep tls getcacaps getcacert long-url; do
	lab_state healthy "$p" pass
done
lab_has healthy health.mscep-403
lab_has healthy health.getcacaps-caps
lab_has healthy health.long-url-passed
lab_state healthy endpoints skipped
lab_state healthy reboot skipped
jq -e '.status == "pass" and .summary.fail == 0' \
    <"$WORK/healthy.out" >/dev/null || fail "healthy summary"

# Each status of the bare GET, with its own code.
for v in 8444:200 8445:404 8446:500 8447:503 8448:redirect; do
	port=${v%%:*}
	code=${v#*:}
	# shellcheck disable=SC2086
	lab_check "s$code" --json $CA --url "$(url "$port")"
	lab_rc "s$code" 1
	lab_state "s$code" mscep fail
	lab_has "s$code" "health.mscep-$code"
done
jq -r '.probes[0].findings[0].message' <"$WORK/sredirect.out" |
    grep -q "https://login.lab.test/adfs/ls/" ||
	fail "the redirect's Location is not reported"

# Long URLs: the bare GET is fine, the 31 KB one gets 414.
# shellcheck disable=SC2086
lab_check s414 --json $CA --url "$(url 8449)"
lab_rc s414 1
lab_state s414 mscep pass
lab_state s414 long-url fail
lab_has s414 health.long-url-414

# GetCACert as NDES sends it, with an RA certificate that runs out soon.
# shellcheck disable=SC2086
lab_check rasoon --json $CA --url "$(url 8450)"
lab_rc rasoon 0
lab_state rasoon getcacert warn
lab_has rasoon health.getcacert-ra-expiring
jq -e '[.probes[] | select(.name == "getcacert") | .findings[] |
    select(.code == "health.getcacert-cert")] | length == 3' \
    <"$WORK/rasoon.out" >/dev/null || fail "rasoon: not 3 certificates"

# ... and with an expired one.
# shellcheck disable=SC2086
lab_check raold --json $CA --url "$(url 8451)"
lab_rc raold 1
lab_state raold getcacert fail
lab_has raold health.getcacert-ra-expired

# The human text: one line per probe, then its findings.
# shellcheck disable=SC2086
lab_check text $CA --url "$(url 8444)"
lab_rc text 1
grep -q "^fail    mscep " "$WORK/text.out" ||
	fail "text: $(cat "$WORK/text.out")"
grep -q "\[health.mscep-200\]" "$WORK/text.out" || fail "text: no code"
grep -q "^check: .* fail" "$WORK/text.out" || fail "text: no summary"

# Nagios: OK / WARNING / CRITICAL with a time per probe as perfdata.
# shellcheck disable=SC2086
lab_check nag0 --nagios $CA --url "$(url 8443)"
lab_rc nag0 0
grep -Eq '^NDES OK - .* \| mscep=[0-9.]+s;;;0 tls=' "$WORK/nag0.out" ||
	fail "nagios OK: $(cat "$WORK/nag0.out")"
[ "$(wc -l <"$WORK/nag0.out")" -eq 1 ] || fail "nagios: not one line"
# shellcheck disable=SC2086
lab_check nag1 --nagios $CA --url "$(url 8450)"
lab_rc nag1 1
grep -q '^NDES WARNING - getcacert: \[health.getcacert-ra-expiring\]' \
    "$WORK/nag1.out" || fail "nagios WARNING: $(cat "$WORK/nag1.out")"
# shellcheck disable=SC2086
lab_check nag2 --nagios $CA --url "$(url 8444)"
lab_rc nag2 2
grep -q '^NDES CRITICAL - mscep: \[health.mscep-200\]' "$WORK/nag2.out" ||
	fail "nagios CRITICAL: $(cat "$WORK/nag2.out")"
echo ok
