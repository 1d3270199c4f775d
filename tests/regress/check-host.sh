#!/bin/sh
# "ndeswiz check" as the validator of a configured server: a target made
# from the ws2022-ndes profile, probed against the loopback lab (NDES in
# nginx + scepserver, the cloud's stand-ins, the CA's CRL on the CDP the
# profile's RA certificates name). Healthy, it is OK; each way the server
# can be broken gives its row's state, its finding and the exit codes of
# --json (0/1) and --nagios (0/1/2).
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_pki
lab_scep
# NDES's certificate for the names the example's clients use.
lab_cert contoso ca server_ext /CN=ndes01.contoso.com \
    DNS:ndes01.contoso.com,DNS:scep.contoso.com,IP:127.0.0.1 -days 365

lab_nginx ndes 8443 9441 9442 9443 9444 <<EOF
server {
$(lab_tls 8443 contoso)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
$(lab_cloud_servers)
EOF

cat >"$WORK/clouds.ini" <<EOF
[custom]
title = The lab's stand-ins
login = 127.0.0.1:9441
graph = 127.0.0.1:9442
intune = 127.0.0.1:9443
update = 127.0.0.1:9444
ca_file = $LAB/pki/ca.pem
EOF
# The example's answers, but the lab's cloud and no proxy.
sed -e 's/^cloud = public/cloud = custom/' \
    -e '/^\[proxy\]/,/^\[/s/^enabled = yes/enabled = no/' \
    "$TOP/assets/examples/contoso.ini" >"$WORK/answers.ini"
grep -q '^cloud = custom' "$WORK/answers.ini" || fail "answers: cloud"

URL=https://127.0.0.1:8443/certsrv/mscep/mscep.dll
export NDESWIZ_ASSETS="$TOP/assets"

# --- the target and its edits -------------------------------------------

# The registry of a target is UTF-16LE with CRLF; edit it as UTF-8.
reg_text() {
	iconv -f UTF-16LE -t UTF-8 "$1/registry.reg" | sed '1s/^\xef\xbb\xbf//' |
	    tr -d '\r'
}
reg_write() { # TARGET <new text on stdin>
	{ printf '\357\273\277'; sed 's/$/\r/'; } | iconv -f UTF-8 \
	    -t UTF-16LE >"$1/registry.reg.new"
	mv "$1/registry.reg.new" "$1/registry.reg"
}
reg_sed() { # TARGET SED-SCRIPT
	reg_text "$1" | sed "$2" >"$WORK/reg.txt"
	reg_write "$1" <"$WORK/reg.txt"
}
reg_add() { # TARGET <lines to append on stdin>
	{ reg_text "$1"; cat; } >"$WORK/reg.txt"
	reg_write "$1" <"$WORK/reg.txt"
}
SW='HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft'

# The connector stamps its last contact every few minutes; the profile's
# stamp is old, so each target gets the time of this run, as the
# connector would have written it.
fresh_target() { # NAME -> $T
	T=$WORK/t-$1
	expect_rc 0 "$NDESWIZ" -t "$T" --profile ws2022-ndes -a \
	    "$WORK/answers.ini" plan
	reg_sed "$T" "s/^\"LastConnectionTime\"=.*/\"LastConnectionTime\"=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"/"
	# The lab has no proxy: neither has the connector (its wizard's
	# Proxy page cleared), as the answers say.
	reg_sed "$T" '/^"ProxyServer"=/d; /^"Port"=dword/d'
}

# check_both NAME JSON-RC NAGIOS-RC: run --json and --nagios on $T.
check_both() {
	lab_check "$1" -t "$T" -a "$WORK/answers.ini" --json --cacert \
	    "$LAB/pki/ca.pem" --clouds "$WORK/clouds.ini" --url "$URL"
	lab_rc "$1" "$2"
	lab_check "$1-nagios" -t "$T" -a "$WORK/answers.ini" --nagios \
	    --cacert "$LAB/pki/ca.pem" --clouds "$WORK/clouds.ini" --url "$URL"
	lab_rc "$1-nagios" "$3"
}

nagios_line() { # NAME STATUS CODE
	grep -q "^NDES $2 - .*\[$3\]" "$WORK/$1-nagios.out" ||
		fail "$1: nagios: $(cat "$WORK/$1-nagios.out")"
}

# An expired certificate (faketime: openssl sets no past dates with req).
expired_cert() { # NAME SUBJECT ISSUER-CERT ISSUER-KEY [EXT-FILE]
	openssl req -new -newkey rsa:2048 -nodes -subj "$2" \
	    -keyout "$WORK/$1.key" -out "$WORK/$1.csr" 2>/dev/null
	faketime '2020-01-01 00:00:00' openssl x509 -req -in "$WORK/$1.csr" \
	    -CA "$3" -CAkey "$4" -CAcreateserial -days 30 \
	    ${5:+-extfile "$5"} -out "$WORK/$1.pem" 2>/dev/null ||
		fail "openssl: $1"
	openssl x509 -in "$WORK/$1.pem" -noout -fingerprint -sha1 |
	    sed 's/.*=//; s/://g'
}

# --- the CDP unreachable: nothing serves the CRL yet ---------------------

fresh_target cdp
check_both cdp 1 2
lab_state cdp crl fail
lab_has cdp health.crl-unreachable
nagios_line cdp CRITICAL health.crl-unreachable
grep -q "HTTP 500" "$WORK/cdp.out" || fail "cdp: no meaning"

# Now the CA's CRL on the CDP the RA certificates name.
lab_crl

# --- healthy --------------------------------------------------------------

fresh_target healthy
check_both healthy 0 0
grep -q "^NDES OK - " "$WORK/healthy-nagios.out" ||
	fail "healthy: $(cat "$WORK/healthy-nagios.out")"
jq -e '.status == "pass" and .summary.fail == 0 and .summary.warn == 0' \
    <"$WORK/healthy.out" >/dev/null ||
	fail "healthy: $(jq -c '[.probes[] | select(.state != "pass") |
	    {(.name): [.state, [.findings[] | select(.severity != "ok") |
	    .code]]}]' <"$WORK/healthy.out")"
for p in mscep tls getcacaps getcacert long-url endpoints crl connector \
    services connector-cert last-contact reboot; do
	lab_state healthy "$p" pass
done
for c in health.crl-ok health.connector-installed health.connector-alone \
    health.services-running health.connector-cert-valid \
    health.last-contact-recent health.reboot-none ndes.ra-cert \
    registry.mscep registry.limit; do
	lab_has healthy "$c"
done
# The step inspections are rows of the same table.
jq -e '[.probes[] | select(.source == "inspect") | .name] |
    index("registry") != null and index("ndes") != null' \
    <"$WORK/healthy.out" >/dev/null || fail "healthy: no inspect rows"

# --- broken, one way at a time -------------------------------------------

# A connector service stopped.
fresh_target stopped
sed -i 's/^PKICertificateConnectorSvc: running/PKICertificateConnectorSvc: stopped/' \
    "$T/services.txt"
check_both stopped 1 2
lab_state stopped services fail
lab_has stopped health.services-stopped
nagios_line stopped CRITICAL health.services-stopped

# A service the scenarios need is not there at all (revocation).
fresh_target revoke
sed 's/^scenarios = .*/scenarios = scep, pkcs, revocation/' \
    "$WORK/answers.ini" >"$WORK/revoke.ini"
lab_check revoke -t "$T" -a "$WORK/revoke.ini" --json --cacert \
    "$LAB/pki/ca.pem" --clouds "$WORK/clouds.ini" --url "$URL"
lab_rc revoke 1
lab_has revoke health.services-missing
grep -q PkiRevokeConnectorSvc "$WORK/revoke.out" || fail "revoke: name"

# The legacy NDES connector still installed.
fresh_target legacy
reg_add "$T" <<EOF
[$SW\\Windows\\CurrentVersion\\Uninstall\\{0B0F3D5C-1111-4A2B-8C3D-123456789ABC}]
"DisplayName"="Microsoft Intune Connector"
"DisplayVersion"="6.1905.0.404"

EOF
check_both legacy 1 2
lab_state legacy connector fail
lab_has legacy health.connector-legacy
nagios_line legacy CRITICAL health.connector-legacy

# The Intune Connector for Active Directory on the same server.
fresh_target adconn
echo "ODJConnectorSvc: running" >>"$T/services.txt"
check_both adconn 0 1
lab_state adconn connector warn
lab_has adconn health.connector-ad-connector
nagios_line adconn WARNING health.connector-ad-connector

# The connector below the oldest supported release.
fresh_target old
reg_sed "$T" 's/^"DisplayVersion"="6.2406.0.1001"/"DisplayVersion"="6.2101.13.0"/'
check_both old 0 1
lab_state old connector warn
lab_has old health.connector-old
nagios_line old WARNING health.connector-old

# The connector not installed at all.
fresh_target noconn
reg_sed "$T" 's/^"DisplayName"="Certificate Connector for Microsoft Intune"/"DisplayName"="Something Else"/'
check_both noconn 1 2
lab_has noconn health.connector-missing

# A reboot pending: each marker alone.
fresh_target cbs
reg_add "$T" <<EOF
[$SW\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending]

EOF
check_both cbs 0 1
lab_state cbs reboot warn
nagios_line cbs WARNING health.reboot-pending
grep -q "component servicing" "$WORK/cbs.out" || fail "cbs: which marker"
fresh_target wu
reg_add "$T" <<EOF
[$SW\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired]

EOF
check_both wu 0 1
lab_has wu health.reboot-pending
grep -q "Windows Update" "$WORK/wu.out" || fail "wu: which marker"
fresh_target rename
reg_add "$T" <<'EOF'
[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager]
"PendingFileRenameOperations"=hex(7):5c,00,3f,00,00,00,00,00

EOF
check_both rename 0 1
lab_has rename health.reboot-pending
grep -q "PendingFileRenameOperations" "$WORK/rename.out" || fail "rename"

# The connector's certificate expired (a new one of its CA, old dates).
fresh_target connexp
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
    -subj "/CN=Microsoft Intune ImportPFX Connector CA" \
    -keyout "$WORK/icca.key" -out "$WORK/icca.pem" 2>/dev/null
thumb=$(expired_cert connold /CN=NDES01-PFXConnector "$WORK/icca.pem" \
    "$WORK/icca.key")
cat "$WORK/connold.pem" "$WORK/connold.key" >"$T/certs/My/$thumb.pem"
reg_sed "$T" "s/^\"EncryptionCertThumbprint\"=.*/\"EncryptionCertThumbprint\"=\"$thumb\"/"
check_both connexp 1 2
lab_state connexp connector-cert fail
lab_has connexp health.connector-cert-expired
nagios_line connexp CRITICAL health.connector-cert-expired

# The last contact a day and more ago (the profile's own stamp).
T=$WORK/t-stale
expect_rc 0 "$NDESWIZ" -t "$T" --profile ws2022-ndes -a "$WORK/answers.ini" \
    plan
check_both stale 0 1
lab_state stale last-contact warn
nagios_line stale WARNING health.last-contact-stale

# RA certificates: an expired one beside the valid (renewed) ones passes;
# only expired ones fail.
ra_ext() { # TEMPLATE -> ext file
	hex=$(printf '%s' "$1" | iconv -t UTF-16BE | od -An -tx1 |
	    tr -d ' \n' | sed 's/../&:/g; s/:$//')
	printf 'extendedKeyUsage=1.3.6.1.4.1.311.20.2.1\n1.3.6.1.4.1.311.20.2=DER:1e:%02x:%s\n' \
	    $((${#1} * 2)) "$hex" >"$WORK/$1.ext"
	echo "$WORK/$1.ext"
}
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Old CA" \
    -keyout "$WORK/oldca.key" -out "$WORK/oldca.pem" 2>/dev/null
fresh_target renewed
for tpl in EnrollmentAgentOffline CEPEncryption; do
	thumb=$(expired_cert "old-$tpl" /CN=CONTOSO-NDES-RA "$WORK/oldca.pem" \
	    "$WORK/oldca.key" "$(ra_ext "$tpl")")
	cat "$WORK/old-$tpl.pem" "$WORK/old-$tpl.key" \
	    >"$T/certs/My/$thumb.pem"
done
check_both renewed 0 0
lab_has renewed ndes.ra-cert
if jq -e '[.probes[].findings[].code] | index("ndes.ra-cert-expired")' \
    <"$WORK/renewed.out" >/dev/null; then
	fail "renewed: an old RA certificate beside a valid one failed"
fi
# Now without the valid ones.
for f in "$T"/certs/My/*.pem; do
	if openssl x509 -in "$f" -noout -subject | grep -q CONTOSO-NDES-RA &&
	    openssl x509 -in "$f" -noout -checkend 0 >/dev/null; then
		rm "$f"
	fi
done
check_both allexpired 1 2
lab_state allexpired ndes fail
lab_has allexpired ndes.ra-cert-expired
nagios_line allexpired CRITICAL ndes.ra-cert-expired

# The NDES account out of IIS_IUSRS.
fresh_target iusrs
sed -i '/^IIS_IUSRS: CONTOSO\\svc-ndes$/d' "$T/groups.txt"
check_both iusrs 0 1
lab_state iusrs accounts warn
nagios_line iusrs WARNING accounts.not-in-iis-iusrs

# An SPN missing.
fresh_target spn
sed -i '/HTTP\/scep.contoso.com$/d' "$T/spns.txt"
check_both spn 0 1
lab_state spn accounts warn
nagios_line spn WARNING accounts.spn-missing

# The MSCEP value holds the display name, not the template name.
fresh_target mscep
reg_sed "$T" 's/^"GeneralPurposeTemplate"=.*/"GeneralPurposeTemplate"="NDES Device Cert"/'
check_both mscep 0 1
lab_state mscep registry warn
nagios_line mscep WARNING registry.mscep-mismatch

# The request limits back at their defaults.
fresh_target limits
reg_sed "$T" 's/^"MaxFieldLength"=.*/"MaxFieldLength"=dword:00004000/'
check_both limits 0 1
lab_state limits registry warn
nagios_line limits WARNING registry.limit-low

# The CRL past its next update: a CRL of the lab's CA would not do (the
# profile's CA key is not kept), so a 404 stands for a CRL NDES cannot use.
rm "$LAB/www/pki/contoso-ca.crl"
fresh_target crl404
check_both crl404 1 2
lab_has crl404 health.crl-http

# Without a target the host rows say why they do not run.
lab_check notarget -a "$WORK/answers.ini" --json --cacert \
    "$LAB/pki/ca.pem" --clouds "$WORK/clouds.ini" --url "$URL"
for p in crl connector services connector-cert last-contact reboot; do
	lab_state notarget "$p" skipped
done
grep -q "no server to read" "$WORK/notarget.out" || fail "notarget: reason"
# For the record: what a monitoring system sees.
for n in healthy stopped adconn; do
	echo "$n: $(cat "$WORK/$n-nagios.out")"
done
echo ok
