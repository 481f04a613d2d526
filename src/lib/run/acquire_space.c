/*
 * acquire_space.c - room on the destination (issue 21).
 *
 * Before the first read: a raw image takes exactly the source's size, so
 * each file system that receives outputs must have that much free for
 * every copy written there, plus the reserve; an E01's size depends on how
 * well the media compresses, so a shortfall is only warned about.
 *
 * The reserve: a file of reserve_size() bytes allocated, before the
 * "running" record, in every file system the run writes its record or
 * case database to.  When the destination fills up, the reserve is given
 * back before the final record and the database row are written, so both
 * can say "failed: destination full" instead of staying "running".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <forage/casedb.h>
#include <forage/acquire.h>
#include <forage/sink.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "run/acquire_int.h"

/* The files the run writes its record and database to: one reserve per
 * file system, named after the first of them there. */
static size_t reserve_places(struct fg_acq *r, const char **paths,
			     size_t cap)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < r->ncopies && n < cap; i++)
		paths[n++] = r->copies[i].outbase;
	if (r->db_path != NULL && !fg_casedb_is_server(r->db_path) && n < cap)
		paths[n++] = r->db_path;
	if (r->o->mapfile != NULL && n < cap)
		paths[n++] = r->o->mapfile;
	return n;
}

/* The reserve for this run's record and database. */
static uint64_t reserve_size(const struct fg_acq *r)
{
	uint64_t nwin = r->win_size > 0 ? r->src->size / r->win_size + 1 : 0;

	return FG_ACQ_RESERVE + nwin * FG_ACQ_RESERVE_WIN;
}

struct fs_need {
	dev_t dev;
	char *dir;
	uint64_t free, need, raw;
	unsigned images;
};

/* Add need bytes (raw: of a raw image) to the file system of path. */
static int add_need(struct fs_need *fs, size_t *nfs, size_t cap,
		    const char *path, uint64_t need, uint64_t raw,
		    uint64_t reserve, struct fg_error *err)
{
	char *dir = fg_path_dir(path);
	struct statvfs sv;
	struct stat st;
	size_t i;

	if (dir == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (stat(dir, &st) != 0 || statvfs(dir, &sv) != 0) {
		free(dir); /* the folder checks say why; nothing to add */
		return FG_OK;
	}
	for (i = 0; i < *nfs; i++)
		if (fs[i].dev == st.st_dev)
			break;
	if (i == *nfs) {
		if (*nfs == cap) {
			free(dir);
			return FG_OK;
		}
		fs[i].dev = st.st_dev;
		fs[i].dir = dir;
		fs[i].free = (uint64_t)sv.f_bavail * sv.f_frsize;
		fs[i].need = reserve;
		fs[i].raw = 0;
		fs[i].images = 0;
		(*nfs)++;
	} else {
		free(dir);
	}
	fs[i].need += need;
	fs[i].raw += raw;
	fs[i].images += need > 0;
	return FG_OK;
}

int fg_acq_space_check(struct fg_acq *r, struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	const int compressed = (fg_sink_format_flags(o->format) &
				FG_SINK_SIZE_VARIES) != 0;
	struct fs_need fs[MAX_COPIES + 2];
	const char *paths[MAX_COPIES + 2];
	size_t nfs = 0, np, i;
	int rc = FG_OK;

	np = reserve_places(r, paths, MAX_COPIES + 2);
	for (i = 0; i < np && rc == FG_OK; i++) {
		/* A resumed raw image has most of its bytes already. */
		uint64_t img = i < r->ncopies && !o->resume ? r->src->size : 0;
		rc = add_need(fs, &nfs, MAX_COPIES + 2, paths[i],
			      compressed ? 0 : img, compressed ? img : 0,
			      reserve_size(r), err);
	}
	for (i = 0; i < nfs; i++) {
		char msg[FG_ERRMSG_MAX];
		if (rc == FG_OK && fs[i].free < fs[i].need)
			rc = fg_error_set(
			    err, FG_ENOSPC, ENOSPC,
			    "%s: destination too small: %llu bytes free, "
			    "%llu needed (the image%s and a reserve of %llu "
			    "for the record and the case database); nothing "
			    "was read or written",
			    fs[i].dir, (unsigned long long)fs[i].free,
			    (unsigned long long)fs[i].need,
			    fs[i].images > 1 ? "s written there" : "",
			    (unsigned long long)reserve_size(r));
		else if (rc == FG_OK && fs[i].raw > 0 && o->warn != NULL &&
			 fs[i].free < fs[i].need + fs[i].raw) {
			snprintf(msg, sizeof(msg),
				 "%s: %llu bytes free for %llu bytes of "
				 "source: the %s fits only if the media "
				 "compresses",
				 fs[i].dir, (unsigned long long)fs[i].free,
				 (unsigned long long)fs[i].raw, o->format);
			o->warn(o->ctx, msg);
		}
		free(fs[i].dir);
	}
	return rc;
}

/* Allocate len bytes to fd: posix_fallocate, or zeros where the file
 * system cannot. */
static int allocate(int fd, uint64_t len)
{
	static const char zero[65536];
	uint64_t done = 0;
	int e = posix_fallocate(fd, 0, (off_t)len);

	if (e == 0)
		return 0;
	if (e != EOPNOTSUPP && e != EINVAL) {
		errno = e;
		return -1;
	}
	while (done < len) {
		size_t n = len - done < sizeof(zero) ? (size_t)(len - done)
						     : sizeof(zero);
		ssize_t w = write(fd, zero, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (uint64_t)w;
	}
	return fsync(fd);
}

int fg_acq_reserve(struct fg_acq *r, struct fg_error *err)
{
	const char *paths[MAX_COPIES + 2];
	dev_t devs[MAX_COPIES + 2];
	size_t np, i, k;

	np = reserve_places(r, paths, MAX_COPIES + 2);
	for (i = 0; i < np; i++) {
		char *dir = fg_path_dir(paths[i]);
		struct stat st;
		char *name;
		int fd, rc;

		if (dir == NULL)
			return fg_error_set(err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		rc = stat(dir, &st);
		free(dir);
		if (rc != 0)
			continue;
		for (k = 0; k < r->nreserve; k++)
			if (devs[k] == st.st_dev)
				break;
		if (k < r->nreserve)
			continue;
		/* (One a crashed run left is taken over.) */
		name = fg_strdup_printf("%s.reserve.incomplete", paths[i]);
		if (name == NULL)
			return fg_error_set(err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
				    O_NOFOLLOW,
			  0600);
		if (fd < 0 || allocate(fd, reserve_size(r)) != 0) {
			int e = errno;
			if (fd >= 0) {
				close(fd);
				unlink(name);
			}
			rc = fg_error_set(err, fg_status_for_write_errno(e), e,
					  "%s: cannot set aside %llu bytes "
					  "for the record and the case "
					  "database: %s",
					  name,
					  (unsigned long long)reserve_size(r),
					  strerror(e));
			free(name);
			return rc;
		}
		close(fd);
		devs[r->nreserve] = st.st_dev;
		r->reserve[r->nreserve++] = name;
	}
	return FG_OK;
}

void fg_acq_reserve_release(struct fg_acq *r)
{
	size_t i;

	for (i = 0; i < r->nreserve; i++) {
		unlink(r->reserve[i]);
		free(r->reserve[i]);
		r->reserve[i] = NULL;
	}
	r->nreserve = 0;
}
