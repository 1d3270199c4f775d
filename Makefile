# ndeswiz — see README.md.  make deps; make test.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
ASSETDIR = $(PREFIX)/share/ndeswiz
VERSION = 0.1.0

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = ncursesw openssl libcurl inih jansson libxml-2.0

# Every package `make deps` installs: build, test and lab tools.
APT_PACKAGES = build-essential pkg-config libncurses-dev libssl-dev \
	libcurl4-openssl-dev libinih-dev libjansson-dev libxml2-dev \
	libcmocka-dev openssl tmux valgrind jq \
	nginx libnginx-mod-http-echo scep tinyproxy iproute2 util-linux curl

# BUILD lets several builds share one tree (make test BUILD=/tmp/b).
BUILD ?= build
VARIANT ?= rel
B = $(BUILD)/$(VARIANT)
ifeq ($(VARIANT),asan)
OPT = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
else
OPT = -O2 -g
endif

CPPFLAGS_ALL = -D_DEFAULT_SOURCE -U_XOPEN_SOURCE -D_XOPEN_SOURCE=700 \
	-DVERSION=\"$(VERSION)\" -DASSETDIR=\"$(ASSETDIR)\" \
	-Ibackend -Ibackend/host -Ichecks -Itui
CFLAGS_ALL = -std=c11 -Wall -Wextra -Werror $(OPT) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS)) $(CPPFLAGS_ALL) $(CFLAGS)
LIBS_ALL = $(shell $(PKG_CONFIG) --libs $(PKGS)) $(LDFLAGS)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

LIB_SRCS = $(filter-out tui/main.c, $(wildcard backend/*.c backend/host/*.c \
	checks/*.c tui/*.c))
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps test test-variant valgrind check clean install uninstall

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
		$(LIBS_ALL) $(TEST_LIBS)

# Build one variant's binary and unit tests, then run both suites on it.
test-variant: $(B)/ndeswiz $(UNIT_BINS)
	sh tests/run $(VARIANT) $(B)

# The suite twice: as built, then under AddressSanitizer + UBSan.
test:
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory test-variant VARIANT=rel
	$(MAKE) --no-print-directory test-variant VARIANT=asan
	$(MAKE) --no-print-directory valgrind

# The unit tests once more under valgrind: what ASan cannot see
# (uninitialised reads) and a leak check of the plain build.
valgrind: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do \
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
			--error-exitcode=99 $$t >$$t.vg.log 2>&1 || \
			{ cat $$t.vg.log; echo "valgrind: $$t failed"; exit 1; }; \
	done; echo "valgrind: $(words $(UNIT_BINS)) unit test programs clean"

check: test

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
