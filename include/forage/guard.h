/*
 * guard.h - software write-block safeguards around a source (docs/design.md,
 * "Write-block safeguards").
 *
 * For a block device: refuse when it or a partition is mounted read-write
 * (directly, or through a loop or device-mapper device stacked on it), is
 * swap, has holders (device-mapper, md), or is held exclusively by another
 * program (an O_EXCL open fails); refuse outputs on a file system of the
 * source or the source itself; set the kernel read-only flag (BLKROSET) on
 * it and its partitions, check it (BLKROGET), and record the state before
 * and after, per device node, under "write_block.devices.NAME".  A
 * read-only mount is allowed with a warning and recorded.  The flag is
 * left on afterwards: the examiner unsets it.  While engaged, an O_EXCL
 * descriptor is held when one could be had, so nothing mounts the source.
 * For a regular file: refuse outputs that are the source itself or lie in
 * a file system of a loop device attached to it, and refuse when such a
 * loop device is mounted read-write; record that no device flag applies.
 */
#ifndef FORAGE_GUARD_H
#define FORAGE_GUARD_H

#include <forage/forage.h>

struct fg_source;
struct fg_record;
struct fg_guard;

typedef void (*fg_warn_fn)(void *ctx, const char *msg);

/* Check and engage before the first read.  outputs: NULL-terminated list of
 * the paths the run will create.  no_write_block: skip setting the flag
 * (loud warning, recorded).  Returns FG_OK, or FG_EGUARD with a message
 * that says why and what to do. */
int fg_guard_engage(struct fg_guard **out, struct fg_source *src,
		    const char *const *outputs, int no_write_block,
		    struct fg_record *rec, fg_warn_fn warn, void *warn_ctx,
		    struct fg_error *err);

/* After the last read: record the state after.  Frees g (NULL is fine). */
int fg_guard_release(struct fg_guard *g, struct fg_record *rec);

/* The device nodes whose kernel read-only flag this run set and that
 * still have it, separated by spaces, into buf (at most len bytes, ""
 * when none): what `blockdev --setrw` must be given once the examiner is
 * done with the source.  Returns how many. */
size_t fg_guard_flags_left(const struct fg_guard *g, char *buf, size_t len);

/* For `forage info`: record under "write_block." the current read-only
 * flag of the device and each partition, its mounts, holders, stacked
 * loop devices and whether another program holds it exclusively.
 * Changes nothing.  Returns FG_OK or FG_ENOMEM. */
int fg_guard_inspect(struct fg_source *src, struct fg_record *rec);

#endif
