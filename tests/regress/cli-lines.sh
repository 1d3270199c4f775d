#!/bin/sh
# A finding about a value read from an answer file names the file and the
# line it stands on ("contoso.ini:39: error [...]"), as a compiler does;
# findings about derived or default values name none.
. "$TOP/tests/regress/lib.sh"
export NDES_SVC_PASSWORD=not-used-offline

ex="$TOP/assets/examples/contoso.ini"
a="$WORK/a.ini"
sed 's/^signing_csp *=.*/signing_csp = Microsoft Software Key Storage Provider/' \
    "$ex" >"$a"
line=$(grep -n '^signing_csp' "$a" | cut -d: -f1)
cmp -s "$ex" "$a" && fail "the example has no signing_csp line"

for cmd in plan "apply --yes"; do
	t=$(mktmp)/t
	# shellcheck disable=SC2086
	expect_rc 1 "$NDESWIZ" -t "$t" -a "$a" $cmd
	grep -q "^$a:$line: error \[ndes.csp-is-cng\] ndes.signing_csp: " \
	    "$WORK/last.err" || fail "$cmd: $(cat "$WORK/last.err")"
	ok "$cmd: the error names $a:$line"
done

# A warning too, and on another line: the binding's pending request.
bline=$(grep -n '^certificate' "$ex" | cut -d: -f1)
t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "^$ex:$bline: warn  \[binding.csr-pending\] binding.certificate: " \
    "$WORK/last.err" || fail "warning: $(cat "$WORK/last.err")"
ok "a warning names $ex:$bline"

# --json is unchanged: the field, no file prefix in the message.
expect_rc 1 "$NDESWIZ" -t "$(mktmp)/t" -a "$a" plan --json
grep -q '"field": "ndes.signing_csp"' "$WORK/last.out" ||
	fail "json: $(cat "$WORK/last.out")"
grep -q "$a:" "$WORK/last.out" && fail "json carries the file prefix"
ok "--json keeps the field and no FILE:LINE"

# Without -a (the value is a default), no file is named.
t=$(mktmp)/t
expect_rc 1 "$NDESWIZ" -t "$t" plan
grep -q '^error \[' "$WORK/last.err" || fail "no-file: $(cat "$WORK/last.err")"
grep -q '\.ini:[0-9]*: ' "$WORK/last.err" && fail "a default named a file"
ok "a default's finding names no file"
