#!/bin/sh
# No secret leaks. A full unattended apply and an export of the example
# with every secret of the answer file given: the NDES service password,
# the connector password (connector_account = domain), the PFX password
# (certificate = pfx:, a real .pfx) and the proxy password (with a proxy
# user). Twice: first each secret through env:, then each through file:.
# Then none of them may appear in any file of the target (its .ndeswiz/
# state folder and journal included), in the exported answer file, in
# stdout or stderr, or in the process's argv (/proc/PID/cmdline) while it
# runs. While it runs: the faulty driver stops the process (SIGSTOP) at
# its last host operation (NDESWIZ_TEST_FAULT=host-stop:K), when every
# secret it resolves has been used; the test reads /proc and lets it go
# on (SIGCONT). Stopped there, the memory of the process is searched too:
# a secret read from a file must have been wiped, so no copy may be left
# in any mapping, freed heap included. (A secret given through env: stays
# in the process's environment by the nature of env:, so memory is only
# searched for the file: ones.)
. "$TOP/tests/regress/lib.sh"

for tool in openssl python3 unzip unshare; do
	command -v "$tool" >/dev/null || fail "$tool is needed"
done
ex="$TOP/assets/examples/contoso.ini"

# Four secrets no other text contains, long enough that a freed block
# keeps their tail (the allocator writes its list pointers over the first
# 32 bytes of a free block; the memory search looks for the last 32).
rnd() {
	printf '%s-%s' "$1" "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
}
SVC=$(rnd svcpw)
CONN=$(rnd connpw)
PFX=$(rnd pfxpw)
PROXY=$(rnd proxypw)

# A server certificate the binding rules accept, from a CA of our own.
pki=$(mktmp)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" \
    -out "$pki/ca.pem" -days 30 -subj "/CN=Secrets Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign" 2>/dev/null ||
	fail "openssl: CA"
openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/ndes.key" \
    -out "$pki/ndes.csr" -subj "/CN=ndes01.contoso.com" 2>/dev/null ||
	fail "openssl: request"
printf '%s\n' "subjectAltName=DNS:ndes01.contoso.com,DNS:scep.contoso.com" \
    "extendedKeyUsage=serverAuth" \
    "keyUsage=critical,digitalSignature,keyEncipherment" >"$pki/ext"
openssl x509 -req -in "$pki/ndes.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 30 -extfile "$pki/ext" -out "$pki/ndes.pem" \
    2>/dev/null || fail "openssl: certificate"
openssl pkcs12 -export -in "$pki/ndes.pem" -inkey "$pki/ndes.key" \
    -passout "pass:$PFX" -out "$pki/ndes.pfx" || fail "openssl: pfx"

# Each secret in a 0600 file, for the file: run.
for s in SVC CONN PFX PROXY; do
	eval "printf '%s\n' \"\$$s\"" >"$pki/$s.pw"
	chmod 600 "$pki/$s.pw"
done

# answers KIND: the example with every secret set, as env: or file:.
answers() {
	if [ "$1" = env ]; then
		svc=env:NDES_SVC_PASSWORD conn=env:NDES_CONNECTOR_PASSWORD
		pfx=env:NDES_PFX_PASSWORD proxy=env:NDES_PROXY_PASSWORD
	else
		svc=file:$pki/SVC.pw conn=file:$pki/CONN.pw
		pfx=file:$pki/PFX.pw proxy=file:$pki/PROXY.pw
	fi
	sed -e "s|^ndes_service_password = .*|ndes_service_password = $svc|" \
	    -e "s|^connector_account = .*|connector_account = domain|" \
	    -e "s|^\(connector_domain_account =\).*|\1 CONTOSO\\\\svc-conn|" \
	    -e "s|^connector_password =.*|connector_password = $conn|" \
	    -e "s|^certificate = .*|certificate = pfx:$pki/ndes.pfx|" \
	    -e "s|^pfx_password =.*|pfx_password = $pfx|" \
	    -e "s|^username =.*|username = CONTOSO\\\\proxyuser|" \
	    -e "s|^password =.*|password = $proxy|" "$ex"
}

# Fail when any secret is in the files or text given.
no_secret() {
	what=$1
	shift
	for s in "$SVC" "$CONN" "$PFX" "$PROXY"; do
		if grep -rlF -- "$s" "$@" >"$WORK/hits" 2>/dev/null; then
			fail "$what: a secret is in $(cat "$WORK/hits")"
		fi
	done
}

# Search the memory of stopped process $1 for the secrets in $2: every
# page of every readable mapping that the process has in memory or in
# swap (/proc/PID/pagemap; a page never touched holds nothing), in chunks
# that overlap by a needle's length. The one range not read is
# AddressSanitizer's shadow on x86-64 (0x7fff8000 to 0x10007fff8000): one
# byte of poison state per 8 bytes of memory, never the bytes themselves,
# and terabytes long. A present page that cannot be read fails the test.
# Each secret is looked for whole and by its last 32 bytes: a block freed
# unwiped has its head overwritten by the allocator, not its tail.
no_secret_in_memory() {
	python3 - "$1" "$2" <<'EOF2' || fail "memory of the running process"
import re, struct, sys
pid, names = sys.argv[1], {n.encode()[-32:]: n[:6] for n in sys.argv[2].split()}
needles = list(names)
PAGE, CHUNK, overlap = 4096, 1 << 24, max(map(len, needles))
SHADOW = (0x7fff8000, 0x10007fff8000)
found, unread, searched, shadow = [], [], 0, 0
maps = open("/proc/%s/maps" % pid)
mem = open("/proc/%s/mem" % pid, "rb", 0)
pagemap = open("/proc/%s/pagemap" % pid, "rb", 0)

def present(a, b):
    """Runs [s, e) of the pages of [a, b) in memory or swap."""
    runs, start, step = [], None, PAGE << 16
    for at in range(a, b, step):
        pagemap.seek(at // PAGE * 8)
        data = pagemap.read((min(b, at + step) - at) // PAGE * 8)
        for i, (e,) in enumerate(struct.iter_unpack("<Q", data)):
            if e >> 62:
                if start is None:
                    start = at + i * PAGE
            elif start is not None:
                runs.append((start, at + i * PAGE))
                start = None
    if start is not None:
        runs.append((start, b))
    return runs

def read(at, n):
    """The bytes of [at, at + n), page by page where a chunk fails."""
    try:
        mem.seek(at)
        return mem.read(n)
    except OSError:
        out = b""
        for p in range(at, at + n, PAGE):
            try:
                mem.seek(p)
                out += mem.read(min(PAGE, at + n - p))
            except OSError:
                unread.append(hex(p))
                out += b"\0" * min(PAGE, at + n - p)
        return out

for line in maps:
    m = re.match(r"([0-9a-f]+)-([0-9a-f]+) r", line)
    if not m or "[vvar]" in line or "[vsyscall]" in line:
        continue
    a, b = int(m.group(1), 16), int(m.group(2), 16)
    if a >= SHADOW[0] and b <= SHADOW[1]:
        shadow += 1
        continue
    for s, e in present(a, b):
        for at in range(s, e, CHUNK):
            data = read(at, min(CHUNK + overlap, e - at))
            searched += len(data)
            for n in needles:
                if n in data:
                    found.append("%s in %s" % (names[n],
                                                line.split()[-1]))
print("memory: %d MiB searched; %d shadow mappings not read"
      % (searched >> 20, shadow))
if searched == 0:
    print("nothing searched: pagemap shows no page", file=sys.stderr)
    sys.exit(1)
if unread:
    print("present pages that cannot be read: " + ", ".join(unread[:10]),
          file=sys.stderr)
    sys.exit(1)
if found:
    print("secrets left in memory: " + ", ".join(found), file=sys.stderr)
    sys.exit(1)
EOF2
}

# CMD in a network namespace of its own: nothing but its own loopback.
offline() {
	if [ "$(id -u)" -eq 0 ]; then
		unshare --net "$@"
	else
		unshare --user --map-root-user --net "$@"
	fi
}

# A process left stopped by a failed check is ended with the test.
stopped=""
trap '[ -z "$stopped" ] || kill -KILL "$stopped" 2>/dev/null; rm -rf "$WORK"' \
    EXIT INT TERM

# run_stopped NAME STOP-AT CMD...: run CMD, stopped at host operation
# STOP-AT; check its argv (and memory) there, then let it finish.
run_stopped() {
	name=$1 at=$2
	shift 2
	NDESWIZ_TEST_FAULT="host-stop:$at" "$@" >"$WORK/$name.out" \
	    2>"$WORK/$name.err" &
	pid=$!
	stopped=$pid
	i=0
	until [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = T ]; do
		i=$((i + 1))
		[ "$i" -lt 300 ] || fail "$name: never stopped at operation $at"
		kill -0 "$pid" 2>/dev/null ||
			fail "$name: ended before operation $at"
		sleep 0.05
	done
	tr '\0' '\n' <"/proc/$pid/cmdline" >"$WORK/$name.cmdline"
	[ -s "$WORK/$name.cmdline" ] || fail "$name: no argv in /proc"
	no_secret "$name argv" "$WORK/$name.cmdline"
	[ -z "$memcheck" ] || no_secret_in_memory "$pid" "$memcheck"
	# The search finds what is there: an env: secret, in the environ.
	if [ -n "$memfind" ] &&
	    (no_secret_in_memory "$pid" "$memfind") >/dev/null 2>&1; then
		fail "$name: the memory search misses a secret that is there"
	fi
	kill -CONT "$pid"
	set +e
	wait "$pid"
	rc=$?
	set -e
	stopped=""
}

for kind in env file; do
	answers "$kind" >"$WORK/$kind.ini"
	memcheck="" memfind=""
	if [ "$kind" = env ]; then
		memfind=$SVC
		export NDES_SVC_PASSWORD="$SVC" \
		    NDES_CONNECTOR_PASSWORD="$CONN" \
		    NDES_PFX_PASSWORD="$PFX" NDES_PROXY_PASSWORD="$PROXY"
	else
		unset NDES_SVC_PASSWORD NDES_CONNECTOR_PASSWORD \
		    NDES_PFX_PASSWORD NDES_PROXY_PASSWORD
		memcheck="$SVC $CONN $PFX $PROXY"
	fi
	t=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$t" -a "$WORK/$kind.ini" plan
	cp "$WORK/last.out" "$WORK/$kind-plan.out"
	# The .pfx was opened, so its password was read and used.
	grep -q "^+ import certificate My" "$WORK/last.out" ||
		fail "$kind: the plan does not import the .pfx"
	cp "$WORK/last.err" "$WORK/$kind-plan.err"

	# How many host operations the apply makes, on a copy.
	cp -a "$t" "$t.count"
	expect_rc 0 env NDESWIZ_TEST_FAULT=host-op:0 "$NDESWIZ" -t "$t.count" \
	    -a "$WORK/$kind.ini" apply --yes
	n=$(sed -n 's/^ndeswiz-test: \([0-9]*\) host operations.*/\1/p' \
	    "$WORK/last.err")
	[ -n "$n" ] || fail "no operation count"
	rm -rf "$t.count"

	run_stopped "$kind-apply" "$n" "$NDESWIZ" -t "$t" \
	    -a "$WORK/$kind.ini" apply --yes
	[ "$rc" -eq 0 ] || fail "$kind apply: exit $rc
$(cat "$WORK/$kind-apply.out" "$WORK/$kind-apply.err")"
	grep -q "Applied" "$WORK/$kind-apply.out" || fail "$kind: not applied"
	# The answers the apply saved in the target, before anything reads
	# them back.
	no_secret "$kind: the target after apply" "$t"
	run_stopped "$kind-export" 1 "$NDESWIZ" -t "$t" -a "$WORK/$kind.ini" \
	    export -o "$WORK/$kind-export.ini"
	[ "$rc" -eq 0 ] || fail "$kind export: exit $rc
$(cat "$WORK/$kind-export.err")"
	grep -q "^pfx_password = ${kind}:" "$WORK/$kind-export.ini" ||
		fail "$kind: the export lost the PFX password's reference"

	no_secret "$kind: the target" "$t"
	no_secret "$kind: the export" "$WORK/$kind-export.ini"
	no_secret "$kind: the output" "$WORK/$kind-plan.out" \
	    "$WORK/$kind-plan.err" "$WORK/$kind-apply.out" \
	    "$WORK/$kind-apply.err" "$WORK/$kind-export.out" \
	    "$WORK/$kind-export.err"
	[ -s "$t/.ndeswiz/journal" ] || fail "$kind: no journal to search"

	# The evidence bundle: its check runs without a network (its own
	# namespace), so the answers' hosts are never dialled.
	expect_rc 0 offline "$NDESWIZ" -t "$t" -a "$WORK/$kind.ini" collect \
	    -o "$WORK/$kind.zip"
	rm -rf "$WORK/$kind.unzipped"
	mkdir "$WORK/$kind.unzipped"
	(cd "$WORK/$kind.unzipped" && unzip -q "$WORK/$kind.zip") ||
		fail "$kind: unzip"
	grep -q "^password = ${kind}:" "$WORK/$kind.unzipped/answers.ini" ||
		fail "$kind: the bundle lost the proxy password's reference"
	[ -s "$WORK/$kind.unzipped/journal" ] ||
		fail "$kind: no journal in the bundle"
	no_secret "$kind: the bundle" "$WORK/$kind.unzipped" "$WORK/$kind.zip"
	ok "$kind: no secret in the target, journal, export, output, argv, bundle" \
	    "${memcheck:+and memory}"
done

# The search itself finds what is there: a sanity check of no_secret.
echo "x $PFX x" >"$WORK/canary"
if (no_secret canary "$WORK/canary") 2>/dev/null; then
	fail "the search does not find a secret that is there"
fi
echo "ok: 4 secrets, env: and file:, found nowhere"
