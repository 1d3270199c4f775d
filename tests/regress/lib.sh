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

mktmp() {
	d=$(mktemp -d "$WORK/t.XXXXXX")
	echo "$d"
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
