/*
 * fileio.c - file I/O that finishes what it starts: reads and writes that
 * retry short transfers and EINTR, renames that never replace, files
 * written atomically, and the page cache dropped for a re-read.  The one
 * home of these helpers (base_int.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/base_int.h"

int fg_fd_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fg_fd_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int fg_fsync_parent(const char *path)
{
	char *dir = strdup(path);
	char *slash;
	int fd, rc;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		dir[0] = '.';
		dir[1] = '\0';
	} else if (slash == dir) {
		dir[1] = '\0';
	} else {
		*slash = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int fg_rename_noreplace(const char *from, const char *to)
{
#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
		    1 /* RENAME_NOREPLACE */) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* File systems without renameat2 flags: link() never replaces. */
	if (link(from, to) != 0)
		return -1;
	return unlink(from);
}

int fg_status_for_write_errno(int e)
{
	return (e == ENOSPC || e == EDQUOT) ? FG_ENOSPC : FG_EOUTPUT;
}

ssize_t fg_fd_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done > 0 ? (ssize_t)done : -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int fg_fd_drop_cache(int fd)
{
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		return -1;
	errno = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return errno == 0 ? 0 : -1;
}

int fg_write_file_atomic(const char *path, const void *data, size_t len,
			 int replace, struct fg_error *err)
{
	char *tmp = fg_strdup_printf("%s.tmp.XXXXXX", path);
	int fd = -1, rc = FG_OK, e;

	if (tmp == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (!replace && access(path, F_OK) == 0) {
		rc = fg_error_set(err, FG_EEXIST, EEXIST,
				  "%s: exists already; forage never "
				  "overwrites evidence",
				  path);
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		rc = fg_error_set(err, fg_status_for_write_errno(e), e,
				  "%s: cannot create: %s", path, strerror(e));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0444) != 0 || fg_fd_write_full(fd, data, len) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
		rc = fg_error_set(err, fg_status_for_write_errno(e), e,
				  "%s: cannot write: %s", path, strerror(e));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		e = errno;
		rc = fg_error_set(err, fg_status_for_write_errno(e), e,
				  "%s: cannot write: %s", path, strerror(e));
		goto out;
	}
	fd = -1;
	if ((replace ? rename(tmp, path) : fg_rename_noreplace(tmp, path)) !=
	    0) {
		e = errno;
		rc = fg_error_set(err, e == EEXIST ? FG_EEXIST : FG_EOUTPUT, e,
				  "%s: cannot rename into place: %s", path,
				  strerror(e));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	fg_fsync_parent(path);
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	return rc;
}
