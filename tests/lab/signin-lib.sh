# Shared by tests/regress/signin-*.sh (sourced after lib.sh): a test CA
# and server certificate made with openssl, the lab server
# (signin-server.py) started and stopped per scenario, and a clouds file
# and answer file pointing the "custom" cloud at it.
#
#   signin_lab               make the CA and the server certificate
#   signin_server SCENARIO [ARGS...]   start a server: $PORT, $SRV (state)
#   signin_stop              stop it (also done on exit)
#   signin_run NAME [ARGS...]  ndeswiz signin against it: $rc,
#                            $RUN/NAME.out, $RUN/NAME.err
#   signin_no_secrets        no issued token in any file of the test

command -v python3 >/dev/null || fail "python3 is required (make deps)"
command -v openssl >/dev/null || fail "openssl is required (make deps)"
command -v jq >/dev/null || fail "jq is required (make deps)"

LAB="$WORK/lab"   # CA, certificates
RUN="$WORK/run"   # the client's folder: cwd, outputs, answer files
SECRETS="$WORK/secrets" # what the servers issued (never grepped)
SERVER_PID=
mkdir -p "$LAB" "$RUN" "$SECRETS"

signin_stop() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	SERVER_PID=
}
trap 'signin_stop; rm -rf "$WORK"' EXIT INT TERM

signin_lab() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$LAB/ca.key" -out "$LAB/ca.pem" -days 2 \
	    -subj "/CN=ndeswiz signin lab CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    2>"$LAB/openssl.log" || fail "openssl: CA"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$LAB/server.key" -out "$LAB/server.csr" \
	    -subj "/CN=127.0.0.1" 2>>"$LAB/openssl.log" ||
		fail "openssl: server key"
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' \
	    >"$LAB/server.ext"
	openssl x509 -req -in "$LAB/server.csr" -CA "$LAB/ca.pem" \
	    -CAkey "$LAB/ca.key" -CAcreateserial -days 2 \
	    -extfile "$LAB/server.ext" -out "$LAB/server.pem" \
	    2>>"$LAB/openssl.log" || fail "openssl: server certificate"
}

# signin_clouds FILE [CA_FILE]: the clouds table with "custom" on the lab.
signin_clouds() {
	cat >"$1" <<EOF
[public]
title = Microsoft public cloud
login = login.microsoftonline.com
graph = graph.microsoft.com
intune = manage.microsoft.com
update = autoupdate.msappproxy.net
ca_file =

[custom]
title = signin lab
login = 127.0.0.1:$PORT
graph = 127.0.0.1:$PORT
intune = 127.0.0.1:$PORT
update = 127.0.0.1:$PORT
ca_file = ${2-$LAB/ca.pem}
EOF
}

# signin_answers FILE [extra INI lines...]
signin_answers() {
	f=$1
	shift
	{
		printf '[meta]\nversion = 1\n\n[binding]\n'
		printf 'fqdn = ndes01.contoso.com\n\n[signin]\n'
		printf 'cloud = custom\ntenant = contoso.onmicrosoft.com\n'
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$f"
}

signin_server() {
	scenario=$1
	shift
	signin_stop
	SRV="$WORK/srv-$scenario"
	rm -rf "$SRV"
	mkdir -p "$SRV"
	python3 "$TOP/tests/lab/signin-server.py" --cert "$LAB/server.pem" \
	    --key "$LAB/server.key" --scenario "$scenario" --state "$SRV" \
	    --lifetime 90 "$@" >"$SRV/server.log" 2>&1 &
	SERVER_PID=$!
	i=0
	while [ ! -s "$SRV/port" ]; do
		i=$((i + 1))
		[ "$i" -le 100 ] || fail "lab server did not start:
$(cat "$SRV/server.log")"
		kill -0 "$SERVER_PID" 2>/dev/null || fail "lab server died:
$(cat "$SRV/server.log")"
		sleep 0.1
	done
	PORT=$(cat "$SRV/port")
	# Its issued secrets go where no grep looks; the state folder
	# keeps only the log.
	mv "$SRV/tokens" "$SECRETS/$scenario"
	signin_clouds "$RUN/clouds.ini"
	signin_answers "$RUN/answers.ini"
}

signin_run() {
	name=$1
	shift
	set +e
	(cd "$RUN" && "$NDESWIZ" signin --clouds "$RUN/clouds.ini" "$@" \
	    </dev/null >"$RUN/$name.out" 2>"$RUN/$name.err")
	rc=$?
	set -e
}

signin_expect() {
	want=$1
	name=$2
	shift 2
	signin_run "$name" "$@"
	[ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want
stdout: $(cat "$RUN/$name.out")
stderr: $(cat "$RUN/$name.err")"
}

# signin_finding NAME CODE: the run's output names the finding.
signin_finding() {
	grep -q "\[$2\]" "$RUN/$1.err" || fail "$1: no finding $2:
$(cat "$RUN/$1.err")"
}

# No token, refresh token, id token or device code in any file the test
# wrote (outputs, answer files, server logs), nor in the client's folder.
signin_no_secrets() {
	for s in "$SECRETS"/*; do
		[ -f "$s" ] || continue
		while read -r tok; do
			[ -n "$tok" ] || continue
			if grep -rlF -e "$tok" "$WORK" --exclude-dir=secrets \
			    >"$WORK/leak" 2>/dev/null; then
				fail "a secret of $(basename "$s") leaked into:
$(cat "$WORK/leak")"
			fi
		done <"$s"
	done
}
