/*
 * info.h - what a source is, for `forage info`: its geometry, identity
 * (identity.h), the state of its kernel read-only flags, mounts and
 * holders (guard.h, look only), and what its first sectors hold or what
 * container it is (magic.h).
 *
 * Promise: reads only.  The source is opened O_RDONLY like any source; no
 * flag, mount or drive setting is changed; the only commands sent to a
 * drive are identity.h's read-only ones.
 */
#ifndef FORAGE_INFO_H
#define FORAGE_INFO_H

#include <forage/forage.h>

struct fg_record;

/* Collect what is known of path (a block device or a regular file) into
 * a new record (*out, free with fg_record_free).  Returns FG_OK,
 * FG_ESOURCE (missing, unreadable, a folder: the message names the path
 * and the cause) or FG_ENOMEM. */
int fg_info_collect(const char *path, struct fg_record **out,
		    struct fg_error *err);

#endif
