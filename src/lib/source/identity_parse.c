/*
 * identity_parse.c - the pure side of drive identity (see identity.h):
 * what works on a buffer and sends nothing.  ATA IDENTIFY DEVICE and
 * DEVICE CONFIGURATION IDENTIFY data, the ATA registers in sense data,
 * SCSI INQUIRY and its VPD pages, NVMe Identify Controller and
 * Namespace data, the SAT ATA PASS-THROUGH(16) CDBs and the read-only
 * checks every SG_IO and NVMe admin command passes, the HPA/DCO state into the
 * record, and udev's database text.  The unit tests feed these canned
 * bytes; identity.c asks the device and hands them what it answers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <forage/identity.h>
#include <forage/record.h>

#include "base/base_int.h"
#include "source/source_int.h"

/* ---- Parsers ------------------------------------------------------------ */

static unsigned word(const uint8_t *b, unsigned i)
{
	return (unsigned)b[2 * i] | ((unsigned)b[2 * i + 1] << 8);
}

/* ATA strings hold two characters a word, the first in the high byte. */
static void ata_string(const uint8_t *b, unsigned first, unsigned nwords,
		       char *out, size_t outlen)
{
	char raw[128];
	unsigned i;

	for (i = 0; i < nwords && 2 * i + 1 < sizeof(raw); i++) {
		raw[2 * i] = (char)b[2 * (first + i) + 1];
		raw[2 * i + 1] = (char)b[2 * (first + i)];
	}
	fg_printable(out, outlen, raw, 2 * i, FG_PRINTABLE_TRIM);
}

/* The integrity word (255) of IDENTIFY and DCO data: 1 when its A5h
 * signature is there and the 512 bytes sum to 0, 0 when the sum is wrong
 * (*sum says what it is), -1 when there is no signature. */
static int integrity(const uint8_t *buf, uint8_t *sum)
{
	unsigned i;

	*sum = 0;
	if ((word(buf, 255) & 0xff) != 0xa5)
		return -1;
	for (i = 0; i < 512; i++)
		*sum = (uint8_t)(*sum + buf[i]);
	return *sum == 0;
}

/* A "supported" word is valid when bit 14 is set and bit 15 clear. */
static int valid_word(unsigned w)
{
	return (w & 0xc000) == 0x4000;
}

int fg_ata_identify_parse(const uint8_t *buf, size_t len,
			  struct fg_ata_identify *id, struct fg_error *err)
{
	unsigned w0, w83, w82, w84, w106, w222, i;
	uint64_t lba28, lba48;
	uint8_t sum;
	int allzero = 1;

	memset(id, 0, sizeof(*id));
	if (len < 512)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "IDENTIFY DEVICE data: %zu bytes, want 512",
				    len);
	for (i = 0; i < 512 && allzero; i++)
		if (buf[i] != 0 && buf[i] != 0xff)
			allzero = 0;
	if (allzero)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "IDENTIFY DEVICE data is empty (all 00h "
				    "or FFh)");
	id->checksum = integrity(buf, &sum);
	if (id->checksum == 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "IDENTIFY DEVICE data: integrity word "
				    "checksum is wrong (sum %02Xh); data "
				    "corrupted in transfer",
				    sum);
	w0 = word(buf, 0);
	if (w0 & 0x8000)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "IDENTIFY DEVICE data: word 0 says this "
				    "is not an ATA device (%04Xh)",
				    w0);
	ata_string(buf, 27, 20, id->model, sizeof(id->model));
	ata_string(buf, 10, 10, id->serial, sizeof(id->serial));
	ata_string(buf, 23, 4, id->firmware, sizeof(id->firmware));

	w82 = word(buf, 82);
	w83 = word(buf, 83);
	w84 = word(buf, 84);
	id->lba48 = valid_word(w83) && (w83 & (1u << 10));
	id->dco_supported = valid_word(w83) && (w83 & (1u << 11));
	if (w82 != 0 && w82 != 0xffff) {
		id->hpa_supported = (w82 >> 10) & 1;
		id->hpa_enabled = (word(buf, 85) >> 10) & 1;
		id->security_supported = (w82 >> 1) & 1;
	}
	lba28 = (uint64_t)word(buf, 60) | ((uint64_t)word(buf, 61) << 16);
	lba48 = (uint64_t)word(buf, 100) | ((uint64_t)word(buf, 101) << 16) |
		((uint64_t)word(buf, 102) << 32) |
		((uint64_t)word(buf, 103) << 48);
	id->user_sectors = (id->lba48 && lba48 != 0) ? lba48 : lba28;

	id->logical_sector_size = 512;
	id->physical_sector_size = 512;
	w106 = word(buf, 106);
	if (valid_word(w106)) {
		if (w106 & (1u << 12)) {
			uint32_t words = (uint32_t)word(buf, 117) |
					 ((uint32_t)word(buf, 118) << 16);
			if (words >= 256 && words <= 32768)
				id->logical_sector_size = 2 * words;
		}
		id->physical_sector_size = id->logical_sector_size;
		if (w106 & (1u << 13))
			id->physical_sector_size = id->logical_sector_size
						   << (w106 & 0x0f);
	}
	if (valid_word(w84) && (w84 & (1u << 8))) {
		unsigned a = word(buf, 108), b = word(buf, 109),
			 c = word(buf, 110), d = word(buf, 111);
		if (a | b | c | d)
			snprintf(id->wwn, sizeof(id->wwn), "0x%04x%04x%04x%04x",
				 a, b, c, d);
	}
	id->rotation_rate = word(buf, 217);
	if (id->rotation_rate == 0xffff ||
	    (id->rotation_rate > 1 && id->rotation_rate < 0x0401))
		id->rotation_rate = 0;
	w222 = word(buf, 222);
	id->serial_ata = -1;
	if (w222 != 0 && w222 != 0xffff && (w222 >> 12) <= 1)
		id->serial_ata = (int)(w222 >> 12);
	else if (word(buf, 76) != 0 && word(buf, 76) != 0xffff)
		id->serial_ata = 1;
	if (id->security_supported) {
		unsigned w128 = word(buf, 128);
		id->security_enabled = (w128 >> 1) & 1;
		id->security_locked = (w128 >> 2) & 1;
		id->security_frozen = (w128 >> 3) & 1;
	}
	return FG_OK;
}

int fg_ata_dco_parse(const uint8_t *buf, size_t len, uint64_t *max_lba,
		     struct fg_error *err)
{
	unsigned rev;
	uint8_t sum;

	if (len < 512)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "DCO IDENTIFY data: %zu bytes, want 512",
				    len);
	if (integrity(buf, &sum) == 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "DCO IDENTIFY data: checksum is wrong "
				    "(sum %02Xh)",
				    sum);
	rev = word(buf, 0);
	if (rev == 0 || rev == 0xffff)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "DCO IDENTIFY data: revision word is "
				    "%04Xh, not a DCO structure",
				    rev);
	*max_lba = (uint64_t)word(buf, 3) | ((uint64_t)word(buf, 4) << 16) |
		   ((uint64_t)word(buf, 5) << 32) |
		   ((uint64_t)word(buf, 6) << 48);
	if (*max_lba == 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "DCO IDENTIFY data: maximum LBA is 0");
	return FG_OK;
}

int fg_ata_return_parse(const uint8_t *s, size_t len, int ext,
			struct fg_ata_return *r, struct fg_error *err)
{
	memset(r, 0, sizeof(*r));
	if (len >= 8 && ((s[0] & 0x7f) == 0x72 || (s[0] & 0x7f) == 0x73)) {
		size_t end = 8 + (size_t)s[7], at = 8;
		if (end > len)
			end = len;
		while (at + 2 <= end) {
			const uint8_t *d = s + at;
			size_t dl = (size_t)d[1] + 2;
			if (d[0] == 0x09 && dl >= 14 && at + 14 <= end) {
				r->error = d[3];
				r->device = d[12];
				r->status = d[13];
				r->lba = (uint64_t)d[7] |
					 ((uint64_t)d[9] << 8) |
					 ((uint64_t)d[11] << 16);
				if (ext)
					r->lba |= ((uint64_t)d[6] << 24) |
						  ((uint64_t)d[8] << 32) |
						  ((uint64_t)d[10] << 40);
				else
					r->lba |= (uint64_t)(d[12] & 0x0f)
						  << 24;
				return FG_OK;
			}
			at += dl;
		}
		return fg_error_set(err, FG_EFORMAT, 0,
				    "sense data has no ATA Status Return "
				    "descriptor");
	}
	if (len >= 18 && ((s[0] & 0x7f) == 0x70 || (s[0] & 0x7f) == 0x71) &&
	    s[12] == 0x00 && s[13] == 0x1d) {
		/* SAT fixed format: registers in INFORMATION and
		 * COMMAND-SPECIFIC INFORMATION; only the low LBA bytes. */
		if (ext && (s[8] & 0x20))
			return fg_error_set(err, FG_EFORMAT, 0,
					    "fixed-format sense data does not "
					    "carry the upper LBA bytes");
		r->error = s[3];
		r->status = s[4];
		r->device = s[5];
		r->lba = (uint64_t)s[9] | ((uint64_t)s[10] << 8) |
			 ((uint64_t)s[11] << 16);
		if (!ext)
			r->lba |= (uint64_t)(s[5] & 0x0f) << 24;
		return FG_OK;
	}
	return fg_error_set(err, FG_EFORMAT, 0,
			    "no ATA registers in the sense data (response "
			    "code %02Xh)",
			    len > 0 ? s[0] : 0);
}

int fg_scsi_inquiry_parse(const uint8_t *buf, size_t len,
			  struct fg_scsi_inquiry *inq, struct fg_error *err)
{
	memset(inq, 0, sizeof(*inq));
	if (len < 36)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "INQUIRY data: %zu bytes, want at least "
				    "36",
				    len);
	if ((buf[0] & 0xe0) == 0x60)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "INQUIRY data: no logical unit here "
				    "(peripheral qualifier 3)");
	inq->peripheral_type = buf[0] & 0x1f;
	inq->removable = (buf[1] >> 7) & 1;
	fg_printable(inq->vendor, sizeof(inq->vendor), (const char *)buf + 8, 8,
		     FG_PRINTABLE_TRIM);
	fg_printable(inq->product, sizeof(inq->product), (const char *)buf + 16,
		     16, FG_PRINTABLE_TRIM);
	fg_printable(inq->revision, sizeof(inq->revision),
		     (const char *)buf + 32, 4, FG_PRINTABLE_TRIM);
	return FG_OK;
}

int fg_scsi_vpd_serial_parse(const uint8_t *buf, size_t len, char *out,
			     size_t outlen, struct fg_error *err)
{
	size_t n;

	if (len < 4 || buf[1] != 0x80)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "not VPD page 80h (unit serial number)");
	n = ((size_t)buf[2] << 8) | buf[3];
	if (n > len - 4)
		n = len - 4;
	fg_printable(out, outlen, (const char *)buf + 4, n, FG_PRINTABLE_TRIM);
	if (out[0] == '\0')
		return fg_error_set(err, FG_EFORMAT, 0,
				    "VPD page 80h: the serial number is "
				    "blank");
	return FG_OK;
}

/* n bytes as "0x" + hex into out; 0, or -1 (out "") when outlen is less
 * than the 2 * n + 3 bytes that takes. */
static int hex_id(const uint8_t *b, size_t n, char *out, size_t outlen)
{
	size_t i, o = 2;

	out[0] = '\0';
	if (outlen < 2 * n + 3)
		return -1;
	memcpy(out, "0x", 2);
	for (i = 0; i < n; i++, o += 2)
		snprintf(out + o, outlen - o, "%02x", b[i]);
	return 0;
}

int fg_scsi_vpd_naa_parse(const uint8_t *buf, size_t len, char *out,
			  size_t outlen, struct fg_error *err)
{
	size_t end, at = 4;

	if (len < 4 || buf[1] != 0x83)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "not VPD page 83h (device "
				    "identification)");
	end = 4 + (((size_t)buf[2] << 8) | buf[3]);
	if (end > len)
		end = len;
	while (at + 4 <= end) {
		const uint8_t *d = buf + at;
		size_t dl = d[3];
		unsigned type = d[1] & 0x0f, assoc = (d[1] >> 4) & 0x03;
		unsigned codeset = d[0] & 0x0f;

		if (at + 4 + dl > end)
			break;
		if (type == 3 && assoc == 0 && codeset == 1 &&
		    (dl == 8 || dl == 16) &&
		    hex_id(d + 4, dl, out, outlen) == 0)
			return FG_OK;
		at += 4 + dl;
	}
	return fg_error_set(err, FG_EFORMAT, 0,
			    "VPD page 83h: no NAA designator for the "
			    "logical unit");
}

const uint8_t *fg_scsi_vpd_ata_identify(const uint8_t *buf, size_t len)
{
	if (len < 60 + 512 || buf[1] != 0x89)
		return NULL;
	return buf + 60;
}

/* ---- NVMe Identify ------------------------------------------------------- */

#define NVME_IDENTIFY_LEN 4096

uint64_t fg_src_le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | b[n];
	return v;
}

static int nvme_blank(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0 && buf[i] != 0xff)
			return 0;
	return 1;
}

int fg_nvme_id_ctrl_parse(const uint8_t *buf, size_t len,
			  struct fg_nvme_id_ctrl *id, struct fg_error *err)
{
	memset(id, 0, sizeof(*id));
	if (len < NVME_IDENTIFY_LEN)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Controller data: %zu bytes, "
				    "want 4096",
				    len);
	if (nvme_blank(buf, NVME_IDENTIFY_LEN))
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Controller data is empty (all "
				    "00h or FFh)");
	id->pci_vendor_id = (unsigned)fg_src_le(buf, 2);
	/* ASCII fields padded with spaces; a NUL or a byte that is not
	 * printable is shown as such, never taken as the end. */
	fg_printable(id->serial, sizeof(id->serial), (const char *)buf + 4, 20,
		     FG_PRINTABLE_TRIM);
	fg_printable(id->model, sizeof(id->model), (const char *)buf + 24, 40,
		     FG_PRINTABLE_TRIM);
	fg_printable(id->firmware, sizeof(id->firmware), (const char *)buf + 64,
		     8, FG_PRINTABLE_TRIM);
	id->namespaces = (uint32_t)fg_src_le(buf + 516, 4);
	if (id->model[0] == '\0' && id->serial[0] == '\0')
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Controller data: no model and "
				    "no serial number");
	return FG_OK;
}

int fg_nvme_id_ns_parse(const uint8_t *buf, size_t len,
			struct fg_nvme_id_ns *ns, struct fg_error *err)
{
	unsigned nlbaf, flbas, lbads;
	const uint8_t *f;

	memset(ns, 0, sizeof(*ns));
	if (len < NVME_IDENTIFY_LEN)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Namespace data: %zu bytes, "
				    "want 4096",
				    len);
	ns->size_blocks = fg_src_le(buf, 8);
	ns->capacity_blocks = fg_src_le(buf + 8, 8);
	if (ns->size_blocks == 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Namespace data: size 0 (an "
				    "inactive namespace)");
	nlbaf = buf[25]; /* 0-based: nlbaf + 1 formats */
	flbas = buf[26];
	ns->format_index = flbas & 0x0f;
	if (nlbaf >= 16)
		ns->format_index |= ((flbas >> 5) & 0x03) << 4;
	if (ns->format_index > nlbaf || ns->format_index >= 64)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Namespace data: the format in "
				    "use (%u) is not among the %u listed",
				    ns->format_index, nlbaf + 1);
	f = buf + 128 + 4 * ns->format_index;
	ns->metadata_size = (unsigned)fg_src_le(f, 2);
	lbads = f[2];
	if (lbads < 9 || lbads > 21)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Namespace data: block size "
				    "2^%u is not 512 B-2 MiB",
				    lbads);
	ns->block_size = (uint32_t)1 << lbads;
	if (ns->size_blocks > UINT64_MAX / ns->block_size)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "Identify Namespace data: size %llu "
				    "blocks of %u bytes overflows",
				    (unsigned long long)ns->size_blocks,
				    ns->block_size);
	/* An identifier of all zeros is one the controller does not give. */
	if (fg_src_le(buf + 104, 8) != 0 || fg_src_le(buf + 112, 8) != 0)
		hex_id(buf + 104, 16, ns->nguid, sizeof(ns->nguid));
	if (fg_src_le(buf + 120, 8) != 0)
		hex_id(buf + 120, 8, ns->eui64, sizeof(ns->eui64));
	return FG_OK;
}

/* ---- Commands ----------------------------------------------------------- */

int fg_sat_build_cdb(uint8_t cdb[16], enum fg_ata_cmd cmd)
{
	memset(cdb, 0, 16);
	cdb[0] = 0x85;	/* ATA PASS-THROUGH(16) */
	cdb[13] = 0x40; /* device: LBA mode */
	switch (cmd) {
	case FG_ATA_IDENTIFY:
	case FG_ATA_DCO_IDENTIFY:
		cdb[1] = 4 << 1; /* PIO data-in */
		/* T_DIR from device, BYT_BLOK blocks, T_LENGTH in COUNT */
		cdb[2] = 0x0e;
		cdb[6] = 1;
		if (cmd == FG_ATA_IDENTIFY) {
			cdb[14] = 0xec;
		} else {
			cdb[4] = 0xc2;
			cdb[14] = 0xb1;
		}
		return FG_OK;
	case FG_ATA_SMART_READ_DATA:
	case FG_ATA_SMART_READ_ERROR_LOG:
		cdb[1] = 4 << 1; /* PIO data-in, one sector */
		cdb[2] = 0x0e;
		cdb[6] = 1;
		cdb[4] = cmd == FG_ATA_SMART_READ_DATA ? 0xd0 : 0xd5;
		cdb[8] = cmd == FG_ATA_SMART_READ_DATA ? 0x00 : 0x01;
		cdb[10] = 0x4f; /* the SMART signature in LBA mid/high */
		cdb[12] = 0xc2;
		cdb[14] = 0xb0;
		return FG_OK;
	case FG_ATA_READ_NATIVE_MAX:
	case FG_ATA_READ_NATIVE_MAX_EXT:
		/* non-data; CK_COND so that the registers come back */
		cdb[1] = 3 << 1;
		cdb[2] = 0x20;
		if (cmd == FG_ATA_READ_NATIVE_MAX_EXT) {
			cdb[1] |= 1; /* EXTEND */
			cdb[14] = 0x27;
		} else {
			cdb[14] = 0xf8;
		}
		return FG_OK;
	}
	return FG_EINVAL;
}

int fg_sat_cdb_is_read_only(const uint8_t *cdb, size_t len)
{
	unsigned proto, tdir, cmd;

	if (len == 6 && cdb[0] == 0x12)
		return 1; /* INQUIRY */
	if (len != 16 || cdb[0] != 0x85)
		return 0;
	proto = (cdb[1] >> 1) & 0x0f;
	tdir = (cdb[2] >> 3) & 1;
	cmd = cdb[14];
	if (cmd == 0xec && proto == 4 && tdir == 1)
		return 1;
	if (cmd == 0xb1 && cdb[4] == 0xc2 && cdb[3] == 0 && proto == 4 &&
	    tdir == 1)
		return 1;
	if ((cmd == 0x27 || cmd == 0xf8) && proto == 3)
		return 1;
	/* SMART: READ DATA, or READ LOG of an error log; never ENABLE,
	 * DISABLE, SAVE ATTRIBUTE VALUES, EXECUTE OFF-LINE IMMEDIATE, WRITE
	 * LOG, ENABLE/DISABLE AUTOSAVE ... */
	if (cmd == 0xb0 && proto == 4 && tdir == 1 && cdb[3] == 0 &&
	    cdb[10] == 0x4f && cdb[12] == 0xc2 &&
	    ((cdb[4] == 0xd0 && cdb[8] == 0x00) ||
	     (cdb[4] == 0xd5 && (cdb[8] == 0x01 || cdb[8] == 0x02))))
		return 1;
	return 0;
}

int fg_nvme_admin_is_read_only(uint8_t opcode, uint32_t cdw10)
{
	/* Identify: CNS 00h namespace, 01h controller. */
	if (opcode == 0x06)
		return (cdw10 & 0xff) == 0x00 || (cdw10 & 0xff) == 0x01;
	/* Get Log Page: LID 01h or 02h, RAE (bit 15) set, LSP (bits 11:8)
	 * clear: reading clears no event the controller holds. */
	if (opcode == 0x02)
		return ((cdw10 & 0xff) == 0x01 || (cdw10 & 0xff) == 0x02) &&
		       (cdw10 & 0x8000) != 0 && (cdw10 & 0x0f00) == 0;
	return 0;
}

/* ---- HPA / DCO ------------------------------------------------------- */

struct keyed {
	struct fg_record *rec;
	const char *prefix;
	int rc;
};

static void k_str(struct keyed *k, const char *key, const char *v)
{
	char full[160];

	snprintf(full, sizeof(full), "%s%s", k->prefix, key);
	k->rc |= fg_record_set_str(k->rec, full, v);
}

static void k_int(struct keyed *k, const char *key, uint64_t v)
{
	char full[160];

	snprintf(full, sizeof(full), "%s%s", k->prefix, key);
	k->rc |= fg_record_set_int(k->rec, full, (int64_t)v);
}

static void k_null(struct keyed *k, const char *key)
{
	char full[160];

	snprintf(full, sizeof(full), "%s%s", k->prefix, key);
	k->rc |= fg_record_set_null(k->rec, full);
}

int fg_hpa_dco_record(struct fg_record *rec, const char *prefix,
		      const struct fg_ata_identify *id, uint64_t native_max_lba,
		      const char *why_native, uint64_t dco_max_lba,
		      const char *why_dco)
{
	struct keyed k = {rec, prefix, FG_OK};
	uint64_t native = 0; /* sectors, 0 unknown */

	if (id == NULL) {
		k_null(&k, "hpa.state");
		k_str(&k, "hpa.note", why_native);
		k_null(&k, "dco.state");
		k_str(&k, "dco.note", why_native);
		return k.rc != FG_OK ? FG_ENOMEM : FG_OK;
	}
	k_int(&k, "hpa.user_addressable_sectors", id->user_sectors);
	if (!id->hpa_supported) {
		k_str(&k, "hpa.state", "not supported");
		k_str(&k, "hpa.note",
		      "the drive does not support the Host "
		      "Protected Area feature set");
		native = id->user_sectors;
	} else if (native_max_lba == FG_UNKNOWN_LBA) {
		k_null(&k, "hpa.state");
		k_null(&k, "hpa.native_max_sectors");
		k_str(&k, "hpa.note", why_native);
	} else {
		native = native_max_lba + 1;
		k_int(&k, "hpa.native_max_sectors", native);
		if (native > id->user_sectors) {
			k_str(&k, "hpa.state", "present");
			k_int(&k, "hpa.hidden_sectors",
			      native - id->user_sectors);
			k_int(&k, "hpa.hidden_first_lba", id->user_sectors);
		} else if (native == id->user_sectors) {
			k_str(&k, "hpa.state", "absent");
			k_int(&k, "hpa.hidden_sectors", 0);
		} else {
			k_null(&k, "hpa.state");
			k_str(&k, "hpa.note",
			      "inconsistent answers: the native maximum is "
			      "below the user-addressable size");
			native = 0;
		}
	}
	if (!id->dco_supported) {
		k_str(&k, "dco.state", "not supported");
		k_str(&k, "dco.note",
		      "the drive does not support the Device "
		      "Configuration Overlay feature set");
	} else if (dco_max_lba == FG_UNKNOWN_LBA) {
		k_null(&k, "dco.state");
		k_null(&k, "dco.factory_max_sectors");
		k_str(&k, "dco.note", why_dco);
	} else {
		uint64_t factory = dco_max_lba + 1;
		k_int(&k, "dco.factory_max_sectors", factory);
		if (native == 0) {
			k_null(&k, "dco.state");
			k_str(&k, "dco.note",
			      "cannot compare: the native maximum address "
			      "is unknown");
		} else if (factory > native) {
			k_str(&k, "dco.state", "present");
			k_int(&k, "dco.hidden_sectors", factory - native);
			k_int(&k, "dco.hidden_first_lba", native);
		} else if (factory == native) {
			k_str(&k, "dco.state", "absent");
			k_int(&k, "dco.hidden_sectors", 0);
		} else {
			k_null(&k, "dco.state");
			k_str(&k, "dco.note",
			      "inconsistent answers: the factory maximum is "
			      "below the native maximum");
		}
	}
	return k.rc != FG_OK ? FG_ENOMEM : FG_OK;
}

/* ---- udev --------------------------------------------------------------- */

int fg_udev_lookup(const char *text, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t ll = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (ll > kl + 3 && p[0] == 'E' && p[1] == ':' &&
		    memcmp(p + 2, key, kl) == 0 && p[2 + kl] == '=') {
			fg_printable(out, outlen, p + 3 + kl, ll - 3 - kl,
				     FG_PRINTABLE_KEEP_BACKSLASH);
			return 0;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	return -1;
}
