#!/bin/sh
# The events probe on a dir target: each event ID rule of the table, the
# look-back window ([health] event_days), the channels' filters (level,
# provider, which service a System error is about), a missing, an
# unreadable and a malformed channel file, control characters in a
# message, and the verdict line. The cloud's hosts are one local TLS
# server (the endpoints probe passes), so the verdict is the events'.
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_pki

lab_nginx cloud 9443 <<EOF
server {
$(lab_tls 9443 ndes)
	location / { return 200 "ok"; }
}
EOF
cat >"$WORK/clouds.ini" <<EOF
[custom]
title = The lab's stand-in
login = 127.0.0.1:9443
graph = 127.0.0.1:9443
intune = 127.0.0.1:9443
update = 127.0.0.1:9443
ca_file = $LAB/pki/ca.pem
EOF
printf '[meta]\nversion = 1\n[prereqs]\nscenarios = pkcs\n[signin]\ncloud = custom\n[proxy]\nenabled = no\n' \
    >"$WORK/a.ini"
CL="--clouds $WORK/clouds.ini"

T=$WORK/target
# plan makes the target (and has its own findings about the answers).
run_rc mk "$NDESWIZ" -t "$T" --profile ws2022-ndes plan
[ -f "$T/registry.reg" ] || fail "no target: $(cat "$WORK/mk.err")"
E=$T/events
ADMIN=$E/Microsoft-Intune-CertificateConnectors/Admin.jsonl
OPER=$E/Microsoft-Intune-CertificateConnectors/Operational.jsonl
UPD=$E/Microsoft-AzureADConnect-AgentUpdater/Admin.jsonl
APP=$E/Application.jsonl
SYS=$E/System.jsonl

ago() { # DAYS -> an ISO time that many days (and a minute) ago
	date -u -d "-$1 days -1 minute" +%Y-%m-%dT%H:%M:%SZ
}
ev() { # FILE DAYS-AGO ID LEVEL PROVIDER MESSAGE
	jq -cn --arg t "$(ago "$2")" --argjson id "$3" --arg l "$4" \
	    --arg p "$5" --arg m "$6" \
	    '{time: $t, id: $id, level: $l, provider: $p, message: $m}' \
	    >>"$1"
}

# Without events/ the probe says why it does not run.
lab_check nologs --json $CL -a "$WORK/a.ini" -t "$T"
lab_rc nologs 0
lab_state nologs events skipped
lab_has nologs health.events-no-logs
# Without a target it has no host at all.
lab_check nohost --json $CL -a "$WORK/a.ini"
lab_state nohost events skipped
lab_has nohost health.events-no-host
mkdir -p "$(dirname "$ADMIN")" "$(dirname "$UPD")"

# Every ID of the table, in its channel, from the right provider.
for id in 1001 1201 2001 3001 4001 4002; do
	ev "$ADMIN" 1 "$id" error PFXCertificateConnectorSvc "admin $id"
done
for id in 1003 1051 1052 1101 2203 2052 3003 3051 4005 4007 4009 4010; do
	ev "$OPER" 2 "$id" error PFXCertificateConnectorSvc "oper $id"
done
for id in 7000 7001 7009 7011 7022 7023 7024; do
	ev "$SYS" 3 "$id" error "Service Control Manager" \
	    "The World Wide Web Publishing Service service: $id"
done
for id in 5002 5009; do
	ev "$SYS" 3 "$id" error Microsoft-Windows-WAS \
	    "Application pool 'SCEP' failed: $id"
done
ev "$UPD" 1 1 warning Microsoft-AzureADConnect-AgentUpdater "upd warn"
ev "$APP" 1 1000 error PKICertificateConnectorSvc "app error"
# Counted three times; the newest message is the one shown.
ev "$ADMIN" 5 4001 error PFXCertificateConnectorSvc "older 4001"
ev "$ADMIN" 0 4001 error PFXCertificateConnectorSvc "newest 4001"
# What does not count: outside the window, a success in Admin, an
# information event, another provider, a service that is not ours, an
# unknown ID in Admin.
ev "$ADMIN" 9 1001 error PFXCertificateConnectorSvc "too old"
ev "$ADMIN" 1 4000 information PFXCertificateConnectorSvc "success"
ev "$ADMIN" 1 4999 error PFXCertificateConnectorSvc "not a failure ID"
ev "$OPER" 1 4006 information PFXCertificateConnectorSvc "issued"
ev "$APP" 1 1000 error SomeOtherApp "not ours"
ev "$SYS" 1 7000 error "Service Control Manager" "The Print Spooler failed"
ev "$SYS" 1 7036 information "Service Control Manager" \
    "The World Wide Web Publishing Service entered the running state"

lab_check ids --json $CL -a "$WORK/a.ini" -t "$T"
lab_rc ids 0
lab_state ids events warn
lab_state ids endpoints pass
for id in 1001 1201 2001 3001 4001 4002; do
	lab_has ids "health.events-admin-$id"
done
for id in 1003 1051 1052 1101 2203 2052 3003 3051 4005 4007 4009 4010; do
	lab_has ids "health.events-operational-$id"
done
for id in 7000 7001 7009 7011 7022 7023 7024 5002 5009; do
	lab_has ids "health.events-system-$id"
done
lab_has ids health.events-updater-1
lab_has ids health.events-application-1000
# Each rule finding carries its meaning from the table and its source.
findings() {
	jq -r '.probes[] | select(.name == "events") | .findings[] |
	    select(.severity == "warn") | .code' <"$WORK/ids.out" | sort
}
n=$(findings | wc -l)
[ "$n" -eq 29 ] || fail "ids: $n warnings, want 29: $(findings)"
jq -e '[.probes[] | select(.name == "events") | .findings[] |
    select(.code | test("-(admin|operational)-[0-9]+$")) |
    .hint | test("source: https://learn.microsoft.com/")] | all' \
    <"$WORK/ids.out" >/dev/null || fail "ids: a rule without its source"
msg() { # CODE -> its message
	jq -r --arg c "$1" '.probes[].findings[] | select(.code == $c) |
	    .message' <"$WORK/ids.out"
}
msg health.events-admin-4001 | grep -q "3 time(s) in 7 day(s)" ||
	fail "4001 count: $(msg health.events-admin-4001)"
msg health.events-admin-4001 | grep -q "Newest message: newest 4001$" ||
	fail "4001 newest: $(msg health.events-admin-4001)"
msg health.events-admin-1001 | grep -q "1 time(s)" ||
	fail "1001 window: $(msg health.events-admin-1001)"
for c in admin-4000 admin-4999 operational-4006 system-7036; do
	if jq -e --arg c "health.events-$c" \
	    '[.probes[].findings[].code] | index($c) != null' \
	    <"$WORK/ids.out" >/dev/null; then
		fail "ids: $c counted"
	fi
done
msg health.events-application-1000 | grep -q "not ours" &&
	fail "another provider's event counted"
msg health.events-system-7000 | grep -q "Spooler" &&
	fail "a service that is not ours counted"
# The verdict, in --json and in the text summary line.
jq -e '.verdict == "PASS-WITH-WARNINGS" and
    .summary.verdict == "PASS-WITH-WARNINGS"' <"$WORK/ids.out" \
    >/dev/null || fail "verdict: $(jq -c .summary <"$WORK/ids.out")"
lab_check idstext $CL -a "$WORK/a.ini" -t "$T"
grep -q "^check: PASS-WITH-WARNINGS (" "$WORK/idstext.out" ||
	fail "text verdict: $(tail -1 "$WORK/idstext.out")"

# A longer window reaches the old 1001.
printf '[health]\nevent_days = 14\n' >>"$WORK/a.ini"
lab_check window --json $CL -a "$WORK/a.ini" -t "$T"
jq -r '.probes[].findings[] | select(.code == "health.events-admin-1001")
    | .message' <"$WORK/window.out" | grep -q "2 time(s) in 14 day(s)" ||
	fail "event_days = 14: $(cat "$WORK/window.out")"

# Control characters and bidi overrides: not on the terminal, exact in
# the JSON.
: >"$UPD"
ev "$UPD" 0 7 error Microsoft-AzureADConnect-AgentUpdater \
    "$(printf 'bad\033[2Jclear\342\200\256rev\tend')"
lab_check ctl $CL -a "$WORK/a.ini" -t "$T"
grep "events-updater-7" "$WORK/ctl.out" >"$WORK/ctl.line" ||
	fail "ctl: no finding: $(cat "$WORK/ctl.out")"
if LC_ALL=C grep -q "$(printf '\033')" "$WORK/ctl.out"; then
	fail "an escape reached the terminal"
fi
if grep -q "$(printf '\342\200\256')" "$WORK/ctl.out"; then
	fail "a bidi override reached the terminal"
fi
grep -qF 'bad\x1b[2Jclear\u202Erev end' "$WORK/ctl.line" ||
	fail "ctl: $(cat "$WORK/ctl.line")"
lab_check ctljson --json $CL -a "$WORK/a.ini" -t "$T"
jq -e --arg m "$(printf 'bad\033[2Jclear\342\200\256rev\tend')" \
    '[.probes[].findings[].message | endswith($m)] | any' \
    <"$WORK/ctljson.out" >/dev/null || fail "json: not the exact text"

# Missing, unreadable (a folder where the file should be), malformed.
rm "$OPER" "$UPD"
mkdir "$APP.d" && rm "$APP" && mv "$APP.d" "$APP"
ev "$SYS" 0 7000 error "Service Control Manager" "W3SVC failed"
printf '{"time": "yesterday", "id": 1}\n' >>"$SYS"
lab_check bad --json $CL -a "$WORK/a.ini" -t "$T"
lab_rc bad 1
lab_state bad events fail
lab_has bad health.events-operational-missing
lab_has bad health.events-updater-missing
lab_has bad health.events-application-unreadable
lab_has bad health.events-system-malformed
sev() {
	jq -r --arg c "$2" '.probes[].findings[] | select(.code == $c) |
	    .severity' <"$WORK/$1.out"
}
[ "$(sev bad health.events-operational-missing)" = warn ] ||
	fail "missing Operational is not a warning"
[ "$(sev bad health.events-updater-missing)" = ok ] ||
	fail "missing updater log is not information"
[ "$(sev bad health.events-application-unreadable)" = warn ] ||
	fail "unreadable is not a warning"
nl=$(wc -l <"$SYS")
jq -r '.probes[].findings[] | select(.code ==
    "health.events-system-malformed") | .message' <"$WORK/bad.out" |
    grep -q "^$SYS:$nl: \"time\" must be an ISO 8601" ||
	fail "malformed: $(cat "$WORK/bad.out")"
jq -e '.verdict == "FAIL"' <"$WORK/bad.out" >/dev/null || fail "FAIL verdict"
lab_check badtext $CL -a "$WORK/a.ini" -t "$T"
grep -q "^check: FAIL (" "$WORK/badtext.out" || fail "text FAIL verdict"
echo ok
