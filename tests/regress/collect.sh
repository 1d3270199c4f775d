#!/bin/sh
# ndeswiz collect: the bundle's listing (exactly the files it should hold
# and nothing else), its manifest (each file's size and SHA-256, checked
# with sha256sum), mode 0600, the newest three IIS logs only, the events
# of the window only, usage errors that write nothing. In a network
# namespace: the check it runs dials 127.0.0.1 only.
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_need unzip sha256sum jq

cd "$WORK"
T=$WORK/target
run_rc mk "$NDESWIZ" -t "$T" --profile ws2022-ndes plan
[ -f "$T/registry.reg" ] || fail "no target"
URL=--url=https://127.0.0.1:9/certsrv/mscep/mscep.dll

# Usage: no -o, standard output, no target; nothing is written or made.
expect_rc 2 "$NDESWIZ" -t "$T" collect
expect_rc 2 "$NDESWIZ" -t "$T" collect -o -
expect_rc 2 "$NDESWIZ" -t "$WORK/none" collect -o "$WORK/x.zip"
expect_rc 2 "$NDESWIZ" collect -o "$WORK/x.zip"
[ ! -e "$WORK/x.zip" ] && [ ! -e "$WORK/none" ] &&
    [ ! -e "$WORK/ndes-target" ] || fail "a usage error wrote something"

# The saved answers, the journal, IIS logs, events.
mkdir -p "$T/.ndeswiz" "$T/inetpub/logs/LogFiles/W3SVC1" \
    "$T/events/Microsoft-Intune-CertificateConnectors"
printf '[meta]\nversion = 1\n[proxy]\nenabled = yes\nurl = http://127.0.0.1:3128\nusername = u\npassword = env:LAB_PROXY_PW\n' \
    >"$T/.ndeswiz/answers.ini"
chmod 600 "$T/.ndeswiz/answers.ini"
echo '{"run":"r1","op":"set"}' >"$T/.ndeswiz/journal"
L=$T/inetpub/logs/LogFiles/W3SVC1
for d in 1 2 3 4 5; do
	echo "#Fields: date time day-$d" >"$L/u_ex26050$d.log"
	touch -d "-$d days" "$L/u_ex26050$d.log"
done
echo "not a log" >"$L/notes.txt"
now=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
old=$(date -u -d '-30 days' +%Y-%m-%dT%H:%M:%SZ)
A=$T/events/Microsoft-Intune-CertificateConnectors/Admin.jsonl
printf '{"time":"%s","id":4001,"level":"error","provider":"P","message":"recent"}\n' "$now" >"$A"
printf '{"time":"%s","id":4001,"level":"error","provider":"P","message":"ancient"}\n' "$old" >>"$A"

expect_rc 0 "$NDESWIZ" -t "$T" collect -o "$WORK/b.zip" "$URL"
grep -q "^Wrote $WORK/b.zip (mode 0600): 10 files" "$WORK/last.out" ||
	fail "collect: $(cat "$WORK/last.out")"
[ "$(stat -c %a "$WORK/b.zip")" = 600 ] || fail "bundle mode"
unzip -l "$WORK/b.zip" >"$WORK/listing"
cat "$WORK/listing"
awk 'NF == 4 && $1 ~ /^[0-9]+$/ {print $4}' "$WORK/listing" | sort \
    >"$WORK/names"
cat >"$WORK/want" <<EOF
answers.ini
check.json
events/Microsoft-Intune-CertificateConnectors/Admin.jsonl
facts.ini
iis/W3SVC1/u_ex260501.log
iis/W3SVC1/u_ex260502.log
iis/W3SVC1/u_ex260503.log
journal
manifest.json
plan.json
EOF
diff "$WORK/want" "$WORK/names" || fail "the bundle holds other files"

B=$WORK/unzipped
mkdir "$B" && (cd "$B" && unzip -q "$WORK/b.zip")
# The manifest: every other file, its size and hash, checked by sha256sum.
jq -r '.files[] | "\(.sha256)  \(.name)"' <"$B/manifest.json" \
    >"$WORK/sums"
cat "$WORK/sums"
[ "$(wc -l <"$WORK/sums")" -eq 9 ] || fail "manifest: not 9 files"
(cd "$B" && sha256sum -c --quiet "$WORK/sums") || fail "manifest hashes"
jq -r '.files[] | "\(.size) \(.name)"' <"$B/manifest.json" |
while read -r size name; do
	[ "$(stat -c %s "$B/$name")" -eq "$size" ] || fail "size of $name"
done
# The contents: the check's JSON with the events probe, the plan, the
# facts, the answers, only the recent event.
jq -e '.verdict == "FAIL" and
    ([.probes[] | select(.name == "events") | .state] == ["warn"])' \
    <"$B/check.json" >/dev/null || fail "check.json"
jq -e 'has("plan") and has("findings")' <"$B/plan.json" >/dev/null ||
	fail "plan.json"
grep -q "^fqdn = " "$B/facts.ini" || fail "facts.ini"
grep -q "^password = env:LAB_PROXY_PW$" "$B/answers.ini" ||
	fail "answers.ini: $(cat "$B/answers.ini")"
grep -q recent "$B/events/Microsoft-Intune-CertificateConnectors/Admin.jsonl" &&
    ! grep -q ancient \
    "$B/events/Microsoft-Intune-CertificateConnectors/Admin.jsonl" ||
	fail "events: not the window's"

# A bundle that cannot be written leaves nothing, not even a temp file.
mkdir "$WORK/ro" && chmod 500 "$WORK/ro"
if [ "$(id -u)" -ne 0 ]; then
	expect_rc 2 "$NDESWIZ" -t "$T" collect -o "$WORK/ro/b.zip" "$URL"
	[ -z "$(ls -A "$WORK/ro")" ] || fail "ro: something was written"
fi
expect_rc 2 "$NDESWIZ" -t "$T" collect -o "$WORK/nodir/b.zip" "$URL"
[ ! -e "$WORK/nodir" ] || fail "nodir made"
echo ok
