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

/* The dir driver's get and set, under the target's folder handle dfd
 * (root: its name, for messages). */
int keyacl_dir_get(int dfd, const char *root, const char *path,
    const char *account, char **v, char *err, size_t len);
int keyacl_dir_set(int dfd, const char *root, const char *path,
    const char *account, const char *v, char *err, size_t len);

#endif
