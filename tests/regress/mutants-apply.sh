#!/bin/sh
# Every mutant still applies to the code it breaks: `make mutants` (not
# part of make test, it takes minutes) counts a patch that no longer
# applies as an error, but only when someone runs it, and twice a patch
# went stale unseen when the code it patches moved. Each patch of
# tests/mutants/list is tried here with patch --dry-run on the tree
# (nothing is written), and each patch file is in the list.
. "$TOP/tests/regress/lib.sh"

command -v patch >/dev/null || fail "patch is missing (make deps)"
list="$TOP/tests/mutants/list"
n=0
for p in $(sed -e '/^#/d' -e '/^ *$/d' -e 's/ *|.*//' "$list"); do
	[ -f "$TOP/tests/mutants/$p" ] || fail "$p is in the list but not in tests/mutants"
	patch -p1 --dry-run -s -f -d "$TOP" <"$TOP/tests/mutants/$p" \
	    >"$WORK/out" 2>&1 ||
		fail "tests/mutants/$p no longer applies: $(cat "$WORK/out")"
	n=$((n + 1))
done
for f in "$TOP"/tests/mutants/*.patch; do
	grep -q "^$(basename "$f") *|" "$list" ||
		fail "$(basename "$f") is not in tests/mutants/list"
done
[ "$n" -ge 15 ] || fail "only $n mutants in the list"
ok "all $n mutants apply to the code they break"
