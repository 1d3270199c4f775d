#!/bin/sh
# Each command takes the options its cmd_entry declares: any other is a
# usage error (exit 2, naming the option; UNKNOWN, exit 3, under check
# --nagios) that opens and makes nothing. --help lists each command's
# options from the same entries.
. "$TOP/tests/regress/lib.sh"

t=$(mktmp)/t
# cmd options... -> the option it must name
while read -r want cmd opts; do
	# shellcheck disable=SC2086
	rc=0
	"$NDESWIZ" -t "$t" "$cmd" $opts >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "$cmd $opts: exit $rc, want 2"
	grep -q "^ndeswiz: $cmd does not take --$want\$" "$WORK/err" ||
		fail "$cmd $opts: $(cat "$WORK/err")"
	[ ! -s "$WORK/out" ] || fail "$cmd $opts: printed $(cat "$WORK/out")"
	[ ! -e "$t" ] || fail "$cmd $opts: made the target"
	ok "$cmd rejects --$want"
done <<'LIST'
json rollback --json --nagios --url x
nagios plan --nagios
url apply --yes --url http://127.0.0.1:1/
output plan -o x.ini
yes check --yes
force plan --force
target signin --target x
timeout plan --timeout 5
LIST

# Before the command too: options are checked wherever they stand.
rc=0
"$NDESWIZ" --json -t "$t" rollback 2>"$WORK/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "rollback does not take --json" "$WORK/err" ||
	fail "option before the command: exit $rc, $(cat "$WORK/err")"
ok "an option before the command is checked too"

# Under --nagios: a status line and UNKNOWN.
rc=0
"$NDESWIZ" -t "$t" check --nagios --yes >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" -eq 3 ] || fail "check --nagios --yes: exit $rc, want 3"
grep -qx "NDES UNKNOWN - check does not take --yes" "$WORK/out" ||
	fail "check --nagios --yes: $(cat "$WORK/out")"
ok "check --nagios with a foreign option is UNKNOWN"

# The help text comes from the entries: rollback lists what it takes and
# nothing else.
"$NDESWIZ" --help >"$WORK/help" || fail "--help failed"
sed -n '/^  rollback /{n;p;}' "$WORK/help" >"$WORK/rb"
grep -qx '            \[-t DIR\] \[-y\] \[--force\]' "$WORK/rb" ||
	fail "rollback's usage: $(cat "$WORK/rb")"
ok "--help lists rollback's own options"
