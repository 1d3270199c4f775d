# Counting test cases, shared by tests/run and tests/win/run (sourced).
# The closing "N passed, N failed" counts cases, not programs:
#   a cmocka program: cmocka's own "[  PASSED  ] N test(s)." and
#     "[  FAILED  ] N test(s)" lines; SKIPPED counts as failed (a case
#     that did not run proved nothing); a program that exits non-zero
#     with no failed case (a crash, a leak found at exit, no summary)
#     counts one failed case more;
#   a script: one case per "ok N - what" line it prints (lib.sh's ok);
#     a script that prints none counts as one case; a script that fails
#     counts one failed case, after the cases it passed.
# Callers set pass=0 fail=0 failed="" first.

# cmocka_count LOG: sets c_pass, c_fail from a cmocka program's output.
cmocka_count() {
	c_pass=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' \
	    "$1" | awk '{ s += $1 } END { print s + 0 }')
	c_fail=$(sed -n \
	    's/^\[  \(FAILED\|SKIPPED\) *\] \([0-9][0-9]*\) test(s).*/\2/p' \
	    "$1" | awk '{ s += $1 } END { print s + 0 }')
}

# count_unit NAME RC LOG: add a cmocka program's cases to the totals.
count_unit() {
	cmocka_count "$3"
	if [ "$2" -ne 0 ] && [ "$c_fail" -eq 0 ]; then
		echo "[  FAILED  ] $1: exit $2 (a crash, a leak, or no summary)"
		c_fail=1
	fi
	if [ "$c_pass" -eq 0 ] && [ "$c_fail" -eq 0 ]; then
		echo "[  FAILED  ] $1: no test case ran"
		c_fail=1
	fi
	pass=$((pass + c_pass))
	fail=$((fail + c_fail))
	[ "$c_fail" -eq 0 ] || failed="$failed $1"
}

# count_script NAME RC LOG: add a script's cases to the totals; prints
# its one-line result.
count_script() {
	c_pass=$(grep -c '^ok [0-9][0-9]* - ' "$3")
	itemised="$c_pass cases"
	if [ "$c_pass" -eq 0 ] && [ "$2" -eq 0 ]; then
		c_pass=1
		itemised="1 case, not itemised"
	fi
	pass=$((pass + c_pass))
	if [ "$2" -eq 0 ]; then
		echo "[  PASSED  ] $1 ($itemised)"
	else
		echo "[  FAILED  ] $1 (after $c_pass passed cases; log follows)"
		sed 's/^/    /' "$3" | tail -40
		fail=$((fail + 1))
		failed="$failed $1"
	fi
}
