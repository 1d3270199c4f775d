#!/bin/sh
# ndeswiz signin: what the tenant's connector list says about this
# machine (active, inactive, none, another machine only), Graph paging,
# Graph refusing, and text from the server that tries to drive the
# terminal.
. "$TOP/tests/regress/lib.sh"
. "$TOP/tests/lab/signin-lib.sh"

signin_lab

signin_server inactive
signin_expect 1 inactive -a "$RUN/answers.ini"
signin_finding inactive signin.connector-inactive
signin_finding inactive signin.connector-stale
grep -q '^error \[signin.connector-inactive\].*on this machine' \
    "$RUN/inactive.err" || fail "inactive here is an error"
# machineName "ndes01" is this machine's short name.
grep -q '^\* NDES01 .*inactive' "$RUN/inactive.out" ||
	fail "short name not matched: $(cat "$RUN/inactive.out")"

signin_server none
signin_expect 0 none -a "$RUN/answers.ini"
signin_finding none signin.no-connectors
grep -q "connectors in the tenant: 0" "$RUN/none.out" || fail "none"

signin_server missing
signin_expect 0 missing -a "$RUN/answers.ini"
signin_finding missing signin.machine-not-registered
! grep -q '^\*' "$RUN/missing.out" || fail "a row marked as this machine"

signin_server paged
signin_expect 0 paged -a "$RUN/answers.ini" --json
jq -e '(.connectors | length) == 2 and
    ([.connectors[] | select(.this_machine)][0].display_name == "NDES01")
    ' <"$RUN/paged.out" >/dev/null || fail "paging: $(cat "$RUN/paged.out")"
[ "$(grep -c 'GET /beta' "$SRV/requests.log")" -eq 2 ] ||
	fail "two pages expected"

signin_server foreign-next
signin_expect 0 foreign -a "$RUN/answers.ini"
signin_finding foreign signin.graph-paging

signin_server forbidden
signin_expect 1 forbidden -a "$RUN/answers.ini"
signin_finding forbidden signin.graph-forbidden
grep -q "Application is not authorized" "$RUN/forbidden.err" ||
	fail "Graph's reason lost"

signin_server connectors-malformed
signin_expect 1 cmalformed -a "$RUN/answers.ini"
signin_finding cmalformed signin.malformed

# /me refused: a warning; the connectors are still listed.
signin_server me-forbidden
signin_expect 0 nome -a "$RUN/answers.ini"
signin_finding nome signin.me-failed
grep -q '^\* NDES01' "$RUN/nome.out" || fail "no table without /me"

# Control characters from the server never reach the terminal.
signin_server hostile-text
signin_expect 0 hostile -a "$RUN/answers.ini"
if LC_ALL=C grep -q "$(printf '\033')" "$RUN/hostile.out" "$RUN/hostile.err" ||
    LC_ALL=C grep -q "$(printf '\302\233')" "$RUN/hostile.out"; then
	fail "escape sequences passed through"
fi
grep -q "EVIL" "$RUN/hostile.out" || fail "hostile row missing"

# No [binding] fqdn: the host name is this machine's name.
signin_server none
printf '[meta]\nversion = 1\n[signin]\ncloud = custom\ntenant = %s\n' \
    contoso.onmicrosoft.com >"$RUN/nofqdn.ini"
signin_expect 0 nofqdn -a "$RUN/nofqdn.ini" --json
jq -e --arg h "$(hostname)" '.machine == $h' <"$RUN/nofqdn.out" \
    >/dev/null || fail "machine name: $(cat "$RUN/nofqdn.out")"

signin_no_secrets
echo ok
