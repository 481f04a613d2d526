/* test_filehash.c - digests of finished files: the same as a plain
 * one-thread digest; a background result is handed out only for an
 * unchanged file; a file changed after it was hashed (size, or times only)
 * is hashed again. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <forage/filehash.h>
#include <forage/hash.h>

#include "unit.h"

static void want_digests(const char *path, struct fg_outfile *w)
{
	char hx[FG_NHASH][FG_HASH_HEX_MAX];

	memset(w, 0, sizeof(*w));
	CHECK(fg_hash_file(path, FG_HASH_MD5 | FG_HASH_SHA256, hx, &w->size,
			   NULL) == FG_OK);
	memcpy(w->md5, hx[0], sizeof(w->md5));
	memcpy(w->sha256, hx[2], sizeof(w->sha256));
}

static void same(const struct fg_outfile *a, const struct fg_outfile *b)
{
	CHECK(a->size == b->size);
	CHECK_STR(a->md5, b->md5);
	CHECK_STR(a->sha256, b->sha256);
}

/* Sizes around the 1 MiB read block, and empty. */
static void test_now(void)
{
	static const size_t sizes[5] = {0, 1, 1u << 20, (1u << 20) + 1,
					3333333};
	size_t i;

	for (i = 0; i < 5; i++) {
		struct fg_outfile got, want;
		struct fg_error err;
		int fd;

		unit_write_pattern("f", sizes[i], (unsigned)i);
		want_digests("f", &want);
		fd = open("f", O_RDONLY);
		memset(&got, 0, sizeof(got));
		CHECK_MSG(fg_filehash_fd(fd, "f", &got, NULL, &err) == FG_OK, &err);
		close(fd);
		same(&got, &want);
	}
	/* Asked to stop: abandoned, and said so (verify's interrupt). */
	{
		volatile sig_atomic_t stop = 1;
		struct fg_outfile got;
		struct fg_error err;
		int fd = open("f", O_RDONLY);

		CHECK(fg_filehash_fd(fd, "f", &got, &stop, &err) == FG_EINTR);
		CHECK(strstr(err.msg, "f: hashing abandoned") != NULL);
		close(fd);
	}
}

static void test_background(void)
{
	struct fg_filehash *fh = NULL;
	struct fg_outfile got, want;
	struct fg_error err;
	struct timespec ts[2];
	int fd, reused = -1, i;
	char name[16];

	CHECK(fg_filehash_new(&fh, &err) == FG_OK);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		unit_write_pattern(name, 2000000 + (size_t)i, (unsigned)i);
		CHECK(fg_filehash_offer(fh, name) == FG_OK);
	}
	/* Once hashed in the background, each is handed out from there,
	 * and is right. */
	fg_filehash_wait(fh);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		want_digests(name, &want);
		fd = open(name, O_RDONLY);
		memset(&got, 0, sizeof(got));
		CHECK_MSG(fg_filehash_get(fh, fd, name, &got, &reused, &err) ==
			      FG_OK,
			  &err);
		close(fd);
		CHECK(reused == 1);
		same(&got, &want);
	}
	/* s0 grows after it was hashed: hashed again. */
	fd = open("s0", O_WRONLY | O_APPEND);
	CHECK(write(fd, "x", 1) == 1);
	close(fd);
	want_digests("s0", &want);
	fd = open("s0", O_RDONLY);
	CHECK(fg_filehash_get(fh, fd, "s0", &got, &reused, &err) == FG_OK);
	close(fd);
	CHECK(reused == 0);
	same(&got, &want);
	/* s1 is rewritten in place, same size: its times say so. */
	fd = open("s1", O_RDWR);
	CHECK(pwrite(fd, "changed", 7, 1000) == 7);
	ts[0].tv_sec = ts[1].tv_sec = 1000000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	CHECK(futimens(fd, ts) == 0);
	close(fd);
	want_digests("s1", &want);
	fd = open("s1", O_RDONLY);
	CHECK(fg_filehash_get(fh, fd, "s1", &got, &reused, &err) == FG_OK);
	close(fd);
	CHECK(reused == 0);
	same(&got, &want);
	/* Never offered: hashed on the spot. */
	unit_write_pattern("other", 12345, 9);
	want_digests("other", &want);
	fd = open("other", O_RDONLY);
	CHECK(fg_filehash_get(fh, fd, "other", &got, &reused, &err) == FG_OK);
	close(fd);
	CHECK(reused == 0);
	same(&got, &want);
	fg_filehash_free(fh);
}

/* Freed while files wait or are being read: returns promptly. */
static void test_stop(void)
{
	struct fg_filehash *fh = NULL;
	int i;

	CHECK(fg_filehash_new(&fh, NULL) == FG_OK);
	unit_write_pattern("big", 8u << 20, 1);
	for (i = 0; i < 8; i++)
		CHECK(fg_filehash_offer(fh, "big") == FG_OK);
	fg_filehash_free(fh);
	fg_filehash_free(NULL);
}

int main(void)
{
	unit_run("digests now, sizes around the read block", test_now);
	unit_run("background digests only for unchanged files",
		 test_background);
	unit_run("freed while busy", test_stop);
	return unit_done();
}
