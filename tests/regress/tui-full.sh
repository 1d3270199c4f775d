#!/bin/sh
# The wizard end to end, as an admin would use it: on a fresh target type
# every answer of assets/examples/contoso.ini through the screens, review,
# apply, skip the health check, export; the export must say what the
# example says. Then a rerun: every field comes back pre-filled, and
# Review has nothing left to change.
. "$TOP/tests/regress/lib.sh"
TUI_LIB_SOURCED=1
. "$TOP/tests/regress/tui-lib.sh"

ex="$TOP/assets/examples/contoso.ini"
t=$(mktmp)/target
export NDES_SVC_PASSWORD=not-used-offline

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

# The forms follow the field table: an export of a fresh target lists
# every key in that order, with its default.
expect_rc 0 "$NDESWIZ" -t "$WORK/fresh" export -o "$WORK/order.ini"
ini_values "$WORK/order.ini" | grep -v '^meta\.' >"$WORK/order"
ini_values "$ex" >"$WORK/example"
# The answers to type: the example's, else the default.
while IFS="$(printf '\t')" read -r name def; do
	v=$(awk -F'\t' -v n="$name" '$1 == n { print $2; f = 1 }
	    END { if (!f) print "\001" }' "$WORK/example")
	[ "$v" = "$(printf '\001')" ] && v=$def
	printf '%s\t%s\n' "$name" "$v"
done <"$WORK/order" >"$WORK/answers"

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

sections() {
	cut -f1 "$WORK/answers" | cut -d. -f1 | uniq | grep -v '^health$'
}

# Walk every section page: type (or only check) each field, then Next.
walk_pages() {
	for sec in $(sections); do
		tui_wait "▶ $(page_name "$sec")"
		grep "^$sec\\." "$WORK/answers" | while IFS="$(printf '\t')" \
		    read -r name value; do
			if [ "$1" = type ]; then
				set_field "$name" "$value"
			else
				tui_keys Tab
			fi
			check_field "$name" "$value"
		done
		tui_keys NPage
	done
}

# ---- the first run: a fresh target, every answer typed ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t'"
tui_page "Welcome"
tui_wait "new, made from the profile ws2022-fresh"
tui_wait "NDES01 (ndes01.contoso.com)"
tui_wait "no answer file (-a)"
tui_keys Enter
walk_pages type

# Review: the same diff as "ndeswiz plan" with the example.
tui_page "Review the changes"
# The wizard holds the target's lock: plan a copy of it.
rm -rf "$WORK/tcopy"
cp -a "$t" "$WORK/tcopy"
expect_rc 0 "$NDESWIZ" -t "$WORK/tcopy" -a "$ex" plan
first=$(head -1 "$WORK/last.out")
case $first in *"changes planned"*) ;; *) fail "plan: $first" ;; esac
n=$(echo "$first" | cut -d' ' -f1)
tui_wait "$first"
tui_wait "a reboot is needed afterwards"
tui_keys NPage
tui_wait "Apply $n changes to"
tui_keys Enter			# the default is Cancel: nothing applied
tui_wait "Not applied."
tui_page "Review the changes"
ok "the Apply confirmation defaults to Cancel"
tui_keys NPage
tui_wait "Apply $n changes to"
tui_keys Left Enter
tui_page "Apply"
tui_wait "Applied $n changes." 60
tui_wait "[$n/$n] done"
tui_wait "The answers were saved in the target"
tui_keys NPage
tui_page "Health check"
tui_keys NPage
tui_page "Finish: export the answers"
tui_keys C-u
tui_type "exported.ini"
tui_keys Enter Enter
tui_wait "Exported to /"
tui_wait "No secret was written"
tui_wait "NDES account password: env:NDES_SVC_PASSWORD"
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the wizard ended with $tui_rc"

# The export says what the example says (compared after both went through
# export once, which normalises comments and layout), and is 0600.
[ "$(stat -c %a "$WORK/exported.ini")" = 600 ] || fail "export is not 0600"
grep -q 'hunter\|not-used-offline' "$WORK/exported.ini" &&
	fail "a secret was written"
expect_rc 0 "$NDESWIZ" -t "$WORK/n" -a "$WORK/exported.ini" export \
    -o "$WORK/a.ini"
expect_rc 0 "$NDESWIZ" -t "$WORK/n" -a "$ex" export -o "$WORK/b.ini"
cmp -s "$WORK/a.ini" "$WORK/b.ini" || {
	diff "$WORK/b.ini" "$WORK/a.ini" >&2 || :
	fail "the wizard's export differs from the example"
}
# The target holds what the example plans: nothing is left to do.
expect_rc 0 "$NDESWIZ" -t "$t" -a "$ex" plan
grep -q "^No changes" "$WORK/last.out" || fail "apply left changes"

# ---- the rerun: everything pre-filled, nothing to change ----
tui_start 80 24 "LANG=C.UTF-8 '$NDESWIZ' -t '$t'"
tui_page "Welcome"
tui_wait "$(wc -l <"$WORK/answers") from the last answers saved"
tui_keys Enter
walk_pages check
tui_page "Review the changes"
tui_wait "No changes: the target already matches the answers."
tui_keys F10
tui_exit
[ "$tui_rc" = 0 ] || fail "the rerun ended with $tui_rc"
echo "ok: $(wc -l <"$WORK/answers") answers typed, $n changes applied," \
    "export equals the example, rerun pre-filled with no changes"
