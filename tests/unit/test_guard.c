/* test_guard.c - the guard's parts that need no block device: a file
 * source whose output is the file itself, the warning about sectors an
 * HPA or DCO hides (whatever the source's describe() recorded), and the
 * look-only inspection, and the read-only lists that let SMART and the
 * NVMe health log pages through and nothing else.  Block devices are tested end to end on loop
 * devices (tests/e2e/t0210-device-guard.sh). */
#include "config.h"

#include <forage/guard.h>
#include <forage/identity.h>
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


/* SMART through SAT: READ DATA and READ LOG of the error logs pass; every
 * other SMART subcommand, another log, the wrong signature or direction,
 * never. */
static void test_smart_read_only(void)
{
	uint8_t cdb[16], data[16], elog[16];
	unsigned f, log;

	CHECK(fg_sat_build_cdb(data, FG_ATA_SMART_READ_DATA) == FG_OK);
	CHECK(fg_sat_build_cdb(elog, FG_ATA_SMART_READ_ERROR_LOG) == FG_OK);
	{
		const uint8_t want_data[16] = {0x85, 0x08, 0x0e, 0,    0xd0,
					       0,    1,	   0,	 0,    0,
					       0x4f, 0,	   0xc2, 0x40, 0xb0,
					       0};
		const uint8_t want_elog[16] = {0x85, 0x08, 0x0e, 0,    0xd5,
					       0,    1,	   0,	 0x01, 0,
					       0x4f, 0,	   0xc2, 0x40, 0xb0,
					       0};
		CHECK(memcmp(data, want_data, 16) == 0);
		CHECK(memcmp(elog, want_elog, 16) == 0);
	}
	CHECK(fg_sat_cdb_is_read_only(data, 16));
	CHECK(fg_sat_cdb_is_read_only(elog, 16));
	/* Every feature (subcommand) value with every log address: only
	 * D0h (address 0) and D5h with 01h or 02h. */
	for (f = 0; f < 256; f++)
		for (log = 0; log < 256; log++) {
			int want = (f == 0xd0 && log == 0) ||
				   (f == 0xd5 && (log == 1 || log == 2));
			memcpy(cdb, data, 16);
			cdb[4] = (uint8_t)f;
			cdb[8] = (uint8_t)log;
			if (fg_sat_cdb_is_read_only(cdb, 16) != want) {
				CHECK(!"SMART feature/log on the wrong side");
				printf("  feature %02Xh log %02Xh\n", f, log);
			}
		}
	/* The subcommands that change a drive, by name. */
	{
		static const uint8_t change[] = {
		    0xd1, /* READ ATTRIBUTE THRESHOLDS (obsolete; not used) */
		    0xd2, /* ENABLE/DISABLE ATTRIBUTE AUTOSAVE */
		    0xd3, /* SAVE ATTRIBUTE VALUES */
		    0xd4, /* EXECUTE OFF-LINE IMMEDIATE (self-tests) */
		    0xd6, /* WRITE LOG */
		    0xd8, /* ENABLE OPERATIONS */
		    0xd9, /* DISABLE OPERATIONS */
		    0xda, /* RETURN STATUS */
		    0xdb, /* ENABLE/DISABLE AUTOMATIC OFF-LINE */
		};
		size_t i;
		for (i = 0; i < sizeof(change); i++) {
			memcpy(cdb, data, 16);
			cdb[4] = change[i];
			CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
			cdb[1] = 3 << 1; /* as non-data too */
			cdb[2] = 0x20;
			CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
		}
	}
	/* READ DATA as PIO data-out, towards the drive; features 15:8 set;
	 * no SMART signature. */
	memcpy(cdb, data, 16);
	cdb[1] = 5 << 1;
	cdb[2] = 0x06;
	CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
	memcpy(cdb, data, 16);
	cdb[3] = 0x01;
	CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
	memcpy(cdb, elog, 16);
	cdb[10] = 0;
	CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
	memcpy(cdb, elog, 16);
	cdb[12] = 0;
	CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
}

/* NVMe admin: Identify, and Get Log Page of the Error Information and
 * SMART / Health pages with RAE set; nothing else. */
static void test_nvme_admin_read_only(void)
{
	unsigned op, lid;

	CHECK(fg_nvme_admin_is_read_only(0x06, 0x00));
	CHECK(fg_nvme_admin_is_read_only(0x06, 0x01));
	CHECK(!fg_nvme_admin_is_read_only(0x06, 0x05));
	CHECK(fg_nvme_admin_is_read_only(0x02, 0x007f8002u));
	CHECK(fg_nvme_admin_is_read_only(0x02, 0x00ff8001u));
	for (lid = 0; lid < 256; lid++) {
		int want = lid == 1 || lid == 2;
		CHECK(fg_nvme_admin_is_read_only(0x02, 0x8000u | lid) == want);
		/* Without RAE, a read would clear a held event. */
		CHECK(!fg_nvme_admin_is_read_only(0x02, lid));
		/* A log specific field (telemetry's "create", ...). */
		CHECK(!fg_nvme_admin_is_read_only(0x02, 0x8100u | lid));
	}
	/* Set Features 09h, Format NVM 80h, Sanitize 84h, Firmware Commit
	 * 10h, Firmware Download 11h, Namespace Management 0Dh, Device
	 * Self-test 14h, Security Send 81h: every other opcode. */
	for (op = 0; op < 256; op++) {
		if (op == 0x02 || op == 0x06)
			continue;
		CHECK(!fg_nvme_admin_is_read_only((uint8_t)op, 0x8002u));
		CHECK(!fg_nvme_admin_is_read_only((uint8_t)op, 0x01u));
	}
}

int main(void)
{
	unit_run("file source: output is the source", test_output_is_source);
	unit_run("HPA/DCO hidden sectors are warned about",
		 test_hidden_sectors_warned);
	unit_run("inspect a file source", test_inspect_file);
	unit_run("SMART: only READ DATA and READ LOG of the error logs",
		 test_smart_read_only);
	unit_run("NVMe admin: only Identify and the health log pages",
		 test_nvme_admin_read_only);
	return unit_done();
}
