/*
 * magic.c - content identification through libmagic (see magic.h).  The
 * only file in forage that includes <magic.h>.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <magic.h>

#include <forage/magic.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"

struct fg_magic {
	magic_t cookie;
};

int fg_magic_open(struct fg_magic **out, struct fg_error *err)
{
	struct fg_magic *m;
	const char *why;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	m->cookie = magic_open(MAGIC_NONE);
	if (m->cookie == NULL) {
		free(m);
		return fg_error_set(err, FG_ENOMEM, errno,
				    "libmagic: cannot open: %s",
				    strerror(errno));
	}
	if (magic_load(m->cookie, NULL) != 0) {
		why = magic_error(m->cookie);
		fg_error_set(err, FG_EINVAL, magic_errno(m->cookie),
			     "libmagic: cannot load its database: %s",
			     why != NULL ? why : "unknown reason");
		magic_close(m->cookie);
		free(m);
		return FG_EINVAL;
	}
	*out = m;
	return FG_OK;
}

void fg_magic_close(struct fg_magic *m)
{
	if (m == NULL)
		return;
	magic_close(m->cookie);
	free(m);
}

int fg_magic_buffer(struct fg_magic *m, const void *buf, size_t len, char *out,
		    size_t outlen, struct fg_error *err)
{
	const char *d = magic_buffer(m->cookie, buf, len);

	if (outlen > 0)
		out[0] = '\0';
	if (d == NULL) {
		const char *why = magic_error(m->cookie);
		return fg_error_set(err, FG_EFORMAT, magic_errno(m->cookie),
				    "libmagic: %s",
				    why != NULL ? why : "no description");
	}
	fg_printable(out, outlen, d, (size_t)-1,
		     FG_PRINTABLE_TRIM | FG_PRINTABLE_KEEP_BACKSLASH);
	return FG_OK;
}

int fg_magic_describe(const void *buf, size_t len, char *out, size_t outlen,
		      struct fg_error *err)
{
	struct fg_magic *m = NULL;
	int rc = fg_magic_open(&m, err);

	if (rc != FG_OK)
		return rc;
	rc = fg_magic_buffer(m, buf, len, out, outlen, err);
	fg_magic_close(m);
	return rc;
}

int fg_magic_describe_source(struct fg_source *src, struct fg_record *rec)
{
	size_t want =
	    src->size < FG_MAGIC_PROBE ? (size_t)src->size : FG_MAGIC_PROBE;
	struct fg_error err;
	char desc[1024];
	char *buf = NULL, *note = NULL;
	ssize_t n;
	int rc = FG_OK;

	fg_error_clear(&err);
	/* Through the direct path, in one read: on a failing drive the page
	 * cache would re-read a bad area page by page behind our back (slow
	 * on a dying drive, and the reader's count of reads of each bad
	 * sector would no longer hold).  A read that fails is just noted. */
	if (posix_memalign((void **)&buf, 4096, want > 0 ? want : 1) != 0)
		return FG_ENOMEM;
	n = want > 0 ? fg_source_pread_direct(src, buf, want, 0) : 0;
	if (n < 0 && errno == EINVAL) /* direct I/O refused: buffered */
		n = fg_source_pread(src, buf, want, 0);
	if (n < 0) {
		note = fg_strdup_printf("%s: the first %zu bytes could not be "
					"read: %s",
					src->path, want, strerror(errno));
		rc |= fg_record_set_null(rec, "source.content");
		rc |= fg_record_set_str(rec, "source.content_note", note);
		goto out;
	}
	rc |=
	    fg_record_set_int(rec, "source.content_bytes_examined", (int64_t)n);
	if (fg_magic_describe(buf, (size_t)n, desc, sizeof(desc), &err) !=
	    FG_OK) {
		rc |= fg_record_set_null(rec, "source.content");
		rc |= fg_record_set_str(rec, "source.content_note", err.msg);
		goto out;
	}
	rc |= fg_record_set_str(rec, "source.content", desc);
out:
	free(note);
	free(buf);
	return rc != FG_OK ? FG_ENOMEM : FG_OK;
}
