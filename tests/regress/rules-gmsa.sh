#!/bin/sh
# Issue 14 item 2 through the binary: a gMSA installs the role with the
# pool identity, then runs the SCEP pool and reads the RA certificates'
# private keys, as planned, journaled changes that apply once and roll
# back; a plain account keeps its password reference.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
g=$(mktmp)/gmsa.ini
sed -e 's/^ndes_service_account = .*/ndes_service_account = CONTOSO\\gmsa-ndes$/' \
    -e 's/^ndes_service_password = .*/ndes_service_password =/' "$ex" >"$g"
t=$(mktmp)/t

expect_rc 0 "$NDESWIZ" -t "$t" -a "$g" plan
out=$WORK/last.out
grep -qF -- "-ApplicationPoolIdentity -CAConfig" "$out" ||
	fail "gMSA: role not installed with the pool identity: $(cat "$out")"
! grep -qF -- "-ServiceAccountPassword" "$out" ||
	fail "gMSA: a password parameter is planned"
grep -qF "add[@name='SCEP']/processModel [userName]" "$out" &&
    grep -qF 'CONTOSO\gmsa-ndes$' "$out" ||
	fail "gMSA: the pool is not set to the gMSA"
for tpl in EnrollmentAgentOffline CEPEncryption; do
	grep -qF "grant private key access My\\(the $tpl RA certificate the role install enrolls) [CONTOSO\\gmsa-ndes\$]" \
	    "$out" || fail "gMSA: no key access planned for $tpl: $(cat "$out")"
done
ok "gMSA: pool identity install, then the pool runs as the gMSA and reads the RA keys"

# A dir target does not enroll: the role install leaves no RA
# certificate, so the key step fails at apply and the run is undone.
before=$(snapshot "$t")
expect_rc 3 "$NDESWIZ" -t "$t" -a "$g" apply --yes
grep -qF "no valid EnrollmentAgentOffline RA certificate with its key" \
    "$WORK/last.err" || fail "gMSA: no reason for the failed apply:
$(cat "$WORK/last.err")"
grep -qF "Every change of this run was undone" "$WORK/last.err" ||
	fail "gMSA: the failed run was not undone"
[ "$(snapshot "$t")" = "$before" ] ||
	fail "gMSA: a failed key step left changes behind"
ok "gMSA: no RA certificate after the role install: apply fails, all undone"

# On the configured profile (its role, pool and RA certificates), moving
# the pool to the gMSA applies once and rolls back.
t=$(mktmp)/c
expect_rc 0 "$NDESWIZ" -t "$t" --profile ws2022-ndes -a "$g" apply --yes
grep -q 'userName="CONTOSO\\gmsa-ndes\$"' "$t/applicationHost.config" ||
	fail "gMSA: applicationHost.config lacks the pool user"
# The profile's RA certificates (tests/tools/make-ndes-profile.sh):
# EnrollmentAgentOffline and CEPEncryption, found at apply.
for th in 448CEC793CC225E4088F77B5C77E2054F88FE4E1 \
    8ECCB5325D75BFD65FB8FDA30A2E76D246429727; do
	[ "$(cat "$t/certs/My/$th.acl")" = 'CONTOSO\gmsa-ndes$' ] ||
		fail "gMSA: $th's key is not readable by the gMSA"
	grep -q "\"kind\":\"keyacl\",\"path\":\"My\\\\\\\\$th\"" \
	    "$t/.ndeswiz/journal" || fail "gMSA: journal lacks $th's key change"
done
[ "$(ls "$t/certs/My/"*.acl | wc -l)" -eq 2 ] ||
	fail "gMSA: a key other than the RA certificates' was changed"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$g" plan
grep -q "No changes" "$WORK/last.out" || fail "gMSA: plan after apply:
$(cat "$WORK/last.out")"
ok "gMSA: applied once; the next plan is empty"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
! grep -q 'gmsa-ndes' "$t/applicationHost.config" &&
    grep -q 'userName="CONTOSO\\svc-ndes"' "$t/applicationHost.config" ||
	fail "gMSA: rollback left the pool user"
! ls "$t/certs/My/"*.acl 2>/dev/null || fail "gMSA: rollback left key access"
ok "gMSA: pool and key access rolled back from the journal"

export NDES_SVC_PASSWORD=only-a-reference
expect_rc 0 "$NDESWIZ" -t "$(mktmp)/p" -a "$ex" plan
grep -qF -- "-ServiceAccountPassword <env:NDES_SVC_PASSWORD>" \
    "$WORK/last.out" || fail "plain account lost its password reference"
! grep -qF "processModel [userName]" "$WORK/last.out" ||
	fail "plain account: pool changed by hand"
ok "plain account: service-account install, no pool change"
