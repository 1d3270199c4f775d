#!/bin/sh
# Issue 14 item 2 through the binary: a gMSA installs the role with the
# pool identity and then runs the SCEP pool, as planned, journaled changes
# that apply once; a plain account keeps its password reference.
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
grep -qF "ndes.gmsa-ra-keys" "$WORK/last.err" "$out" ||
	fail "gMSA: no word on the RA keys"
ok "gMSA: pool identity install, then the pool runs as the gMSA"

# On the configured profile (its role, pool and RA certificates), moving
# the pool to the gMSA applies once and rolls back.
t=$(mktmp)/c
expect_rc 0 "$NDESWIZ" -t "$t" --profile ws2022-ndes -a "$g" apply --yes
grep -q 'userName="CONTOSO\\gmsa-ndes\$"' "$t/applicationHost.config" ||
	fail "gMSA: applicationHost.config lacks the pool user"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$g" plan
grep -q "No changes" "$WORK/last.out" || fail "gMSA: plan after apply:
$(cat "$WORK/last.out")"
ok "gMSA: applied once; the next plan is empty"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
! grep -q 'gmsa-ndes' "$t/applicationHost.config" &&
    grep -q 'userName="CONTOSO\\svc-ndes"' "$t/applicationHost.config" ||
	fail "gMSA: rollback left the pool user"
ok "gMSA: rolled back from the journal"

export NDES_SVC_PASSWORD=only-a-reference
expect_rc 0 "$NDESWIZ" -t "$(mktmp)/p" -a "$ex" plan
grep -qF -- "-ServiceAccountPassword <env:NDES_SVC_PASSWORD>" \
    "$WORK/last.out" || fail "plain account lost its password reference"
! grep -qF "processModel [userName]" "$WORK/last.out" ||
	fail "plain account: pool changed by hand"
ok "plain account: service-account install, no pool change"
