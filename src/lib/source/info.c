/*
 * info.c - what a source is (see info.h): the source's own description
 * (geometry, identity, content) and the guard's look-only inspection.
 */
#include "config.h"

#include <errno.h>

#include <forage/guard.h>
#include <forage/info.h>
#include <forage/record.h>
#include <forage/source.h>


int fg_info_collect(const char *path, struct fg_record **out,
		    struct fg_error *err)
{
	struct fg_record *rec = NULL;
	struct fg_source *src = NULL;
	char when[32];
	int rc;

	*out = NULL;
	if (fg_record_new(&rec) != FG_OK)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	fg_record_set_str(rec, "record_format", "forage-info-1");
	fg_record_set_str(rec, "tool.name", PACKAGE_NAME);
	fg_record_set_str(rec, "tool.version", PACKAGE_VERSION);
	fg_record_utc_now(when, sizeof(when));
	fg_record_set_str(rec, "examined_utc", when);
	rc = fg_source_open(&src, path, 0, 0, err);
	if (rc != FG_OK)
		goto out;
	if (fg_source_describe(src, rec) != FG_OK ||
	    fg_guard_inspect(src, rec) != FG_OK) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	*out = rec;
	rec = NULL;
out:
	fg_source_close(src);
	fg_record_free(rec);
	return rc;
}
