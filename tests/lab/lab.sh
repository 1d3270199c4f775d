# The health check's lab: real servers on 127.0.0.1 (nginx with TLS in
# front of Debian's scepserver, tinyproxy, stand-ins for the cloud hosts),
# each test inside its own network and PID namespace, so nothing listens
# beyond that namespace's loopback and nothing outlives the test.
#
# A test script does:
#   . "$TOP/tests/lab/lab.sh"
#   lab_enter "$0"            # re-runs the script in the namespaces
#   . "$TOP/tests/regress/lib.sh"
#   lab_init                  # $LAB, cleanup on exit
# then lab_pki, lab_scep, lab_nginx NAME <<EOF (server blocks) EOF, ...
#
# Every tool the lab needs comes from `make deps`; a missing one fails the
# test loudly, it never skips.

lab_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

lab_need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			lab_fail "'$t' is missing: run 'make deps'"
	done
}

# Run the script again inside fresh network + PID namespaces, bounded in
# time. The script is PID 1 there: when it ends, or when the timeout kills
# it, the kernel ends every server it started. /proc is mounted anew so
# that it shows this namespace's processes (LeakSanitizer reads it).
lab_enter() {
	if [ "${NDESWIZ_LAB_NS:-}" = 1 ]; then
		ip link set lo up || lab_fail "cannot bring up lo"
		return 0
	fi
	lab_need unshare timeout ip
	if [ "$(id -u)" -eq 0 ]; then
		set -- "$1" --net
	else
		set -- "$1" --user --map-root-user --net
	fi
	script=$1
	shift
	NDESWIZ_LAB_NS=1 exec timeout -k 5 "${LAB_LIMIT:-300}" \
	    unshare "$@" --pid --fork --kill-child --mount-proc sh "$script"
}

LAB_PIDS=""

lab_stop() {
	for p in $LAB_PIDS; do
		kill "$p" 2>/dev/null || :
	done
	for p in $LAB_PIDS; do
		wait "$p" 2>/dev/null || :
	done
	LAB_PIDS=""
}

lab_init() {
	lab_need openssl nginx scepserver tinyproxy curl jq ss perl faketime
	LAB=$WORK/lab
	mkdir -p "$LAB"
	trap 'lab_stop; rm -rf "$WORK"' EXIT
	trap 'exit 1' INT TERM
}

# Wait until something listens on 127.0.0.1:PORT (at most ~10 s).
lab_wait_port() {
	i=0
	until ss -Hltn "sport = :$1" | grep -q .; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || lab_fail "nothing listens on port $1"
		sleep 0.05
	done
}

# --- certificates -----------------------------------------------------

# The keys: P-256 unless LAB_KEY=rsa (RSA 2048; the Windows walk's lab,
# as Wine's crypt32 checks ECDSA signatures less reliably).
lab_newkey() {
	case ${LAB_KEY:-ec} in
	rsa) echo "-newkey rsa:2048" ;;
	*) echo "-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
	esac
}

# lab_ca NAME "SUBJECT": a self-signed CA in $LAB/pki/NAME.{key,pem}.
lab_ca() {
	# shellcheck disable=SC2046
	LAB_PKI=$P LAB_SAN=DNS:unused openssl req -x509 $(lab_newkey) \
	    -nodes -keyout "$P/$1.key" \
	    -out "$P/$1.pem" -days 3650 -subj "$2" \
	    -config "$TOP/tests/lab/ca.cnf" -extensions ca_ext 2>/dev/null ||
		lab_fail "openssl: CA $1"
}

# lab_cert NAME CA EXT "SUBJECT" SAN DATE-OPTIONS...
lab_cert() {
	name=$1 ca=$2 ext=$3 subj=$4 san=$5
	shift 5
	# shellcheck disable=SC2046
	openssl req -new $(lab_newkey) -nodes \
	    -keyout "$P/$name.key" -out "$P/$name.csr" -subj "$subj" \
	    2>/dev/null || lab_fail "openssl: request $name"
	LAB_PKI=$P LAB_SAN=$san openssl ca -batch -notext \
	    -config "$TOP/tests/lab/ca.cnf" -cert "$P/$ca.pem" \
	    -keyfile "$P/$ca.key" -extensions "$ext" -in "$P/$name.csr" \
	    -out "$P/$name.pem" "$@" 2>"$P/$name.err" ||
		lab_fail "openssl: certificate $name: $(cat "$P/$name.err")"
}

# Everything the tests use, in $LAB/pki ($P).
lab_pki() {
	P=$LAB/pki
	mkdir -p "$P/issued"
	: >"$P/index.txt"
	echo 1000 >"$P/serial"
	names=DNS:ndes.lab.test,DNS:scep.lab.test,IP:127.0.0.1
	past="-startdate 20200101000000Z -enddate 20210101000000Z"
	lab_ca ca "/CN=ndeswiz Lab CA/O=ndeswiz lab"
	lab_ca inspector "/CN=Inspector CA/O=Middlebox Inc"
	lab_cert ndes ca server_ext /CN=ndes.lab.test "$names" -days 365
	lab_cert wrongname ca server_ext /CN=other.lab.test \
	    DNS:other.lab.test -days 365
	# shellcheck disable=SC2086
	lab_cert expired ca server_ext /CN=ndes.lab.test "$names" $past
	lab_cert soon ca server_ext /CN=ndes.lab.test "$names" -days 10
	lab_cert intercepted inspector server_ext /CN=127.0.0.1 \
	    IP:127.0.0.1 -days 365
	lab_cert ra-good ca ra_ext "/CN=LAB-NDES-RA/O=ndeswiz lab" \
	    DNS:unused -days 365
	lab_cert ra-soon ca ra_ext "/CN=LAB-NDES-RA-SOON/O=ndeswiz lab" \
	    DNS:unused -days 10
	# shellcheck disable=SC2086
	lab_cert ra-expired ca ra_ext "/CN=LAB-NDES-RA-OLD/O=ndeswiz lab" \
	    DNS:unused $past
	# GetCACert answers as NDES gives them: CA + RA, degenerate PKCS#7.
	openssl crl2pkcs7 -nocrl -certfile "$P/ca.pem" \
	    -certfile "$P/ra-soon.pem" -certfile "$P/ra-good.pem" \
	    -outform DER -out "$P/cacert-soon.p7b" ||
		lab_fail "openssl: PKCS#7"
	openssl crl2pkcs7 -nocrl -certfile "$P/ca.pem" \
	    -certfile "$P/ra-expired.pem" -outform DER \
	    -out "$P/cacert-expired.p7b" || lab_fail "openssl: PKCS#7"
}

# --- servers ----------------------------------------------------------

# scepserver (micromdm) on 127.0.0.1:$LAB_SCEP_PORT (8080) of this
# namespace; it has no bind-address flag, which is why the lab lives in a
# namespace.
LAB_SCEP_PORT=${LAB_SCEP_PORT:-8080}
lab_scep() {
	mkdir -p "$LAB/scep"
	(cd "$LAB/scep" && scepserver ca -init -depot depot -keySize 2048 \
	    >init.log 2>&1) || lab_fail "scepserver ca -init"
	(cd "$LAB/scep" && exec scepserver -depot depot -port "$LAB_SCEP_PORT" \
	    >server.log 2>&1) &
	LAB_PIDS="$LAB_PIDS $!"
	lab_wait_port "$LAB_SCEP_PORT"
}

# lab_nginx NAME PORT... <<EOF server blocks EOF: start nginx with them
# and wait for each port.
lab_nginx() {
	d=$LAB/nginx-$1
	shift
	mkdir -p "$d"
	{
		cat <<EOF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
user root root;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 256; }
http {
	access_log $d/access.log;
	client_body_temp_path $d/body;
	proxy_temp_path $d/proxy;
	fastcgi_temp_path $d/fastcgi;
	uwsgi_temp_path $d/uwsgi;
	scgi_temp_path $d/scgi;
	default_type text/plain;
	ssl_protocols TLSv1.2 TLSv1.3;
EOF
		cat
		echo "}"
	} >"$d/nginx.conf"
	nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" -t \
	    >"$d/test.log" 2>&1 || lab_fail "nginx -t: $(cat "$d/test.log")"
	nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" \
	    -g 'daemon off;' >"$d/stdout.log" 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
	for port in "$@"; do
		lab_wait_port "$port"
	done
}

# The TLS head of a server block: lab_tls PORT CERT.
lab_tls() {
	cat <<EOF
	listen 127.0.0.1:$1 ssl;
	ssl_certificate $LAB/pki/$2.pem;
	ssl_certificate_key $LAB/pki/$2.key;
EOF
}

# What a healthy NDES answers: 403 to a bare GET, the SCEP operations
# handed to scepserver. Optional $1: a file to serve for GetCACert
# (application/x-x509-ca-ra-cert) instead.
lab_ndes_locations() {
	if [ -n "${1:-}" ]; then
		cat <<EOF
	location = /lab/cacert {
		internal;
		types { }
		default_type application/x-x509-ca-ra-cert;
		alias $1;
	}
EOF
	fi
	cat <<EOF
	location = /scep {
		internal;
		proxy_pass http://127.0.0.1:$LAB_SCEP_PORT;
	}
	location = /certsrv/mscep/mscep.dll {
EOF
	if [ -n "${1:-}" ]; then
		cat <<EOF
		if (\$arg_operation = "GetCACert") {
			rewrite ^ /lab/cacert last;
		}
EOF
	fi
	cat <<EOF
		if (\$arg_operation ~ "^(GetCACaps|GetCACert|PKIOperation)\$") {
			rewrite ^ /scep last;
		}
		return 403;
	}
EOF
}

# Stand-ins for the cloud's hosts, as server blocks for lab_nginx, on
# 9441 (login: a redirect), 9442 (graph: 401), 9443 (intune: 200) and
# 9444 (update: 404): each answer the endpoints probe counts as reachable.
# The cloud's hosts, stood in for on 127.0.0.1:9441-9444 (login redirects,
# graph wants a token, intune answers, update has nothing): server blocks
# for lab_nginx. lab_clouds FILE INTUNE-PORT writes a clouds table whose
# [custom] entry points at them.
lab_cloud_servers() {
	cat <<EOF
server {
$(lab_tls 9441 ndes)
	location / { return 302 https://127.0.0.1:9441/common/; }
}
server {
$(lab_tls 9442 ndes)
	location / { return 401; }
}
server {
$(lab_tls 9443 ndes)
	location / { return 200 "ok"; }
}
server {
$(lab_tls 9444 ndes)
	location / { return 404; }
}
EOF
}

lab_clouds() {
	cat >"$1" <<EOF
[custom]
title = The lab's stand-ins
login = 127.0.0.1:9441
graph = 127.0.0.1:9442
intune = 127.0.0.1:$2
update = 127.0.0.1:9444
ca_file = $LAB/pki/ca.pem
EOF
}

# tinyproxy on 127.0.0.1:${2:-8888}, user "lab" with password $1 (none
# asked for when $1 is empty); its log is $LAB/proxy/tinyproxy.log.
lab_proxy() {
	mkdir -p "$LAB/proxy"
	{
		cat <<EOF
Port ${2:-8888}
Listen 127.0.0.1
Timeout 20
MaxClients 32
Allow 127.0.0.1
LogFile "$LAB/proxy/tinyproxy.log"
LogLevel Info
PidFile "$LAB/proxy/tinyproxy.pid"
EOF
		[ -z "$1" ] || echo "BasicAuth lab $1"
	} >"$LAB/proxy/tinyproxy.conf"
	tinyproxy -d -c "$LAB/proxy/tinyproxy.conf" \
	    >"$LAB/proxy/stdout.log" 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
	lab_wait_port "${2:-8888}"
}

# The CA's CRL (tests/data/crl/contoso-ca.crl) at the CRL distribution
# point the ws2022-ndes profile's RA certificates name,
# http://127.0.0.1:8089/pki/contoso-ca.crl.
lab_crl() {
	mkdir -p "$LAB/www/pki"
	cp "$TOP/tests/data/crl/contoso-ca.crl" "$LAB/www/pki/"
	lab_nginx crl 8089 <<EOF
server {
	listen 127.0.0.1:8089;
	root $LAB/www;
}
EOF
}

# A TCP listener that accepts and never says a word (timeouts).
lab_silent() {
	perl -MIO::Socket::INET -e '
	    my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	        LocalPort => $ARGV[0], Listen => 16, ReuseAddr => 1) or
	        die "listen: $!";
	    my @keep;
	    while (my $c = $s->accept) { push @keep, $c; }' "$1" &
	LAB_PIDS="$LAB_PIDS $!"
	lab_wait_port "$1"
}

# ndeswiz under test, bounded: lab_check NAME ARGS... sets $rc and leaves
# $WORK/NAME.out and .err.
lab_check() {
	n=$1
	shift
	run_rc "$n" timeout 60 "$NDESWIZ" check "$@"
}

# lab_has NAME CODE: the --json output of run NAME holds finding CODE.
lab_has() {
	jq -e --arg c "$2" '[.probes[].findings[].code] | index($c) != null' \
	    <"$WORK/$1.out" >/dev/null ||
		fail "$1: no finding $2 in: $(jq -c \
		    '[.probes[] | {(.name): [.state, [.findings[].code]]}]' \
		    <"$WORK/$1.out" 2>/dev/null || cat "$WORK/$1.out" \
		    "$WORK/$1.err")"
}

# lab_state NAME PROBE STATE
lab_state() {
	s=$(jq -r --arg p "$2" '.probes[] | select(.name == $p) | .state' \
	    <"$WORK/$1.out")
	[ "$s" = "$3" ] || fail "$1: probe $2 is '$s', want '$3'"
}

# lab_rc NAME WANT
lab_rc() {
	[ "$rc" -eq "$2" ] || fail "$1: exit $rc, want $2
$(cat "$WORK/$1.out" "$WORK/$1.err")"
}
