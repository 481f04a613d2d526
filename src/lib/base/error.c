/*
 * error.c - the error record and status names (see forage.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <forage/forage.h>

int fg_error_set(struct fg_error *err, int code, int sys_errno,
		 const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->sys_errno = sys_errno;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void fg_error_clear(struct fg_error *err)
{
	if (err == NULL)
		return;
	err->code = FG_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
}

int fg_error_copy(struct fg_error *dst, const struct fg_error *src)
{
	if (src == NULL)
		return FG_OK;
	if (dst != NULL && dst != src)
		memcpy(dst, src, sizeof(*dst));
	return src->code;
}

const char *fg_status_name(int code)
{
	switch (code) {
	case FG_OK: return "success";
	case FG_EINVAL: return "invalid argument";
	case FG_ENOMEM: return "out of memory";
	case FG_EIO: return "I/O error";
	case FG_EEXIST: return "output exists";
	case FG_ENOSPC: return "destination full";
	case FG_ESOURCE: return "source unusable";
	case FG_EOUTPUT: return "output unusable";
	case FG_EGUARD: return "write-block guard refused";
	case FG_EFORMAT: return "bad format";
	case FG_EMISMATCH: return "check failed";
	case FG_EINTR: return "interrupted";
	case FG_EBADSECT: return "unreadable sectors";
	case FG_EDB: return "case database error";
	case FG_ESTATE: return "wrong state";
	}
	return "unknown status";
}

int fg_exit_for_status(int code)
{
	switch (code) {
	case FG_OK: return FG_EXIT_OK;
	case FG_EMISMATCH: return FG_EXIT_CHECK;
	case FG_EBADSECT: return FG_EXIT_PARTIAL;
	case FG_EINTR: return FG_EXIT_INTERRUPTED;
	}
	return FG_EXIT_TROUBLE;
}

const char *fg_version(void)
{
	return PACKAGE_NAME " " PACKAGE_VERSION;
}
