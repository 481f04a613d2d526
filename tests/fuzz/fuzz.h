/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz/ share.  Each harness
 * defines LLVMFuzzerTestOneInput and feeds its input to one parser of
 * untrusted input.  Built twice: by scripts/fuzz.sh with clang and
 * -fsanitize=fuzzer (libFuzzer's main), and by `make check` with replay.c's
 * main(), which replays saved inputs (tests/fuzz/regress/HARNESS/).
 *
 * Promise: a harness leaves nothing behind; its files live in one private
 * temporary folder, emptied after each input and removed at exit.
 */
#ifndef FORAGE_FUZZ_H
#define FORAGE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness's temporary folder (made on first use; the process ends
 * when it cannot be made). */
const char *fz_dir(void);

/* fz_dir()/name into path; aborts when it does not fit. */
void fz_path(char *path, size_t len, const char *name);

/* Write size bytes of data to fz_dir()/name (replacing it), path set as
 * fz_path.  Aborts when the file cannot be written: a harness that
 * cannot write its input tests nothing. */
void fz_write(const char *name, const void *data, size_t size, char *path,
	      size_t len);

/* Remove every file of fz_dir() (the folder stays). */
void fz_clean(void);

/* Remove a SQLite database file with its -wal and -shm files. */
void fz_remove_db(const char *path);

/* Cut an input into up to max parts: each part is a 32-bit little-endian
 * length followed by that many bytes; a length past the end, or fewer than
 * four bytes left, makes the rest the last part.  Returns the number of
 * parts (at least 1, possibly empty). */
size_t fz_split(const uint8_t *data, size_t size, const uint8_t **part,
		size_t *plen, size_t max);

#endif
