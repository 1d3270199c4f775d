#!/bin/sh
# Rollback restores order as well as content: an IIS binding that apply
# removed comes back where it stood among the site's bindings, so that
# applicationHost.config is byte-identical after rollback.
. "$TOP/tests/regress/lib.sh"
command -v jq >/dev/null || fail "jq is needed"

export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
sed 's/^remove_http_binding = no/remove_http_binding = yes/' \
    "$TOP/assets/examples/contoso.ini" >"$WORK/a.ini"
grep -q '^remove_http_binding = yes' "$WORK/a.ini" ||
	fail "the example has no remove_http_binding line to turn on"
HTTP='<binding protocol="http" bindingInformation="\*:80:" />'

# round TARGET WANT_AT: apply removes the http binding (journalled with
# its position WANT_AT), rollback puts it back byte for byte.
round() {
	t=$1 want_at=$2
	cp "$t/applicationHost.config" "$WORK/iis.before"
	snapshot "$t" >"$WORK/before"
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/a.ini" apply --yes
	grep -q "$HTTP" "$t/applicationHost.config" &&
		fail "apply left the http binding in place"
	at=$(jq -r 'select(.op == "change" and .kind == "iiselem" and
	    .new_sha256 == null and (.path | test("protocol=.http.")))
	    | .at' "$t/.ndeswiz/journal")
	[ "$at" = "$want_at" ] ||
		fail "journal records the http binding at '$at', not $want_at"
	expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
	cmp "$WORK/iis.before" "$t/applicationHost.config" || {
		diff "$WORK/iis.before" "$t/applicationHost.config" >&2 || :
		fail "applicationHost.config differs after rollback"
	}
	snapshot "$t" | cmp -s - "$WORK/before" ||
		fail "target differs after rollback"
}

# The ws2022-ndes profile: http first, https after it.
t=$(mktmp)/ndes
expect_rc 0 "$NDESWIZ" -t "$t" --profile ws2022-ndes plan -a "$WORK/a.ini"
grep -n '<binding ' "$t/applicationHost.config" | head -1 | grep -q "$HTTP" ||
	fail "the ws2022-ndes profile does not list the http binding first"
round "$t" 0
ok "http binding first of two: back in first place after rollback"

# In the middle of three, in a file with CRLF line ends (as Windows
# writes it): position 1.
t=$(mktmp)/mid
expect_rc 0 "$NDESWIZ" -t "$t" --profile ws2022-ndes plan -a "$WORK/a.ini"
awk '{ if (index($0, "<binding protocol=\"http\"") && !done) {
	line = $0; sub(/<binding.*/, "", line)
	printf "%s<binding protocol=\"net.tcp\" bindingInformation=\"808:*\" />\r\n", line
	done = 1 } printf "%s\r\n", $0 }' "$t/applicationHost.config" >"$WORK/mid.config"
mv "$WORK/mid.config" "$t/applicationHost.config"
[ "$(grep -c '<binding ' "$t/applicationHost.config")" = 3 ] ||
	fail "could not put a binding before the http one"
round "$t" 1
ok "http binding second of three: back in second place after rollback"

# A journal from before positions were recorded (no "at") still rolls back:
# the element comes back, at the end of its collection.
t=$(mktmp)/old
expect_rc 0 "$NDESWIZ" -t "$t" --profile ws2022-ndes plan -a "$WORK/a.ini"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/a.ini" apply --yes
jq -c 'del(.at)' "$t/.ndeswiz/journal" >"$WORK/j" &&
	cp "$WORK/j" "$t/.ndeswiz/journal"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
grep '<binding ' "$t/applicationHost.config" | tail -1 | grep -q "$HTTP" ||
	fail "a journal without positions did not put the binding back at the end"
ok "a journal without positions restores the binding at the end"

# A damaged position is refused as a damaged journal: nothing is done.
t=$(mktmp)/bad
expect_rc 0 "$NDESWIZ" -t "$t" --profile ws2022-ndes plan -a "$WORK/a.ini"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/a.ini" apply --yes
jq -c 'if .at then .at = "1x" else . end' "$t/.ndeswiz/journal" \
    >"$WORK/j" && cp "$WORK/j" "$t/.ndeswiz/journal"
cp "$t/applicationHost.config" "$WORK/iis.applied"
run_rc bad "$NDESWIZ" -t "$t" rollback --yes
[ "$rc" -ne 0 ] || fail "a journal with a bad position rolled back"
grep -q "damaged" "$WORK/bad.out" "$WORK/bad.err" ||
	fail "no word of a damaged journal: $(cat "$WORK/bad.out" "$WORK/bad.err")"
cmp -s "$WORK/iis.applied" "$t/applicationHost.config" ||
	fail "a damaged journal changed applicationHost.config"
ok "a bad position is a damaged journal: nothing rolled back"
