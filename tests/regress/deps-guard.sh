# Every program the test scripts and the Makefile's recipes run comes from
# a package `make deps` installs (APT_PACKAGES, with what those depend on)
# or from Debian's required base: the next forgotten package fails here,
# not on someone's fresh machine (tests/fresh/run proves the whole set-up).
. "$TOP/tests/regress/lib.sh"
guard="$TOP/tests/tools/deps-guard.py"

expect_rc 0 python3 "$guard" "$TOP"
cat "$WORK/last.out"
grep -q ", 0 not from 'make deps'$" "$WORK/last.out" ||
    fail "no closing line: $(cat "$WORK/last.out")"

# It can fail: without tmux (the TUI tests), without wine64 (the Windows
# suite's loader), without jq (the lab), each is named with its script.
for case in "tmux tmux" "wine64 /usr/lib/wine/wine64" "jq jq"; do
	set -- $case
	expect_rc 1 python3 "$guard" "$TOP" --without "$1"
	grep -q "^deps-guard: $2 (.*): from $1, which 'make deps' does not" \
	    "$WORK/last.out" || fail "--without $1: $(cat "$WORK/last.out")"
	grep -q ", 1 not from 'make deps'$" "$WORK/last.out" ||
	    fail "--without $1 named more than $1: $(cat "$WORK/last.out")"
done
echo "deps-guard: fails without tmux, wine64, jq"
