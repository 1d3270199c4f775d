#!/bin/sh
# Every step end to end on the dir target: the fresh profile with the
# example answers plans a change of every kind; apply makes them; the next
# plan is empty; the configured profile plans nothing at all.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference-is-planned
t=$(mktmp)/t2

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
out="$WORK/last.out"
for want in \
    'install Windows feature ADCS-Device-Enrollment  (prereqs)' \
    'install Windows feature Web-Server  (prereqs)' \
    '{A509B1A7-37EF-4b3f-8CFC-4F3A74704073} [IsInstalled]  (prereqs)' \
    '{A509B1A8-37EF-4b3f-8CFC-4F3A74704073} [IsInstalled]  (prereqs)' \
    '.NETFramework\v4.0.30319 [SchUseStrongCrypto]  (prereqs)' \
    'add local group member IIS_IUSRS [CONTOSO\svc-ndes]  (accounts)' \
    'register SPN CONTOSO\svc-ndes [HTTP/scep.contoso.com]  (accounts)' \
    'write file ca-runbook.txt  (template)' \
    'install role ADCS-Device-Enrollment  (ndes)' \
    'MSCEP [GeneralPurposeTemplate]  (registry)' \
    'Parameters [MaxFieldLength]  (registry)' \
    'requestLimits [maxUrl]  (registry)' \
    'set WinHTTP proxy winhttp  (proxy)' \
    ; do
	grep -qF -- "$want" "$out" || fail "plan lacks '$want':
$(cat "$out")"
done
# The connector's own settings are its wizard's: never planned.
! grep -qF 'PFXCertificateConnector' "$out" ||
	fail "plan writes the connector's own settings:
$(grep -F PFXCertificateConnector "$out")"
# The password never, only its reference.
grep -q "only-a-reference-is-planned" "$out" && fail "secret in the plan"
grep -qF -- "-ServiceAccountPassword <env:NDES_SVC_PASSWORD>" "$out" ||
	fail "role parameters lack the password reference"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "No changes" "$WORK/last.out" || fail "plan after apply:
$(cat "$WORK/last.out")"
grep -rq "only-a-reference-is-planned" "$t" && fail "secret in the target"
[ -f "$t/ca-runbook.txt" ] || fail "no runbook"
grep -q "SetCATemplates +NDESDeviceCert" "$t/ca-runbook.txt" ||
	fail "runbook lacks the publish command"

# A server that is already configured needs nothing.
c=$(mktmp)/configured
expect_rc 0 "$NDESWIZ" -t "$c" --profile ws2022-ndes -a "$ex" plan
grep -q "No changes" "$WORK/last.out" || fail "configured profile plans:
$(cat "$WORK/last.out")"
echo ok
