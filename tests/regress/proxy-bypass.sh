#!/bin/sh
# The proxy bypass list through the binary (issues #15, #20): netsh's own
# syntax (';', <LOCAL> in any case, .domain) is accepted and planned as
# the one WinHTTP value; an entry the matcher cannot read is refused with
# the field named, and nothing is written.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference
t=$(mktmp)/t
with_bypass() {
	sed "s|^bypass = .*|bypass = $2|" "$ex" >"$WORK/$1.ini"
}

for case in "semi|<local>;*.fabrikam.com|<local>;*.fabrikam.com" \
    "comma|<LOCAL>, .contoso.com|<LOCAL>;.contoso.com" \
    "mixed|a-host; 10.*, *.x.net|a-host;10.*;*.x.net"; do
	name=${case%%|*}
	rest=${case#*|}
	with_bypass "$name" "${rest%%|*}"
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/$name.ini" plan --json
	grep -qF -- "proxy.contoso.com:8080|${rest#*|}" "$WORK/last.out" ||
		fail "$name: the plan lacks the WinHTTP value:
$(grep -i winhttp "$WORK/last.out")"
	ok "bypass '${rest%%|*}' accepted and planned as '${rest#*|}'"
done

snapshot "$t" >"$WORK/before"
for bad in "<local>;<intranet>" "http://x.contoso.com" "a b"; do
	with_bypass bad "$bad"
	run_rc bad "$NDESWIZ" -t "$t" -a "$WORK/bad.ini" apply --yes
	[ "$rc" -ne 0 ] || fail "bypass '$bad' was accepted"
	grep -q "proxy.bypass-syntax" "$WORK/bad.out" "$WORK/bad.err" ||
		fail "bypass '$bad': no proxy.bypass finding:
$(cat "$WORK/bad.out" "$WORK/bad.err")"
	snapshot "$t" | cmp -s - "$WORK/before" ||
		fail "bypass '$bad': the target changed"
	ok "bypass '$bad' refused, target untouched"
done
