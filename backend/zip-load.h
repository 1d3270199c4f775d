/*
 * libzip, loaded when collect first writes a bundle rather than at every
 * start (see dynload.h). Only the POSIX build has it (zipout-posix.c).
 */
#ifndef NDESWIZ_ZIP_LOAD_H
#define NDESWIZ_ZIP_LOAD_H

#include <stddef.h>

/* Load libzip once. 0, or -1 with err saying that WHAT needs it, the
 * package that has it, and why dlopen failed. */
int zip_load(const char *what, char *err, size_t len);

#endif
