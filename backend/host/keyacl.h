/*
 * RES_KEYACL: may an account read a certificate's private key? NDES's
 * SCEP pool, when it runs as a gMSA, must read the RA certificates' keys
 * (the public Install-NdesServer script grants it after the role
 * install). The address is the certificate, "STORE\THUMBPRINT"; the
 * name is the account; the value "read" or absent.
 *
 * The dir driver keeps the accounts beside the certificate, one a line,
 * in certs/<STORE>/<THUMBPRINT>.acl; the win32 driver reads and writes
 * the key's own security descriptor (keyacl-win32.c).
 */
#ifndef NDESWIZ_KEYACL_H
#define NDESWIZ_KEYACL_H

#include <stddef.h>

#define KEYACL_READ "read"

/* Split "STORE\THUMBPRINT" (both plain names); store and thumb (may be
 * NULL) receive copies the caller frees. 0, or -1 when it is not one. */
int keyacl_split(const char *path, char **store, char **thumb);

/* Is v a value RES_KEYACL takes (KEYACL_READ or NULL)? 0, or -1 + err. */
int keyacl_value_check(const char *v, char *err, size_t len);

/* The dir driver's copy: certs/STORE/THUMB<ext> for path (NULL + err
 * when path is no address); does the .acl text data name account; data
 * with account granted or taken away (NULL when none is left). */
char *keyacl_rel(const char *path, const char *ext, char *err, size_t len);
int keyacl_has(const char *data, const char *account);
char *keyacl_edit(const char *data, const char *account, int grant);
/* Is account a name an .acl line can hold? 0, or -1 + err. */
int keyacl_account_check(const char *account, char *err, size_t len);

#endif
