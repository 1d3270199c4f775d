/*
 * A snapshot: the machine's state as the steps read it, written as a new
 * dir target, so that its plan can be reviewed on any machine. The source
 * is read through the host interface only (either driver); no private key
 * leaves it: certificates keep their public part and, when a key exists,
 * the CERTIO_KEY_HELD marker.
 *
 *   snapshot_record_start(h)  from now on remember every resource a get
 *                             or list on h reads (run the steps then)
 *   snapshot_write(h, DIR)    write DIR from what was remembered plus
 *                             the fixed table of what the steps and
 *                             probes read (registry subtrees, the lists,
 *                             the certificate stores), then stop
 *                             remembering
 */
#ifndef NDESWIZ_SNAPSHOT_H
#define NDESWIZ_SNAPSHOT_H

#include <stddef.h>

#include "host.h"

void snapshot_record_start(struct host *);
/* Makes DIR whole or not at all (DIR.snap.XXXXXX, renamed at the end);
 * refuses a DIR that exists. Returns the number of resources written, or
 * -1 + err. */
long snapshot_write(struct host *, const char *dir, char *err, size_t len);

#endif
