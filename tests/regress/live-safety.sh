#!/bin/sh
# Safe on a live server (issue #13), through the binary:
#   rollback is previewed and confirmed; drift is left alone (--force
#   restores it); a key that now holds another's value stays; the CSR's
#   private key goes to .ndeswiz/undone/; symlinks, FIFOs and forged or
#   damaged journal records are refused with nothing written; a journal
#   over 64 MiB still guards an unfinished run; secret references are
#   resolved at plan time; controls and bidi overrides never reach the
#   terminal raw.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
MSCEP='HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Cryptography\MSCEP'

# Edit the UTF-16 registry of target $1 with sed expression $2.
reg_edit() {
	iconv -f UTF-16LE -t UTF-8 "$1/registry.reg" | sed "$2" |
	    iconv -f UTF-8 -t UTF-16LE >"$WORK/reg.new"
	mv "$WORK/reg.new" "$1/registry.reg"
}
reg_text() {
	iconv -f UTF-16LE -t UTF-8 "$1/registry.reg" | tr -d '\r'
}

fresh() {
	t=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
	snapshot "$t" >"$WORK/before"
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	snapshot "$t" >"$WORK/applied"
}

# ---- rollback is a reviewed change -----------------------------------------
fresh
expect_rc 2 "$NDESWIZ" -t "$t" rollback </dev/null
grep -q -- "--yes" "$WORK/last.err" || fail "no --yes hint: $(cat "$WORK/last.err")"
grep -q "^Rollback of run " "$WORK/last.out" || fail "no preview"
grep -qF -- '- delete registry value' "$WORK/last.out" ||
	fail "preview is not a diff: $(head -20 "$WORK/last.out")"
snapshot "$t" | cmp -s - "$WORK/applied" || fail "refused rollback changed"
# Asked on a terminal: "n" keeps everything, "y" rolls back.
command -v script >/dev/null || fail "script (util-linux) is needed"
echo n | script -qec "'$NDESWIZ' -t '$t' rollback" /dev/null \
    >"$WORK/tty.out" 2>&1 || :
grep -q "Roll back these changes" "$WORK/tty.out" || fail "no question"
snapshot "$t" | cmp -s - "$WORK/applied" || fail "'n' rolled back"
echo y | script -qec "'$NDESWIZ' -t '$t' rollback" /dev/null \
    >"$WORK/tty.out" 2>&1 || :
grep -q "Rolled back run" "$WORK/tty.out" || fail "'y': $(cat "$WORK/tty.out")"
snapshot "$t" | cmp -s - "$WORK/before" || fail "'y' did not roll back"
echo "ok: rollback previewed, asked on a terminal, --yes without one"

# ---- drift: a value changed by hand since the apply ------------------------
fresh
reg_edit "$t" 's/"GeneralPurposeTemplate"="NDESDeviceCert"/"GeneralPurposeTemplate"="HandMade"/'
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
grep -q "changed since the apply" "$WORK/last.out" ||
	fail "drift not listed: $(cat "$WORK/last.out")"
reg_text "$t" | grep -qF '"GeneralPurposeTemplate"="HandMade"' ||
	fail "the hand-made value was undone"
reg_text "$t" | grep -q '"MaxFieldLength"' &&
	fail "the rest was not rolled back"
# --force restores it: the target is then what it was before.
fresh
reg_edit "$t" 's/"GeneralPurposeTemplate"="NDESDeviceCert"/"GeneralPurposeTemplate"="HandMade"/'
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes --force
snapshot "$t" | cmp -s - "$WORK/before" || fail "--force did not restore"
echo "ok: drift left alone and listed; --force restores it"

# ---- a key that now holds another's value ----------------------------------
fresh
reg_edit "$t" "s/^\"GeneralPurposeTemplate\"=.*/&\r\n\"ConnectorWrote\"=\"yes\"/"
reg_text "$t" | grep -q '"ConnectorWrote"="yes"' || fail "setup: no value"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
grep -q "holds values or keys added or changed since" "$WORK/last.out" ||
	fail "kept key not listed: $(cat "$WORK/last.out")"
reg_text "$t" | grep -q '"ConnectorWrote"="yes"' || fail "others' value gone"
reg_text "$t" | grep -q '"GeneralPurposeTemplate"' &&
	fail "the run's own value stayed"
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
echo "ok: a key holding another's value stays, the rest is undone"

# ---- the CSR's private key is kept, not destroyed --------------------------
fresh
[ -f "$t/ndes-server.key" ] || fail "setup: no ndes-server.key"
cp "$t/ndes-server.key" "$WORK/key"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
[ ! -e "$t/ndes-server.key" ] || fail "key not removed from the target"
k=$(find "$t/.ndeswiz/undone" -name '*ndes-server.key' | head -1)
[ -n "$k" ] || fail "key not in .ndeswiz/undone"
cmp -s "$k" "$WORK/key" || fail "kept key differs"
[ "$(stat -c %a "$k")" = 600 ] || fail "kept key is not 0600"
echo "ok: ndes-server.key moved to .ndeswiz/undone (0600)"

# ---- symlinks, FIFOs and devices in the target -----------------------------
echo "root only" >"$WORK/secret.txt"
chmod 600 "$WORK/secret.txt"
for what in journal runbook certs fifo; do
	t=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
	mkdir -p "$t/.ndeswiz"
	case $what in
	journal) ln -s "$WORK/secret.txt" "$t/.ndeswiz/journal"; n=journal ;;
	runbook) ln -s "$WORK/secret.txt" "$t/ca-runbook.txt"; n=ca-runbook.txt ;;
	certs) mkdir -p "$WORK/elsewhere" "$t/certs"
	       ln -s "$WORK/elsewhere" "$t/certs/My"; n=certs/My ;;
	fifo) mkfifo "$t/features.txt.fifo"; n=features.txt.fifo ;;
	esac
	expect_rc 2 timeout 20 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	grep -qF "$n: is a" "$WORK/last.err" ||
		fail "$what: $(cat "$WORK/last.err")"
	[ "$(cat "$WORK/secret.txt")" = "root only" ] || fail "$what: wrote out"
	[ -z "$(ls -A "$WORK/elsewhere" 2>/dev/null)" ] || fail "wrote outside"
done
echo "ok: symlinks and FIFOs in the target refused by name"

# ---- damaged and forged journal records ------------------------------------
fresh
cp "$t/.ndeswiz/journal" "$WORK/journal.good"
for rec in '{"op":"change","run":"R","seq":0,"kind":"cert","path":"My","name":null,"old":null}' \
    '{"op":"change","run":"R","seq":0,"kind":"spn","path":"svc","name":"","old":"registered"}' \
    '{"op":"change","run":"R","seq":0,"kind":"cert","path":"..","name":"x","old":"PEM"}' \
    '{"op":"change","run":"R","seq":0,"kind":"bogus","path":"p","old":null}' \
    '{"op":"change","run":"R","seq":0,"kind":"reg","path":"p","name":{},"old":null}' \
    '[1,2,3]' 'not json at all}'; do
	{ echo '{"op":"begin","run":"R","changes":1}'; echo "$rec"; } \
	    >"$t/.ndeswiz/journal"
	snapshot "$t" >"$WORK/pre"
	expect_rc 2 "$NDESWIZ" -t "$t" rollback --yes
	grep -q "journal:2: damaged" "$WORK/last.err" ||
		fail "record $rec: $(cat "$WORK/last.err")"
	snapshot "$t" | cmp -s - "$WORK/pre" || fail "damaged journal: wrote"
	# An unreadable journal blocks apply too.
	expect_rc 2 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
	grep -q "journal:2: damaged" "$WORK/last.err" || fail "apply not blocked"
done
cp "$WORK/journal.good" "$t/.ndeswiz/journal"
echo "ok: 7 damaged records refused, nothing written"

# A journal over 64 MiB still guards an unfinished run.
t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
mkdir -p "$t/.ndeswiz"
pad=$(head -c 1000 /dev/zero | tr '\0' a)
awk -v pad="$pad" 'BEGIN { for (i = 0; i < 67000; i++)
	printf "{\"op\":\"begin\",\"run\":\"old%d\",\"changes\":0,\"x\":\"%s\"}\n{\"op\":\"end\",\"run\":\"old%d\",\"status\":\"ok\"}\n", i, pad, i
	print "{\"op\":\"begin\",\"run\":\"open1\",\"changes\":1}" }' \
    >"$t/.ndeswiz/journal"
[ "$(stat -c %s "$t/.ndeswiz/journal")" -gt 67108864 ] || fail "setup: small"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "run open1 did not finish" "$WORK/last.err" ||
	fail "64 MiB journal: $(cat "$WORK/last.err")"
echo "ok: a journal over 64 MiB still blocks apply after an unfinished run"

# ---- inputs that cannot hang ----------------------------------------------
t=$(mktmp)/t
mkfifo "$WORK/answers.fifo"
expect_rc 2 timeout 20 "$NDESWIZ" -t "$t" -a "$WORK/answers.fifo" plan
mkfifo "$WORK/pw.fifo"
sed "s|^ndes_service_password = .*|ndes_service_password = file:$WORK/pw.fifo|" \
    "$ex" >"$WORK/fifo.ini"
expect_rc 1 timeout 20 "$NDESWIZ" -t "$t" -a "$WORK/fifo.ini" plan
grep -q "accounts.ndes_service_password" "$WORK/last.err" ||
	fail "fifo secret: $(cat "$WORK/last.err")"
echo "ok: FIFOs as answer file and file: secret refused at once"

# ---- secrets resolved at plan time -----------------------------------------
sed 's|^ndes_service_password = .*|ndes_service_password = env:NDES_SVC_PASSWRD|' \
    "$ex" >"$WORK/typo.ini"
t=$(mktmp)/t
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
snapshot "$t" >"$WORK/pre"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/typo.ini" plan
grep -q "accounts.ndes_service_password: environment variable NDES_SVC_PASSWRD is not set" \
    "$WORK/last.err" || fail "typo at plan: $(cat "$WORK/last.err")"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/typo.ini" apply --yes
snapshot "$t" | cmp -s - "$WORK/pre" || fail "typo: apply changed the target"
echo "" >"$WORK/empty.pw"
chmod 600 "$WORK/empty.pw"
sed "s|^ndes_service_password = .*|ndes_service_password = file:$WORK/empty.pw|" \
    "$ex" >"$WORK/empty.ini"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/empty.ini" plan
grep -q "empty secret" "$WORK/last.err" || fail "empty: $(cat "$WORK/last.err")"
# A file: secret of another user's, even mode 0600, is refused: root could
# read it, but its owner could swap it under us. Staging a file of another
# user's takes root; as anyone else the test says so and fails.
[ "$(id -u)" -eq 0 ] || fail "the foreign-owner case needs root (chown)"
echo pw >"$WORK/other.pw"
chmod 600 "$WORK/other.pw"
chown 1:1 "$WORK/other.pw"
sed "s|^ndes_service_password = .*|ndes_service_password = file:$WORK/other.pw|" \
    "$ex" >"$WORK/other.ini"
expect_rc 1 "$NDESWIZ" -t "$t" -a "$WORK/other.ini" plan
grep -q "belongs to uid 1, not to the user running ndeswiz" "$WORK/last.err" ||
	fail "other owner: $(cat "$WORK/last.err")"
echo "ok: env: typo, empty and foreign file: secrets stop plan and apply"

# ---- nothing raw reaches a terminal ----------------------------------------
t=$(mktmp)/t
printf 'ra_department = IT\342\200\256gpj.exe\302\233[2J\n' >"$WORK/bidi.frag"
sed "s|^ra_department = .*|$(cat "$WORK/bidi.frag")|" "$ex" >"$WORK/bidi.ini"
LC_ALL=C grep -q "$(printf '\342\200\256')" "$WORK/bidi.ini" ||
	fail "setup: no U+202E in the answer file"
run_rc bidi "$NDESWIZ" -t "$t" -a "$WORK/bidi.ini" plan
cat "$WORK/bidi.out" "$WORK/bidi.err" >"$WORK/bidi.all"
if LC_ALL=C grep -q "$(printf '\342\200\256')" "$WORK/bidi.all" ||
    LC_ALL=C grep -q "$(printf '\302\233')" "$WORK/bidi.all"; then
	fail "U+202E or a C1 control reached the terminal"
fi
grep -q 'u202E' "$WORK/bidi.all" || fail "the override is not shown: $(cat "$WORK/bidi.all")"
echo "ok: U+202E and C1 controls shown escaped by plan"
