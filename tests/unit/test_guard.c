/* test_guard.c - the guard's parts that need no block device: a file
 * source whose output is the file itself, the warning about sectors an
 * HPA or DCO hides (whatever the source's describe() recorded), and the
 * look-only inspection.  Block devices are tested end to end on loop
 * devices (tests/e2e/t0210-device-guard.sh). */
#include "config.h"

#include <forage/guard.h>
#include <forage/record.h>
#include <forage/source.h>

#include "unit.h"

static char warned[4096];

static void on_warn(void *ctx, const char *msg)
{
	size_t n = strlen(warned);

	(void)ctx;
	snprintf(warned + n, sizeof(warned) - n, "%s\n", msg);
}

static void test_output_is_source(void)
{
	struct fg_source *src = NULL;
	struct fg_record *rec = NULL;
	struct fg_guard *g = NULL;
	struct fg_error err;
	const char *outs[] = {"out.json", "ev.raw", NULL};
	const char *ok_outs[] = {"out.json", "out.raw", NULL};

	unit_write_pattern("ev.raw", 4096, 1);
	CHECK_MSG(fg_source_open(&src, "ev.raw", 0, 0, &err) == FG_OK, &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	CHECK(fg_guard_engage(&g, src, outs, 0, rec, on_warn, NULL, &err) ==
	      FG_EGUARD);
	CHECK(g == NULL);
	CHECK(strstr(err.msg, "ev.raw: an output is the source itself") !=
	      NULL);
	CHECK_MSG(fg_guard_engage(&g, src, ok_outs, 0, rec, on_warn, NULL,
				  &err) == FG_OK,
		  &err);
	CHECK(fg_guard_release(g, rec) == FG_OK);
	CHECK_STR(fg_record_get_str(rec, "write_block.state"),
		  "not a block device: source opened read-only, no kernel "
		  "flag applies");
	fg_record_free(rec);
	fg_source_close(src);
}

static void test_hidden_sectors_warned(void)
{
	struct fg_source *src = NULL;
	struct fg_record *rec = NULL;
	struct fg_guard *g = NULL;
	struct fg_error err;
	const char *outs[] = {"out.json", NULL};
	char *json;

	warned[0] = '\0';
	unit_write_pattern("ev.raw", 4096, 2);
	CHECK_MSG(fg_source_open(&src, "ev.raw", 0, 0, &err) == FG_OK, &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	/* What identity.c records for a drive with an HPA and a DCO. */
	fg_record_set_str(rec, "source.hpa.state", "present");
	fg_record_set_int(rec, "source.hpa.hidden_sectors", 4048);
	fg_record_set_int(rec, "source.hpa.hidden_first_lba", 976773168);
	fg_record_set_str(rec, "source.dco.state", "present");
	fg_record_set_int(rec, "source.dco.hidden_sectors", 1000);
	fg_record_set_int(rec, "source.dco.hidden_first_lba", 976777216);
	CHECK_MSG(fg_guard_engage(&g, src, outs, 0, rec, on_warn, NULL,
				  &err) == FG_OK,
		  &err);
	fg_guard_release(g, rec);
	CHECK(strstr(warned, "ev.raw: the drive has a Host Protected Area "
			     "(HPA) hiding 4048 sectors from LBA 976773168 "
			     "on; they are NOT acquired") != NULL);
	CHECK(strstr(warned, "a Device Configuration Overlay (DCO) hiding "
			     "1000 sectors from LBA 976777216 on") != NULL);
	json = fg_record_dump(rec);
	CHECK(json != NULL && strstr(json, "\"warnings\"") != NULL &&
	      strstr(json, "hiding 4048 sectors") != NULL);
	free(json);
	fg_record_free(rec);
	fg_source_close(src);

	/* Absent or unknown: no warning. */
	warned[0] = '\0';
	CHECK_MSG(fg_source_open(&src, "ev.raw", 0, 0, &err) == FG_OK, &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	fg_record_set_str(rec, "source.hpa.state", "absent");
	fg_record_set_null(rec, "source.dco.state");
	CHECK(fg_guard_engage(&g, src, outs, 0, rec, on_warn, NULL, &err) ==
	      FG_OK);
	fg_guard_release(g, rec);
	CHECK_STR(warned, "");
	fg_record_free(rec);
	fg_source_close(src);
}

static void test_inspect_file(void)
{
	struct fg_source *src = NULL;
	struct fg_record *rec = NULL;
	struct fg_error err;
	char *json;

	unit_write_pattern("ev.raw", 1000, 3);
	CHECK_MSG(fg_source_open(&src, "ev.raw", 0, 0, &err) == FG_OK, &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	CHECK(fg_guard_inspect(src, rec) == FG_OK);
	json = fg_record_dump(rec);
	CHECK(json != NULL && strstr(json, "\"applicable\": false") != NULL);
	/* Nothing attached, nothing mounted: nothing else claimed. */
	CHECK(json != NULL && strstr(json, "attached_as") == NULL);
	free(json);
	fg_record_free(rec);
	fg_source_close(src);
}

int main(void)
{
	unit_run("file source: output is the source", test_output_is_source);
	unit_run("HPA/DCO hidden sectors are warned about",
		 test_hidden_sectors_warned);
	unit_run("inspect a file source", test_inspect_file);
	return unit_done();
}
