#!/bin/sh
# Issue 14 item 12 through the binary: where the connector is not
# installed, plan warns prereqs.connector-not-installed and gives, from
# the answers, what to choose in its configuration wizard (features,
# service account, proxy with its scheme, cloud); the Sign-in screen says
# the same. Where it is installed (the configured profile), neither does.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference

sed -e 's/^connector_account = .*/connector_account = domain/' \
    -e 's/^connector_domain_account =.*/connector_domain_account = CONTOSO\\svc-conn/' \
    -e 's/^connector_password =.*/connector_password = env:CONN_PW/' \
    -e 's/^cloud = .*/cloud = gcc-high/' \
    -e 's/^scenarios = .*/scenarios = scep, revocation/' "$ex" >"$WORK/h.ini"
grep -q '^cloud = gcc-high' "$WORK/h.ini" || fail "bad fixture"
export CONN_PW=not-used

run_rc fresh "$NDESWIZ" -t "$(mktmp)/t" -a "$WORK/h.ini" plan
[ "$rc" -eq 0 ] || fail "fresh: exit $rc: $(cat "$WORK/fresh.err")"
for want in "[prereqs.connector-not-installed]" \
    "Features: select 'SCEP', 'Certificate revocation'; leave cleared 'PKCS', 'PKCS imported certificates'" \
    "Service account: 'Use a domain user account' CONTOSO\\svc-conn" \
    "Proxy: select 'Use proxy', server http://proxy.contoso.com:8080 (with its scheme" \
    "Sign in: environment US Government GCC High"; do
	grep -qF -- "$want" "$WORK/fresh.err" ||
		fail "fresh plan lacks '$want': $(cat "$WORK/fresh.err")"
done
ok "plan, connector not installed: the wizard's choices from the answers"

run_rc conf "$NDESWIZ" -t "$(mktmp)/t" --profile ws2022-ndes -a "$ex" plan
[ "$rc" -eq 0 ] || fail "configured: exit $rc"
! grep -qF connector-not-installed "$WORK/conf.err" ||
	fail "configured: says not installed"
ok "plan, connector installed: no hand-over"

# The Sign-in screen (100x40 so that the whole hand-over shows).
signin_screen() {
	tui_start 100 40 "LANG=C.UTF-8 NDESWIZ_ASSETS='$NDESWIZ_ASSETS' \
	    CONN_PW=x NDES_SVC_PASSWORD=x '$NDESWIZ' -t '$1' $2 -a '$3'"
	tui_page Welcome
	tui_keys Enter
	i=0
	while ! tui_screen | grep -q "▶ Sign-in"; do
		i=$((i + 1))
		[ "$i" -le 8 ] || { tui_dump; fail "no Sign-in page"; }
		tui_keys NPage
		sleep 0.3
	done
}
signin_screen "$(mktmp)/t" "" "$WORK/h.ini"
tui_wait "not installed on this server yet"
tui_wait "Features: select 'SCEP', 'Certificate revocation'"
tui_wait "US Government GCC High"
tui_keys F10
sleep 0.3
tui_keys y
tui_exit
ok "Sign-in screen, connector not installed: the hand-over"

signin_screen "$(mktmp)/t" "--profile ws2022-ndes" "$ex"
tui_wait "Optional: sign in"
tui_absent "not installed on this server yet"
tui_keys F10
sleep 0.3
tui_keys y
tui_exit
ok "Sign-in screen, connector installed: none"
