#!/bin/sh
# A target whose applicationHost.config is not well-formed XML (or is a
# DOCTYPE's entity bomb): plan, apply and the wizard each refuse it, name
# the file, the line and what is wrong (backend/host/xmldoc.c), exit 2
# and leave the target as it was.
. "$TOP/tests/regress/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing (make deps)"

ex="$TOP/assets/examples/contoso.ini"
NDES_SVC_PASSWORD=x
export NDES_SVC_PASSWORD
base=$(mktmp)/base
expect_rc 0 "$NDESWIZ" -t "$base" -a "$ex" plan
[ -f "$base/applicationHost.config" ] || fail "plan made no target"

# break NAME PYTHON-EXPR: a copy of the target whose config is the
# expression's value, s being the file's bytes; prints the copy's path.
break_it() {
	d=$WORK/$1
	rm -rf "$d"
	cp -a "$base" "$d"
	python3 - "$d/applicationHost.config" "$2" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, "rb").read()
open(p, "wb").write(eval(sys.argv[2]))
EOF
	echo "$d"
}

# The line of the first byte string B in the broken file (EOF: its end).
line_of() {
	python3 - "$1/applicationHost.config" "$2" <<'EOF'
import sys
s, b = open(sys.argv[1], "rb").read(), sys.argv[2].encode("latin-1")
print(s[:len(s) if b == b"EOF" else s.index(b)].count(b"\n") + 1)
EOF
}

n=0
# name | the change | where (text at the fault's line) | what is said
while IFS="|" read -r kind expr at why; do
	[ -n "$kind" ] || continue
	n=$((n + 1))
	t=$(break_it "$kind" "$expr")
	line=$(line_of "$t" "$at")
	before=$(snapshot "$t")
	for cmd in plan "apply --yes"; do
		# shellcheck disable=SC2086
		expect_rc 2 "$NDESWIZ" -t "$t" -a "$ex" $cmd
		grep -qF "$t/applicationHost.config:$line: $why" \
		    "$WORK/last.err" || fail "$kind, $cmd: want line $line," \
		    "\"$why\": $(cat "$WORK/last.err")"
		[ "$(snapshot "$t")" = "$before" ] ||
			fail "$kind, $cmd: the target changed"
		[ "$(ls -A "$t/.ndeswiz" 2>/dev/null)" = lock ] ||
			fail "$kind, $cmd: state left: $(ls -A "$t/.ndeswiz")"
	done
done <<'EOF'
entities|b'<?xml version="1.0"?>\n<!DOCTYPE configuration [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<configuration>&b;</configuration>\n'|<!DOCTYPE|a DOCTYPE is not allowed
entity|s.replace(b'<system.webServer>', b'<system.webServer a="&nosuch;">', 1)|&nosuch;|unknown entity &nosuch;
endtag|s.replace(b'</system.webServer>', b'</system.webserver>', 1)|</system.webserver>|end tag </system.webserver> where </system.webServer> belongs
latin1|s.replace(b'<system.webServer>', b'<system.webServer a="caf\xe9">', 1)|caf|byte 0xE9 is not UTF-8
lt|s.replace(b'<system.webServer>', b'<system.webServer a="1<2">', 1)|1<2|'<' in an attribute value
twice|s.replace(b'<system.webServer>', b'<system.webServer a="1" a="2">', 1)|a="2"|attribute a given twice in <system.webServer>
deep|s.replace(b'<system.webServer>', b'<system.webServer>' + b'<x>' * 300, 1)|<x><x>|elements nested too deeply
cut|s[:len(s) // 2]|EOF|the file ends inside <
EOF
[ "$n" -eq 8 ] || fail "ran $n cases, not 8"
ok "plan and apply refuse 8 kinds of broken XML with file, line and reason; exit 2; nothing changes"

# The wizard: the same reason once the screen is given back, exit 2.
t=$WORK/entity
ent='&nosuch;'
before=$(snapshot "$t")
rc=0
python3 "$TOP/tests/tools/onpty.py" --exit "$NDESWIZ" -t "$t" -a "$ex" \
    >"$WORK/tui.out" ||
	rc=$?
[ "$rc" -eq 2 ] || fail "the wizard: exit $rc, want 2"
grep -qF "applicationHost.config:$(line_of "$t" "$ent"): unknown entity" \
    "$WORK/tui.out" || fail "the wizard: $(tail -c 400 "$WORK/tui.out")"
[ "$(snapshot "$t")" = "$before" ] || fail "the wizard changed the target"
ok "the wizard says the same and exits 2, the target unchanged"
