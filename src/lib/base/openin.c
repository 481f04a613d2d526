/*
 * openin.c - opening a file forage reads as input (evidence, a record, a
 * report, a signature) so that what lies at the name cannot block it or
 * stand in for a file: a FIFO, a character device (/dev/zero), a socket
 * or a folder is refused by name before anything is read.  The one home
 * of these helpers (base_int.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base_int.h"

const char *fg_file_kind(unsigned mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a file";
}

/* O_NONBLOCK keeps open() of a FIFO without a writer from waiting for
 * one; it is cleared once the file is known to be regular (or a block
 * device, where one is meant), so reads behave as usual. */
int fg_open_input(const char *path, int flags, int *fdp,
		  struct fg_error *err)
{
	struct stat st;
	int fd, fl, e;

	*fdp = -1;
	fd = open(path,
		  O_RDONLY | O_NONBLOCK | O_CLOEXEC |
			  ((flags & FG_OPEN_NOFOLLOW) ? O_NOFOLLOW : 0));
	if (fd < 0) {
		e = errno;
		if (e == ELOOP && (flags & FG_OPEN_NOFOLLOW))
			return fg_error_set(err, FG_EINVAL, e,
					    "%s: is a symbolic link; forage "
					    "does not follow one here",
					    path);
		return fg_error_set(err, e == ENOENT ? FG_EINVAL : FG_EIO, e,
				    "%s: cannot open: %s", path,
				    strerror(e));
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		return fg_error_set(err, FG_EIO, e, "%s: cannot stat: %s",
				    path, strerror(e));
	}
	if (!S_ISREG(st.st_mode) &&
	    !(S_ISBLK(st.st_mode) && (flags & FG_OPEN_BLOCKDEV))) {
		close(fd);
		return fg_error_set(err, FG_EINVAL, 0, "%s: is %s, not %s",
				    path, fg_file_kind(st.st_mode),
				    (flags & FG_OPEN_BLOCKDEV)
					    ? "a regular file or a block "
					      "device"
					    : "a regular file");
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		e = errno;
		close(fd);
		return fg_error_set(err, FG_EIO, e, "%s: cannot open: %s",
				    path, strerror(e));
	}
	*fdp = fd;
	return FG_OK;
}

int fg_path_taken(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 || errno != ENOENT;
}
