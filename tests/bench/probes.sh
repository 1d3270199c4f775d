#!/bin/sh
# How well the probes overlap: every server the check talks to waits
# 300 ms before it answers (nginx's echo_sleep), so one after the other
# would take n x 300 ms and all at once about as long as the slowest
# probe. Runs "ndeswiz check" RUNS times (default 10) and prints, on its
# last line, the median wall time of the whole run divided by the median
# of each run's slowest single probe (as the check's --json reports it),
# with min-max of both; the goal is 1.1 or less. Not part of "make test".
#
#   sh tests/bench/probes.sh [path/to/ndeswiz] [RUNS]  (default ./ndeswiz)
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
NDESWIZ=${NDESWIZ:-${1:-$TOP/ndeswiz}}
RUNS=${RUNS:-${2:-10}}
case $NDESWIZ in /*) ;; *) NDESWIZ=$PWD/$NDESWIZ ;; esac
NDESWIZ_ASSETS=${NDESWIZ_ASSETS:-$TOP/assets}
export TOP NDESWIZ NDESWIZ_ASSETS RUNS
[ -x "$NDESWIZ" ] || { echo "FAIL: no $NDESWIZ (run make)" >&2; exit 1; }
LAB_LIMIT=120
. "$TOP/tests/lab/lab.sh"
lab_enter "$0"
. "$TOP/tests/regress/lib.sh"
lab_init
lab_pki
openssl crl2pkcs7 -nocrl -certfile "$P/ca.pem" -certfile "$P/ra-good.pem" \
    -outform DER -out "$P/cacert-good.p7b" || fail "openssl"

delayed() { # PORT: a cloud host that answers after 300 ms
	cat <<EOT
server {
$(lab_tls "$1" ndes)
	location / { echo_sleep 0.3; echo "ok"; }
}
EOT
}

lab_nginx bench 8443 9441 9442 9443 9444 <<EOF
server {
$(lab_tls 8443 ndes)
	large_client_header_buffers 4 64k;
	location = /certsrv/mscep/mscep.dll {
		if (\$arg_operation ~ "^(GetCACaps|GetCACert|PKIOperation)\$") {
			rewrite ^ /bench/\$arg_operation last;
		}
		rewrite ^ /bench/bare last;
	}
	location = /bench/bare {
		internal;
		echo_status 403;
		echo_sleep 0.3;
		echo "forbidden";
	}
	location = /bench/GetCACaps {
		internal;
		echo_sleep 0.3;
		echo "POSTPKIOperation";
		echo "SHA-256";
		echo "AES";
	}
	location = /bench/GetCACert {
		internal;
		echo_sleep 0.3;
		echo_exec /bench/cacert;
	}
	location = /bench/cacert {
		internal;
		types { }
		default_type application/x-x509-ca-ra-cert;
		alias $P/cacert-good.p7b;
	}
	location = /bench/PKIOperation {
		internal;
		echo_status 500;
		echo_sleep 0.3;
		echo "not a PKCS#7 message";
	}
}
$(delayed 9441)
$(delayed 9442)
$(delayed 9443)
$(delayed 9444)
EOF

cat >"$WORK/clouds.ini" <<EOF
[custom]
login = 127.0.0.1:9441
graph = 127.0.0.1:9442
intune = 127.0.0.1:9443
update = 127.0.0.1:9444
ca_file = $P/ca.pem
EOF
cat >"$WORK/bench.ini" <<EOF
[meta]
version = 1
[signin]
cloud = custom
[health]
url = https://127.0.0.1:8443/certsrv/mscep/mscep.dll
ca_bundle = $P/ca.pem
EOF

# timed OUT ERR CMD...: runs CMD and sets rc and t (its wall time in ms).
# The clock is bash's, read just around the command: timing it with
# $(date) and a `timeout` wrapper put two forks and execs of the harness
# into every total (about 15 ms on a slow machine, 0.05 of the ratio). A
# run that hangs is stopped by the lab's own limit (LAB_LIMIT).
timed() {
	set -- $(bash -c 't0=$EPOCHREALTIME; o=$1 e=$2; shift 2
	    "$@" >"$o" 2>"$e"; rc=$?; t1=$EPOCHREALTIME
	    echo "$rc $t0 $t1"' timed "$@")
	rc=$1
	t=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%d", (b - a) * 1000 }')
}

# median and min-max of the numbers in FILE: "MEDIAN MIN MAX"
stats() {
	sort -g "$1" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR] }'
}

: >"$WORK/totals"
: >"$WORK/slowest"
i=1
while [ "$i" -le "$RUNS" ]; do
	timed "$WORK/run$i.out" "$WORK/run$i.err" "$NDESWIZ" check --json \
	    --clouds "$WORK/clouds.ini" -a "$WORK/bench.ini"
	[ "$rc" -eq 0 ] || fail "run $i: exit $rc: $(cat "$WORK/run$i.out" \
	    "$WORK/run$i.err")"
	slow=$(jq '[.probes[] | select(.state != "skipped") | .seconds] |
	    max * 1000 | floor' <"$WORK/run$i.out")
	echo "run $i: total $t ms, slowest probe $slow ms"
	echo "$t" >>"$WORK/totals"
	echo "$slow" >>"$WORK/slowest"
	i=$((i + 1))
done
n=$(jq '[.probes[] | select(.state != "skipped")] | length' \
    <"$WORK/run1.out")
echo "last run, per probe (each server waits 300 ms; tls is a handshake):"
jq -r '.probes[] | select(.state != "skipped") |
    "  \(.name) \(.state) \(.seconds * 1000 | floor) ms"' \
    <"$WORK/run$RUNS.out"
echo "$n probes, 8 transfers of 300 ms each (endpoints: 4 hosts);" \
    "the whole process is timed: exec, libraries, answers, then the probes"
set -- $(stats "$WORK/totals") $(stats "$WORK/slowest")
echo "total / slowest probe = $(awk -v a="$1" -v b="$4" \
    'BEGIN { printf "%.2f", a / b }') (median total $1 ms, $2-$3;" \
    "median slowest probe $4 ms, $5-$6; $RUNS runs; goal <= 1.1)"
