# ndeswiz — see README.md.  make deps; make test.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
ASSETDIR = $(PREFIX)/share/ndeswiz
VERSION = 0.1.0

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = ncursesw openssl libcurl inih jansson libzip
# Linked: all but those loaded when first needed (backend/dynload.h):
# libcurl (checks/curl-load-posix.c) and libzip (backend/zip-load-posix.c).
# Their headers still come from pkg-config; Debian's libcurl4 and libzip4
# come with the -dev packages below. The Windows build links them all
# (WIN_LIBS). applicationHost.config has its own reader
# (backend/host/xmldoc.c): libxml2 is only the fuzz harness's oracle
# (fuzz_xmldoc) and xmllint the benchmark's anchor.
LINK_PKGS = $(filter-out libcurl libzip, $(PKGS))

# Every package `make deps` installs: build, test and lab tools.
# tests/regress/deps-guard.sh fails when a test script runs a program
# that none of these (nor Debian's required base) brings. libwine holds
# /usr/lib/wine/wineserver (wine64 only the loader); git: tests/fresh/run.
APT_PACKAGES = build-essential pkg-config libncurses-dev libssl-dev \
	libcurl4-openssl-dev libinih-dev libjansson-dev libxml2-dev \
	libcmocka-dev openssl tmux valgrind jq \
	nginx libnginx-mod-http-echo scep tinyproxy iproute2 util-linux curl \
	faketime python3 clang libclang-rt-14-dev time \
	gcc-mingw-w64-x86-64 wine64 libwine dpkg-dev perl ansible \
	osslsigncode libzip-dev zip unzip debootstrap git strace dialog \
	libxml2-utils groff-base

# BUILD lets several builds share one tree (make test BUILD=/tmp/b).
BUILD ?= build
VARIANT ?= rel
B = $(BUILD)/$(VARIANT)
ifeq ($(VARIANT),asan)
OPT = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
else ifeq ($(VARIANT),fuzz)
OPT = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all
else
OPT = -O2 -g
endif

CPPFLAGS_ALL = -D_DEFAULT_SOURCE -U_XOPEN_SOURCE -D_XOPEN_SOURCE=700 \
	-DVERSION=\"$(VERSION)\" -DASSETDIR=\"$(ASSETDIR)\" \
	-Ibackend -Ibackend/host -Ichecks -Itui
CFLAGS_ALL = -std=c11 -Wall -Wextra -Werror $(OPT) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS)) $(CPPFLAGS_ALL) $(CFLAGS)
LIBS_ALL = $(shell $(PKG_CONFIG) --libs $(LINK_PKGS)) $(LDFLAGS)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

# Files named *win32.c are the Windows build's only; *posix.c the POSIX one's.
ALL_SRCS = $(wildcard backend/*.c backend/host/*.c checks/*.c tui/*.c)
WIN32_SRCS = $(filter %win32.c, $(ALL_SRCS))
POSIX_SRCS = $(filter %posix.c, $(ALL_SRCS))
LIB_SRCS = $(filter-out tui/main.c $(WIN32_SRCS), $(ALL_SRCS))
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: all deps test test-variant valgrind check clean install uninstall \
	windows win-exe test-windows dist fuzz fuzz-variant mutants

all: ndeswiz

ndeswiz: $(B)/ndeswiz
	cp $< $@

$(B)/ndeswiz: $(B)/tui/main.o $(B)/libndeswiz.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(B)/libndeswiz.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libndeswiz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(B)/libndeswiz.a \
		$(LIBS_ALL) $(TEST_LIBS) $(TEST_LDFLAGS)

# It looks at each buffer just before it is freed or moved (see the test).
$(B)/tests/test_secret_wipe: TEST_LDFLAGS = -Wl,--wrap=free,--wrap=realloc

$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(B)/libndeswiz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(B)/libndeswiz.a \
		$(LIBS_ALL) $(FUZZ_ORACLE)

# The XML reader's harness holds it to libxml2's verdict: libxml2 is that
# oracle only, ndeswiz does not use it.
$(B)/fuzz/fuzz_xmldoc: FUZZ_ORACLE = \
	$(shell $(PKG_CONFIG) --cflags --libs libxml-2.0)

# Build one variant's binary and unit tests, then run both suites on it.
test-variant: $(B)/ndeswiz $(UNIT_BINS)
	sh tests/run $(VARIANT) $(B)

# The suite twice: as built, then under AddressSanitizer + UBSan.
test:
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory test-variant VARIANT=rel
	$(MAKE) --no-print-directory test-variant VARIANT=asan
	$(MAKE) --no-print-directory valgrind
	$(MAKE) --no-print-directory test-windows

# The unit tests once more under valgrind: what ASan cannot see
# (uninitialised reads) and a leak check of the plain build.
valgrind: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do \
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
			--error-exitcode=99 $$t >$$t.vg.log 2>&1 || \
			{ cat $$t.vg.log; echo "valgrind: $$t failed"; exit 1; }; \
	done; echo "valgrind: $(words $(UNIT_BINS)) unit test programs clean"

check: test

# Every libFuzzer harness (clang, ASan + UBSan), FUZZ_SECONDS each; a table
# of executions and crashes. Not part of test: it takes minutes.
fuzz:
	$(MAKE) --no-print-directory fuzz-variant VARIANT=fuzz CC=clang

fuzz-variant: $(FUZZ_BINS)
	sh tests/fuzz/run $(B) $(FUZZ_SECONDS)

# Every patch of tests/mutants/list on a scratch copy of HEAD, each
# against the suite that guards it: which mutants survive. Not part of
# test: it takes a while (MUTANTS=07 runs one).
mutants:
	sh tests/mutants/run $(MUTANTS)

# ---- Windows: ndeswiz.exe, cross-built with MinGW-w64 -------------------
# `make windows` builds $(BUILD)/ndeswiz.exe, one static executable. The
# libraries come from Debian's source packages, built once and cached
# outside the tree by tests/win/build-deps.sh, which prints their prefix.
WIN_HOST = x86_64-w64-mingw32
WIN_CC = $(WIN_HOST)-gcc
WIN_AR = $(WIN_HOST)-ar
WINE ?= /usr/lib/wine/wine64
WB = $(BUILD)/win
WIN_DEPS ?=
# The test build's stand-in tools and facts: never in ndeswiz.exe.
TEST_TOOLS_SRCS = backend/host/testtools-win32.c
WIN_LIB_SRCS = $(filter-out tui/main.c $(POSIX_SRCS) $(TEST_TOOLS_SRCS), \
	$(ALL_SRCS))
WIN_LIB_OBJS = $(WIN_LIB_SRCS:%.c=$(WB)/%.o) $(WB)/assets-data.o
# The assets the exe carries inside it (backend/assets-win32.c).
WIN_ASSETS = assets/clouds.ini $(shell find assets/help assets/hosts -type f)
# The cases that also run under Wine (see tests/win/run).
WIN_UNIT_SRCS = tests/unit/test_hostconf.c tests/unit/test_compat.c \
	tests/unit/test_wincmd.c
WIN_UNIT_BINS = $(WIN_UNIT_SRCS:tests/unit/%.c=$(WB)/tests/%.exe)
# UNICODE: a Windows call named without its A or W is the W one, so that
# ANSI calls cannot come back unnoticed (tests/win/run imports checks).
WIN_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D__USE_MINGW_ANSI_STDIO=1 \
	-DUNICODE -D_UNICODE \
	-D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00 -DNCURSES_STATIC \
	-DNCURSES_WIDECHAR=1 -DCURL_STATICLIB \
	-DVERSION=\"$(VERSION)\" -DASSETDIR=\"$(ASSETDIR)\" \
	-Ibackend -Ibackend/host -Ichecks -Itui -Ibackend/compat \
	-include backend/compat.h -I$(WIN_DEPS)/include \
	-I$(WIN_DEPS)/include/ncursesw
WIN_CFLAGS = -std=c11 -Wall -Wextra -Werror -O2 $(WIN_CPPFLAGS)
# binmode.o: files are binary, as on POSIX (no CRLF translation).
WIN_LIBS = -static $(shell $(WIN_CC) -print-file-name=binmode.o 2>/dev/null) \
	-L$(WIN_DEPS)/lib -lncursesw -lcurl -lssl -lcrypto -ljansson \
	-lwinhttp -lhttpapi -lnetapi32 -lcrypt32 -lncrypt -lwintrust -lbcrypt -lsecur32 -lws2_32 \
	-liphlpapi -lwevtapi -ladvapi32 -lshell32 -luser32 -lntdll -lpthread

windows:
	@for t in $(WIN_CC) $(WIN_AR) $(WINE); do \
		command -v $$t >/dev/null || { echo "windows: $$t is" \
		    "missing; run 'make deps'"; exit 1; }; \
	done
	@deps=$$(sh tests/win/build-deps.sh) && \
		$(MAKE) --no-print-directory win-exe WIN_DEPS="$$deps"

win-exe: $(BUILD)/ndeswiz.exe $(WIN_UNIT_BINS) $(WB)/tests/ndeswiz-test.exe \
	$(WB)/tests/double.exe

# -s: the symbols would double its size, and nobody debugs it with gdb.
$(BUILD)/ndeswiz.exe: $(WB)/tui/main.o $(WB)/libndeswiz.a
	$(WIN_CC) $(WIN_CFLAGS) -s -o $@ $^ $(WIN_LIBS)

$(WB)/libndeswiz.a: $(WIN_LIB_OBJS)
	rm -f $@
	$(WIN_AR) rcs $@ $^

$(WB)/assets-data.c: tests/win/embed-assets.sh $(WIN_ASSETS)
	@mkdir -p $(dir $@)
	sh tests/win/embed-assets.sh . >$@.tmp && mv $@.tmp $@

$(WB)/assets-data.o: $(WB)/assets-data.c
	$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(WB)/%.o: %.c
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -MMD -MP -c -o $@ $<

$(WB)/tests/%.exe: tests/unit/%.c $(WB)/libndeswiz.a
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -Itests/unit -o $@ $< $(WB)/libndeswiz.a \
		$(WIN_LIBS) -lcmocka

# ndeswiz-test.exe: the exe with -DNDESWIZ_TEST_TOOLS in the driver, so
# that NDESWIZ_TEST_SYSTEM32 and NDESWIZ_TEST_FACTS point it at the
# doubles of the tools (tests/win/double.c, one exe copied under each
# tool's name) and at a machine's facts. Its own objects; the release
# exe's are untouched. tests/win/run's live case uses both.
WT = $(WB)/testtools
WT_OBJS = $(WT)/backend/host/win32.o $(WT)/backend/host/testtools-win32.o
$(WB)/tests/ndeswiz-test.exe: $(WB)/tui/main.o $(WT_OBJS) $(WB)/libndeswiz.a
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -s -o $@ $^ $(WIN_LIBS)

$(WT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -DNDESWIZ_TEST_TOOLS -MMD -MP -c -o $@ $<

$(WB)/tests/double.exe: tests/win/double.c $(WB)/libndeswiz.a
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) -s -o $@ $< $(WB)/libndeswiz.a $(WIN_LIBS) \
		-lshell32

# `make dist`: $(DIST)/ndeswiz-$(VERSION)-win64.zip to carry to the server
# (tests/win/dist.sh says what is in it). SIGN_CERT + SIGN_KEY (or a
# .pfx as SIGN_CERT) sign ndeswiz.exe with Authenticode; SIGN_PASS_FILE
# holds the key's passphrase, SIGN_TIMESTAMP names an RFC 3161 server.
# Without SIGN_CERT the zip is ...-win64-unsigned.zip.
DIST ?= $(BUILD)/dist
SIGN_CERT ?=
SIGN_KEY ?=
SIGN_PASS_FILE ?=
SIGN_TIMESTAMP ?=
dist: windows
	sh tests/win/dist.sh $(BUILD)/ndeswiz.exe $(DIST) $(VERSION) \
		"$(SIGN_CERT)" "$(SIGN_KEY)" "$(SIGN_PASS_FILE)" \
		"$(SIGN_TIMESTAMP)"

# The Windows build's tests, under Wine: the host-driver conformance
# cases against the win32 driver, the CLI on a dir target, the TUI.
test-windows: windows $(BUILD)/rel/ndeswiz
	sh tests/win/run $(BUILD)

# Installs with apt-get only what is missing, so a second run is quick.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all installed"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
		--no-install-recommends $$missing

# make -s print-VAR: a variable's value (tests/tools/deps-guard.py reads
# APT_PACKAGES and the tools the recipes run this way).
print-%:
	@echo '$($*)'

install: ndeswiz
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(ASSETDIR)
	install -m 0755 ndeswiz $(DESTDIR)$(BINDIR)/ndeswiz
	install -m 0644 ndeswiz.1 $(DESTDIR)$(MANDIR)/ndeswiz.1
	cp -R assets/. $(DESTDIR)$(ASSETDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ndeswiz $(DESTDIR)$(MANDIR)/ndeswiz.1
	rm -rf $(DESTDIR)$(ASSETDIR)

clean:
	rm -rf $(BUILD) ndeswiz

-include $(LIB_OBJS:.o=.d) $(B)/tui/main.d
-include $(WIN_LIB_OBJS:.o=.d) $(WB)/tui/main.d $(WT_OBJS:.o=.d)
