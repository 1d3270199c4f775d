#!/bin/sh
# The health check when TLS or the connection is wrong: each trouble has a
# finding code of its own, on 127.0.0.1 servers made for it.
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_pki
lab_scep

lab_nginx tls 8443 8460 8461 8462 <<EOF
server {
$(lab_tls 8443 ndes)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
server {
$(lab_tls 8460 wrongname)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
server {
$(lab_tls 8461 expired)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
server {
$(lab_tls 8462 soon)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
EOF
lab_silent 8498

url() {
	echo "https://127.0.0.1:$1/certsrv/mscep/mscep.dll"
}
CA="--cacert $LAB/pki/ca.pem"

# A certificate for another name.
# shellcheck disable=SC2086
lab_check name --json $CA --url "$(url 8460)"
lab_rc name 1
lab_has name health.mscep-tls-name-mismatch
lab_has name health.tls-name-mismatch
lab_state name tls fail

# An expired one.
# shellcheck disable=SC2086
lab_check expired --json $CA --url "$(url 8461)"
lab_rc expired 1
lab_has expired health.mscep-tls-expired
lab_has expired health.tls-expired

# One that runs out in ten days: a warning, the check still passes.
# shellcheck disable=SC2086
lab_check soon --json $CA --url "$(url 8462)"
lab_rc soon 0
lab_state soon tls warn
lab_has soon health.tls-expiring
lab_state soon mscep pass

# Our lab CA is nobody's: without --cacert the chain is untrusted.
lab_check untrusted --json --url "$(url 8443)"
lab_rc untrusted 1
lab_has untrusted health.mscep-tls-untrusted
lab_has untrusted health.tls-untrusted
lab_has untrusted health.getcacaps-tls-untrusted

# [health] ca_bundle does what --cacert does; the answers' names are
# checked against the certificate too.
cat >"$WORK/names.ini" <<EOF
[meta]
version = 1
[binding]
fqdn = ndes.lab.test
external_names = scep.lab.test, missing.lab.test
[health]
url = $(url 8443)
ca_bundle = $LAB/pki/ca.pem
EOF
lab_check names --json -a "$WORK/names.ini"
lab_rc names 1
lab_state names mscep pass
lab_state names tls fail
lab_has names health.tls-name-mismatch
jq -e '[.probes[] | select(.name == "tls") | .findings[] |
    select(.code == "health.tls-name-mismatch")] | length == 1 and
    .[0].field == "binding.external_names" and
    (.[0].message | contains("missing.lab.test"))' <"$WORK/names.out" \
    >/dev/null || fail "names: $(cat "$WORK/names.out")"

# Nothing listens: refused.
# shellcheck disable=SC2086
lab_check refused --json $CA --url "$(url 8499)"
lab_rc refused 1
lab_has refused health.mscep-refused
lab_has refused health.tls-refused

# A server that never answers: every probe times out after --timeout,
# all at once, not one after the other. Two timeouts in a row would take
# 20 s; the ceiling leaves 9 s for a loaded machine.
start=$(date +%s)
# shellcheck disable=SC2086
lab_check silent --json $CA --timeout 10 --url "$(url 8498)"
took=$(($(date +%s) - start))
lab_rc silent 1
lab_has silent health.mscep-timeout
lab_has silent health.long-url-timeout
[ "$took" -ge 10 ] || fail "timeouts took $took s, less than the 10 asked"
[ "$took" -lt 20 ] || fail "timeouts took $took s: one after the other?"

# A name that does not resolve (no DNS in this namespace, so it fails at
# once).
lab_check dns --json --timeout 3 \
    --url https://ndes.invalid/certsrv/mscep/mscep.dll
lab_rc dns 1
lab_has dns health.mscep-dns

# A bad --cacert is an input error, not a finding.
lab_check badca --cacert "$WORK/none.pem" --url "$(url 8443)"
lab_rc badca 2
grep -q "none.pem: cannot read" "$WORK/badca.err" || fail "badca"
echo ok
