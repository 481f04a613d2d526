/*
 * fuzz_util.c - the temporary folder and input splitting the harnesses
 * share (fuzz.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char fz_folder[512];

static void fz_remove_folder(void)
{
	if (fz_folder[0] == '\0')
		return;
	fz_clean();
	rmdir(fz_folder);
}

const char *fz_dir(void)
{
	const char *tmp;

	if (fz_folder[0] != '\0')
		return fz_folder;
	tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(fz_folder, sizeof(fz_folder),
			     "%s/forage-fuzz-XXXXXX", tmp) >=
		    sizeof(fz_folder) ||
	    mkdtemp(fz_folder) == NULL) {
		fprintf(stderr, "fuzz: cannot make a temporary folder in %s: "
			"%s\n", tmp, strerror(errno));
		abort();
	}
	atexit(fz_remove_folder);
	return fz_folder;
}

void fz_path(char *path, size_t len, const char *name)
{
	if ((size_t)snprintf(path, len, "%s/%s", fz_dir(), name) >= len) {
		fprintf(stderr, "fuzz: path too long: %s\n", name);
		abort();
	}
}

void fz_write(const char *name, const void *data, size_t size, char *path,
	      size_t len)
{
	const unsigned char *p = data;
	int fd;

	fz_path(path, len, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "fuzz: cannot create %s: %s\n", path,
			strerror(errno));
		abort();
	}
	while (size > 0) {
		ssize_t n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "fuzz: cannot write %s: %s\n", path,
				strerror(errno));
			abort();
		}
		p += n;
		size -= (size_t)n;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "fuzz: cannot write %s: %s\n", path,
			strerror(errno));
		abort();
	}
}

void fz_remove_db(const char *path)
{
	static const char *const tails[] = {"", "-wal", "-shm"};
	char p[1024];
	size_t i;

	for (i = 0; i < 3; i++)
		if ((size_t)snprintf(p, sizeof(p), "%s%s", path, tails[i]) <
		    sizeof(p))
			unlink(p);
}

void fz_clean(void)
{
	struct dirent *de;
	char path[1024];
	DIR *d;

	if (fz_folder[0] == '\0')
		return;
	d = opendir(fz_folder);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", fz_folder,
				     de->d_name) < sizeof(path))
			unlink(path);
	}
	closedir(d);
}

size_t fz_split(const uint8_t *data, size_t size, const uint8_t **part,
		size_t *plen, size_t max)
{
	size_t n = 0;

	while (n + 1 < max && size >= 4) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8 |
			     (size_t)data[2] << 16 | (size_t)data[3] << 24;
		if (len > size - 4)
			break;
		part[n] = data + 4;
		plen[n] = len;
		n++;
		data += 4 + len;
		size -= 4 + len;
	}
	part[n] = data;
	plen[n] = size;
	return n + 1;
}
