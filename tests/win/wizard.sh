#!/bin/sh
# tests/win/run's `wizard` case: the whole wizard of the Windows build on
# Wine's console, driven by tmux as tests/regress/tui-full.sh drives the
# POSIX one, with the same answers (tests/regress/tui-walk-lib.sh): every
# answer of assets/examples/contoso.ini typed, Review, Apply, the Health
# check run against the loopback lab, the answers exported and compared
# with the example's, then a rerun whose fields are all pre-filled.
#
# The lab (tests/lab/lab.sh) is the one the POSIX health tests use: this
# script re-runs itself in fresh network, PID and mount namespaces
# (unshare), and Wine runs in there too (wineserver works in them; the
# suite stops the prefix's wineserver before, so that no outside server
# is shared). Nothing listens beyond that namespace's loopback, and the
# names the answers use are made to point at it by an /etc/hosts
# bind-mounted in the private mount namespace only:
#   ndes01.contoso.com:443  nginx (TLS, a lab certificate for that name)
#                           in front of scepserver ($LAB_SCEP_PORT)
#   proxy.contoso.com:8080  tinyproxy, no password (the example's proxy)
#   127.0.0.1:9441-9444     the cloud's stand-ins, as the [public] cloud
#                           of a --clouds table, reached through the proxy
#
# Keys on Wine's console, through tmux (TERM unset, Wine's own console on
# the pane's tty): every key the walk sends acts as on the POSIX build's
# terminal: literal text (send-keys -l, backslashes and spaces included),
# Tab, Space (a checkbox), C-u (clears a field), PgDn (NPage: next page),
# Left + Enter (a dialog's other button), Enter, Down (scrolls the focused
# results) and F10 (quit). Esc is not sent: Wine's console reads a lone
# Esc as the start of a sequence (tui-alone's finding), so the walk needs
# none (Enter on the Apply dialog's default is its Cancel).
# The screens are matched on words only: the step list's current-step
# marker is "▶" or ">" (walk_at), the boxes may be ASCII or Unicode.
#
# Environment (set by tests/win/run): TOP, NDESWIZ (the POSIX build, which
# lib.sh asks for), WINE, WIZ_EXE (the exe under test), WIZ_TARGET (dir:
# a dir target, -t; live: the live driver, no -t), WIZ_LOGS (where the
# screen captures go), WINEPREFIX and the other Wine settings.
export LAB_SCEP_PORT=8081 # the example's proxy takes 8080
# RSA keys: with the lab's P-256 ones, Wine's crypt32 (schannel, under
# libcurl) once failed the chain as CERT_TRUST_IS_NOT_SIGNATURE_VALID.
export LAB_KEY=rsa
. "$TOP/tests/lab/lab.sh"
# The whole case, bounded: it takes ~40 s on a dir target, ~4 min on the
# live machine (every tool a Wine process).
case ${WIZ_TARGET:-} in
live) LAB_LIMIT=${LAB_LIMIT:-600} ;;
*) LAB_LIMIT=${LAB_LIMIT:-360} ;;
esac
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
TUI_DEADLINE=${TUI_DEADLINE:-60} # Wine starts and draws slower
. "$TOP/tests/regress/tui-lib.sh"
. "$TOP/tests/regress/tui-walk-lib.sh"
# tui-lib.sh names the tmux socket after $$, which is 1 in every PID
# namespace, and /tmp is shared: name it after $WORK (unique) instead.
TUI_SOCK=ndeswiz-wiz-${WORK##*.}
TUI_SOCK_FILE=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK
lab_init
trap 'tmx kill-server >/dev/null 2>&1; rm -f "$TUI_SOCK_FILE"; lab_stop
    rm -rf "$WORK"' EXIT
: "${WINE:?}" "${WIZ_EXE:?}" "${WIZ_LOGS:?}" "${WIZ_TARGET:?}"
ex=$WALK_EXAMPLE

# PID 1 of a new PID namespace, made by the same unshare as the mount
# namespace: only then is the bind mount below private to this test.
[ $$ -eq 1 ] || fail "not in the lab's namespaces (pid $$)"
printf '%s\n' "127.0.0.1 localhost ndes01.contoso.com scep.contoso.com" \
    "127.0.0.1 proxy.contoso.com" >"$WORK/hosts"
mount --bind "$WORK/hosts" /etc/hosts || fail "cannot bind-mount /etc/hosts"

# ---- the lab ----
lab_pki
lab_cert ndes01 ca server_ext /CN=ndes01.contoso.com \
    DNS:ndes01.contoso.com,DNS:scep.contoso.com -days 365
lab_scep
lab_nginx ndes 443 9441 9442 9443 9444 <<EOF
server {
$(lab_tls 443 ndes01)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
$(lab_cloud_servers)
EOF
lab_proxy "" 8080
lab_clouds "$WORK/clouds.ini" 9443
sed -i 's/^\[custom\]$/[public]/' "$WORK/clouds.ini"

# ---- the exe and its target ----
# walk_exe NAME ARGS...: the exe, bounded; $rc, $WORK/NAME.{out,err}.
walk_exe() {
	wn=$1
	shift
	run_rc "$wn" timeout 120 "$WINE" "$WIZ_EXE" "$@" </dev/null
}

case $WIZ_TARGET in
dir)
	t=$WORK/target
	targs="-t '$t'"
	# A fresh target of the same profile plans what the wizard will.
	wiz_plan() { walk_exe "$1" -t "$WORK/pre" -a "$ex" plan; }
	wiz_after() { walk_exe "$1" -t "$t" -a "$ex" plan; }
	;;
live)
	# The live driver, on the test doubles of the Windows tools.
	targs=""
	wiz_plan() { walk_exe "$1" -a "$ex" plan; }
	wiz_after() { walk_exe "$1" -a "$ex" plan; }
	;;
*) fail "WIZ_TARGET is '$WIZ_TARGET': dir or live" ;;
esac

# wiz_start: the wizard in a 100x32 pane, as tests/win/run's tui case.
# TERM is unset: the exe draws on Wine's console, not on a terminfo.
wiz_start() {
	tui_start 100 32 "env -u TERM timeout --foreground 300 '$WINE' \
	    '$WIZ_EXE' $targs --cacert '$LAB/pki/ca.pem' \
	    --clouds '$WORK/clouds.ini'"
}

# capture NAME: the screen, with its colours, for the suite's logs, once
# it is still (Wine's console redraws a page a few rows at a time).
capture() {
	f=$WIZ_LOGS/wizard-$1.txt
	: >"$f"
	k=0
	while [ $k -lt 25 ]; do
		tmx capture-pane -e -p -t t >"$f.new"
		cmp -s "$f" "$f.new" && break
		mv "$f.new" "$f"
		sleep 0.2
		k=$((k + 1))
	done
	rm -f "$f.new"
}

# The NDES page as typed, and as pre-filled on the rerun.
walk_page_done() {
	[ "$1" != ndes ] || capture "ndes-$2"
}

# The answers: the example's, in the order the exe's field table gives.
walk_exe order -t "$WORK/fresh" export -o "$WORK/order.ini"
[ "$rc" -eq 0 ] || fail "export of a fresh target: exit $rc"
walk_answers "$WORK/order.ini"
wiz_plan plan
[ "$rc" -eq 0 ] || fail "plan: exit $rc: $(cat "$WORK/plan.err")"
walk_planned "$WORK/plan.out"

# ---- the first run: every answer typed ----
wiz_start
tui_page "Welcome"
tui_wait "no answer file (-a)"
# The title names the target; the machine itself has no folder to show.
[ "$WIZ_TARGET" != live ] || tui_wait "target: this server"
tui_keys Enter
walk_pages type
ok "$(walk_answer_count) answers typed on $(sections | wc -l) pages"

tui_page "Review the changes"
tui_wait "$first"
capture review
walk_apply "$n"
ok "Review showed the plan's $n changes; Apply applied them"

# ---- health: against the lab ----
tui_keys NPage
tui_page "Health check"
tui_keys Enter			# the focus is on "Run the check"
tui_wait "Done:" 120
capture health
# The results run past the screen: Tab into them, then Down through them
# until nothing is "below", keeping every screen on the way.
tui_keys Tab
: >"$WORK/health.seen"
k=0
while :; do
	tui_screen >>"$WORK/health.seen"
	tui_screen | grep -qE "more (above and )?below" || break
	k=$((k + 1))
	# A bound, not a count: the live machine's results run longer.
	[ $k -lt 300 ] || fail "the health results never end"
	tui_keys Down
	sleep 0.1
done
capture health-end
# seen STATE TEXT: a result line (state, then title) was on the screen.
seen() {
	grep -qE "$1 +$2" "$WORK/health.seen" || {
		cat "$WORK/health.seen" >&2
		fail "Health: no '$1 $2'"
	}
}
# NDES itself: every probe passes against the lab's nginx and scepserver.
seen pass "NDES answers a bare request with 403"
seen pass "The server certificate: trusted, right names, in date"
seen pass "SCEP GetCACaps: POSTPKIOperation and SHA-256 offered"
seen pass "SCEP GetCACert: CA and RA certificates in date"
seen pass "A ~31 KB SCEP request is not refused as too long"
grep -q '"GET /certsrv/mscep/mscep.dll?operation=GetCACaps' \
    "$LAB/nginx-ndes/access.log" || fail "nginx saw no GetCACaps"
# The cloud's hosts: reached through the example's proxy; the lab's CA is
# not Microsoft's, which the probe rightly calls TLS inspection (warn).
seen warn "The cloud's hosts reachable, no TLS inspection, clock"
seen "" "login 127.0.0.1:9441: the certificate comes from CN=ndeswiz Lab"
[ "$(grep -c 'CONNECT 127.0.0.1:944[1-4]' "$LAB/proxy/tinyproxy.log")" \
    -ge 4 ] || fail "the proxy saw no CONNECT to the cloud's hosts:
$(cat "$LAB/proxy/tinyproxy.log")"
ok "Health: NDES's five probes pass against the lab; the cloud's hosts" \
    "are reached through proxy.contoso.com:8080"

# ---- export ----
tui_keys NPage
# Wine shows the path the Windows way: drive Z: is /, with forward slashes.
walk_export exported.ini "Z:$WORK/exported.ini"
capture finish
walk_quit "the wizard"
walk_same_as_example "$WORK/exported.ini"
wiz_after after
[ "$rc" -eq 0 ] || fail "plan after apply: exit $rc"
grep -q "^No changes" "$WORK/after.out" || fail "apply left changes"
ok "the export equals the example; the target needs no more changes"

# ---- the rerun: everything pre-filled ----
wiz_start
walk_rerun
ok "rerun: every field pre-filled, nothing to change"
