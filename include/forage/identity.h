/*
 * identity.h - who a block device is: model, serial number, firmware
 * revision, vendor, transport, removable, rotational, WWN; the HPA/DCO
 * state of an ATA drive; the backing file of a loop device; the place of a
 * partition.  Gathered from sysfs, udev's database (/run/udev/data, no
 * libudev) and the device itself through SG_IO: SCSI INQUIRY (standard
 * data, VPD pages 0x80, 0x83, 0x89) and, via SAT ATA PASS-THROUGH(16),
 * ATA IDENTIFY DEVICE, READ NATIVE MAX ADDRESS (EXT) and DEVICE
 * CONFIGURATION IDENTIFY; and for an NVMe namespace, through the NVMe
 * admin ioctl, Identify Controller and Identify Namespace.
 *
 * Promise: only commands that read are ever sent to a device:
 * fg_sat_cdb_is_read_only() is checked before every SG_IO and refuses any
 * other command, fg_nvme_admin_is_read_only() before every NVMe admin
 * command.  What cannot be learned is recorded as JSON null
 * ("unknown"), never guessed, and source.identity_notes says why.  Every
 * summary fact names where it came from (source.identity_from).
 *
 * The parsers below take byte buffers, so that the unit tests can feed
 * them canned IDENTIFY/INQUIRY/sense data: they stand in for physical
 * drives, which cannot be attached to the test machine.
 */
#ifndef FORAGE_IDENTITY_H
#define FORAGE_IDENTITY_H

#include <forage/forage.h>

struct fg_record;

/* ---- ATA IDENTIFY DEVICE data (512 bytes, ACS-3 word layout) ---------- */

struct fg_ata_identify {
	char model[41 * 4 + 1];	      /* words 27-46, printable, trimmed */
	char serial[21 * 4 + 1];      /* words 10-19 */
	char firmware[9 * 4 + 1];     /* words 23-26 */
	int checksum;		      /* 1 valid, -1 not provided (word 255) */
	int lba48;		      /* word 83 bit 10 */
	uint64_t user_sectors;	      /* words 100-103, or 60-61 */
	uint32_t logical_sector_size; /* words 106, 117-118 */
	uint32_t physical_sector_size;
	char wwn[19];		/* "0x" + words 108-111, "" if none */
	unsigned rotation_rate; /* word 217: 0 unknown, 1 non-rotating */
	int serial_ata;		/* 1 serial, 0 parallel, -1 unknown */
	int hpa_supported, hpa_enabled; /* words 82/85 bit 10 */
	int dco_supported;		/* word 83 bit 11 */
	int security_supported, security_enabled, security_locked,
	    security_frozen; /* word 128 */
};

/* Parse IDENTIFY DEVICE data.  Returns FG_OK, or FG_EFORMAT (too short,
 * empty, not an ATA device, checksum wrong) with the reason in err. */
int fg_ata_identify_parse(const uint8_t *buf, size_t len,
			  struct fg_ata_identify *id, struct fg_error *err);

/* DEVICE CONFIGURATION IDENTIFY data: the factory maximum LBA (words 3-6).
 * FG_OK or FG_EFORMAT. */
int fg_ata_dco_parse(const uint8_t *buf, size_t len, uint64_t *max_lba,
		     struct fg_error *err);

/* The registers an ATA command returned, from the sense data of a SAT
 * ATA PASS-THROUGH with CK_COND: descriptor format (ATA Status Return
 * descriptor, code 09h) or fixed format (ASCQ 1Dh).  ext: the command was
 * a 48-bit one.  FG_OK or FG_EFORMAT (no ATA return in this sense data,
 * or the upper LBA bytes were not returned). */
struct fg_ata_return {
	uint8_t status, error, device;
	uint64_t lba;
};
int fg_ata_return_parse(const uint8_t *sense, size_t len, int ext,
			struct fg_ata_return *r, struct fg_error *err);

/* ---- SCSI INQUIRY ------------------------------------------------------ */

struct fg_scsi_inquiry {
	int peripheral_type;	/* 0 disk, 5 CD/DVD, 0x0e RBC ... */
	int removable;		/* RMB bit */
	char vendor[8 * 4 + 1]; /* T10 vendor identification */
	char product[16 * 4 + 1];
	char revision[4 * 4 + 1];
};

/* Standard INQUIRY data (at least 36 bytes).  FG_OK or FG_EFORMAT. */
int fg_scsi_inquiry_parse(const uint8_t *buf, size_t len,
			  struct fg_scsi_inquiry *inq, struct fg_error *err);

/* VPD page 0x80 (unit serial number) into out.  FG_OK or FG_EFORMAT. */
int fg_scsi_vpd_serial_parse(const uint8_t *buf, size_t len, char *out,
			     size_t outlen, struct fg_error *err);

/* VPD page 0x83 (device identification): the first NAA designator of the
 * logical unit as "0x" + hex.  FG_OK or FG_EFORMAT (none there). */
int fg_scsi_vpd_naa_parse(const uint8_t *buf, size_t len, char *out,
			  size_t outlen, struct fg_error *err);

/* VPD page 0x89 (ATA information): the IDENTIFY DEVICE data it carries
 * (512 bytes at offset 60).  Returns a pointer into buf, or NULL. */
const uint8_t *fg_scsi_vpd_ata_identify(const uint8_t *buf, size_t len);

/* ---- NVMe Identify (4096 bytes each, NVMe Base Specification 2.0) --- */

/* Identify Controller (CNS 01h). */
struct fg_nvme_id_ctrl {
	unsigned pci_vendor_id;	  /* bytes 0-1 (VID) */
	char serial[20 * 4 + 1];  /* bytes 4-23 (SN), printable, trimmed */
	char model[40 * 4 + 1];	  /* bytes 24-63 (MN) */
	char firmware[8 * 4 + 1]; /* bytes 64-71 (FR) */
	uint32_t namespaces;	  /* bytes 516-519 (NN) */
};

/* Identify Namespace (CNS 00h). */
struct fg_nvme_id_ns {
	uint64_t size_blocks;	  /* bytes 0-7 (NSZE), logical blocks */
	uint64_t capacity_blocks; /* bytes 8-15 (NCAP) */
	unsigned format_index;	  /* FLBAS bits 3:0, 6:5 */
	uint32_t block_size;	  /* 2^LBADS of the format in use */
	unsigned metadata_size;	  /* MS of that format, bytes a block */
	char eui64[19];		  /* "0x" + bytes 120-127, "" if zero */
	char nguid[35];		  /* "0x" + bytes 104-119, "" if zero */
};

/* Parse Identify Controller data (at least 4096 bytes).  Returns FG_OK,
 * or FG_EFORMAT (too short, all 00h/FFh, no model and no serial) with the
 * reason in err. */
int fg_nvme_id_ctrl_parse(const uint8_t *buf, size_t len,
			  struct fg_nvme_id_ctrl *id, struct fg_error *err);

/* Parse Identify Namespace data (at least 4096 bytes).  FG_OK, or
 * FG_EFORMAT (too short, size 0 (an inactive namespace), the format in
 * use past the formats listed, or a block size outside 512 B-2 MiB). */
int fg_nvme_id_ns_parse(const uint8_t *buf, size_t len,
			struct fg_nvme_id_ns *ns, struct fg_error *err);

/* The NVMe admin commands forage may send: Identify (06h) with CNS 00h
 * or 01h; Get Log Page (02h) of the Error Information (01h) or SMART /
 * Health Information (02h) page, with Retain Asynchronous Event set and
 * no log specific field.  1 when opcode/cdw10 are one of those, else 0. */
int fg_nvme_admin_is_read_only(uint8_t opcode, uint32_t cdw10);

/* ---- Commands ---------------------------------------------------------- */

enum fg_ata_cmd {
	FG_ATA_IDENTIFY,	    /* ECh, PIO data-in, 1 sector */
	FG_ATA_READ_NATIVE_MAX,	    /* F8h, non-data, 28-bit */
	FG_ATA_READ_NATIVE_MAX_EXT, /* 27h, non-data, 48-bit */
	FG_ATA_DCO_IDENTIFY,	    /* B1h feature C2h, PIO data-in, 1 sector */
	FG_ATA_SMART_READ_DATA,	    /* B0h feature D0h, PIO data-in, 1 sector */
	FG_ATA_SMART_READ_ERROR_LOG /* B0h feature D5h, log 01h, 1 sector */
};

/* Build the SAT ATA PASS-THROUGH(16) CDB for cmd.  FG_OK or FG_EINVAL. */
int fg_sat_build_cdb(uint8_t cdb[16], enum fg_ata_cmd cmd);

/* 1 when cdb is one of the commands forage may send (INQUIRY, or ATA
 * PASS-THROUGH(16) carrying one of the read-only ATA commands above with
 * a non-data or data-in protocol: of SMART (B0h), only READ DATA and READ
 * LOG of the summary (01h) or comprehensive (02h) error log, with the
 * SMART signature C24Fh), else 0. */
int fg_sat_cdb_is_read_only(const uint8_t *cdb, size_t len);

/* ---- HPA / DCO ------------------------------------------------------- */

/* Record "<prefix>hpa.*" and "<prefix>dco.*" from what is known.
 * native_max_lba / dco_max_lba: UINT64_MAX when unknown; why_native /
 * why_dco: the reason when unknown (may be NULL).  id NULL: not an ATA
 * drive or no answer (why_native says why).  Returns FG_OK or FG_ENOMEM. */
int fg_hpa_dco_record(struct fg_record *rec, const char *prefix,
		      const struct fg_ata_identify *id, uint64_t native_max_lba,
		      const char *why_native, uint64_t dco_max_lba,
		      const char *why_dco);

/* ---- udev's database --------------------------------------------------- */

/* Find "E:KEY=value" in the text of a /run/udev/data/bM:m file.  Returns
 * 0 and the value (printable) in out, or -1 when absent. */
int fg_udev_lookup(const char *text, const char *key, char *out, size_t outlen);

/* ---- The record -------------------------------------------------------- */

/* Add what can be learned of the block device major:minor to rec under
 * "source.": device, model, vendor, serial, firmware_revision, wwn,
 * transport, removable, rotational (null when unknown), identity_from,
 * sysfs, udev, scsi, ata, nvme, hpa, dco, loop, dm, partition, identity_notes.
 * fd: the device open read-only, for SG_IO (-1: no commands are sent).
 * sysroot, udevdir: "/sys" and "/run/udev/data" (other trees in tests).
 * Returns FG_OK or FG_ENOMEM; a device that does not answer is not an
 * error. */
int fg_identity_describe(struct fg_record *rec, int fd, unsigned major,
			 unsigned minor, const char *sysroot,
			 const char *udevdir);

/* ---- A simulated drive, for tests ------------------------------------- */

/* answer() plays the drive: given a CDB (already checked against the
 * read-only list), it fills up to datalen bytes of data (*got: how many),
 * sense data (*sense_len, at most 64 bytes) and returns the SCSI status
 * (0 GOOD, 2 CHECK CONDITION), or -errno when the command could not be
 * sent at all (as a failed SG_IO ioctl). */
struct fg_drive_sim {
	int (*answer)(void *ctx, const uint8_t *cdb, size_t cdblen,
		      uint8_t *data, size_t datalen, size_t *got,
		      uint8_t *sense, size_t *sense_len);
	void *ctx;
};

/* fg_identity_describe, asking sim instead of a device node. */
int fg_identity_describe_sim(struct fg_record *rec,
			     const struct fg_drive_sim *sim, unsigned major,
			     unsigned minor, const char *sysroot,
			     const char *udevdir);

#endif
