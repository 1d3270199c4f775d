#!/bin/sh
# The wizard walk's answers and keys, shared by the POSIX walk
# (tests/regress/tui-full.sh) and the Windows one under Wine
# (tests/win/wizard.sh): one answer list, typed the same way by both.
# Sourced after lib.sh and tui-lib.sh; a helper, not a test (tests/run
# skips *-lib.sh).
#
# The answers are those of assets/examples/contoso.ini, else the field's
# default, in the order of the field table (a fresh target's export lists
# every key in that order): walk_answers writes them as
# "section.key<TAB>value" lines to $WORK/answers.

WALK_EXAMPLE="$TOP/assets/examples/contoso.ini"

# "section.key<TAB>value" for every key of an answer file, in file order.
ini_values() {
	awk '
	/^[ \t]*;/ || /^[ \t]*$/ { next }
	/^\[/ { s = $0; gsub(/[][ \t]/, "", s); next }
	{
		line = $0
		sub(/[ \t]+;.*$/, "", line)
		k = line; sub(/[ \t]*=.*$/, "", k)
		v = line; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
		print s "." k "\t" v
	}' "$1"
}

# walk_answers ORDER.INI: $WORK/answers from a fresh target's export
# (ORDER.INI, made by the build under test) and the example.
walk_answers() {
	ini_values "$1" | grep -v '^meta\.' >"$WORK/order"
	ini_values "$WALK_EXAMPLE" >"$WORK/example"
	[ -s "$WORK/order" ] || fail "$1 lists no field"
	while IFS="$(printf '\t')" read -r name def; do
		v=$(awk -F'\t' -v n="$name" '$1 == n { print $2; f = 1 }
		    END { if (!f) print "\001" }' "$WORK/example")
		[ "$v" = "$(printf '\001')" ] && v=$def
		printf '%s\t%s\n' "$name" "$v"
	done <"$WORK/order" >"$WORK/answers"
}

# The step list names the wizard gives each section.
page_name() {
	case $1 in
	prereqs) echo Prerequisites ;;
	accounts) echo Accounts ;;
	template) echo Template ;;
	ndes) echo NDES ;;
	registry) echo Registry ;;
	binding) echo Binding ;;
	signin) echo Sign-in ;;
	proxy) echo Proxy ;;
	*) echo "$1" | sed 's/^./\U&/' ;;
	esac
}

# walk_at STEP: until the step list marks STEP as the current one. The
# marker is "▶" on a UTF-8 terminal and ">" on an ASCII one (the Windows
# console before it speaks UTF-8): either counts, right after the list's
# left border ("│" or "|").
walk_at() {
	end=$(($(date +%s) + TUI_DEADLINE))
	while :; do
		tui_screen | LC_ALL=C.UTF-8 grep -qE "^.(▶|>) $1" && return 0
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.05
	done
	tui_dump
	fail "the step list did not mark '$1' within ${TUI_DEADLINE}s"
}

# What an unfocused field shows of a value: its start.
shown() {
	printf '%s' "$1" | cut -c1-15
}

set_field() {
	tui_keys C-u
	case $1 in
	prereqs.scenarios)
		# A row of checkboxes: type an item's name, Space ticks it.
		for item in $(printf '%s' "$2" | tr ',' ' '); do
			tui_type "$item"
			tui_keys Space
		done
		;;
	*)
		[ -z "$2" ] || tui_type "$2"
		;;
	esac
	tui_keys Tab
}

check_field() {
	case $1 in
	prereqs.scenarios)
		for item in $(printf '%s' "$2" | tr ',' ' '); do
			tui_wait "[x] $item"
		done
		;;
	*)
		[ -z "$2" ] || tui_wait "$(shown "$2")"
		;;
	esac
}

# The sections with a page of fields to walk ([health] is the Health
# check page's, left at its values).
sections() {
	cut -f1 "$WORK/answers" | cut -d. -f1 | uniq | grep -v '^health$'
}

# walk_pages type|check: on every section page type (or only check) each
# field, then PgDn.
walk_pages() {
	for sec in $(sections); do
		walk_at "$(page_name "$sec")"
		grep "^$sec\\." "$WORK/answers" | while IFS="$(printf '\t')" \
		    read -r name value; do
			if [ "$1" = type ]; then
				set_field "$name" "$value"
			else
				tui_keys Tab
			fi
			check_field "$name" "$value"
		done
		walk_page_done "$sec" "$1"
		tui_keys NPage
	done
}

# walk_page_done SECTION type|check: called on each page once its fields
# are done, before PgDn; a test may redefine it (to capture the screen).
walk_page_done() {
	:
}

# walk_answer_count: how many answers the walk types.
walk_answer_count() {
	wc -l <"$WORK/answers" | tr -d ' '
}

# The walk's steps past the pages. Each test defines walk_exe NAME ARGS...:
# the build under test run with ARGS, bounded; it sets $rc and leaves
# $WORK/NAME.out and .err.

# walk_planned FILE: $first, the first line of the plan in FILE ("N
# changes planned..."), and $n, its N.
walk_planned() {
	first=$(head -1 "$1" | tr -d '\r')
	case $first in *"changes planned"*) ;; *) fail "plan: $first" ;; esac
	n=${first%% *}
}

# walk_apply N: from Review, Apply's confirmation (its default, Cancel,
# applies nothing), then Apply for real: N changes.
walk_apply() {
	tui_keys NPage
	tui_wait "Apply $1 changes to"
	tui_keys Enter		# the default is Cancel: nothing applied
	tui_wait "Not applied."
	tui_page "Review the changes"
	ok "the Apply confirmation defaults to Cancel"
	tui_keys NPage
	tui_wait "Apply $1 changes to"
	tui_keys Left Enter
	tui_page "Apply"
	tui_wait "Applied $1 changes." 120
	tui_wait "[$1/$1] done"
	tui_wait "The answers were saved in the target"
}

# walk_export NAME SHOWN: on Finish, export to NAME (relative to the
# pane's folder, $WORK); the wizard says it wrote SHOWN, and no secret.
walk_export() {
	tui_page "Finish: export the answers"
	tui_keys C-u
	tui_type "$1"
	tui_keys Enter Enter
	tui_wait "Exported to $2"
	tui_wait "No secret was written"
	tui_wait "NDES account password: env:NDES_SVC_PASSWORD"
}

# walk_quit WHAT: F10 (nothing unsaved: no question), exit status 0.
walk_quit() {
	tui_keys F10
	tui_exit
	[ "$tui_rc" = 0 ] || fail "$1 ended with $tui_rc"
}

# walk_same_as_example FILE: the exported FILE says what the example says
# (both through export once, which normalises comments and layout) and
# holds no secret.
walk_same_as_example() {
	if grep -qF -- "$NDES_SVC_PASSWORD" "$1"; then
		fail "a secret was written to $1"
	fi
	walk_exe norm1 -t "$WORK/n" -a "$1" export -o "$WORK/a.ini"
	[ "$rc" -eq 0 ] || fail "$1 does not load: $(cat "$WORK/norm1.err")"
	walk_exe norm2 -t "$WORK/n" -a "$WALK_EXAMPLE" export -o "$WORK/b.ini"
	[ "$rc" -eq 0 ] || fail "export of the example: exit $rc"
	cmp -s "$WORK/a.ini" "$WORK/b.ini" || {
		diff "$WORK/b.ini" "$WORK/a.ini" >&2 || :
		fail "the wizard's export differs from the example"
	}
}

# walk_rerun: a wizard started again on the target shows every answer
# pre-filled, and Review has nothing left to change.
walk_rerun() {
	tui_page "Welcome"
	tui_wait "$(walk_answer_count) from the last answers saved"
	tui_keys Enter
	walk_pages check
	tui_page "Review the changes"
	tui_wait "No changes: the target already matches the answers."
	walk_quit "the rerun"
}
