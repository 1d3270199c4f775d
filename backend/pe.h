/*
 * The few parts of a Windows PE file ndeswiz reads: where its Authenticode
 * signature sits (the certificate table, data directory 4) and the
 * fields the image hash leaves out, and its version resource.
 */
#ifndef NDESWIZ_PE_H
#define NDESWIZ_PE_H

#include <stddef.h>

struct pe_layout {
	size_t checksum_off;  /* the optional header's CheckSum (4 bytes) */
	size_t secdir_off;    /* data directory 4's entry (8 bytes) */
	size_t cert_off;      /* the certificate table; 0: none */
	size_t cert_len;
};

/* 0, or -1 + why when d is no PE file ndeswiz can read. */
int pe_layout(const unsigned char *d, size_t n, struct pe_layout *,
    char *why, size_t len);
/* The product version of VS_FIXEDFILEINFO ("6.2406.0.1001") into out;
 * 0, or -1 when the file has none. */
int pe_product_version(const unsigned char *d, size_t n, char *out,
    size_t len);

#endif
