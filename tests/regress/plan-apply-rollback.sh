#!/bin/sh
# plan lists the registry changes; apply makes them; plan is then empty;
# rollback gives back a target byte-identical to the one before apply.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
t=$(mktmp)/t1
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
out="$WORK/last.out"
for want in 'MSCEP [GeneralPurposeTemplate]' 'REG_SZ "NDESDeviceCert"' \
    'Parameters [MaxFieldLength]' 'Parameters [MaxRequestBytes]' \
    'REG_DWORD 65534' 'requestLimits [maxUrl]' \
    'requestLimits [maxQueryString]' 'a reboot is needed'; do
	grep -qF "$want" "$out" || fail "plan lacks '$want':
$(cat "$out")"
done
snapshot "$t" >"$WORK/before"

expect_rc 2 "$NDESWIZ" -t "$t" -a "$ex" apply
snapshot "$t" | cmp -s - "$WORK/before" || fail "apply without --yes changed"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "Applied" "$WORK/last.out" || fail "no summary"
snapshot "$t" | cmp -s - "$WORK/before" && fail "apply changed nothing"

# The files are what Windows reads: UTF-16LE regedit export, IIS XML.
head -c 2 "$t/registry.reg" | od -An -tx1 | grep -q "ff fe" ||
	fail "registry.reg has no UTF-16LE BOM"
iconv -f UTF-16LE -t UTF-8 "$t/registry.reg" | tr -d '\r' >"$WORK/reg.txt"
grep -qF '"GeneralPurposeTemplate"="NDESDeviceCert"' "$WORK/reg.txt" ||
	fail "MSCEP value not in registry.reg"
grep -qF '"MaxFieldLength"=dword:0000fffe' "$WORK/reg.txt" ||
	fail "MaxFieldLength not in registry.reg"
grep -q 'maxUrl="65534"' "$t/applicationHost.config" ||
	fail "maxUrl not in applicationHost.config"
[ "$(stat -c %a "$t/.ndeswiz/answers.ini")" = 600 ] ||
	fail "saved answers are not 0600"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "No changes" "$WORK/last.out" || fail "second plan not empty:
$(cat "$WORK/last.out")"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "No changes" "$WORK/last.out" || fail "second apply not empty"

expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
grep -q "Rolled back" "$WORK/last.out" || fail "rollback said: $(cat "$WORK/last.out")"
snapshot "$t" | cmp -s - "$WORK/before" || {
	snapshot "$t" | diff "$WORK/before" - >&2 || :
	fail "target differs after rollback"
}
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
grep -q "Nothing to roll back" "$WORK/last.out" || fail "second rollback"

# A failing change undoes the run: exit 3, target unchanged.
expect_rc 3 env NDESWIZ_TEST_FAULT=fail-set:4 "$NDESWIZ" -t "$t" -a "$ex" \
    apply --yes
grep -q "undone" "$WORK/last.out" || fail "no undo shown"
snapshot "$t" | cmp -s - "$WORK/before" || fail "failed apply left changes"
echo "ok"
