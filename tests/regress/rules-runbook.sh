#!/bin/sh
# Issue 14, items 1 and 6 through the binary: the CA runbook per scenario
# names who needs which right (never an empty principal), the version 2
# wording for SCEP, and the Domain Users warning.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference

# answers SCENARIOS [sed-expr]: an answer file from the example.
answers() {
	f=$(mktmp)/a.ini
	sed -e "s/^scenarios = .*/scenarios = $1/" ${2:+-e "$2"} "$ex" >"$f"
	echo "$f"
}

# runbook NAME ANSWERS: apply into a fresh target, print the runbook path.
runbook() {
	t=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$2" apply --yes
	[ -f "$t/ca-runbook.txt" ] || fail "$1: no runbook"
	cp "$t/ca-runbook.txt" "$WORK/$1.txt"
}

has() { grep -qF -- "$2" "$WORK/$1.txt" || fail "$1 lacks '$2':
$(cat "$WORK/$1.txt")"; }
hasnt() { ! grep -qF -- "$2" "$WORK/$1.txt" || fail "$1 has '$2':
$(cat "$WORK/$1.txt")"; }

runbook scep "$(answers scep)"
has scep 'CONTOSO\svc-ndes: Read and Enroll'
has scep '"Windows Server 2003" compatibility'
has scep '/R "CONTOSO\Domain Users"'
hasnt scep 'Allow private key to be exported'
hasnt scep 'certsrv.msc'
ok "scep: NDES account enrolls; v2 template; Domain Users removed"

runbook pool "$(answers scep 's/^app_pool_identity = .*/app_pool_identity = app-pool/')"
has pool '/G "CONTOSO\NDES01$:CA;Enroll"'
hasnt pool 'svc-ndes:'
ok "app-pool: the computer account enrolls on the SCEP template"

runbook pr "$(answers 'pkcs, revocation' 's/^ndes_service_account = .*/ndes_service_account =/')"
hasnt pr '":GR"'
has pr '/G "CONTOSO\NDES01$:GR"'
has pr 'Allow private key to be exported'
has pr 'Issue and Manage Certificates and Request Certificates'
has pr 'revocation: the connector revokes'
ok "pkcs+revocation without an NDES account: the connector's principal"

runbook rev "$(answers revocation)"
has rev 'give CONTOSO\NDES01$'
hasnt rev 'certtmpl.msc'
ok "revocation alone: CA rights only"

runbook imp "$(answers pkcs-import)"
has imp 'Imported PFX'
hasnt imp 'certsrv.msc'
ok "pkcs-import alone: the key access only"

runbook all "$(answers 'scep, pkcs, pkcs-import, revocation')"
for s in 'CONTOSO\svc-ndes: Read and Enroll' 'CONTOSO\NDES01$: Read and Enroll' \
    'SetCATemplates +NDESDeviceCert' 'Imported PFX' 'certsrv.msc'; do
	has all "$s"
done
ok "all scenarios: every part"
