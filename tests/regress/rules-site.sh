#!/bin/sh
# Issue 14 item 9 through the binary: a server whose IIS lost Default Web
# Site (or its id, or its root application) is refused by plan and apply
# with exit 1, binding.no-default-site and how to restore it, and its
# applicationHost.config is left byte for byte; the whole site plans.
. "$TOP/tests/regress/lib.sh"

ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=only-a-reference

# target NAME SED: the configured profile with applicationHost.config
# changed by SED (lines 21-32 are Default Web Site); $T.
target() {
	T=$(mktmp)/t
	run_rc mk "$NDESWIZ" -t "$T" --profile ws2022-ndes -a "$ex" plan
	[ -f "$T/applicationHost.config" ] || fail "$1: no applicationHost.config"
	sed -i -e "$2" "$T/applicationHost.config"
	cp "$T/applicationHost.config" "$WORK/$1.before"
}

refused() {
	target "$1" "$2"
	for cmd in plan "apply --yes"; do
		# shellcheck disable=SC2086
		run_rc "$1" "$NDESWIZ" -t "$T" -a "$ex" $cmd
		[ "$rc" -eq 1 ] || fail "$1 $cmd: exit $rc, want 1"
		out=$(cat "$WORK/$1.out" "$WORK/$1.err")
		for want in binding.no-default-site "$3" "appcmd restore backup" \
		    "New-Website -Name 'Default Web Site'"; do
			printf '%s' "$out" | grep -qF "$want" ||
				fail "$1 $cmd: no '$want': $out"
		done
		cmp -s "$WORK/$1.before" "$T/applicationHost.config" ||
			fail "$1 $cmd: applicationHost.config changed"
	done
	ok "$1: plan and apply refused (exit 1), config untouched"
}

refused no-site '21,32d' "has no site named 'Default Web Site'"
refused no-id '21s/ id="1"//' "without an id"
refused no-root "21,32s|<application path=\"/\">|<application path=\"/x\">|" \
    "without its root application"

target whole-site 's/x/x/'
run_rc whole "$NDESWIZ" -t "$T" -a "$ex" plan
[ "$rc" -eq 0 ] || fail "whole site: exit $rc: $(cat "$WORK/whole.out" "$WORK/whole.err")"
! grep -qF no-default-site "$WORK/whole.out" "$WORK/whole.err" ||
	fail "whole site: reported missing"
ok "whole site: plans (exit 0), no no-default-site"
