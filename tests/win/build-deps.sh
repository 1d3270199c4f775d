#!/bin/sh
# Build the libraries ndeswiz.exe links, for x86_64-w64-mingw32, from
# Debian's own source packages, and print the folder that holds them.
#
#	sh tests/win/build-deps.sh        -> .../win-deps/<key>  (last line)
#
# Debian ships no MinGW builds of ncurses, curl, OpenSSL, jansson or
# cmocka, and Debian's archive is the only network we have: so apt-get
# source, with a private apt configuration (our own deb-src list, lists and
# cache under the cache folder; the system's apt is not touched).
#
# The result is cached outside the clone, in
# ${XDG_CACHE_HOME:-~/.cache}/ndeswiz/win-deps/<key>, where the key hashes
# this script, the cross compiler's version and the source versions the
# archive offers: a fresh clone (CI) reuses it, and a change of any of
# those builds afresh. A warm run needs no network: it reads the versions
# from the private apt lists kept in the cache. Everything is built in a
# temporary folder that is renamed into place at the very end, under a
# lock, so an interrupted run leaves nothing that looks finished.
#
# inih: the archive serves libinih's .dsc but not its tarballs (404), so
# the Windows build has its own parser, backend/ini-win32.c, held to the
# system libinih's behaviour by tests/unit/test_ini_win32.c; the header is
# the system's /usr/include/ini.h (libinih-dev), copied into the prefix.
set -eu

HOST=x86_64-w64-mingw32
PKGS="ncurses curl openssl jansson cmocka"
JOBS=$(nproc 2>/dev/null || echo 2)
top=$(cd "$(dirname "$0")/../.." && pwd)
self="$top/tests/win/build-deps.sh"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/ndeswiz/win-deps
apt="$cache/apt"

say() { echo "build-deps: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in $HOST-gcc $HOST-ar apt-get apt-cache dpkg-source flock perl \
    make sha256sum; do
	command -v "$tool" >/dev/null 2>&1 ||
	    die "$tool is missing; run 'make deps' first"
done
[ -r /usr/include/ini.h ] || die "/usr/include/ini.h is missing (libinih-dev)"

mkdir -p "$cache" "$apt/lists/partial" "$apt/cache/archives/partial"
exec 9>"$cache/lock"
flock 9

# Our deb-src list: the same archive(s) the machine's own apt uses.
sources_list() {
	{
		cat /etc/apt/sources.list 2>/dev/null || true
		cat /etc/apt/sources.list.d/*.list 2>/dev/null || true
	} | awk '$1 == "deb" && /debian/ { sub(/^deb/, "deb-src"); print }'
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		/Types:[^\n]*deb/ && /URIs:[^\n]*debian/ {
			for (i = 1; i <= NF; i++) {
				split($i, kv, ": ")
				v[kv[1]] = substr($i, length(kv[1]) + 3)
			}
			n = split(v["Suites"], s, " ")
			for (j = 1; j <= n; j++)
				printf "deb-src [signed-by=%s] %s %s %s\n",
				    v["Signed-By"], v["URIs"], s[j],
				    v["Components"]
			delete v
		}' "$f"
	done
}

aptopts() {
	echo "-o Dir::Etc::SourceList=$apt/sources.list" \
	    "-o Dir::Etc::SourceParts=/dev/null" \
	    "-o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache" \
	    "-o APT::Sandbox::User=root -q"
}

refresh_lists() {
	sources_list | sort -u >"$apt/sources.list.new"
	[ -s "$apt/sources.list.new" ] ||
	    die "no Debian archive found in /etc/apt/sources.list*"
	mv "$apt/sources.list.new" "$apt/sources.list"
	say "apt-get update (private lists in $apt)"
	# shellcheck disable=SC2046
	timeout 300 apt-get $(aptopts) update >"$apt/update.log" 2>&1 ||
	    { cat "$apt/update.log" >&2; die "apt-get update failed"; }
}

# Every version of a source package the lists offer, newest first.
versions() {
	# shellcheck disable=SC2046
	apt-cache $(aptopts) showsrc "$1" 2>/dev/null |
	    awk -v p="$1" '/^Package: / { ok = ($2 == p) }
		ok && /^Version: / { print $2 }' | sort -u -r -V
}

cache_key() {
	{
		cat "$self"
		$HOST-gcc --version | head -1
		for p in $PKGS; do echo "$p $(versions "$p" | tr '\n' ' ')"; done
	} | sha256sum | cut -c1-16
}

fresh=0
if ! [ -s "$apt/sources.list" ] ||
    ! ls "$apt/lists"/*Sources* >/dev/null 2>&1; then
	refresh_lists
	fresh=1
fi
key=$(cache_key)
if [ ! -f "$cache/$key/.complete" ] && [ $fresh = 0 ]; then
	# Not built for these lists: look at what the archive offers today.
	refresh_lists
	key=$(cache_key)
fi
if [ -f "$cache/$key/.complete" ]; then
	echo "$cache/$key"
	exit 0
fi

# Each library is built in a folder of its own and renamed into parts/
# when done, so a run that is interrupted (or fails on one library) keeps
# the others. A part's name hashes what makes it: the compiler, the
# source versions on offer and its own build function in this script.
parts="$cache/parts"
mkdir -p "$parts"
part_name() {
	{
		$HOST-gcc --version | head -1
		versions "$1"
		sed -n "/^build_$1() {/,/^}/p" "$self"
	} | sha256sum | cut -c1-12 | sed "s/^/$1-/"
}
# Leftovers of interrupted runs (we hold the lock: nobody else builds).
rm -rf "$cache"/tmp.* "$parts"/*.tmp
work="$cache/tmp.$$"
mkdir -p "$work/src"
trap 'rm -rf "$work" "$parts"/*.tmp' EXIT INT TERM HUP
say "building into $parts (key $key, $JOBS jobs)"

# Newest version that downloads: a security update's source is not always
# served (404), the main archive's then is.
fetch() {
	for v in $(versions "$1"); do
		# shellcheck disable=SC2046
		if (cd "$work/src" && timeout 600 apt-get $(aptopts) \
		    --download-only source "$1=$v" >"$work/fetch-$1.log" 2>&1)
		then
			dsc=$(ls "$work/src/$1"_*.dsc | head -1)
			(cd "$work/src" && dpkg-source --no-check -x "$dsc" \
			    "$1" >>"$work/fetch-$1.log" 2>&1) ||
			    die "dpkg-source $dsc failed"
			echo "$1 $v" >"$out/VERSION"
			return 0
		fi
		say "$1 $v: not downloadable, trying an older version"
		rm -f "$work/src/$1"_*
	done
	cat "$work/fetch-$1.log" >&2
	die "no version of $1 could be downloaded"
}

# Run a build step quietly; show its log when it fails.
step() {
	name=$1
	shift
	if ! "$@" >>"$work/build-$name.log" 2>&1; then
		tail -40 "$work/build-$name.log" >&2
		die "$name: '$*' failed"
	fi
}

build_ncurses() {
	cd "$work/src/ncurses"
	step ncurses ./configure --host=$HOST --prefix="$out" \
	    --enable-term-driver --enable-sp-funcs --enable-widec \
	    --disable-shared --enable-static --without-progs --without-tests \
	    --without-manpages --without-ada --without-cxx \
	    --without-cxx-binding --without-debug --disable-db-install \
	    --disable-home-terminfo --disable-pc-files
	step ncurses make -j"$JOBS" libs
	step ncurses make install.libs
}

# Schannel, Windows' own TLS: curl needs no OpenSSL.
build_curl() {
	cd "$work/src/curl"
	step curl ./configure --host=$HOST --prefix="$out" \
	    --disable-shared --enable-static --with-schannel \
	    --without-openssl --without-zlib --without-brotli --without-zstd \
	    --without-libidn2 --without-libpsl --without-nghttp2 \
	    --without-libssh2 --without-librtmp --disable-ldap \
	    --disable-ldaps --disable-manual --disable-docs
	step curl make -j"$JOBS" -C lib
	step curl make -C lib install
	step curl make -C include install
}

build_openssl() {
	cd "$work/src/openssl"
	step openssl ./Configure mingw64 --cross-compile-prefix=$HOST- \
	    --prefix="$out" --libdir=lib no-shared no-tests no-module \
	    no-legacy no-dso
	step openssl make -j"$JOBS" build_libs
	step openssl make install_dev
}

# jansson's tarball has no configure script, and autotools are not worth
# installing for eleven C files: its two config headers are written here.
build_jansson() {
	cd "$work/src/jansson"
	sed -e 's/@json_inline@/inline/' -e 's/@json_have_long_long@/1/' \
	    -e 's/@json_have_localeconv@/1/' \
	    -e 's/@json_have_atomic_builtins@/1/' \
	    -e 's/@json_have_sync_builtins@/1/' \
	    src/jansson_config.h.in >src/jansson_config.h
	for d in HAVE_STDINT_H HAVE_UNISTD_H HAVE_SYS_TYPES_H HAVE_SYS_STAT_H \
	    HAVE_FCNTL_H HAVE_GETPID HAVE_ATOMIC_BUILTINS HAVE_SYNC_BUILTINS \
	    HAVE_OPEN HAVE_CLOSE HAVE_READ; do
		echo "#define $d 1"
	done >src/jansson_private_config.h
	echo "#define INITIAL_HASHTABLE_ORDER 3" >>src/jansson_private_config.h
	for f in src/*.c; do
		step jansson $HOST-gcc -O2 -DHAVE_CONFIG_H -Isrc -c "$f" \
		    -o "${f%.c}.o"
	done
	step jansson $HOST-ar rcs "$out/lib/libjansson.a" src/*.o
	cp src/jansson.h src/jansson_config.h "$out/include/"
}

# cmocka is one C file; no need for its cmake.
build_cmocka() {
	cd "$work/src/cmocka"
	step cmocka $HOST-gcc -O2 -Iinclude -DHAVE_SIGNAL_H -DHAVE_MALLOC_H \
	    -DHAVE_INTTYPES_H -DHAVE_STRUCT_TIMESPEC -c src/cmocka.c \
	    -o cmocka.o
	step cmocka $HOST-ar rcs "$out/lib/libcmocka.a" cmocka.o
	cp include/cmocka.h "$out/include/"
}

t0=$(date +%s)
for p in $PKGS; do
	part="$parts/$(part_name "$p")"
	[ -f "$part/VERSION" ] && continue
	t=$(date +%s)
	out="$part.tmp"
	mkdir -p "$out/include" "$out/lib"
	fetch "$p"
	(build_$p)
	mv "$out" "$part"
	say "$p $(cut -d' ' -f2 "$part/VERSION") built in" \
	    "$(($(date +%s) - t)) s"
done

# All parts into one prefix, renamed into place when whole.
prefix="$work/prefix"
mkdir -p "$prefix/include" "$prefix/lib"
for p in $PKGS; do
	part="$parts/$(part_name "$p")"
	cp -R "$part/." "$prefix/"
	cat "$part/VERSION" >>"$prefix/VERSIONS"
done
rm -f "$prefix/VERSION"
rm -rf "$prefix/bin" "$prefix/share" "$prefix/lib/pkgconfig" \
    "$prefix/lib"/*.la
cp /usr/include/ini.h "$prefix/include/ini.h"
touch "$prefix/.complete"
mv "$prefix" "$cache/$key"
say "done in $(($(date +%s) - t0)) s: $cache/$key"
echo "$cache/$key"
