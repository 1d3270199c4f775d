#!/bin/sh
# Kill apply with SIGKILL at every point: after each change is journaled
# (before it is made) and after each change is made. Then rollback must
# give back a target byte-identical to the one before.
. "$TOP/tests/regress/lib.sh"

# The example with a real certificate (pem:), so that the import and both
# bindings are among the changes killed and rolled back.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
    -subj "/CN=ndes01.contoso.com" \
    -addext "subjectAltName=DNS:ndes01.contoso.com,DNS:scep.contoso.com" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$WORK/s.key" -out "$WORK/s.pem" 2>/dev/null ||
	fail "openssl could not make the test certificate"
ex="$WORK/example.ini"
sed "s|^certificate = csr|certificate = pem:$WORK/s.pem,$WORK/s.key|" \
    "$TOP/assets/examples/contoso.ini" >"$ex"
export NDES_SVC_PASSWORD=x
base=$(mktmp)/base
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan
snapshot "$base" >"$WORK/before"
n=$(grep -c '^[+~-] ' "$WORK/last.out")
[ "$n" -gt 0 ] || fail "the plan is empty"
for kind in "import certificate" "bind HTTP.sys SSL binding" \
    "[@protocol='https']"; do
	grep -qF "$kind" "$WORK/last.out" || fail "plan lacks $kind"
done

kills=0
for when in before after; do
	k=1
	while [ "$k" -le "$n" ]; do
		t=$(mktmp)/t
		cp -a "$base" "$t"
		run_rc kill env NDESWIZ_TEST_FAULT="kill-$when:$k" \
		    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
		[ "$rc" -eq 137 ] || fail "kill-$when:$k: exit $rc, want 137"
		kills=$((kills + 1))
		# An unfinished run blocks a new apply until rolled back.
		expect_rc 1 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
		grep -q "did not finish" "$WORK/last.err" || fail "no refusal"
		expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
		snapshot "$t" | cmp -s - "$WORK/before" || {
			snapshot "$t" | diff "$WORK/before" - >&2 || :
			fail "kill-$when:$k: differs after rollback"
		}
		ok "kill-$when:$k: refused, rolled back byte-identical"
		k=$((k + 1))
	done
done
echo "ok: $kills kills over $n changes, every rollback byte-identical"
