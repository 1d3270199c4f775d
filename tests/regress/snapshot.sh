#!/bin/sh
# ndeswiz snapshot -o DIR (issue 17): a target's state, as the steps read
# it, into a new target that plans as its source does. For the configured
# profile (ws2022-ndes) and a fresh one after apply of contoso.ini:
#   - plan --json on source and snapshot, same -a file: identical once the
#     target's own name is replaced (the runbook message names its folder);
#   - no private key in the snapshot; the store certificates that had one
#     carry the "private key present (not exported)" marker, and the
#     request's key file is the marker alone; no secret value;
#   - check --json: the host rows (probe rows reading the target and the
#     steps' inspect rows) equal the source's;
#   - an existing -o is refused (exit 2, untouched), -o missing is exit 2,
#     a missing -t is exit 2 and makes nothing.
. "$TOP/tests/regress/lib.sh"
command -v jq >/dev/null || fail "jq is needed"

export NDES_SVC_PASSWORD=secret-not-in-snapshot
A=$TOP/assets/examples/contoso.ini
cd "$WORK"

# plan --json with the target's name made neutral
plan_of() {
	"$NDESWIZ" plan -t "$1" -a "$A" --json | sed "s|$1/|TARGET/|g"
}

# The rows of check --json that read the target, without timings and with
# the target's name and curl's connect time made neutral. The network
# probes fail alike on both (nothing listens); the events row names the
# folder it looked in.
host_rows() {
	set +e
	"$NDESWIZ" check -t "$1" -a "$A" --json --timeout 2 >"$WORK/check.json"
	set -e
	jq -S '[.probes[] | select(.name as $n | ["connector", "services",
	    "connector-cert", "last-contact", "reboot", "crl", "prereqs",
	    "ndes", "registry", "binding", "accounts", "template", "proxy"] |
	    index($n)) | del(.seconds)]' "$WORK/check.json" |
	    sed "s|$1/|TARGET/|g; s|target $1 |target TARGET |g; s|after [0-9]* ms|after N ms|g"
}

same_as_source() {
	src=$1 snap=$2
	plan_of "$src" >"$WORK/plan-src.json"
	plan_of "$snap" >"$WORK/plan-snap.json"
	diff "$WORK/plan-src.json" "$WORK/plan-snap.json" ||
	    fail "$src: the snapshot plans differently"
	n=$(jq '.plan.changes | length' "$WORK/plan-src.json")
	ok "$src: plan --json on the snapshot equals the source's ($n changes)"
	host_rows "$src" >"$WORK/rows-src.json"
	host_rows "$snap" >"$WORK/rows-snap.json"
	[ "$(jq length "$WORK/rows-src.json")" -ge 8 ] ||
	    fail "$src: check --json has too few host rows"
	diff "$WORK/rows-src.json" "$WORK/rows-snap.json" ||
	    fail "$src: check's host rows differ on the snapshot"
	ok "$src: check --json host rows equal the source's"
	if grep -rl "PRIVATE KEY" "$snap"; then
		fail "$snap holds a private key"
	fi
	if grep -rl "$NDES_SVC_PASSWORD" "$snap"; then
		fail "$snap holds the service account's password"
	fi
	ok "$src: no private key and no secret in the snapshot"
}

# ---- the configured profile ----------------------------------------------
"$NDESWIZ" plan -t ndes --profile ws2022-ndes -a "$A" >/dev/null
expect_rc 0 "$NDESWIZ" snapshot -t ndes -a "$A" -o snap-ndes
grep -q "Wrote snap-ndes" "$WORK/last.out" || fail "no summary line"
[ -d snap-ndes ] && ! ls -d snap-ndes.snap.* 2>/dev/null ||
    fail "the snapshot folder is not there whole"
same_as_source ndes snap-ndes
keyed=$(grep -l "PRIVATE KEY" ndes/certs/My/*.pem | wc -l)
marked=$(grep -l "^# ndeswiz: private key present (not exported)$" \
    snap-ndes/certs/My/*.pem | wc -l)
[ "$keyed" -ge 3 ] && [ "$keyed" -eq "$marked" ] ||
    fail "$keyed certificates had a key, $marked carry the marker"
for f in ndes/certs/*/*.pem; do
	openssl x509 -noout -fingerprint -sha1 -in "$f" >"$WORK/a"
	openssl x509 -noout -fingerprint -sha1 -in "snap-$f" >"$WORK/b" ||
	    fail "snap-$f: no certificate"
	cmp -s "$WORK/a" "$WORK/b" || fail "snap-$f: another certificate"
done
ok "every store certificate copied, $marked with the key marker"
# The RA certificates count as having their key (ndes.ra-* stay quiet).
jq -e '[.findings[] | select(.code | test("^ndes\\.ra-.*key"))] |
    length == 0' "$WORK/plan-snap.json" >/dev/null ||
    fail "the snapshot's RA certificates read as keyless"
ok "the marked RA certificates count as having their key"

# Other answers than the snapshot was taken with: the fixed table and what
# the steps read still give the source's plan, changes and all.
sed -e 's/^remove_http_binding = no/remove_http_binding = yes/' \
    -e 's/^hide_mscep_admin = yes/hide_mscep_admin = no/' \
    -e 's/^spn_names = .*/spn_names = ndes.contoso.com/' \
    -e 's|^url = http://proxy.contoso.com:8080|url = http://p2.contoso.com:3128|' \
    -e 's/^name = NDESDeviceCert/name = NDESOther/' "$A" >changed.ini
A_SAVED=$A A=$WORK/changed.ini
plan_of ndes >"$WORK/plan-src.json"
plan_of snap-ndes >"$WORK/plan-snap.json"
A=$A_SAVED
diff "$WORK/plan-src.json" "$WORK/plan-snap.json" ||
    fail "other answers plan differently on the snapshot"
n=$(jq '.plan.changes | length' "$WORK/plan-src.json")
[ "$n" -ge 5 ] || fail "other answers: only $n changes planned"
ok "other answers: the snapshot plans the source's $n changes"

# ---- a fresh target after apply ------------------------------------------
"$NDESWIZ" apply -t fresh -a "$A" --yes >/dev/null
[ -f fresh/ndes-server.key ] || fail "apply made no request key"
expect_rc 0 "$NDESWIZ" snapshot -t fresh -a "$A" -o snap-fresh
same_as_source fresh snap-fresh
[ "$(cat snap-fresh/ndes-server.key)" = \
    "# ndeswiz: private key present (not exported)" ] ||
    fail "the request's key file is not the marker alone"
ok "the request's key file is replaced by the marker"
# Other names than the request asks for: the snapshot cannot make a new
# request (the key stayed on the source) and says so.
sed 's/^fqdn = .*/fqdn = other.contoso.com/' "$A" >other.ini
grep -q "^fqdn = other" other.ini || fail "no fqdn line in $A"
expect_rc 1 "$NDESWIZ" plan -t snap-fresh -a other.ini
grep -q "binding.csr-key-held" "$WORK/last.err" ||
    fail "no binding.csr-key-held for other names"
ok "other names on the snapshot: binding.csr-key-held (exit 1)"

# ---- refused -------------------------------------------------------------
before=$(snapshot snap-ndes)
expect_rc 2 "$NDESWIZ" snapshot -t ndes -a "$A" -o snap-ndes
grep -q "exists" "$WORK/last.err" || fail "no reason for the refusal"
[ "$before" = "$(snapshot snap-ndes)" ] || fail "the refused -o changed"
ok "an existing -o is refused (exit 2), untouched"
expect_rc 2 "$NDESWIZ" snapshot -t ndes -a "$A"
grep -q "needs -o DIR" "$WORK/last.err" || fail "no hint for -o"
ok "-o missing: exit 2"
expect_rc 2 "$NDESWIZ" snapshot -t nothere -a "$A" -o snap-x
[ ! -e nothere ] && [ ! -e snap-x ] || fail "a refused run made a folder"
ok "a missing -t: exit 2, nothing made"
