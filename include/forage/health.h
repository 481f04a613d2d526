/*
 * health.h - a drive's health before and after an acquisition: ATA SMART
 * (SMART READ DATA and the summary SMART error log, SMART READ LOG 01h,
 * through SAT ATA PASS-THROUGH(16)) and the NVMe SMART / Health
 * Information and Error Information log pages (Get Log Page 02h and 01h
 * through the NVMe admin ioctl).  Read before the first read of an
 * acquisition and after the last, kept in the record under
 * health.before and health.after (parsed values and the raw pages, base64
 * with their SHA-256), and compared: health.changes lists what grew.
 *
 * Promise: these are read-only commands, on the same read-only lists as
 * identity's (fg_sat_cdb_is_read_only, fg_nvme_admin_is_read_only): SMART
 * READ DATA and SMART READ LOG of the error logs only, never another SMART
 * subcommand; Get Log Page of those two pages only, with Retain
 * Asynchronous Event set so that reading changes no controller state.
 * A source with no SMART (a file, a loop device, a bridge that refuses
 * pass-through) is "not available" with the reason, never an error.
 */
#ifndef FORAGE_HEALTH_H
#define FORAGE_HEALTH_H

#include <forage/forage.h>

struct fg_record;
struct fg_drive_sim;

/* ---- ATA SMART --------------------------------------------------------- */

struct fg_smart_attr {
	unsigned id;	/* 1-255 */
	unsigned flags; /* status flags word */
	unsigned value, worst;
	uint64_t raw; /* 48 bits */
};

/* SMART READ DATA (512 bytes): the attribute table (up to 30 entries of
 * 12 bytes from byte 2; id 0 ends nothing, it is skipped). */
struct fg_ata_smart {
	unsigned revision; /* bytes 0-1 */
	size_t nattr;
	struct fg_smart_attr attr[30];
	int checksum_ok; /* byte 511 makes the 512 bytes sum to 0 */
};

/* FG_OK, or FG_EFORMAT (short, all zero, checksum wrong). */
int fg_ata_smart_parse(const uint8_t *buf, size_t len,
		       struct fg_ata_smart *s, struct fg_error *err);

/* The summary SMART error log (log 01h, 512 bytes). */
struct fg_ata_errlog {
	unsigned version;      /* byte 0 */
	unsigned index;	       /* byte 1: the latest entry, 0 = none */
	unsigned error_count;  /* bytes 452-453: errors the drive counted */
};

/* FG_OK, or FG_EFORMAT (short, checksum wrong). */
int fg_ata_errlog_parse(const uint8_t *buf, size_t len,
			struct fg_ata_errlog *l, struct fg_error *err);

/* The common name of a SMART attribute ("Reallocated sector count"), or
 * NULL when it has none widely agreed on (vendors differ). */
const char *fg_smart_attr_name(unsigned id);

/* ---- NVMe --------------------------------------------------------------- */

/* The SMART / Health Information log page (02h, 512 bytes).  The 128-bit
 * counters are kept when they fit in 63 bits; *_big is set when not. */
struct fg_nvme_health {
	unsigned critical_warning;   /* byte 0 */
	unsigned temperature_kelvin; /* bytes 1-2 */
	unsigned available_spare;    /* byte 3, percent */
	unsigned spare_threshold;    /* byte 4, percent */
	unsigned percentage_used;    /* byte 5 */
	uint64_t data_units_read, data_units_written; /* 32, 48 */
	uint64_t power_cycles, power_on_hours;	      /* 112, 128 */
	uint64_t unsafe_shutdowns, media_errors;      /* 144, 160 */
	uint64_t error_log_entries;		      /* 176 */
	int too_big; /* a counter did not fit: it is given as -1 */
};

/* FG_OK, or FG_EFORMAT (short). */
int fg_nvme_health_parse(const uint8_t *buf, size_t len,
			 struct fg_nvme_health *h, struct fg_error *err);

/* The Error Information log page (01h, 64-byte entries): how many entries
 * hold an error (error count not 0). */
size_t fg_nvme_errlog_entries(const uint8_t *buf, size_t len);

/* ---- Before and after ------------------------------------------------- */

/* Read the health of the block device open as fd (major:minor under
 * sysroot) into rec under "health.WHEN." (WHEN: "before" or "after").
 * A device with no SMART is recorded as not available, with the reason.
 * Returns FG_OK or FG_ENOMEM. */
int fg_health_read(struct fg_record *rec, const char *when, int fd,
		   unsigned major, unsigned minor, const char *sysroot);

/* The same for a source that is not a drive (a file): not available,
 * because why. */
int fg_health_none(struct fg_record *rec, const char *when, const char *why);

/* fg_health_read asking sim (an ATA drive behind SAT) instead. */
int fg_health_read_sim(struct fg_record *rec, const char *when,
		       const struct fg_drive_sim *sim);

/* Compare health.before with health.after in rec: health.comparison says
 * what was compared, health.changes[] each value that grew or fell, in
 * words ("Reallocated sector count grew from 0 to 8 during acquisition").
 * Returns the number of changes, or -1 when out of memory. */
int fg_health_compare(struct fg_record *rec);

#endif
