/*
 * util.c - paths, the monotonic clock, threads that give way to the MD5
 * stream, and progress ticks (base_int.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/base_int.h"

const char *fg_path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

char *fg_path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

char *fg_path_absolute(const char *path)
{
	char *dir = fg_path_dir(path), *real = NULL, *abs = NULL;
	int e = ENOMEM;

	if (dir != NULL) {
		real = realpath(dir, NULL);
		if (real == NULL)
			e = errno;
		else
			abs = fg_strdup_printf(
			    "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/",
			    fg_path_base(path));
	}
	free(dir);
	free(real);
	if (abs == NULL)
		errno = e;
	return abs;
}

double fg_now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fg_thread_give_way(void)
{
	id_t tid = (id_t)syscall(SYS_gettid);
	int cur;

	errno = 0;
	cur = getpriority(PRIO_PROCESS, tid);
	if (errno == 0 && cur < 19)
		(void)setpriority(PRIO_PROCESS, tid,
				  cur + FG_YIELD_NICE > 19 ? 19
							   : cur + FG_YIELD_NICE);
}

void fg_progress_tick(void (*fn)(void *, const struct fg_progress *),
		      void *ctx, struct fg_progress *p, double t0,
		      double *last, uint64_t done, int finished)
{
	double t;

	if (fn == NULL)
		return;
	t = fg_now_seconds();
	if (!finished && t - *last < 0.5)
		return;
	*last = t;
	p->done = done;
	p->elapsed = t - t0;
	p->finished = finished;
	fn(ctx, p);
}
