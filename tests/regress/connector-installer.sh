#!/bin/sh
# Issue 14 item 12 through the binary: [connector] installer = PATH is
# run only when Microsoft Corporation signed it (Authenticode, checked
# with OpenSSL here, against a throwaway CA the test trusts through
# NDESWIZ_TEST_CODESIGN_CA); a file that fails is an error with a
# stable code and nothing changes; on a dir target apply records the
# uninstall entry the installer would leave, verifies its version, and
# rolls back from the journal.
. "$TOP/tests/regress/lib.sh"

inst=$(mktmp)
sh "$TOP/tests/tools/make-installers.sh" "$inst" ||
	fail "cannot make the test installers"
export NDES_SVC_PASSWORD=not-used-offline
ex=$TOP/assets/examples/contoso.ini
with() {	# with FILE: the example answers with that installer
	a=$WORK/a.ini
	cat "$ex" >"$a"
	printf '\n[connector]\ninstaller = %s\n' "$1" >>"$a"
}

t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
before=$(snapshot "$t")

# ---- refused: each is an error, plan and apply exit 1, nothing changes --
export NDESWIZ_TEST_CODESIGN_CA="$inst/ca.pem"
printf 'MZ but no program\n' >"$inst/fake.exe"
printf 'text\n' >"$inst/notes.txt"
for c in \
    "unsigned.exe installer-unsigned no Authenticode signature" \
    "contoso.exe installer-not-microsoft not by Microsoft Corporation" \
    "tampered.exe installer-bad-signature changed after it was signed" \
    "baddigest.exe installer-bad-signature signature does not verify" \
    "selfsigned.exe installer-untrusted does not chain to a root" \
    "fake.exe installer-not-program not a Windows program" \
    "missing.exe installer-missing does not exist" \
    "notes.txt installer-not-exe is not an .exe"; do
	set -- $c
	file=$1 code=$2
	shift 2
	with "$inst/$file"
	for cmd in plan "apply --yes"; do
		expect_rc 1 "$NDESWIZ" -t "$t" -a "$a" $cmd
		grep -q "error \[connector\.$code\] connector\.installer: .*$*" \
		    "$WORK/last.err" || fail "$file ($cmd): no $code:
$(cat "$WORK/last.err")"
		grep -q "fix the errors above first; nothing was changed" \
		    "$WORK/last.err" || fail "$file ($cmd): no word that nothing changed"
		[ "$(snapshot "$t")" = "$before" ] ||
			fail "$file ($cmd): the target changed"
	done
	ok "$file: connector.$code, exit 1, nothing changed"
done

# The test CA is trusted only when the variable names it.
with "$inst/ms.exe"
unset NDESWIZ_TEST_CODESIGN_CA
expect_rc 1 "$NDESWIZ" -t "$t" -a "$a" plan
grep -q "connector.installer-untrusted" "$WORK/last.err" ||
	fail "without the test CA, the throwaway signer was trusted"
export NDESWIZ_TEST_CODESIGN_CA="$inst/ca.pem"
ok "the throwaway CA is not trusted unless the test names it"

# A path with a terminal escape: refused where it is read (FILE:LINE),
# and never echoed raw.
evil=$(printf '%s/evil\033[31m.exe' "$inst")
cp "$inst/unsigned.exe" "$evil"
with "$evil"
expect_rc 2 "$NDESWIZ" -t "$t" -a "$a" plan
grep -q "a.ini:[0-9]*: \[connector\] installer: contains a control character" \
    "$WORK/last.err" || fail "evil path: $(cat "$WORK/last.err")"
! grep -q "$(printf '\033')" "$WORK/last.err" "$WORK/last.out" ||
	fail "evil path: a raw escape reached the terminal"
[ "$(snapshot "$t")" = "$before" ] || fail "evil path: the target changed"
ok "an installer path with a control character is refused, shown sanitized"

# ---- signed by Microsoft Corporation: planned, applied, verified --------
with "$inst/ms.exe"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$a" plan
grep -qF "+ install program Certificate Connector for Microsoft Intune [$inst/ms.exe]" \
    "$WORK/last.out" || fail "no install in the plan: $(cat "$WORK/last.out")"
grep -qF "why: run the connector installer $inst/ms.exe (signed by Microsoft Corporation, verified)" \
    "$WORK/last.out" || fail "the plan does not say what runs"
grep -q "warn  \[connector.installer-test-trust\]" "$WORK/last.err" ||
	fail "the test CA was used without a word"
ok "a Microsoft-signed installer is planned, with the test CA named"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$a" apply --yes
reg=$(iconv -f UTF-16LE -t UTF-8 "$t/registry.reg")
printf '%s\n' "$reg" | grep -A2 'Uninstall\\ndeswiz-recorded-Certificate-Connector-for-Microsoft-Intune\]' |
    grep -q '"DisplayVersion"="6.2406.0.1001"' ||
	fail "no recorded uninstall entry: $(printf '%s\n' "$reg" | grep -A3 recorded)"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$a" plan
grep -q "No changes" "$WORK/last.out" || fail "plan after apply:
$(cat "$WORK/last.out")"
! grep -q "prereqs.connector-not-installed" "$WORK/last.err" ||
	fail "the connector still reads as not installed"
ok "applied: the entry is there at 6.2406.0.1001; the next plan is empty"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
[ "$(snapshot "$t")" = "$before" ] || fail "rollback left changes behind"
ok "rolled back from the journal: the target is as before"

# An installer that leaves an older version fails the apply: all undone.
with "$inst/ms-old.exe"
expect_rc 3 "$NDESWIZ" -t "$t" -a "$a" apply --yes
grep -q "at version 6.2300.0.1, older than 6.2406.0.1001" "$WORK/last.err" ||
	fail "old version: $(cat "$WORK/last.err")"
grep -q "Every change of this run was undone" "$WORK/last.err" ||
	fail "old version: the run was not undone"
[ "$(snapshot "$t")" = "$before" ] || fail "old version: changes left"
ok "an installer that leaves an old version: apply fails, all undone"
