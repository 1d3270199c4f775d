#!/bin/sh
# certificate = csr: plan only says what apply will make (an RSA-2048 key
# and a request); apply makes them, journaled like any change, and reuses
# a key already there. A kill while the key is being made, or before or
# after it is written, leaves a target that rollback (or nothing at all)
# gives back byte for byte.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=x
base=$(mktmp)/base
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan
grep -qF "make an RSA-2048 key and a CSR for CN=ndes01.contoso.com, SAN=ndes01.contoso.com,scep.contoso.com" \
    "$WORK/last.out" || fail "the plan does not say it makes a key"
[ ! -e "$base/ndes-server.key" ] || fail "plan wrote a key"
ok "plan says what apply makes, writes no key"

# A plan that made a key would differ from run to run: the CSR's public
# key, the key file's size. Two plans in JSON are the same bytes.
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan --json
cp "$WORK/last.out" "$WORK/p1.json"
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan --json
cmp -s "$WORK/p1.json" "$WORK/last.out" || fail "two plans differ"
[ "$(jq -r '.plan.changes[] | select(.path == "ndes-server.key") |
    .made_at_apply' "$WORK/p1.json")" = true ] || fail "key not made at apply"
if grep -q "PRIVATE KEY\|CERTIFICATE REQUEST" "$WORK/p1.json"; then
	fail "the plan holds a key or a request"
fi
ok "two plans are byte-identical and hold no key material"

snapshot "$base" >"$WORK/before"
keyseq=$(jq '[.plan.changes[].path] | index("ndes-server.key") + 1' \
    "$WORK/p1.json")
csrseq=$(jq '[.plan.changes[].path] | index("ndes-server.csr") + 1' \
    "$WORK/p1.json")

# Killed while making the key and the request: nothing was journaled,
# nothing written, and the next apply is not refused.
for k in 1 2; do
	t=$(mktmp)/t
	cp -a "$base" "$t"
	run_rc kill env NDESWIZ_TEST_FAULT="kill-generate:$k" \
	    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	[ "$rc" -eq 137 ] || fail "kill-generate:$k: exit $rc, want 137"
	snapshot "$t" | cmp -s - "$WORK/before" ||
		fail "kill-generate:$k: the target changed"
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	ok "kill-generate:$k: target untouched, apply goes on afterwards"
done

# Killed before and after the key and the request are made (in memory:
# the dir driver writes a run's files in its commit, which sigkill.sh
# kills at each file): rollback gives the target back, byte for byte.
for when in before after; do
	for k in "$keyseq" "$csrseq"; do
		t=$(mktmp)/t
		cp -a "$base" "$t"
		run_rc kill env NDESWIZ_TEST_FAULT="kill-$when:$k" \
		    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
		[ "$rc" -eq 137 ] || fail "kill-$when:$k: exit $rc, want 137"
		expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
		snapshot "$t" | cmp -s - "$WORK/before" || {
			snapshot "$t" | diff "$WORK/before" - >&2 || :
			fail "kill-$when:$k: differs after rollback"
		}
		ok "kill-$when:$k (key or request): rolled back byte-identical"
	done
done

# Apply makes them: the key 0600, the request signed by it, its names.
t=$(mktmp)/t
cp -a "$base" "$t"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
[ "$(stat -c %a "$t/ndes-server.key")" = 600 ] || fail "key is not 0600"
openssl req -in "$t/ndes-server.csr" -noout -verify 2>/dev/null ||
	fail "the request does not verify"
openssl req -in "$t/ndes-server.csr" -noout -pubkey >"$WORK/csr.pub"
openssl pkey -in "$t/ndes-server.key" -pubout >"$WORK/key.pub"
cmp -s "$WORK/csr.pub" "$WORK/key.pub" || fail "request not of the key"
[ "$(openssl pkey -in "$t/ndes-server.key" -noout -text |
    sed -n 's/.*Private-Key: (\([0-9]*\) bit.*/\1/p')" = 2048 ] ||
	fail "not an RSA-2048 key"
openssl req -in "$t/ndes-server.csr" -noout -text >"$WORK/csr.txt"
grep -q "CN *= *ndes01.contoso.com" "$WORK/csr.txt" || fail "CN"
grep -q "DNS:ndes01.contoso.com, DNS:scep.contoso.com" "$WORK/csr.txt" ||
	fail "SANs"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "^No changes" "$WORK/last.out" || fail "second plan not empty"
ok "apply made a 0600 RSA-2048 key and its request; the next plan is empty"

# A key already there is reused: only the request is planned, made at
# plan time from that key (cheap: no key is made).
sha=$(sha256sum <"$t/ndes-server.key")
rm "$t/ndes-server.csr"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "write file ndes-server.csr" "$WORK/last.out" || fail "no request"
if grep -q "ndes-server.key\b.*(binding)\|RSA-2048 key and" \
    "$WORK/last.out"; then
	fail "a new key is planned though one exists"
fi
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
[ "$(sha256sum <"$t/ndes-server.key")" = "$sha" ] || fail "key replaced"
openssl req -in "$t/ndes-server.csr" -noout -pubkey | cmp -s - "$WORK/key.pub" ||
	fail "new request not of the kept key"
ok "a key already there is reused"
