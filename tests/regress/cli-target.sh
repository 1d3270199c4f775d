#!/bin/sh
# Targets and answer files the admin already has: an empty folder is a new
# target (made from the profile); --profile on an existing target is a
# usage error; export does not overwrite a file without --force.
. "$TOP/tests/regress/lib.sh"
export NDES_SVC_PASSWORD=not-used-offline
ex="$TOP/assets/examples/contoso.ini"

# An empty folder is filled from the profile, as a missing one would be.
e=$(mktmp)/empty
mkdir "$e"
expect_rc 0 "$NDESWIZ" -t "$e" --profile ws2022-fresh -a "$ex" plan
[ -f "$e/registry.reg" ] && [ -f "$e/facts.ini" ] ||
	fail "empty folder not made: $(ls -A "$e")"
m=$(mktmp)/missing
expect_rc 0 "$NDESWIZ" -t "$m" --profile ws2022-fresh -a "$ex" plan
[ "$(snapshot "$e")" = "$(snapshot "$m")" ] ||
	fail "an empty folder's target differs from a new one's"
ok "an empty folder becomes the profile's target"

# A folder with anything in it is not a new target.
n=$(mktmp)/notempty
mkdir "$n"
: >"$n/.keep"
expect_rc 2 "$NDESWIZ" -t "$n" -a "$ex" plan
# (The driver's lock folder, .ndeswiz, is made before the read fails.)
[ ! -e "$n/registry.reg" ] && [ ! -e "$n/facts.ini" ] ||
	fail "a non-empty folder was filled: $(ls -A "$n")"
ok "a folder with a file in it is not filled"

# --profile on an existing target: exit 2, nothing changed.
before=$(snapshot "$e")
for cmd in plan "apply --yes" export; do
	[ "$cmd" = export ] && cmd="export -o $WORK/never.ini"
	# shellcheck disable=SC2086
	expect_rc 2 "$NDESWIZ" -t "$e" --profile ws2022-ndes -a "$ex" $cmd
	grep -q "^ndeswiz: --profile makes a new target only: $e exists" \
	    "$WORK/last.err" || fail "$cmd: $(cat "$WORK/last.err")"
	[ "$(snapshot "$e")" = "$before" ] || fail "$cmd changed the target"
	[ ! -e "$WORK/never.ini" ] || fail "$cmd wrote an answer file"
	ok "$cmd --profile on an existing target: 2"
done
expect_rc 0 "$NDESWIZ" -t "$e" -a "$ex" plan
ok "without --profile the same target opens"

# export -o FILE: an existing file is kept unless --force.
echo "; my answers" >"$WORK/mine.ini"
expect_rc 2 "$NDESWIZ" -t "$e" -a "$ex" export -o "$WORK/mine.ini"
grep -q "mine.ini exists; export does not overwrite it without --force" \
    "$WORK/last.err" || fail "export: $(cat "$WORK/last.err")"
[ "$(cat "$WORK/mine.ini")" = "; my answers" ] || fail "file overwritten"
[ ! -s "$WORK/last.out" ] || fail "export printed: $(cat "$WORK/last.out")"
ok "export keeps an existing file without --force"

expect_rc 0 "$NDESWIZ" -t "$e" -a "$ex" export -o "$WORK/mine.ini" --force
grep -q '^\[ndes\]' "$WORK/mine.ini" || fail "--force did not write"
[ "$(stat -c %a "$WORK/mine.ini")" = 600 ] || fail "mode after --force"
ok "export --force replaces it (mode 0600)"
