# Shared by the regression tests. Each test runs with:
#   NDESWIZ  the binary under test     TOP  the source tree
set -eu
: "${NDESWIZ:?}" "${TOP:?}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ndeswiz-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# ok WHAT: one asserted case passed; tests/run counts these lines
# ("ok N - WHAT"). A script that fails stops at its first fail.
ok_n=0
ok() {
	ok_n=$((ok_n + 1))
	echo "ok $ok_n - $*"
}

mktmp() {
	d=$(mktemp -d "$WORK/t.XXXXXX")
	echo "$d"
}

# planned_target: a new target made by a plan of the example ($ex),
# printed by its physical path (as strace and /proc/PID/fd name its
# files); the plan's output stays in $WORK/last.out.
planned_target() {
	pt=$(mktmp)/t
	expect_rc 0 "$NDESWIZ" -t "$pt" -a "$ex" plan
	(cd "$pt" && pwd -P)
}

# A listing of every file of a target (but its state folder) with a hash
# of its bytes and its mode: equal listings mean byte-identical targets.
snapshot() {
	(cd "$1" && find . -path ./.ndeswiz -prune -o -print | LC_ALL=C sort |
	while read -r p; do
		if [ -f "$p" ]; then
			printf '%s %s %s\n' "$p" "$(stat -c %a "$p")" \
			    "$(sha256sum <"$p" | cut -d' ' -f1)"
		else
			printf '%s %s dir\n' "$p" "$(stat -c %a "$p")"
		fi
	done)
}

# unprivileged: defines as_user CMD... (run CMD as someone file
# permissions apply to), own PATH... (make PATH that user's) and lock
# PATH... (make PATH read-only to that user). As root the user is nobody
# (setpriv); otherwise ourselves, on read-only folders. A missing setpriv
# fails: the permission cases never skip.
NOBODY=65534
unprivileged() {
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null ||
			fail "setpriv (util-linux) is needed to drop root"
		as_user() {
			setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
			    "$@"
		}
		own() { chown -R "$NOBODY:$NOBODY" "$@"; }
		lock() { chown -R 0:0 "$@" && chmod -R go-w "$@"; }
		chmod 755 "$WORK"
		# A clone in root's home (mode 700) is out of nobody's
		# reach: what it runs and reads goes where nobody can read.
		cp "$NDESWIZ" "$WORK/ndeswiz"
		NDESWIZ="$WORK/ndeswiz"
		cp -R "${NDESWIZ_ASSETS:-$TOP/assets}" "$WORK/assets"
		NDESWIZ_ASSETS="$WORK/assets"
		export NDESWIZ_ASSETS
	else
		as_user() { "$@"; }
		own() { :; }
		lock() { chmod -R a-w "$@"; }
	fi
	[ -r "$NDESWIZ" ] && [ -x "$NDESWIZ" ] && as_user test -x "$NDESWIZ" ||
		fail "$NDESWIZ cannot be run by uid $(id -u)/$NOBODY"
}

# pem_example FILE: the example answers with a real certificate (pem:,
# made here, self-signed) instead of a request, so that the import and
# both bindings are among the changes.
pem_example() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
	    -subj "/CN=ndes01.contoso.com" \
	    -addext "subjectAltName=DNS:ndes01.contoso.com,DNS:scep.contoso.com" \
	    -addext "extendedKeyUsage=serverAuth" \
	    -keyout "$WORK/s.key" -out "$WORK/s.pem" 2>/dev/null ||
		fail "openssl could not make the test certificate"
	sed "s|^certificate = csr|certificate = pem:$WORK/s.pem,$WORK/s.key|" \
	    "$TOP/assets/examples/contoso.ini" >"$1"
}

# pad_registry TARGET KEYS: TARGET's registry.reg with KEYS more keys of
# ten values each (many keys of a few values: what a real registry looks
# like), about 1.4 KB a key in UTF-16.
pad_registry() {
	{
		iconv -f UTF-16LE -t UTF-8 "$1/registry.reg"
		awk -v n="$2" 'BEGIN { for (k = 0; k < n; k++) {
			printf "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Padding\\K%05d]\r\n", k
			for (i = 0; i < 10; i++) printf "\"Value%d\"=\"padding padding padding padding padding padding pad\"\r\n", i } }'
	} | iconv -f UTF-8 -t UTF-16LE >"$1/registry.reg.padded" ||
		fail "pad_registry: cannot make $1/registry.reg"
	mv "$1/registry.reg.padded" "$1/registry.reg"
}

# Run and capture: run_rc NAME CMD... sets $rc, output in $WORK/NAME.{out,err}
run_rc() {
	name=$1
	shift
	set +e
	"$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	rc=$?
	set -e
}

expect_rc() {
	want=$1
	shift
	run_rc last "$@"
	[ "$rc" -eq "$want" ] || fail "$*: exit $rc, want $want
stdout: $(cat "$WORK/last.out")
stderr: $(cat "$WORK/last.err")"
}
