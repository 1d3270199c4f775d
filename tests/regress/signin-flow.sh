#!/bin/sh
# ndeswiz signin against the loopback lab: the device code flow end to
# end (pending, slow_down, success), how it ends when the admin declines,
# the code expires or is unknown, and that no token is ever written.
. "$TOP/tests/regress/lib.sh"
. "$TOP/tests/lab/signin-lib.sh"

signin_lab

# pending -> slow_down -> success, then /me and the connectors.
signin_server ok
signin_expect 0 ok -a "$RUN/answers.ini"
grep -q "LAB-CODE" "$RUN/ok.err" || fail "no user code shown"
grep -q "https://127.0.0.1/devicelogin" "$RUN/ok.err" || fail "no URL"
grep -q "To sign in, use a web browser" "$RUN/ok.err" ||
	fail "the server's message is not shown"
grep -q "checking every 1 s" "$RUN/ok.err" || fail "interval 1 not shown"
grep -q "slow down: checking every 6 s" "$RUN/ok.err" ||
	fail "the new interval after slow_down is not shown"
grep -q "Signed in as admin@contoso.onmicrosoft.com" "$RUN/ok.out" ||
	fail "no user: $(cat "$RUN/ok.out")"
grep -q '^\* NDES01 .*NDES01.contoso.com .*active' "$RUN/ok.out" ||
	fail "this machine's row not marked: $(cat "$RUN/ok.out")"
grep -q '^  NDES02 .*ndes02.contoso.com .*active' "$RUN/ok.out" ||
	fail "the other connector: $(cat "$RUN/ok.out")"
grep -q "connectors in the tenant: 2" "$RUN/ok.out" || fail "count"
[ "$(grep -c 'POST token' "$SRV/requests.log")" -eq 3 ] ||
	fail "3 polls expected: $(cat "$SRV/requests.log")"

# The poll times the server saw: at least 1 s apart, then at least 6 s
# after slow_down (the interval itself, 6, is in the --json run below).
# The ceilings only catch a hang: a loaded machine may be slow.
awk '$3 == "token" { t[n++] = $1 } END {
	if (n != 3) exit 1
	g1 = t[1] - t[0]; g2 = t[2] - t[1]
	printf "poll gaps: %.2f s, %.2f s\n", g1, g2
	if (g1 < 0.9 || g1 > 60) exit 2
	if (g2 < 5.9 || g2 > 60) exit 3
}' "$SRV/requests.log" || fail "poll timing: $(cat "$SRV/requests.log")"

# --json: the same facts, machine-readable; the prompt still on stderr.
signin_server ok
signin_expect 0 json -a "$RUN/answers.ini" --json
jq -e '.state == "done" and .user == "admin@contoso.onmicrosoft.com"
    and .machine == "ndes01.contoso.com"
    and .prompt.user_code == "LAB-CODE" and .prompt.interval == 6
    and (.connectors | length) == 2
    and ([.connectors[] | select(.this_machine)] | length) == 1
    and ([.connectors[] | select(.this_machine)][0].display_name
        == "NDES01")
    and ([.findings[] | select(.code == "signin.signed-in")] | length)
        == 1' <"$RUN/json.out" >/dev/null ||
	fail "signin --json: $(cat "$RUN/json.out")"
grep -q "LAB-CODE" "$RUN/json.err" || fail "--json: no prompt on stderr"

# The admin says no, the code expires, the code is unknown.
for c in "declined signin.declined" "access-denied signin.declined" \
    "expired signin.expired" "bad-code signin.bad-code" \
    "local-expiry signin.expired" \
    "token-unknown-error signin.refused"; do
	set -- $c
	signin_server "$1"
	signin_expect 1 "$1" -a "$RUN/answers.ini"
	signin_finding "$1" "$2"
	! grep -q "Signed in" "$RUN/$1.out" || fail "$1: signed in?"
	! grep -q "GET " "$SRV/requests.log" ||
		fail "$1: Graph was called without a token"
done
grep -q "authorization_declined" "$RUN/declined.err" ||
	fail "the server's error is not named"
# local-expiry: the code lived 2 s; the client stops by itself.
[ "$(grep -c 'POST token' "$WORK/srv-local-expiry/requests.log")" -le 3 ] ||
	fail "polled after the code expired"

# Ctrl-C while waiting: cancelled cleanly, exit 1, the line says so.
signin_server pending
(cd "$RUN" && exec "$NDESWIZ" signin --clouds "$RUN/clouds.ini" \
    -a "$RUN/answers.ini" </dev/null >"$RUN/int.out" 2>"$RUN/int.err") &
pid=$!
i=0
until grep -q "POST token" "$SRV/requests.log" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -le 100 ] || { kill "$pid"; fail "no poll to interrupt"; }
	sleep 0.1
done
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "Ctrl-C: exit $rc, want 1: $(cat "$RUN/int.err")"
signin_finding int signin.cancelled

# Nothing written: the client's folder holds only the test's own files,
# and no secret the servers issued is in any file.
ls "$RUN" | grep -v -e '\.out$' -e '\.err$' -e '^answers.ini$' \
    -e '^clouds.ini$' >"$WORK/extra" && fail "signin wrote files:
$(cat "$WORK/extra")"
signin_no_secrets
echo ok
