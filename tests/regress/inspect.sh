#!/bin/sh
# Every rule the steps' inspection has about the server, through the
# binary. For each finding code the inspect functions can emit, a target
# is made in that state (a host profile copied and edited: facts.ini,
# features.txt, registry.reg, groups.txt, applicationHost.config, certs/)
# and:
#   - plan --json lists the code with its severity;
#   - an error: plan exits 1 naming it, apply --yes refuses (exit 1) and
#     the target is byte-identical, check --json lists it under "host",
#     and the wizard shows it on its step's screen (tmux);
#   - a warning: plan exits 0 and names it.
# The codes are read from the source (in every function whose name has
# "inspect" in backend/<step>.c: the whole codes written out, and the code
# argument of each finding_add call, which is the step's when it has no
# dot): a code without a case here fails the test, as does a case for a
# code the source lacks.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"
command -v jq >/dev/null || fail "jq is needed"
command -v openssl >/dev/null || fail "openssl is needed"

export NDES_SVC_PASSWORD=not-used-offline
# A private copy of the assets: each case is a host profile of its own.
cp -r "${NDESWIZ_ASSETS:-$TOP/assets}" "$WORK/assets"
export NDESWIZ_ASSETS="$WORK/assets"
hosts=$WORK/assets/hosts
ex=$TOP/assets/examples/contoso.ini

# ---- the codes in the source --------------------------------------------
for f in prereqs accounts ndes registry binding proxy; do
	awk '/^[a-z_]*inspect[a-z_]*\(/ { i = 1 } i && /^}/ { i = 0 } i' \
	    "$TOP/backend/$f.c" >"$WORK/fn"
	grep -o '"\(prereqs\|accounts\|ndes\|registry\|binding\|proxy\)\.[a-z0-9-]*"' \
	    "$WORK/fn" || :
	tr '\n' ' ' <"$WORK/fn" | grep -o 'finding_add([^"]*"[a-z0-9-]*"' |
	    grep -o '"[a-z0-9-]*"$' | sed "s/^\"/\"$f./" || :
done | tr -d '"' | sort -u >"$WORK/source-codes"
nsrc=$(wc -l <"$WORK/source-codes")
[ "$nsrc" -ge 30 ] || fail "only $nsrc inspect codes found in the source"

# ---- what a case can change ----------------------------------------------
# prof NAME BASE: a profile NAME copied from BASE (ws2022-fresh or -ndes).
prof() {
	rm -rf "${hosts:?}/$1"
	cp -r "$hosts/$2" "$hosts/$1"
	P=$hosts/$1
}
fact() {	# fact KEY VALUE: set (or add) a fact
	if grep -q "^$1 = " "$P/facts.ini"; then
		sed -i "s/^$1 = .*/$1 = $2/" "$P/facts.ini"
	else
		echo "$1 = $2" >>"$P/facts.ini"
	fi
}
feature_add() { echo "$1" >>"$P/features.txt"; sort -o "$P/features.txt" "$P/features.txt"; }
regval() {	# regval KEY-SUBSTRING NAME DATA: replace a value's data
	sed -i "/$1/,/^\$/ s|^\"$2\"=.*|\"$2\"=$3|" "$P/registry.reg"
}
regkey() {	# regkey KEY "NAME"=DATA: add a key with one value
	printf '\n[%s]\n%s\n' "$1" "$2" >>"$P/registry.reg"
}
answers() {	# answers KEY VALUE: the example with one answer changed
	sed "s|^$1 = .*|$1 = $2|" "$ex" >"$WORK/answers.ini"
	A=$WORK/answers.ini
}
utf16hex() { printf '%s' "$1" | iconv -t UTF-16BE | od -An -tx1 | tr -d ' \n'; }
ra_cert() {	# the ws2022-ndes RA certificate of a template (its name
		# is in the certificate as a BMPString)
	for c in "$P"/certs/My/*.pem; do
		openssl x509 -in "$c" -outform DER | od -An -tx1 |
		    tr -d ' \n' | grep -q "$(utf16hex "$1")" &&
		    { echo "$c"; return; }
	done
	fail "no $1 RA certificate in the profile"
}
bound_cert() {
	for c in "$P"/certs/My/*.pem; do
		openssl x509 -in "$c" -noout -subject | grep -q ndes01 &&
		    { echo "$c"; return; }
	done
	fail "no server certificate in the profile"
}
# A certificate whose dates are all past, with the template name NAME.
expired_ra() {
	hex=$(printf '%s' "$1" | iconv -t UTF-16BE | od -An -tx1 |
	    tr -d ' \n' | sed 's/../&:/g; s/:$//')
	len=$(printf '%02x' $((${#1} * 2)))
	faketime '2020-01-01 00:00:00' openssl req -x509 -newkey rsa:2048 \
	    -nodes -days 30 -subj "/CN=CONTOSO-NDES-RA" \
	    -addext "1.3.6.1.4.1.311.20.2=DER:1e:$len:$hex" \
	    -keyout "$WORK/ra.key" -out "$WORK/ra.pem" 2>/dev/null ||
	    fail "cannot make an expired certificate"
	cat "$WORK/ra.pem" "$WORK/ra.key"
}
intermediate() {	# an intermediate CA certificate (not self-issued)
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Root" \
	    -addext "basicConstraints=critical,CA:true" \
	    -keyout "$WORK/root.key" -out "$WORK/root.pem" 2>/dev/null
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=Issuing" \
	    -keyout "$WORK/int.key" -out "$WORK/int.csr" 2>/dev/null
	printf 'basicConstraints=critical,CA:true\n' >"$WORK/int.ext"
	openssl x509 -req -in "$WORK/int.csr" -CA "$WORK/root.pem" \
	    -CAkey "$WORK/root.key" -CAcreateserial -days 30 \
	    -extfile "$WORK/int.ext" -out "$WORK/int.pem" 2>/dev/null
	thumb=$(openssl x509 -in "$WORK/int.pem" -noout -fingerprint -sha1 |
	    sed 's/.*=//; s/://g')
	mkdir -p "$P/certs/Root"
	cp "$WORK/int.pem" "$P/certs/Root/$thumb.pem"
}

# ---- the cases -----------------------------------------------------------
# case CODE SEVERITY PAGE TEXT: set up by the function case_<n> before; PAGE
# and TEXT say where the wizard shows an error (its page title, a phrase).
covered=""
n=0
check_case() {
	code=$1 sev=$2 page=${3:-} text=${4:-}
	n=$((n + 1))
	t=$(mktmp)/target
	expect_rc 0 "$NDESWIZ" -t "$t" --profile "case$n" -a "$A" export \
	    -o "$WORK/made.ini" --force	# makes the target, changes nothing
	snapshot "$t" >"$WORK/before"
	run_rc json "$NDESWIZ" -t "$t" -a "$A" plan --json
	got=$(jq -r --arg c "$code" '[.findings[] | select(.code == $c) |
	    .severity] | unique | join(",")' "$WORK/json.out")
	[ "$got" = "$sev" ] || fail "$code: plan --json says '$got', want \
'$sev'
$(jq -c '.findings[] | [.code, .severity]' "$WORK/json.out")"
	case $sev in
	error)
		[ "$rc" -eq 1 ] || fail "$code: plan --json exit $rc, want 1"
		run_rc plan "$NDESWIZ" -t "$t" -a "$A" plan
		[ "$rc" -eq 1 ] || fail "$code: plan exit $rc, want 1"
		grep -q "\[$code\]" "$WORK/plan.err" ||
		    fail "$code: plan does not name it: $(cat "$WORK/plan.err")"
		grep -q "nothing was changed" "$WORK/plan.err" ||
		    fail "$code: plan does not say nothing was changed"
		run_rc apply "$NDESWIZ" -t "$t" -a "$A" apply --yes
		[ "$rc" -eq 1 ] || fail "$code: apply exit $rc, want 1"
		grep -q "\[$code\]" "$WORK/apply.err" ||
		    fail "$code: apply does not name it"
		snapshot "$t" >"$WORK/after"
		cmp -s "$WORK/before" "$WORK/after" ||
		    fail "$code: apply changed the target"
		run_rc check "$NDESWIZ" -t "$t" -a "$A" check --json \
		    --timeout 2 --url http://127.0.0.1:9/certsrv/mscep/mscep.dll
		jq -e --arg c "$code" '.probes[] |
		    select(.source == "inspect") | .findings[] |
		    select(.code == $c and .severity == "error")' \
		    "$WORK/check.out" >/dev/null ||
		    fail "$code: check --json does not list it as an inspect row"
		[ "$rc" -eq 1 ] || fail "$code: check exit $rc, want 1"
		wizard_shows "$t" "$page" "$text" ||
		    fail "$code: the wizard does not show '$text' on $page"
		snapshot "$t" >"$WORK/after"
		cmp -s "$WORK/before" "$WORK/after" ||
		    fail "$code: the wizard changed the target"
		;;
	warn)
		[ "$rc" -eq 0 ] || fail "$code: plan --json exit $rc, want 0"
		run_rc plan "$NDESWIZ" -t "$t" -a "$A" plan
		[ "$rc" -eq 0 ] || fail "$code: plan exit $rc, want 0"
		grep -q "\[$code\]" "$WORK/plan.err" ||
		    fail "$code: plan does not name the warning"
		;;
	esac
	covered="$covered $code"
	echo "ok: $code ($sev)"
}

# The wizard, from Welcome to PAGE with PgDn (each page's checks run on
# the way; an error page stops there, so PAGE is the first with one);
# Next there is refused and the finding shows on the page.
wizard_shows() {
	tui_start 80 24 "LANG=C.UTF-8 NDESWIZ_ASSETS='$NDESWIZ_ASSETS' \
	    '$NDESWIZ' -t '$1' -a '$A'"
	tui_page Welcome
	tui_keys Enter
	i=0
	while ! tui_screen | grep -q "$2  ("; do
		i=$((i + 1))
		[ "$i" -le 6 ] || { tui_dump; return 1; }
		tui_keys NPage
		sleep 0.3
	done
	# Next runs the page's checks: an error keeps the page and shows.
	tui_keys NPage
	tui_wait "Cannot go on"
	tui_page "$2"
	tui_wait "$3" || return 1
	tui_keys F10
	sleep 0.3
	tui_keys y
	tui_exit
	return 0
}

fresh() { prof "case$((n + 1))" ws2022-fresh; A=$ex; }
conf() { prof "case$((n + 1))" ws2022-ndes; A=$ex; }

# prereqs: what the machine is
fresh; fact elevated no
check_case prereqs.not-elevated error Prerequisites "not running as a local"
fresh
check_case prereqs.elevated ok
fresh; fact os_major 6; fact os_minor 1
check_case prereqs.os-too-old error Prerequisites "Windows 6.1 is older"
fresh; fact os_build 14393
check_case prereqs.os-old warn
fresh
check_case prereqs.os ok
fresh; fact server_core yes
check_case prereqs.server-core error Prerequisites "Server Core is not"
fresh
check_case prereqs.desktop ok
fresh; fact part_of_domain no
check_case prereqs.not-joined error Prerequisites "not joined to a domain"
fresh; fact domain_role 5
check_case prereqs.domain-controller error Prerequisites "is a domain controller"
fresh
check_case prereqs.member ok
fresh; fact hostname CA01; fact fqdn ca01.contoso.com
check_case prereqs.is-the-ca error Prerequisites "is the issuing CA"
fresh; fact clock_skew 600
check_case prereqs.clock-skew error Prerequisites "the clock is off"
fresh; regval 'NDP' Release dword:000709fc
check_case prereqs.dotnet-old error Prerequisites "NET Framework 4 Release"
fresh
check_case prereqs.dotnet ok
fresh; answers enable_tls12 no
regkey 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' '"Enabled"=dword:00000000'
check_case prereqs.tls12-off warn
fresh; answers enable_tls12 no
check_case prereqs.strong-crypto-off warn
fresh; feature_add ADCS-Cert-Authority
check_case prereqs.ca-installed error Prerequisites "Certification Authority role is"
fresh; answers install_features no
check_case prereqs.feature-missing error Prerequisites "install_features = no"
conf
check_case prereqs.features ok
fresh
check_case prereqs.feature-optional ok
fresh; answers disable_ie_esc no
check_case prereqs.ie-esc-on error Prerequisites "IE Enhanced Security"
conf
check_case prereqs.ie-esc-off ok
fresh; intermediate
check_case prereqs.root-not-self-issued error Prerequisites "not self-issued: the SCEP"
fresh
check_case prereqs.root-store ok

# accounts
fresh
check_case accounts.not-in-iis-iusrs ok
conf; echo 'Administrators: CONTOSO\svc-ndes' >>"$P/groups.txt"
sort -o "$P/groups.txt" "$P/groups.txt"
check_case accounts.ndes-is-admin warn
fresh
check_case accounts.spn-missing ok

# ndes: the role, its pool, its RA certificates
fresh
check_case ndes.not-installed ok
conf; sed -i '/<add name="SCEP"/,/<\/add>/d' "$P/applicationHost.config"
check_case ndes.pool-missing warn
conf; sed -i 's|userName="CONTOSO\\svc-ndes"|userName="CONTOSO\\someone-else"|' \
    "$P/applicationHost.config"
check_case ndes.pool-identity error "NDES role" "runs as CONTOSO"
conf; c=$(ra_cert EnrollmentAgentOffline); rm "$c"
check_case ndes.ra-cert-missing error "NDES role" "no EnrollmentAgentOffline RA"
conf; c=$(ra_cert CEPEncryption); rm "$c"; expired_ra CEPEncryption >"$WORK/ra.both"
thumb=$(openssl x509 -in "$WORK/ra.pem" -noout -fingerprint -sha1 |
    sed 's/.*=//; s/://g')
cp "$WORK/ra.both" "$P/certs/My/$thumb.pem"
check_case ndes.ra-cert-expired error "NDES role" "no CEPEncryption RA certificate is valid"
conf
check_case ndes.ra-cert ok
conf; c=$(ra_cert CEPEncryption); sed -i '/PRIVATE KEY/,$d' "$c"
check_case ndes.ra-cert-no-key error "NDES role" "private key here"

# registry
fresh
check_case registry.mscep-missing ok
conf
check_case registry.mscep ok
conf; regval 'MSCEP' GeneralPurposeTemplate '"IPSECIntermediateOffline"'
check_case registry.default-template ok
conf; regval 'MSCEP' GeneralPurposeTemplate '"SomeOtherTemplate"'
check_case registry.mscep-mismatch ok
fresh
check_case registry.limit-low ok
conf
check_case registry.limit ok

# binding
fresh
check_case binding.not-bound ok
fresh
check_case binding.iis-https-missing ok
conf
check_case binding.iis-https ok
conf
check_case binding.http-present ok
conf; sed -i 's|^\( *\)<application path="/CertSrv/mscep" applicationPool="SCEP">|\1<application path="/CertSrv/mscep_admin" applicationPool="SCEP" />\n&|' \
    "$P/applicationHost.config"
grep -q mscep_admin "$P/applicationHost.config" || fail "no mscep_admin added"
check_case binding.mscep-admin-visible ok
conf; rm "$(bound_cert)"
check_case binding.bound-cert-missing warn
conf; c=$(bound_cert); printf -- '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' >"$c"
check_case binding.cert-unreadable warn

# the connector's own settings (read, never written): its features and
# proxy against the answers, where it is installed
fresh
check_case prereqs.connector-not-installed warn
grep -q "configuration wizard choose: Features: select 'SCEP', 'PKCS'" \
    "$WORK/plan.err" || fail "connector-not-installed: no hand-over: $(cat "$WORK/plan.err")"
conf
check_case prereqs.connector-feature ok
conf; regval 'PFXCertificateConnector]' EnablePFxCreate dword:00000000
check_case prereqs.connector-feature-differs warn
grep -q "Features page select 'PKCS'" "$WORK/plan.err" ||
	fail "connector-feature-differs: no wizard step: $(cat "$WORK/plan.err")"
conf
check_case proxy.connector-proxy ok
conf; regval 'PFXCertificateConnector.Proxy' ProxyServer '"proxy.contoso.com:8080"'
check_case proxy.connector-proxy-differs warn
grep -q "Proxy server: http://proxy.contoso.com:8080" "$WORK/plan.err" ||
	fail "connector-proxy-differs: no wizard step: $(cat "$WORK/plan.err")"

# ---- every code of the source has its case, and no case is stale --------
printf '%s\n' $covered | sort -u >"$WORK/covered"
missing=$(comm -23 "$WORK/source-codes" "$WORK/covered")
stale=$(comm -13 "$WORK/source-codes" "$WORK/covered")
[ -z "$missing" ] || fail "inspect codes with no case: $missing"
[ -z "$stale" ] || fail "cases for codes the source lacks: $stale"
ncov=$(wc -l <"$WORK/covered")
echo "ok: $ncov of $nsrc inspect codes covered through the binary"
