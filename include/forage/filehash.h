/*
 * filehash.h - MD5 and SHA-256 of output files (for the .md5/.sha256
 * sidecars), each digest on its own thread over the same buffers, and in
 * the background while the run goes on.
 *
 * A writer that closes its files one after another (EWF segments) offers
 * each one as soon as it is closed; a background thread hashes them while
 * the acquisition continues, so that at the end only the last file is left
 * to read, whatever the size of the media.
 *
 * Promise: a digest computed in the background is handed out only when the
 * file is the same as when it was read (inode, size, modification and
 * change times, checked before and after reading and again when asked);
 * otherwise the file is hashed again.  A digest is never of anything but
 * the file's bytes as they are when fg_filehash_get() returns.
 */
#ifndef FORAGE_FILEHASH_H
#define FORAGE_FILEHASH_H

#include <signal.h>

#include <forage/forage.h>
#include <forage/sink.h>

struct fg_filehash;

/* A hasher; its thread starts on the first offer.  FG_OK or FG_ENOMEM. */
int fg_filehash_new(struct fg_filehash **out, struct fg_error *err);

/* Queue path (copied) for hashing in the background: the caller will not
 * write to it again.  FG_OK, FG_ENOMEM, or FG_ENOMEM when no thread could
 * start (the file is then hashed by fg_filehash_get). */
int fg_filehash_offer(struct fg_filehash *fh, const char *path);

/* The size, MD5 and SHA-256 of path (open as fd) into f: the background
 * result when it is there and the file unchanged since (waiting for it
 * when it is being computed), else computed now.  *reused (may be NULL)
 * says which.  FG_OK, FG_EIO naming the file and offset, FG_ENOMEM. */
int fg_filehash_get(struct fg_filehash *fh, int fd, const char *path,
		    struct fg_outfile *f, int *reused, struct fg_error *err);

/* Wait until every offered file has been hashed (or given up). */
void fg_filehash_wait(struct fg_filehash *fh);

/* Stop (a file being read is abandoned) and free; NULL is fine. */
void fg_filehash_free(struct fg_filehash *fh);

/* The size, MD5 and SHA-256 of the file open as fd (path for messages),
 * now, on two threads; abandoned between blocks once *stop is set (stop
 * may be NULL).  FG_OK, FG_EIO, FG_ENOMEM, FG_EINTR. */
int fg_filehash_fd(int fd, const char *path, struct fg_outfile *f,
		   volatile sig_atomic_t *stop, struct fg_error *err);

#endif
