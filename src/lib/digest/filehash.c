/*
 * filehash.c - digests of finished output files, now or in the background
 * (see filehash.h).
 *
 * Each offered file is an entry: QUEUED -> BUSY (the thread reads it) ->
 * DONE | FAILED; an entry the caller asks for before the thread reached it
 * becomes TAKEN and the caller hashes it itself.  One mutex guards the
 * entries; a file is read with the mutex released.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/filehash.h>
#include <forage/hash.h>
#include <forage/pipeline.h>

#include "base/base_int.h"

#define BLOCK (1u << 20)

enum { QUEUED, BUSY, DONE, FAILED, TAKEN };

struct entry {
	char *path;
	int state;
	struct stat st; /* as it was read (DONE) */
	struct fg_outfile f;
};

struct fg_filehash {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int started;
	volatile sig_atomic_t stop;
	struct entry *e;
	size_t n, cap;
};

static int consume_digest(void *ctx, const struct fg_block *b,
			  struct fg_error *err)
{
	(void)err;
	return fg_hash_update(ctx, b->data, b->len);
}

/* Read fd to its end into an MD5 and a SHA-256 thread; stop (may be NULL)
 * abandons it between blocks. */
static int hash_fd(int fd, const char *path, struct fg_outfile *f,
		   volatile sig_atomic_t *stop, struct fg_error *err)
{
	struct fg_hash *md5 = NULL, *sha = NULL;
	struct fg_pipe *pipe = NULL;
	struct fg_consumer c;
	uint64_t off = 0;
	int rc, e = 0, stopped = 0;

	if ((rc = fg_hash_new(&md5, FG_HASH_MD5, err)) != FG_OK ||
	    (rc = fg_hash_new(&sha, FG_HASH_SHA256, err)) != FG_OK ||
	    (rc = fg_pipe_new(&pipe, BLOCK, 4, err)) != FG_OK)
		goto out;
	memset(&c, 0, sizeof(c));
	c.name = "md5";
	c.consume = consume_digest;
	c.ctx = md5;
	c.critical = 1;
	fg_pipe_add_consumer(pipe, &c);
	c.critical = 0;
	c.name = "sha256";
	c.ctx = sha;
	fg_pipe_add_consumer(pipe, &c);
	if ((rc = fg_pipe_start(pipe, err)) != FG_OK)
		goto out;
	for (;;) {
		struct fg_block *b;
		ssize_t n;

		if (stop != NULL && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
			stopped = 1;
			break;
		}
		b = fg_pipe_get(pipe);
		if (b == NULL)
			break; /* a digest failed: finish says which */
		n = fg_fd_pread_full(fd, b->data, BLOCK, off);
		if (n < 0)
			e = errno;
		if (n <= 0)
			break;
		b->offset = off;
		b->len = (size_t)n;
		fg_pipe_put(pipe, b);
		off += (uint64_t)n;
	}
	rc = fg_pipe_finish(pipe, err);
	if (rc == FG_OK && e != 0)
		rc = fg_error_set(err, FG_EIO, e,
				  "%s: read error at offset %llu: %s", path,
				  (unsigned long long)off, strerror(e));
	if (rc == FG_OK && stopped)
		rc = fg_error_set(err, FG_EINTR, 0, "%s: hashing abandoned",
				  path);
	if (rc == FG_OK) {
		fg_hash_final(md5, f->md5);
		fg_hash_final(sha, f->sha256);
		f->size = off;
	}
out:
	fg_pipe_free(pipe);
	fg_hash_free(md5);
	fg_hash_free(sha);
	return rc;
}

int fg_filehash_fd(int fd, const char *path, struct fg_outfile *f,
		   volatile sig_atomic_t *stop, struct fg_error *err)
{
	return hash_fd(fd, path, f, stop, err);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Hash one entry's file, outside the lock; FG_OK only when the file did
 * not change while it was read. */
static int hash_entry(struct fg_filehash *fh, const char *path, struct stat *st,
		      struct fg_outfile *f)
{
	struct fg_error err;
	struct stat after;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FG_EIO;
	rc =
	    fstat(fd, st) == 0 ? hash_fd(fd, path, f, &fh->stop, &err) : FG_EIO;
	if (rc == FG_OK && (fstat(fd, &after) != 0 || !same_file(st, &after)))
		rc = FG_EIO;
	close(fd);
	return rc;
}

static void *hasher_main(void *arg)
{
	struct fg_filehash *fh = arg;

	/* Files closed early are hashed beside the acquisition: its MD5
	 * stream comes first (the threads of hash_fd inherit this). */
	fg_thread_give_way();
	pthread_mutex_lock(&fh->mu);
	while (!fh->stop) {
		struct fg_outfile f;
		struct stat st;
		char *path;
		size_t i;
		int rc;

		for (i = 0; i < fh->n && fh->e[i].state != QUEUED; i++)
			;
		if (i == fh->n) {
			pthread_cond_wait(&fh->cv, &fh->mu);
			continue;
		}
		fh->e[i].state = BUSY;
		path = fh->e[i].path;
		pthread_mutex_unlock(&fh->mu);
		memset(&f, 0, sizeof(f));
		rc = hash_entry(fh, path, &st, &f);
		pthread_mutex_lock(&fh->mu);
		/* fh->e may have moved (realloc); i has not. */
		fh->e[i].state = rc == FG_OK ? DONE : FAILED;
		fh->e[i].st = st;
		fh->e[i].f = f;
		pthread_cond_broadcast(&fh->cv);
	}
	pthread_mutex_unlock(&fh->mu);
	return NULL;
}

int fg_filehash_new(struct fg_filehash **out, struct fg_error *err)
{
	struct fg_filehash *fh = calloc(1, sizeof(*fh));

	*out = NULL;
	if (fh == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	pthread_mutex_init(&fh->mu, NULL);
	pthread_cond_init(&fh->cv, NULL);
	*out = fh;
	return FG_OK;
}

int fg_filehash_offer(struct fg_filehash *fh, const char *path)
{
	char *p = strdup(path);
	int rc = FG_OK;

	if (p == NULL)
		return FG_ENOMEM;
	pthread_mutex_lock(&fh->mu);
	if (fh->n == fh->cap) {
		size_t ncap = fh->cap ? 2 * fh->cap : 16;
		struct entry *ne = realloc(fh->e, ncap * sizeof(*ne));
		if (ne == NULL) {
			pthread_mutex_unlock(&fh->mu);
			free(p);
			return FG_ENOMEM;
		}
		fh->e = ne;
		fh->cap = ncap;
	}
	memset(&fh->e[fh->n], 0, sizeof(fh->e[0]));
	fh->e[fh->n].path = p;
	fh->e[fh->n].state = QUEUED;
	fh->n++;
	if (!fh->started) {
		if (pthread_create(&fh->thread, NULL, hasher_main, fh) == 0)
			fh->started = 1;
		else
			rc = FG_ENOMEM; /* hashed by fg_filehash_get */
	}
	pthread_cond_broadcast(&fh->cv);
	pthread_mutex_unlock(&fh->mu);
	return rc;
}

int fg_filehash_get(struct fg_filehash *fh, int fd, const char *path,
		    struct fg_outfile *f, int *reused, struct fg_error *err)
{
	struct stat now;
	size_t i;

	if (reused != NULL)
		*reused = 0;
	pthread_mutex_lock(&fh->mu);
	for (i = fh->n; i-- > 0;)
		if (strcmp(fh->e[i].path, path) == 0)
			break;
	if (i < fh->n) {
		while (fh->e[i].state == BUSY)
			pthread_cond_wait(&fh->cv, &fh->mu);
		if (fh->e[i].state == DONE && fstat(fd, &now) == 0 &&
		    same_file(&fh->e[i].st, &now)) {
			f->size = fh->e[i].f.size;
			memcpy(f->md5, fh->e[i].f.md5, sizeof(f->md5));
			memcpy(f->sha256, fh->e[i].f.sha256, sizeof(f->sha256));
			pthread_mutex_unlock(&fh->mu);
			if (reused != NULL)
				*reused = 1;
			return FG_OK;
		}
		if (fh->e[i].state == QUEUED)
			fh->e[i].state = TAKEN;
	}
	pthread_mutex_unlock(&fh->mu);
	return hash_fd(fd, path, f, NULL, err);
}

void fg_filehash_wait(struct fg_filehash *fh)
{
	size_t i;

	pthread_mutex_lock(&fh->mu);
	for (i = 0; i < fh->n; i++)
		while (fh->started &&
		       (fh->e[i].state == QUEUED || fh->e[i].state == BUSY))
			pthread_cond_wait(&fh->cv, &fh->mu);
	pthread_mutex_unlock(&fh->mu);
}

void fg_filehash_free(struct fg_filehash *fh)
{
	size_t i;

	if (fh == NULL)
		return;
	pthread_mutex_lock(&fh->mu);
	__atomic_store_n(&fh->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&fh->cv);
	pthread_mutex_unlock(&fh->mu);
	if (fh->started)
		pthread_join(fh->thread, NULL);
	for (i = 0; i < fh->n; i++)
		free(fh->e[i].path);
	free(fh->e);
	pthread_mutex_destroy(&fh->mu);
	pthread_cond_destroy(&fh->cv);
	free(fh);
}
