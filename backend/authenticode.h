/*
 * Is a file a Windows program signed by Microsoft (Authenticode)?
 *
 * On Windows: WinVerifyTrust (WINTRUST_ACTION_GENERIC_VERIFY_V2), the
 * signer's chain to a Microsoft root (CERT_CHAIN_POLICY_MICROSOFT_ROOT)
 * and the signer's subject O (authenticode-win32.c). Elsewhere (dir
 * targets, the tests): OpenSSL on the PE's own PKCS#7 SignedData: the
 * image hash, the signature, a chain to the system's roots, the
 * code-signing EKU and the signer's O (authenticode-posix.c).
 *
 * Both read the file first (authenticode.c): no PE, or no certificate
 * table, is decided there, the same in both builds.
 *
 * The tests' throwaway CA: only the POSIX check honours
 * AUTHENTICODE_TEST_CA (a PEM file of roots trusted besides the
 * system's), and says so in every result (test_trust); the Windows check
 * never reads it, so no variable can make a server run a file Windows
 * does not trust.
 */
#ifndef NDESWIZ_AUTHENTICODE_H
#define NDESWIZ_AUTHENTICODE_H

#include <stddef.h>

#define AUTHENTICODE_PUBLISHER "Microsoft Corporation"
#define AUTHENTICODE_TEST_CA "NDESWIZ_TEST_CODESIGN_CA"

enum authenticode_result {
	AC_OK,
	AC_UNREADABLE,     /* cannot read the file */
	AC_NOT_PE,         /* not a Windows program */
	AC_UNSIGNED,       /* no signature */
	AC_BAD_SIGNATURE,  /* changed since signing, or a broken signature */
	AC_UNTRUSTED,      /* the signer does not chain to a trusted root */
	AC_NOT_MICROSOFT,  /* signed, but not by Microsoft Corporation */
};

struct authenticode {
	char publisher[256];  /* the signer's subject O ("" when none) */
	char signer[256];     /* its CN */
	int test_trust;       /* the test CA was trusted too */
};

/* The verdict on path, with why (what failed, in words). */
enum authenticode_result authenticode_check(const char *path,
    struct authenticode *, char *why, size_t len);

struct pe_layout;
/* The platform's part (authenticode-posix.c, authenticode-win32.c): the
 * signature of a PE file d (path) that has a certificate table: AC_OK with
 * ac's names filled, or why not. authenticode_check calls it. */
enum authenticode_result authenticode_verify(const char *path,
    const unsigned char *d, const struct pe_layout *,
    struct authenticode *, char *why, size_t len);

#endif
