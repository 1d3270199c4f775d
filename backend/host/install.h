/*
 * RES_INSTALL: a program installed by running its vendor's installer.
 * The address is the program's DisplayName (as Programs and Features
 * lists it), the name the installer's path; the value "installed" when
 * an uninstall entry of that DisplayName exists, else absent.
 *
 * win32 (install-win32.c): set runs the installer (after checking its
 * Microsoft signature again) and waits for it; removing runs the
 * entry's own UninstallString and waits. Neither adds switches: the
 * admin answers the vendor's screens.
 *
 * dir (install.c): a target folder cannot run a Windows program, so set
 * records the entry the installer would leave, with the version its
 * version resource carries, marked as recorded by ndeswiz; removing
 * takes away only such a recorded entry.
 */
#ifndef NDESWIZ_INSTALL_H
#define NDESWIZ_INSTALL_H

#include <stddef.h>

struct regdb;

#define INSTALL_PRESENT "installed"
#define INSTALL_UNINSTALL \
	"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion" \
	"\\Uninstall"
#define INSTALL_UNINSTALL32 \
	"HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows" \
	"\\CurrentVersion\\Uninstall"
/* The dir driver's recorded entries: INSTALL_UNINSTALL\ndeswiz-... */
#define INSTALL_RECORDED "ndeswiz-recorded-"

/* Is v a value RES_INSTALL takes (INSTALL_PRESENT or NULL)? 0, or -1 +
 * err. */
int install_value_check(const char *v, char *err, size_t len);

int install_dir_get(struct regdb *, const char *program, char **v);
/* Changes the registry in memory; the caller saves it. */
int install_dir_set(struct regdb *, const char *program,
    const char *installer, const char *v, char *err, size_t len);

#endif
