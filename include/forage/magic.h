/*
 * magic.h - content identification with libmagic: what the first sectors
 * of a medium hold (partition table, file system) and what a container
 * file is ("EWF/Expert Witness/EnCase image file format").
 *
 * Promise: only reads, through the buffers it is given or the source's
 * own read-only pread; the description is printable ASCII (other bytes as
 * \xHH).  src/lib/source/magic.c is the only file that includes <magic.h>.
 */
#ifndef FORAGE_MAGIC_H
#define FORAGE_MAGIC_H

#include <forage/forage.h>

struct fg_magic;
struct fg_source;
struct fg_record;

/* How much of a medium is looked at: enough for the boot sector, a GPT,
 * ext2/3/4, NTFS, FAT, XFS, Btrfs's first superblock and ISO 9660. */
#define FG_MAGIC_PROBE (64u * 1024u)

/* ---- A libmagic handle ------------------------------------------------- */

/* Open libmagic with its default database (flags MAGIC_NONE).  Returns
 * FG_OK, FG_ENOMEM, or FG_EINVAL when the database cannot be loaded
 * (the message says which). */
int fg_magic_open(struct fg_magic **out, struct fg_error *err);

/* Close (NULL is fine). */
void fg_magic_close(struct fg_magic *m);

/* Describe len bytes into out (always NUL-terminated).  Returns FG_OK or
 * FG_EFORMAT with libmagic's own message. */
int fg_magic_buffer(struct fg_magic *m, const void *buf, size_t len, char *out,
		    size_t outlen, struct fg_error *err);

/* One-shot: open, describe, close. */
int fg_magic_describe(const void *buf, size_t len, char *out, size_t outlen,
		      struct fg_error *err);

/* ---- The acquisition record ------------------------------------------- */

/* Read the first FG_MAGIC_PROBE bytes of the acquired range in one read
 * through fg_source_pread_direct (read-only; buffered only when direct
 * I/O is refused, so a failing drive is not re-read page by page) and
 * record libmagic's description as
 * "source.content" (null, with "source.content_note" saying why, when
 * they cannot be read or described) and "source.content_bytes_examined".
 * Returns FG_OK, or FG_ENOMEM. */
int fg_magic_describe_source(struct fg_source *src, struct fg_record *rec);

#endif
