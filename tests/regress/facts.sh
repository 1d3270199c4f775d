#!/bin/sh
# --fact KEY=VALUE when a target is made from a profile: the values land
# in facts.ini; an unknown key, a bad value or names that disagree are
# exit 2 with nothing made; an existing target's facts are not changed
# this way. plan warns when the binding's names are outside the server's
# domain, and an SPN is planned for such a name.
. "$TOP/tests/regress/lib.sh"
cd "$WORK"
# plan resolves the example's secret references before it plans.
export NDES_SVC_PASSWORD=not-a-real-password
EX=$TOP/assets/examples/contoso.ini
sed -e 's/^fqdn = .*/fqdn = ndes01.fabrikam.com/' \
    -e 's/^spn_names = .*/spn_names = ndes01.fabrikam.com/' \
    -e 's/^external_names = .*/external_names = scep.fabrikam.com/' \
    "$EX" >fab.ini

fab="--fact hostname=NDES01 --fact fqdn=ndes01.fabrikam.com
    --fact domain=fabrikam.com --fact netbios_domain=FABRIKAM"
# shellcheck disable=SC2086
expect_rc 0 "$NDESWIZ" -t fab $fab -a fab.ini plan
grep -qx "fqdn = ndes01.fabrikam.com" fab/facts.ini || fail "fqdn not set"
grep -qx "domain = fabrikam.com" fab/facts.ini || fail "domain not set"
grep -qx "netbios_domain = FABRIKAM" fab/facts.ini || fail "netbios not set"
[ "$(grep -c '^fqdn' fab/facts.ini)" -eq 1 ] || fail "fqdn twice"
! grep -q "name-other-domain" "$WORK/last.err" ||
	fail "warned on the server's own domain: $(cat "$WORK/last.err")"
# A key the profile lacks is added; a key given twice: the last wins.
expect_rc 1 "$NDESWIZ" -t skew --fact clock_skew=5 --fact clock_skew=7 plan
grep -qx "clock_skew = 7" skew/facts.ini || fail "clock_skew: $(cat skew/facts.ini)"

# Refused, exit 2, nothing made.
for bad in "colour=red:unknown fact 'colour'" \
    "domain_role=9:fact domain_role: '9' is not allowed" \
    "hostname=12345:fact hostname: '12345' is not allowed" \
    "fqdn=ndes01:fact fqdn: 'ndes01' is not allowed" \
    "os_caption=:" \
    "elevated=maybe:fact elevated: 'maybe' is not allowed" \
    "nokeyvalue:'nokeyvalue' is not KEY=VALUE" \
    "=x:'=x' is not KEY=VALUE"; do
	kv=${bad%%:*} msg=${bad#*:}
	[ "$kv" = os_caption= ] && continue	# empty text is allowed
	expect_rc 2 "$NDESWIZ" -t t-bad --fact "$kv" plan
	grep -qF -- "$msg" "$WORK/last.err" || fail "$kv: $(cat "$WORK/last.err")"
	[ ! -e t-bad ] || fail "$kv made a target"
done
# The names must agree; the error says which.
expect_rc 2 "$NDESWIZ" -t t-bad --fact fqdn=ndes01.fabrikam.com plan
grep -q "fqdn 'ndes01.fabrikam.com' is not in domain 'contoso.com'" \
    "$WORK/last.err" || fail "domain: $(cat "$WORK/last.err")"
expect_rc 2 "$NDESWIZ" -t t-bad --fact hostname=NDES02 plan
grep -q "fqdn 'ndes01.contoso.com' does not start with hostname 'NDES02'" \
    "$WORK/last.err" || fail "hostname: $(cat "$WORK/last.err")"
[ ! -e t-bad ] || fail "disagreeing names made a target"
ls -d t-bad.new.* 2>/dev/null && fail "a temporary target was left"

# An existing target's facts are not changed this way.
snapshot fab >fab.before
expect_rc 2 "$NDESWIZ" -t fab --fact domain=contoso.com plan
grep -q "facts of an existing target are not changed" "$WORK/last.err" ||
	fail "existing: $(cat "$WORK/last.err")"
snapshot fab | cmp -s - fab.before || fail "the existing target changed"

# fabrikam's names on a contoso server: a warning each, and the SPN.
expect_rc 0 "$NDESWIZ" -t contoso -a fab.ini plan --json
jq -e '[.findings[] | select(.code == "binding.name-other-domain") |
    .field] == ["binding.external_names", "binding.fqdn"] and
    all(.findings[] | select(.code == "binding.name-other-domain");
        .severity == "warn")' \
    "$WORK/last.out" >/dev/null || fail "no warnings: $(jq -c \
    '[.findings[] | [.code, .field, .severity]]' "$WORK/last.out")"
jq -e '[.plan.changes[] | select(.kind == "spn") | .name] ==
    ["HTTP/ndes01.fabrikam.com"]' "$WORK/last.out" \
    >/dev/null || fail "no SPN: $(jq -c '[.plan.changes[] |
    select(.kind == "spn")]' "$WORK/last.out")"
# The same names on the fabrikam server: no warning, no SPN for its name.
expect_rc 0 "$NDESWIZ" -t fab -a fab.ini plan --json
jq -e '([.findings[] | select(.code == "binding.name-other-domain")] |
    length == 0) and ([.plan.changes[] | select(.kind == "spn") | .name] |
    index("HTTP/ndes01.fabrikam.com") == null)' "$WORK/last.out" \
    >/dev/null || fail "fab: $(jq -c '[.findings[].code]' "$WORK/last.out")"
echo ok
