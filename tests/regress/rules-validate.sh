#!/bin/sh
# Issue 14, items 4, 5 and 7 through the binary, each both ways: an error
# stops plan with exit 1 naming the field and changes nothing; a warning
# plans; the fine value is silent.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference

# plan_with NAME SED-EXPR: plan the example changed by SED-EXPR on a
# fresh target; $rc and $WORK/last.{out,err}.
plan_with() {
	f=$(mktmp)/a.ini
	sed -e "$2" "$ex" >"$f"
	t=$(mktmp)/t
	run_rc last "$NDESWIZ" -t "$t" -a "$f" plan
	cp "$WORK/last.out" "$WORK/$1.out"
	cat "$WORK/last.err" >>"$WORK/$1.out"
	T=$t
}

# error NAME SED CODE FIELD: exit 1, the code and field, nothing written.
error() {
	plan_with "$1" "$2"
	[ "$rc" -eq 1 ] || fail "$1: exit $rc, want 1: $(cat "$WORK/$1.out")"
	grep -qF "$3" "$WORK/$1.out" || fail "$1: no $3: $(cat "$WORK/$1.out")"
	grep -qF "$4" "$WORK/$1.out" || fail "$1: no field $4"
	[ -z "$(find "$T" -name '*.runbook*' -o -name ca-runbook.txt)" ] ||
		fail "$1: wrote into the target"
	ok "$1: $3 (exit 1)"
}

# clean NAME SED CODE: planned, and CODE not reported.
clean() {
	plan_with "$1" "$2"
	[ "$rc" -eq 0 ] || fail "$1: exit $rc: $(cat "$WORK/$1.out")"
	! grep -qF "$3" "$WORK/$1.out" || fail "$1: has $3"
	ok "$1: no $3"
}

# 4. HTTP.sys ranges (KB 820129).
error field-too-large 's/^max_field_length = .*/max_field_length = 65535/' \
    registry.limit-too-large registry.max_field_length
grep -qF 'KB 820129' "$WORK/field-too-large.out" || fail "no source cited"
clean field-max 's/^max_field_length = .*/max_field_length = 65534/' \
    registry.limit-too-large
error request-too-large \
    's/^max_request_bytes = .*/max_request_bytes = 16777217/' \
    registry.limit-too-large registry.max_request_bytes
clean request-max 's/^max_request_bytes = .*/max_request_bytes = 16777216/' \
    registry.limit-too-large

# 5. 443 only is documented: another port warns and names 443.
plan_with port8443 's/^port = .*/port = 8443/'
[ "$rc" -eq 0 ] || fail "port 8443: exit $rc"
grep -qF 'binding.port-not-443' "$WORK/port8443.out" ||
	fail "port 8443: no warning: $(cat "$WORK/port8443.out")"
grep -qF '443 only' "$WORK/port8443.out" || fail "warning does not name 443"
ok "port 8443: binding.port-not-443 (warning, plan goes on)"
clean port443 's/^port = .*/port = 443/' binding.port-not-443

# 7. The CA on this server, by FQDN, short name or alias.
for host in ndes01.contoso.com NDES01 scep.contoso.com; do
	error "ca-$host" "s/^ca_config = .*/ca_config = $host\\\\Contoso CA/" \
	    ndes.ca-is-this-server ndes.ca_config
done
clean ca-other 's/^ca_config = .*/ca_config = ca01\\Contoso CA/' \
    ndes.ca-is-this-server
