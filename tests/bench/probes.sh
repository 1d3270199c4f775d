#!/bin/sh
# How well the probes overlap: every server the check talks to waits
# 300 ms before it answers (nginx's echo_sleep), so one after the other
# would take n x 300 ms and all at once a little over 300 ms. Prints the
# wall time of the whole "ndeswiz check" run divided by 300 ms; the goal
# is 1.2 or less. Not part of "make test".
#
#   sh tests/bench/probes.sh [path/to/ndeswiz]      (default ./ndeswiz)
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
NDESWIZ=${NDESWIZ:-${1:-$TOP/ndeswiz}}
case $NDESWIZ in /*) ;; *) NDESWIZ=$PWD/$NDESWIZ ;; esac
NDESWIZ_ASSETS=${NDESWIZ_ASSETS:-$TOP/assets}
export TOP NDESWIZ NDESWIZ_ASSETS
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

ms() {
	echo $(($(date +%s%N) / 1000000))
}

best=""
all=""
for i in 1 2 3 4 5; do
	t0=$(ms)
	run_rc "run$i" timeout 30 "$NDESWIZ" check --json \
	    --clouds "$WORK/clouds.ini" -a "$WORK/bench.ini"
	t=$(($(ms) - t0))
	[ "$rc" -eq 0 ] || fail "run $i: exit $rc: $(cat "$WORK/run$i.out" \
	    "$WORK/run$i.err")"
	jq -r '.probes[] | select(.state != "skipped") |
	    "  \(.name) \(.state) \(.seconds * 1000 | floor) ms"' \
	    <"$WORK/run$i.out" >"$WORK/probes$i.txt"
	echo "run $i: $t ms"
	all="$all $t"
	if [ -z "$best" ] || [ "$t" -lt "$best" ]; then
		best=$t
		cp "$WORK/probes$i.txt" "$WORK/best.txt"
	fi
done
n=$(jq '[.probes[] | select(.state != "skipped")] | length' \
    <"$WORK/run1.out")
echo "best run, per probe (each server waits 300 ms; tls is a handshake):"
cat "$WORK/best.txt"
echo "$n probes, 8 transfers of 300 ms each (endpoints: 4 hosts)"
median=$(echo "$all" | tr ' ' '\n' | sed '/^$/d' | sort -n | sed -n 3p)
echo "(the whole process is timed: exec, libraries, answers, then the probes)"
echo "total / 300 ms = $(echo "$best" | awk '{ printf "%.2f", $1 / 300 }')" \
    "(best of 5: $best ms; median $(echo "$median" |
    awk '{ printf "%.2f", $1 / 300 }'); goal <= 1.2)"
