#!/bin/sh
# An fsync that fails during apply's commit (README, "Apply, journal,
# rollback"): the commit writes every file beside the one it replaces,
# then makes the journal durable, then each file, and only then renames.
#   the journal's fsync fails: nothing changed, the run's records are
#     taken back (a later apply is not refused as unfinished), exit 1;
#   a staged file's fsync fails: the journal is durable, no file was put
#     in place, the run is undone and says so, exit 3.
# Either way the target is byte-identical, no temporary file stays, and
# the next apply goes through. The failure is an EIO made by a small
# LD_PRELOAD library for the one file it names (its path in
# /proc/self/fd contains FAIL_FSYNC).
. "$TOP/tests/regress/lib.sh"

command -v cc >/dev/null || fail "cc is needed to build the fsync shim (make deps)"
cat >"$WORK/failsync.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
named(int fd)
{
	const char *want = getenv("FAIL_FSYNC");
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (want == NULL || n <= 0)
		return 0;
	path[n] = '\0';
	return strstr(path, want) != NULL;
}

int
fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

	if (named(fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}
EOF
cc -shared -fPIC -o "$WORK/failsync.so" "$WORK/failsync.c" -ldl ||
	fail "cannot build the fsync shim"
ex="$TOP/assets/examples/contoso.ini"
export NDES_SVC_PASSWORD=not-used-by-the-dir-driver
# The shim comes before ASan's runtime in the asan build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

t=$(planned_target)
snapshot "$t" >"$WORK/before"

# temporaries DIR: the staged files left anywhere in it.
temporaries() {
	find "$1" -name '.ndeswiz-tmp-*' | LC_ALL=C sort
}

# The journal's fsync fails.
expect_rc 1 env LD_PRELOAD="$WORK/failsync.so" \
    FAIL_FSYNC=/.ndeswiz/journal "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "cannot write the journal in $t/.ndeswiz: Input/output error" \
    "$WORK/last.err" || fail "no journal error: $(cat "$WORK/last.err")"
snapshot "$t" | cmp -s - "$WORK/before" ||
	fail "the target changed though the journal never became durable"
[ -z "$(temporaries "$t")" ] || fail "staged files left: $(temporaries "$t")"
[ ! -s "$t/.ndeswiz/journal" ] ||
	fail "the records stayed in the journal: $(head -c 200 "$t/.ndeswiz/journal")"
ok "the journal's fsync fails: exit 1, the target unchanged, no record, no staged file left"

# A staged file's fsync fails: the journal holds the run, which is undone.
expect_rc 3 env LD_PRELOAD="$WORK/failsync.so" \
    FAIL_FSYNC=/.ndeswiz-tmp-applicationHost.config. \
    "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "applicationHost.config" "$WORK/last.err" ||
	fail "the error does not name the file: $(cat "$WORK/last.err")"
snapshot "$t" | cmp -s - "$WORK/before" ||
	fail "the target changed though no file was durable"
[ -z "$(temporaries "$t")" ] || fail "staged files left: $(temporaries "$t")"
grep -q '"op":"change"' "$t/.ndeswiz/journal" ||
	fail "the run's records were not in the journal before the fsyncs"
ok "a staged file's fsync fails: exit 3, the run undone, the target unchanged, no staged file left"

expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" apply --yes
grep -q "Applied" "$WORK/last.out" || fail "not applied: $(cat "$WORK/last.out")"
expect_rc 0 "$NDESWIZ" -t "$t" rollback --yes
snapshot "$t" | cmp -s - "$WORK/before" || fail "rollback is not byte-identical"
ok "then apply goes through, and its rollback gives back the target"
