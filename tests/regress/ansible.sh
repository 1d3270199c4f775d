#!/bin/sh
# The Ansible role (assets/ansible/roles/ndeswiz) on four hosts at once,
# all ansible_connection=local, -f 3, each good one with its own dir
# target: check mode changes nothing and says "changed"; the first run
# applies on each host; the second is changed=0; the host with a bad
# answer file fails alone; a failing health check fails its host with the
# result registered; the fleet report lists every host. h1 and h2 rehearse
# a server that has NDES and the connector already (ndeswiz_profile=
# ws2022-ndes, configured for contoso.ini): the lab's answers differ, so
# there is still a change to apply, and check's host rules find the
# connector, its services and certificate. h3 is a fresh server. The
# health check talks to the lab (nginx + scepserver, the cloud stand-ins,
# the CA's CRL on the CDP of the profile's RA certificates, tinyproxy with
# a password the role passes as environment) in a private network
# namespace.
LAB_LIMIT=${LAB_LIMIT:-600}
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_need ansible-playbook python3
lab_pki
lab_scep
lab_nginx ndes 8443 9441 9442 9443 9444 <<EOF
server {
$(lab_tls 8443 ndes)
	large_client_header_buffers 4 64k;
$(lab_ndes_locations)
}
$(lab_cloud_servers)
EOF
# The CRL the ws2022-ndes profile's RA certificates name as their CDP.
lab_crl
SECRET=lab-proxy-s3cret-Ansible-Q4
lab_proxy "$SECRET"

C=$WORK/ctl			# the controller's files
T=$WORK/hosts			# the managed hosts' dir targets
mkdir -p "$C" "$T" "$WORK/tmp" "$WORK/home"
lab_clouds "$C/clouds.ini" 9443
# contoso.ini, named for the lab's certificate, cloud and proxy.
sed -e 's/^fqdn = .*/fqdn = ndes.lab.test/' \
    -e 's/^external_names = .*/external_names = scep.lab.test/' \
    -e 's/^spn_names = .*/spn_names = scep.lab.test/' \
    -e 's/^cloud = .*/cloud = custom/' \
    -e 's|^url = http://proxy.*|url = http://127.0.0.1:8888|' \
    -e 's/^bypass = .*/bypass = <local>/' \
    -e 's/^username =.*/username = lab/' \
    -e 's/^password =.*/password = env:PROXY_PASSWORD/' \
    -e "s|^ca_bundle =.*|ca_bundle = $LAB/pki/ca.pem|" \
    "$TOP/assets/examples/contoso.ini" >"$C/lab.ini"
grep -q "password = env:PROXY_PASSWORD" "$C/lab.ini" || fail "lab.ini"
printf '[meta]\nversion = 1\n[health]\ncolour = red\n' >"$C/bad.ini"
# The secrets, as a vault would give them: never in the answer file.
printf '{"ndeswiz_secrets": {"PROXY_PASSWORD": "%s", "NDES_SVC_PASSWORD": "%s-svc"}}\n' \
    "$SECRET" "$SECRET" >"$C/secrets.json"
URL=https://127.0.0.1:8443/certsrv/mscep/mscep.dll
cat >"$C/inventory.ini" <<EOF
[ndes]
h1 ndeswiz_target=$T/h1 ndeswiz_health_url=$URL ndeswiz_profile=ws2022-ndes
h2 ndeswiz_target=$T/h2 ndeswiz_health_url=$URL ndeswiz_profile=ws2022-ndes
h3 ndeswiz_target=$T/h3
h4 ndeswiz_target=$T/h4 ndeswiz_answer_file=$C/bad.ini
[ndes:vars]
ansible_connection=local
ansible_python_interpreter=$(command -v python3)
ndeswiz_binary=$NDESWIZ
ndeswiz_answer_file=$C/lab.ini
ndeswiz_check_options=["--clouds", "$C/clouds.ini", "--timeout", "10"]
ndeswiz_tmp_dir=$WORK/tmp
EOF
# Only this test's files: its own home, temporary folders, no cowsay,
# no retry files, no host keys.
export HOME="$WORK/home" ANSIBLE_LOCAL_TEMP="$WORK/ansible-local" \
    ANSIBLE_REMOTE_TEMP="$WORK/ansible-remote" ANSIBLE_NOCOWS=1 \
    ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_HOST_KEY_CHECKING=False \
    ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=default \
    NDESWIZ_ASSETS="${NDESWIZ_ASSETS:-$TOP/assets}"
unset ANSIBLE_CONFIG
PB=$TOP/assets/ansible

# play NAME ARGS...: ansible-playbook, bounded, output in $WORK/NAME.out.
play() {
	n=$1
	shift
	run_rc "$n" timeout 300 ansible-playbook -f 3 -i "$C/inventory.ini" \
	    -e "@$C/secrets.json" "$@"
	echo "== $n: exit $rc"
	sed -n '/^PLAY RECAP/,$p' "$WORK/$n.out" | grep -v '^$'
}

# recap NAME HOST CHANGED FAILED
recap() {
	grep -Eq "^$2 +: ok=[0-9]+ +changed=$3 +unreachable=0 +failed=$4 " \
	    "$WORK/$1.out" || fail "$1: $2 is not changed=$3 failed=$4:
$(sed -n '/^PLAY RECAP/,$p' "$WORK/$1.out")
$(grep -A3 'fatal:' "$WORK/$1.out")"
}

# A listing of a target with every file's hash, its state folder too,
# but for the lock's note: every run, plan and check too, takes the lock
# and writes its pid there (backend/lock.c), which changes nothing.
fullsnap() {
	(cd "$1" && find . -type f ! -path ./.ndeswiz/lock \
	    -exec sha256sum {} + | LC_ALL=C sort)
}

pending() { # TARGET: the number of changes plan still finds
	"$NDESWIZ" -t "$1" -a "$C/lab.ini" plan --json | jq '.plan.changes | length'
}

# h1's and h4's servers exist already (plan without answers makes them
# from their profile); h2 and h3 are made by the first real run.
for h in h1:ws2022-ndes h4:ws2022-fresh; do
	p=${h#*:} h=${h%%:*}
	expect_rc 1 "$NDESWIZ" -t "$T/$h" --profile "$p" plan
	[ -f "$T/$h/registry.reg" ] || fail "$h was not made"
	fullsnap "$T/$h" >"$WORK/$h.before"
done
[ "$(pending "$T/h1")" -gt 0 ] || fail "h1 has nothing to change"

# --- check mode: "changed" where changes are pending; nothing changes.
play check "$PB/site.yml" --check
[ "$rc" -eq 2 ] || fail "check mode: exit $rc, want 2 (h4 fails)"
for h in h1 h2 h3; do recap check "$h" 1 0; done
recap check h4 0 1
grep -q "bad.ini:4: unknown key 'colour'" "$WORK/check.out" ||
	fail "h4's error does not name the controller's bad.ini:4"
fullsnap "$T/h1" | cmp -s - "$WORK/h1.before" || fail "check mode changed h1"
for h in h2 h3; do
	[ ! -e "$T/$h" ] || fail "check mode made $h's target"
done
[ -z "$(ls -A "$WORK/tmp")" ] || fail "check mode left $(ls "$WORK/tmp")"

# --- the first run: applied on each good host, the bad one fails alone.
play run1 "$PB/site.yml"
[ "$rc" -eq 2 ] || fail "run1: exit $rc, want 2 (h4 fails)"
for h in h1 h2 h3; do
	recap run1 "$h" 1 0
	[ "$(pending "$T/$h")" -eq 0 ] || fail "run1: $h still has changes"
done
recap run1 h4 0 1
for h in h1 h2 h3; do fullsnap "$T/$h" >"$WORK/$h.run1"; done

# --- the second run: nothing to do anywhere.
play run2 "$PB/site.yml"
[ "$rc" -eq 2 ] || fail "run2: exit $rc, want 2 (h4 fails)"
for h in h1 h2 h3; do
	recap run2 "$h" 0 0
	fullsnap "$T/$h" | cmp -s - "$WORK/$h.run1" || fail "run2 changed $h"
done
recap run2 h4 0 1
fullsnap "$T/h4" | cmp -s - "$WORK/h4.before" || fail "a run changed h4"
grep -q "ndeswiz | check --json" "$WORK/run2.out" || fail "no check ran"

# --- a health check that fails fails its host, and only it.
play health "$PB/site.yml" -l h2,h3 \
    -e ndeswiz_health_url=https://127.0.0.1:9/certsrv/mscep/mscep.dll
[ "$rc" -eq 2 ] || fail "health: exit $rc, want 2"
recap health h2 0 1
recap health h3 0 1
grep -q "ndeswiz check: FAIL: .*health.mscep-refused" "$WORK/health.out" ||
	fail "the failing check's message: $(grep -A2 fatal: "$WORK/health.out")"

# --- the fleet report: every host, its verdict and failing checks.
play report "$PB/fleet-report.yml" -e "ndeswiz_report_file=$C/fleet.txt"
[ "$rc" -eq 0 ] || fail "report: exit $rc: $(grep -A3 fatal: "$WORK/report.out")"
cat "$C/fleet.txt"
head -1 "$C/fleet.txt" | grep -Eq '^host +state +failing checks$' ||
	fail "report header"
[ "$(wc -l <"$C/fleet.txt")" -eq 5 ] || fail "report: not 4 hosts"
for h in h1 h2; do
	grep -Eq "^$h +PASS(-WITH-WARNINGS)? +-$" "$C/fleet.txt" ||
		fail "report: $h is not a pass"
done
# h3 has no health URL: the answers' own (ndes.lab.test) does not resolve.
grep -Eq "^h3 +FAIL +mscep \(health\.mscep-" "$C/fleet.txt" ||
	fail "report: h3"
grep -Eq "^h4 +ERROR +.*bad\.ini:4: unknown key 'colour'" "$C/fleet.txt" ||
	fail "report: h4"
jq -e 'length == 4 and ([.[].host] == ["h1", "h2", "h3", "h4"])' \
    "$C/fleet.json" >/dev/null || fail "fleet.json"

# The proxy password reached the check (the endpoints probe went through
# tinyproxy's authentication) and appears nowhere it must not.
grep -q "CONNECT" "$LAB/proxy/tinyproxy.log" || fail "no CONNECT via the proxy"
for f in "$WORK"/check.* "$WORK"/run1.* "$WORK"/run2.* "$WORK"/health.* \
    "$WORK"/report.* "$C/fleet.txt" "$C/fleet.json"; do
	! grep -q "$SECRET" "$f" || fail "the secret is in $f"
done
! grep -rq "$SECRET" "$T" "$WORK/tmp" "$WORK/home" ||
	fail "the secret is in a target or the temporary folders"
[ -z "$(ls -A "$WORK/tmp")" ] || fail "a run left $(ls "$WORK/tmp")"
echo ok
