/* test_identity.c - device identity: the parsers of ATA IDENTIFY DEVICE,
 * DCO IDENTIFY, SAT sense data and SCSI INQUIRY/VPD pages, the read-only
 * command list, the HPA/DCO assessment, udev's database, and the whole
 * describe() against fake sysfs trees.
 *
 * The byte buffers here are canned, and sim_answer() plays a drive behind
 * SG_IO: they stand in for physical drives (SATA behind libata, a USB
 * bridge, drives with an HPA or a DCO, a frozen DCO), which cannot be
 * attached to the test machine.  They are built field by field
 * from the ATA (ACS-3), SAT-4 and SPC-5 layouts, so each test says which
 * word or byte it is about. */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include <forage/health.h>
#include <forage/identity.h>
#include <forage/record.h>

#include "unit.h"

/* ---- Canned data -------------------------------------------------------- */

static void put_word(uint8_t *b, unsigned i, unsigned v)
{
	b[2 * i] = (uint8_t)(v & 0xff);
	b[2 * i + 1] = (uint8_t)(v >> 8);
}

/* ATA strings: two characters a word, the first in the high byte, padded
 * with spaces. */
static void put_string(uint8_t *b, unsigned first, unsigned nwords,
		       const char *s)
{
	unsigned i;
	size_t n = strlen(s);

	for (i = 0; i < 2 * nwords; i++) {
		char c = i < n ? s[i] : ' ';
		b[2 * first + (i ^ 1)] = (uint8_t)c;
	}
}

/* The last byte makes the 512 sum to 0. */
static void seal_sum(uint8_t *b)
{
	uint8_t sum = 0;
	unsigned i;

	b[511] = 0;
	for (i = 0; i < 511; i++)
		sum = (uint8_t)(sum + b[i]);
	b[511] = (uint8_t)(0x100 - sum);
}

/* IDENTIFY's integrity word: the A5h signature, then the sum. */
static void seal(uint8_t *b)
{
	b[510] = 0xa5;
	seal_sum(b);
}

/* A 500 GB 512e SATA disk with HPA and DCO features, 7200 rpm. */
static void make_identify(uint8_t *b)
{
	memset(b, 0, 512);
	put_word(b, 0, 0x0040);
	put_string(b, 10, 10, "     WD-WCC2EAF12345");
	put_string(b, 23, 4, "15.01H15");
	put_string(b, 27, 20, "WDC WD5000AAKX-00ERMA0");
	put_word(b, 49, 0x2f00); /* LBA supported */
	put_word(b, 60, 0xffff); /* 28-bit: capped at 0x0fffffff */
	put_word(b, 61, 0x0fff);
	put_word(b, 76, 0x0f0e); /* SATA capabilities */
	put_word(b, 82, 0x746b); /* bit 10 HPA, bit 1 security */
	put_word(b, 83, 0x7f61 | (1u << 10) | (1u << 11)); /* LBA48, DCO */
	put_word(b, 84, 0x4163);			   /* bit 8: WWN */
	put_word(b, 85, 0x7469 | (1u << 10));		   /* HPA enabled */
	put_word(b, 100, 0x6030); /* 976773168 = 0x3A386030 */
	put_word(b, 101, 0x3a38);
	put_word(b, 106, 0x6003); /* 4 logical per physical */
	put_word(b, 108, 0x5001);
	put_word(b, 109, 0x4ee0);
	put_word(b, 110, 0x0012);
	put_word(b, 111, 0x3456);
	put_word(b, 128, 0x0021 | 0x0008); /* supported, frozen */
	put_word(b, 217, 7200);
	put_word(b, 222, 0x101f); /* serial transport */
	seal(b);
}

static void test_ata_identify(void)
{
	uint8_t b[512];
	struct fg_ata_identify id;
	struct fg_error err;

	make_identify(b);
	CHECK_MSG(fg_ata_identify_parse(b, 512, &id, &err) == FG_OK, &err);
	CHECK_STR(id.model, "WDC WD5000AAKX-00ERMA0");
	CHECK_STR(id.serial, "WD-WCC2EAF12345");
	CHECK_STR(id.firmware, "15.01H15");
	CHECK(id.checksum == 1);
	CHECK(id.lba48 == 1);
	CHECK(id.user_sectors == 976773168u);
	CHECK(id.logical_sector_size == 512);
	CHECK(id.physical_sector_size == 4096);
	CHECK_STR(id.wwn, "0x50014ee000123456");
	CHECK(id.rotation_rate == 7200);
	CHECK(id.serial_ata == 1);
	CHECK(id.hpa_supported == 1 && id.hpa_enabled == 1);
	CHECK(id.dco_supported == 1);
	CHECK(id.security_supported == 1 && id.security_frozen == 1);
	CHECK(id.security_locked == 0 && id.security_enabled == 0);

	/* A 28-bit drive: words 60-61, no WWN, an SSD, no checksum. */
	memset(b, 0, sizeof(b));
	put_string(b, 27, 20, "OLD DISK");
	put_word(b, 60, 0x3880); /* 80000 = 0x13880 */
	put_word(b, 61, 0x0001);
	put_word(b, 83, 0x4000);
	put_word(b, 217, 1);
	CHECK_MSG(fg_ata_identify_parse(b, 512, &id, &err) == FG_OK, &err);
	CHECK(id.lba48 == 0);
	CHECK(id.user_sectors == 80000);
	CHECK(id.checksum == -1);
	CHECK_STR(id.wwn, "");
	CHECK(id.rotation_rate == 1);
	CHECK(id.hpa_supported == 0 && id.dco_supported == 0);
	CHECK(id.serial_ata == -1);

	/* A 4Kn drive: word 106 bit 12, words 117-118 = 2048 words. */
	make_identify(b);
	put_word(b, 106, 0x5000);
	put_word(b, 117, 2048);
	put_word(b, 118, 0);
	seal(b);
	CHECK_MSG(fg_ata_identify_parse(b, 512, &id, &err) == FG_OK, &err);
	CHECK(id.logical_sector_size == 4096);
	CHECK(id.physical_sector_size == 4096);

	/* Bytes that are not printable ASCII are kept, escaped. */
	make_identify(b);
	put_string(b, 27, 20, "BAD\x01MODEL\xe9");
	seal(b);
	CHECK_MSG(fg_ata_identify_parse(b, 512, &id, &err) == FG_OK, &err);
	CHECK_STR(id.model, "BAD\\x01MODEL\\xe9");
	/* A backslash is escaped too, so every \xHH is one byte. */
	make_identify(b);
	put_string(b, 27, 20, "A\\B");
	seal(b);
	CHECK_MSG(fg_ata_identify_parse(b, 512, &id, &err) == FG_OK, &err);
	CHECK_STR(id.model, "A\\x5cB");

	/* A wrong checksum is corruption, not a drive. */
	make_identify(b);
	b[54] ^= 0x20;
	CHECK(fg_ata_identify_parse(b, 512, &id, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "checksum") != NULL);
	/* Empty, short, ATAPI. */
	memset(b, 0, sizeof(b));
	CHECK(fg_ata_identify_parse(b, 512, &id, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "empty") != NULL);
	CHECK(fg_ata_identify_parse(b, 100, &id, &err) == FG_EFORMAT);
	put_word(b, 0, 0x8580);
	put_string(b, 27, 20, "DVD");
	CHECK(fg_ata_identify_parse(b, 512, &id, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "not an ATA device") != NULL);
}

static void test_dco(void)
{
	uint8_t b[512];
	uint64_t max = 0;
	struct fg_error err;

	memset(b, 0, sizeof(b));
	put_word(b, 0, 0x0002);
	put_word(b, 3, 0x602f); /* 976773167 = 0x3A38602F */
	put_word(b, 4, 0x3a38);
	seal(b);
	CHECK_MSG(fg_ata_dco_parse(b, 512, &max, &err) == FG_OK, &err);
	CHECK(max == 976773167u);
	b[8] ^= 1;
	CHECK(fg_ata_dco_parse(b, 512, &max, &err) == FG_EFORMAT);
	memset(b, 0, sizeof(b));
	CHECK(fg_ata_dco_parse(b, 512, &max, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "revision") != NULL);
}

static void test_sense(void)
{
	/* Descriptor format, ATA Status Return descriptor: READ NATIVE MAX
	 * ADDRESS EXT answered 0x3A386FFF (976777215): LBA 7:0 in byte 7,
	 * 15:8 in 9, 23:16 in 11, 31:24 in 6, 39:32 in 8, 47:40 in 10. */
	const uint8_t d[] = {0x72, 0x01, 0x00, 0x1d, 0,	   0,	 0,    14,
			     0x09, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x3a, 0xff,
			     0x00, 0x6f, 0x00, 0x38, 0x40, 0x50};
	/* Fixed format, 28-bit: LBA 0x0ABCDEF (device bits 27:24 = 0). */
	uint8_t f[18] = {0x70, 0,    0x01, 0x00, 0x50, 0x40, 0, 10, 0x00,
			 0xef, 0xcd, 0xab, 0x00, 0x1d, 0,    0, 0,  0};
	const uint8_t junk[] = {0x70, 0, 0x05, 0,    0,	   0, 0, 10, 0,
				0,    0, 0,    0x24, 0x00, 0, 0, 0,  0};
	struct fg_ata_return r;
	struct fg_error err;

	CHECK_MSG(fg_ata_return_parse(d, sizeof(d), 1, &r, &err) == FG_OK,
		  &err);
	CHECK(r.lba == 976777215u);
	CHECK(r.status == 0x50 && r.error == 0 && r.device == 0x40);
	CHECK_MSG(fg_ata_return_parse(f, sizeof(f), 0, &r, &err) == FG_OK,
		  &err);
	CHECK(r.lba == 0x0abcdef);
	CHECK(r.status == 0x50);
	/* Fixed format cannot carry LBA bits 47:24. */
	f[8] = 0xa0;
	CHECK(fg_ata_return_parse(f, sizeof(f), 1, &r, &err) == FG_EFORMAT);
	CHECK(fg_ata_return_parse(junk, sizeof(junk), 1, &r, &err) ==
	      FG_EFORMAT);
	CHECK(fg_ata_return_parse(d, 5, 1, &r, &err) == FG_EFORMAT);
}

static void test_scsi(void)
{
	uint8_t inq[36] = {0x00, 0x80, 0x06, 0x02, 31, 0, 0, 0};
	const uint8_t pg80[] = {0x00, 0x80, 0x00, 0x0c, ' ', ' ', 'S', 'N',
				'1',  '2',  '3',  '4',	'5', '6', ' ', ' '};
	/* A T10 vendor designator, a port NAA (association 1), then the
	 * logical unit's NAA (type 3, binary, association 0). */
	const uint8_t pg83[] = {0x00, 0x83, 0x00, 0x28, 0x02, 0x01, 0x00, 0x08,
				'A',  'T',  'A',  ' ',	' ',  ' ',  ' ',  ' ',
				0x01, 0x13, 0x00, 0x08, 1,    2,    3,	  4,
				5,    6,    7,	  8,	0x01, 0x03, 0x00, 0x08,
				0x50, 0x00, 0xc5, 0x00, 0x12, 0x34, 0xab, 0xcd};
	uint8_t pg89[60 + 512];
	struct fg_scsi_inquiry q;
	struct fg_error err;
	char out[80];

	memcpy(inq + 8, "JetFlashTranscend 16GB  1100", 28);
	CHECK_MSG(fg_scsi_inquiry_parse(inq, sizeof(inq), &q, &err) == FG_OK,
		  &err);
	CHECK(q.peripheral_type == 0 && q.removable == 1);
	CHECK_STR(q.vendor, "JetFlash");
	CHECK_STR(q.product, "Transcend 16GB");
	CHECK_STR(q.revision, "1100");
	CHECK(fg_scsi_inquiry_parse(inq, 20, &q, &err) == FG_EFORMAT);
	inq[0] = 0x7f; /* no logical unit */
	CHECK(fg_scsi_inquiry_parse(inq, sizeof(inq), &q, &err) == FG_EFORMAT);

	CHECK_MSG(fg_scsi_vpd_serial_parse(pg80, sizeof(pg80), out, sizeof(out),
					   &err) == FG_OK,
		  &err);
	CHECK_STR(out, "SN123456");
	CHECK(fg_scsi_vpd_serial_parse(pg83, sizeof(pg83), out, sizeof(out),
				       &err) == FG_EFORMAT);

	CHECK_MSG(fg_scsi_vpd_naa_parse(pg83, sizeof(pg83), out, sizeof(out),
					&err) == FG_OK,
		  &err);
	CHECK_STR(out, "0x5000c5001234abcd");
	CHECK(fg_scsi_vpd_naa_parse(pg83, 20, out, sizeof(out), &err) ==
	      FG_EFORMAT);

	memset(pg89, 0, sizeof(pg89));
	pg89[1] = 0x89;
	CHECK(fg_scsi_vpd_ata_identify(pg89, sizeof(pg89)) == pg89 + 60);
	CHECK(fg_scsi_vpd_ata_identify(pg89, 300) == NULL);
	pg89[1] = 0x80;
	CHECK(fg_scsi_vpd_ata_identify(pg89, sizeof(pg89)) == NULL);
}

static void test_commands(void)
{
	const uint8_t identify[16] = {0x85, 0x08, 0x0e, 0, 0, 0,    1,	  0,
				      0,    0,	  0,	0, 0, 0x40, 0xec, 0};
	const uint8_t nmax_ext[16] = {0x85, 0x07, 0x20, 0, 0, 0,    0,	  0,
				      0,    0,	  0,	0, 0, 0x40, 0x27, 0};
	const uint8_t nmax[16] = {0x85, 0x06, 0x20, 0, 0, 0,	0,    0,
				  0,	0,    0,    0, 0, 0x40, 0xf8, 0};
	const uint8_t dco[16] = {0x85, 0x08, 0x0e, 0, 0xc2, 0,	  1,	0,
				 0,    0,    0,	   0, 0,    0x40, 0xb1, 0};
	const uint8_t inquiry[6] = {0x12, 0, 0, 0, 96, 0};
	uint8_t cdb[16];
	/* Commands that write or change a drive: never sent. */
	static const struct {
		uint8_t cmd, feature, proto;
	} bad[] = {
	    {0xca, 0, 5},    /* WRITE DMA */
	    {0x35, 0, 6},    /* WRITE DMA EXT */
	    {0x30, 0, 5},    /* WRITE SECTORS */
	    {0xf9, 0, 3},    /* SET MAX ADDRESS */
	    {0x37, 0, 3},    /* SET MAX ADDRESS EXT */
	    {0xb1, 0xc3, 5}, /* DEVICE CONFIGURATION SET */
	    {0xb1, 0xc0, 3}, /* DEVICE CONFIGURATION RESTORE */
	    {0xb1, 0xc1, 3}, /* DEVICE CONFIGURATION FREEZE LOCK */
	    {0xf4, 0, 5},    /* SECURITY ERASE UNIT */
	    {0xf2, 0, 5},    /* SECURITY UNLOCK */
	    {0x06, 0, 5},    /* DATA SET MANAGEMENT (TRIM) */
	    {0xec, 0, 5},    /* IDENTIFY, but as PIO data-out */
	};
	size_t i;

	CHECK(fg_sat_build_cdb(cdb, FG_ATA_IDENTIFY) == FG_OK);
	CHECK(memcmp(cdb, identify, 16) == 0);
	CHECK(fg_sat_build_cdb(cdb, FG_ATA_READ_NATIVE_MAX_EXT) == FG_OK);
	CHECK(memcmp(cdb, nmax_ext, 16) == 0);
	CHECK(fg_sat_build_cdb(cdb, FG_ATA_READ_NATIVE_MAX) == FG_OK);
	CHECK(memcmp(cdb, nmax, 16) == 0);
	CHECK(fg_sat_build_cdb(cdb, FG_ATA_DCO_IDENTIFY) == FG_OK);
	CHECK(memcmp(cdb, dco, 16) == 0);
	CHECK(fg_sat_cdb_is_read_only(identify, 16));
	CHECK(fg_sat_cdb_is_read_only(nmax_ext, 16));
	CHECK(fg_sat_cdb_is_read_only(nmax, 16));
	CHECK(fg_sat_cdb_is_read_only(dco, 16));
	CHECK(fg_sat_cdb_is_read_only(inquiry, 6));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(cdb, identify, 16);
		cdb[1] = (uint8_t)(bad[i].proto << 1);
		cdb[2] = bad[i].proto == 5 ? 0x06 : 0x20;
		cdb[4] = bad[i].feature;
		cdb[14] = bad[i].cmd;
		CHECK(!fg_sat_cdb_is_read_only(cdb, 16));
	}
	{
		/* SCSI commands that write, and ATA PASS-THROUGH(12). */
		const uint8_t w10[10] = {0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0};
		const uint8_t ata12[12] = {0xa1, 0x08, 0x0e, 0,	   1, 0,
					   0,	 0,    0x40, 0xec, 0, 0};
		const uint8_t unmap[6] = {0x04, 0, 0, 0, 0, 0}; /* FORMAT */
		CHECK(!fg_sat_cdb_is_read_only(w10, 10));
		CHECK(!fg_sat_cdb_is_read_only(ata12, 12));
		CHECK(!fg_sat_cdb_is_read_only(unmap, 6));
		CHECK(!fg_sat_cdb_is_read_only(identify, 12));
	}
}

/* NVMe Identify Controller / Namespace data, crafted: fields padded with
 * spaces or NULs or not terminated at all, hostile bytes, sizes short of
 * 4096, formats past the list, block sizes out of range. */
static void put_le(uint8_t *b, size_t at, uint64_t v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		b[at + i] = (uint8_t)(v >> (8 * i));
}

static void test_nvme_identify(void)
{
	static uint8_t b[4096 + 16];
	struct fg_nvme_id_ctrl id;
	struct fg_nvme_id_ns ns;
	struct fg_error err;

	/* Controller: SN space-padded, MN filling all 40 bytes (no NUL),
	 * FR padded with NULs. */
	memset(b, 0, sizeof(b));
	put_le(b, 0, 0x1b36, 2);
	memcpy(b + 4, "FGNVME01            ", 20);
	memcpy(b + 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789WXYZ", 40);
	memcpy(b + 64, "7.2\0\0\0\0\0", 8);
	b[72] = 'X'; /* the byte after FR is not part of it */
	put_le(b, 516, 256, 4);
	CHECK(fg_nvme_id_ctrl_parse(b, 4096, &id, &err) == FG_OK);
	CHECK_STR(id.serial, "FGNVME01");
	CHECK_STR(id.model, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789WXYZ");
	CHECK_STR(id.firmware, "7.2");
	CHECK(id.pci_vendor_id == 0x1b36);
	CHECK(id.namespaces == 256);
	/* A NUL inside, control bytes and a quote: shown, not cut. */
	memcpy(b + 24, "EVIL\0DISK\x1b[2J\"                         ", 40);
	CHECK(fg_nvme_id_ctrl_parse(b, 4096, &id, &err) == FG_OK);
	CHECK_STR(id.model, "EVIL\\x00DISK\\x1b[2J\"");
	/* Short, empty, nameless. */
	CHECK(fg_nvme_id_ctrl_parse(b, 4095, &id, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "4095 bytes") != NULL);
	CHECK(fg_nvme_id_ctrl_parse(b, 0, &id, &err) == FG_EFORMAT);
	memset(b, 0xff, 4096);
	CHECK(fg_nvme_id_ctrl_parse(b, 4096, &id, &err) == FG_EFORMAT);
	memset(b, 0, 4096);
	CHECK(fg_nvme_id_ctrl_parse(b, 4096, &id, &err) == FG_EFORMAT);
	memset(b + 4, ' ', 60);
	b[2] = 1;
	CHECK(fg_nvme_id_ctrl_parse(b, 4096, &id, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "no model") != NULL);

	/* Namespace: 5125 blocks of 4096 bytes in format 1 of 2. */
	memset(b, 0, sizeof(b));
	put_le(b, 0, 5125, 8);
	put_le(b, 8, 5125, 8);
	b[25] = 1;			  /* two formats */
	b[26] = 1;			  /* format 1 in use */
	put_le(b, 128, 9u << 16, 4);	  /* format 0: 512, no metadata */
	put_le(b, 132, 12u << 16 | 8, 4); /* format 1: 4096 + 8 */
	put_le(b, 120, 0x0011223344556677ull, 8);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_OK);
	CHECK(ns.size_blocks == 5125 && ns.capacity_blocks == 5125);
	CHECK(ns.format_index == 1 && ns.block_size == 4096);
	CHECK(ns.metadata_size == 8);
	CHECK_STR(ns.eui64, "0x7766554433221100");
	CHECK_STR(ns.nguid, "");
	/* The upper bits of FLBAS count only with more than 16 formats. */
	b[26] = 0x61;
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_OK);
	CHECK(ns.format_index == 1);
	b[25] = 63;
	put_le(b, 128 + 4 * 49, 9u << 16, 4);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_OK);
	CHECK(ns.format_index == 49 && ns.block_size == 512);
	/* A format past the list, block sizes out of range, size 0, short
	 * data, a size that overflows a byte count. */
	b[25] = 1;
	b[26] = 2;
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "not among the 2 listed") != NULL);
	b[26] = 0;
	put_le(b, 128, 8u << 16, 4);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_EFORMAT);
	put_le(b, 128, 22u << 16, 4);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_EFORMAT);
	put_le(b, 128, 0xffffffffu, 4);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_EFORMAT);
	put_le(b, 128, 21u << 16, 4);
	put_le(b, 0, UINT64_MAX / 2, 8);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "overflows") != NULL);
	put_le(b, 0, 0, 8);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "inactive") != NULL);
	put_le(b, 0, 1, 8);
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_OK);
	CHECK(fg_nvme_id_ns_parse(b, 512, &ns, &err) == FG_EFORMAT);
	/* NGUID. */
	b[119] = 0xab;
	CHECK(fg_nvme_id_ns_parse(b, 4096, &ns, &err) == FG_OK);
	CHECK_STR(ns.nguid, "0x000000000000000000000000000000ab");

	/* Only Identify of a namespace or the controller is sent. */
	CHECK(fg_nvme_admin_is_read_only(0x06, 0x00));
	CHECK(fg_nvme_admin_is_read_only(0x06, 0x01));
	CHECK(!fg_nvme_admin_is_read_only(0x06, 0x15)); /* not asked */
	CHECK(!fg_nvme_admin_is_read_only(0x80, 0));	/* Format NVM */
	CHECK(!fg_nvme_admin_is_read_only(0x84, 0));	/* Sanitize */
	CHECK(!fg_nvme_admin_is_read_only(0x09, 0));	/* Set Features */
	CHECK(!fg_nvme_admin_is_read_only(0x11, 0));	/* Firmware Download */
	CHECK(!fg_nvme_admin_is_read_only(0x0d, 0));	/* Namespace Mgmt */
}

static void test_hpa_dco(void)
{
	uint8_t b[512];
	struct fg_ata_identify id;
	struct fg_record *r = NULL;
	struct fg_error err;
	int64_t v = 0;

	make_identify(b);
	CHECK_MSG(fg_ata_identify_parse(b, 512, &id, &err) == FG_OK, &err);

	/* An HPA of 4048 sectors and a DCO of 1000 more. */
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_hpa_dco_record(r, "s.", &id, 976777215u, NULL, 976778215u,
				NULL) == FG_OK);
	CHECK_STR(fg_record_get_str(r, "s.hpa.state"), "present");
	CHECK(fg_record_get_int(r, "s.hpa.hidden_sectors", &v) == FG_OK &&
	      v == 4048);
	CHECK(fg_record_get_int(r, "s.hpa.hidden_first_lba", &v) == FG_OK &&
	      v == 976773168);
	CHECK(fg_record_get_int(r, "s.hpa.native_max_sectors", &v) == FG_OK &&
	      v == 976777216);
	CHECK_STR(fg_record_get_str(r, "s.dco.state"), "present");
	CHECK(fg_record_get_int(r, "s.dco.hidden_sectors", &v) == FG_OK &&
	      v == 1000);
	fg_record_free(r);

	/* Neither. */
	CHECK(fg_record_new(&r) == FG_OK);
	fg_hpa_dco_record(r, "s.", &id, 976773167u, NULL, 976773167u, NULL);
	CHECK_STR(fg_record_get_str(r, "s.hpa.state"), "absent");
	CHECK_STR(fg_record_get_str(r, "s.dco.state"), "absent");
	fg_record_free(r);

	/* Unknown stays unknown, with the reason; never "absent". */
	CHECK(fg_record_new(&r) == FG_OK);
	fg_hpa_dco_record(r, "s.", &id, UINT64_MAX, "no answer", UINT64_MAX,
			  "DCO frozen");
	CHECK(fg_record_get_str(r, "s.hpa.state") == NULL);
	CHECK_STR(fg_record_get_str(r, "s.hpa.note"), "no answer");
	CHECK(fg_record_get_str(r, "s.dco.state") == NULL);
	CHECK_STR(fg_record_get_str(r, "s.dco.note"), "DCO frozen");
	fg_record_free(r);

	/* A DCO answer cannot be judged without the native maximum. */
	CHECK(fg_record_new(&r) == FG_OK);
	fg_hpa_dco_record(r, "s.", &id, UINT64_MAX, "no answer", 976778215u,
			  NULL);
	CHECK(fg_record_get_str(r, "s.dco.state") == NULL);
	CHECK(fg_record_get_int(r, "s.dco.factory_max_sectors", &v) == FG_OK &&
	      v == 976778216);
	fg_record_free(r);

	/* Features the drive does not have. */
	id.hpa_supported = 0;
	id.dco_supported = 0;
	CHECK(fg_record_new(&r) == FG_OK);
	fg_hpa_dco_record(r, "s.", &id, UINT64_MAX, NULL, UINT64_MAX, NULL);
	CHECK_STR(fg_record_get_str(r, "s.hpa.state"), "not supported");
	CHECK_STR(fg_record_get_str(r, "s.dco.state"), "not supported");
	fg_record_free(r);

	/* No ATA drive at all. */
	CHECK(fg_record_new(&r) == FG_OK);
	fg_hpa_dco_record(r, "s.", NULL, UINT64_MAX, "a loop device",
			  UINT64_MAX, NULL);
	CHECK(fg_record_get_str(r, "s.hpa.state") == NULL);
	CHECK_STR(fg_record_get_str(r, "s.hpa.note"), "a loop device");
	fg_record_free(r);
}

static void test_udev(void)
{
	const char *db = "S:disk/by-id/ata-WDC_WD5000AAKX\n"
			 "I:1234\n"
			 "E:ID_BUS=ata\n"
			 "E:ID_MODEL=WDC_WD5000AAKX-00ERMA0\n"
			 "E:ID_MODEL_ENC=WDC\\x20WD5000AAKX\n"
			 "E:ID_SERIAL_SHORT=WD-WCC2EAF12345\n"
			 "G:systemd";
	char out[128];

	CHECK(fg_udev_lookup(db, "ID_BUS", out, sizeof(out)) == 0);
	CHECK_STR(out, "ata");
	CHECK(fg_udev_lookup(db, "ID_MODEL", out, sizeof(out)) == 0);
	CHECK_STR(out, "WDC_WD5000AAKX-00ERMA0");
	CHECK(fg_udev_lookup(db, "ID_SERIAL_SHORT", out, sizeof(out)) == 0);
	CHECK_STR(out, "WD-WCC2EAF12345");
	CHECK(fg_udev_lookup(db, "ID_SERIAL", out, sizeof(out)) == -1);
	CHECK(fg_udev_lookup(db, "ID_WWN", out, sizeof(out)) == -1);
	CHECK(fg_udev_lookup("", "ID_BUS", out, sizeof(out)) == -1);
}

/* ---- Fake sysfs trees -------------------------------------------------- */

static void mkdirs(const char *path)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	if (system(cmd) != 0)
		exit(99);
}

static void put_file(const char *dir, const char *name, const void *data,
		     size_t len)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
}

static void put_text(const char *dir, const char *name, const char *text)
{
	put_file(dir, name, text, strlen(text));
}

static void link_to(const char *target, const char *linkpath)
{
	if (symlink(target, linkpath) != 0) {
		perror(linkpath);
		exit(99);
	}
}

/* A SATA disk behind libata (transport "ata"), the way the kernel shows
 * it: the SCSI device folder keeps INQUIRY and VPD pages 80h, 83h, 89h. */
static void make_sata_tree(void)
{
	const char *scsi = "sys/devices/pci0000:00/0000:00:1f.2/ata3/host2/"
			   "target2:0:0/2:0:0:0";
	char disk[512], part[600], q[700];
	uint8_t inq[96], pg89[60 + 512];
	const uint8_t pg80[] = {0x00, 0x80, 0x00, 0x14, ' ', ' ', ' ', ' ',
				' ',  'W',  'D',  '-',	'W', 'C', 'C', '2',
				'E',  'A',  'F',  '1',	'2', '3', '4', '5'};

	snprintf(disk, sizeof(disk), "%s/block/sdb", scsi);
	snprintf(part, sizeof(part), "%s/sdb1", disk);
	snprintf(q, sizeof(q), "%s/queue", disk);
	mkdirs(part);
	mkdirs(q);
	mkdirs("sys/dev/block");
	mkdirs("sys/class/block");
	mkdirs("udev");
	put_text(scsi, "vendor", "ATA     \n");
	put_text(scsi, "model", "WDC WD5000AAKX-0\n");
	put_text(scsi, "rev", "1H15\n");
	memset(inq, 0, sizeof(inq));
	inq[2] = 6;
	inq[4] = 91;
	memcpy(inq + 8, "ATA     WDC WD5000AAKX-01H15", 28);
	put_file(scsi, "inquiry", inq, sizeof(inq));
	put_file(scsi, "vpd_pg80", pg80, sizeof(pg80));
	memset(pg89, 0, sizeof(pg89));
	pg89[1] = 0x89;
	pg89[2] = 0x02;
	pg89[3] = 0x38;
	make_identify(pg89 + 60);
	put_file(scsi, "vpd_pg89", pg89, sizeof(pg89));
	link_to("../../../2:0:0:0", "sys/devices/pci0000:00/0000:00:1f.2/"
				    "ata3/host2/target2:0:0/2:0:0:0/block/"
				    "sdb/device");
	put_text(disk, "dev", "8:16\n");
	put_text(disk, "removable", "0\n");
	put_text(disk, "ro", "0\n");
	put_text(disk, "size", "976773168\n");
	put_text(q, "rotational", "1\n");
	put_text(q, "logical_block_size", "512\n");
	put_text(q, "physical_block_size", "4096\n");
	put_text(part, "dev", "8:17\n");
	put_text(part, "partition", "1\n");
	put_text(part, "start", "2048\n");
	put_text(part, "size", "976771072\n");
	put_text(part, "ro", "0\n");
	link_to("../../devices/pci0000:00/0000:00:1f.2/ata3/host2/"
		"target2:0:0/2:0:0:0/block/sdb",
		"sys/dev/block/8:16");
	link_to("../../devices/pci0000:00/0000:00:1f.2/ata3/host2/"
		"target2:0:0/2:0:0:0/block/sdb/sdb1",
		"sys/dev/block/8:17");
	link_to("../../devices/pci0000:00/0000:00:1f.2/ata3/host2/"
		"target2:0:0/2:0:0:0/block/sdb",
		"sys/class/block/sdb");
	put_text(
	    "udev", "b8:16",
	    "E:ID_BUS=ata\nE:ID_MODEL=WDC_WD5000AAKX-00ERMA0\n"
	    "E:ID_SERIAL_SHORT=WD-WCC2EAF12345\nE:ID_WWN=0x50014ee000123456\n"
	    "E:ID_PART_TABLE_TYPE=gpt\n");
}

static void test_describe_sata(void)
{
	struct fg_record *r = NULL;
	int64_t v = 0;
	char *json;

	make_sata_tree();
	CHECK(fg_record_new(&r) == FG_OK);
	/* The partition: the identity is its disk's.  fd -1: no commands
	 * are sent, so what only a command can tell stays unknown. */
	CHECK(fg_identity_describe(r, -1, 8, 17, "sys", "udev") == FG_OK);
	CHECK_STR(fg_record_get_str(r, "source.device.name"), "sdb1");
	CHECK_STR(fg_record_get_str(r, "source.partition.disk"), "sdb");
	CHECK(fg_record_get_int(r, "source.partition.number", &v) == FG_OK &&
	      v == 1);
	CHECK(fg_record_get_int(r, "source.partition.offset_bytes", &v) ==
		  FG_OK &&
	      v == 2048 * 512);
	CHECK_STR(fg_record_get_str(r, "source.model"),
		  "WDC WD5000AAKX-00ERMA0");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.model"),
		  "ATA IDENTIFY DEVICE");
	CHECK_STR(fg_record_get_str(r, "source.ata.via"),
		  "ATA IDENTIFY DEVICE (SCSI VPD page 89h)");
	CHECK_STR(fg_record_get_str(r, "source.serial"), "WD-WCC2EAF12345");
	CHECK_STR(fg_record_get_str(r, "source.firmware_revision"), "15.01H15");
	CHECK_STR(fg_record_get_str(r, "source.vendor"), "ATA");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.vendor"),
		  "SCSI INQUIRY");
	CHECK_STR(fg_record_get_str(r, "source.wwn"), "0x50014ee000123456");
	CHECK_STR(fg_record_get_str(r, "source.transport"), "ata");
	CHECK_STR(fg_record_get_str(r, "source.scsi.product"),
		  "WDC WD5000AAKX-0");
	CHECK_STR(fg_record_get_str(r, "source.scsi.unit_serial_number"),
		  "WD-WCC2EAF12345");
	CHECK_STR(fg_record_get_str(r, "source.sysfs.model"),
		  "WDC WD5000AAKX-0");
	CHECK_STR(fg_record_get_str(r, "source.udev.ID_BUS"), "ata");
	CHECK_STR(fg_record_get_str(r, "source.udev.ID_PART_TABLE_TYPE"),
		  "gpt");
	CHECK(fg_record_get_int(r, "source.ata.user_addressable_sectors", &v) ==
		  FG_OK &&
	      v == 976773168);
	/* HPA supported, but READ NATIVE MAX was not sent: unknown. */
	CHECK(fg_record_get_str(r, "source.hpa.state") == NULL);
	CHECK(strstr(fg_record_get_str(r, "source.hpa.note"),
		     "no commands sent") != NULL);
	CHECK(fg_record_get_str(r, "source.dco.state") == NULL);
	json = fg_record_dump(r);
	CHECK(json != NULL && strstr(json, "\"rotational\": true") != NULL);
	CHECK(json != NULL && strstr(json, "\"removable\": false") != NULL);
	CHECK(json != NULL &&
	      strstr(json, "\"hpa_feature_enabled\": true") != NULL);
	free(json);
	fg_record_free(r);
}

/* A USB stick: no ATA behind it, names from INQUIRY; no udev record. */
static void test_describe_usb(void)
{
	const char *scsi = "sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/"
			   "2-1:1.0/host6/target6:0:0/6:0:0:0";
	char disk[512];
	uint8_t inq[36];
	struct fg_record *r = NULL;
	char *json;

	snprintf(disk, sizeof(disk), "%s/block/sdc", scsi);
	mkdirs(disk);
	mkdirs("sys/dev/block");
	mkdirs("udev");
	memset(inq, 0, sizeof(inq));
	inq[1] = 0x80;
	memcpy(inq + 8, "JetFlashTranscend 16GB  1100", 28);
	put_file(scsi, "inquiry", inq, sizeof(inq));
	put_text(scsi, "vendor", "JetFlash\n");
	put_text(scsi, "model", "Transcend 16GB  \n");
	link_to("../../../6:0:0:0", "sys/devices/pci0000:00/0000:00:14.0/"
				    "usb2/2-1/2-1:1.0/host6/target6:0:0/"
				    "6:0:0:0/block/sdc/device");
	put_text(disk, "dev", "8:32\n");
	put_text(disk, "removable", "1\n");
	link_to("../../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/"
		"host6/target6:0:0/6:0:0:0/block/sdc",
		"sys/dev/block/8:32");
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_identity_describe(r, -1, 8, 32, "sys", "udev") == FG_OK);
	CHECK_STR(fg_record_get_str(r, "source.transport"), "usb");
	CHECK_STR(fg_record_get_str(r, "source.model"), "Transcend 16GB");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.model"),
		  "SCSI INQUIRY");
	CHECK_STR(fg_record_get_str(r, "source.vendor"), "JetFlash");
	/* Nothing told the serial or the WWN: null, never made up. */
	CHECK(fg_record_get_str(r, "source.serial") == NULL);
	CHECK(fg_record_get_str(r, "source.wwn") == NULL);
	CHECK(fg_record_get_str(r, "source.hpa.state") == NULL);
	json = fg_record_dump(r);
	CHECK(json != NULL && strstr(json, "\"serial\": null") != NULL);
	CHECK(json != NULL && strstr(json, "\"ata\": null") != NULL);
	CHECK(json != NULL && strstr(json, "\"udev\": null") != NULL);
	CHECK(json != NULL && strstr(json, "\"removable\": true") != NULL);
	CHECK(json != NULL && strstr(json, "udev: no record") != NULL);
	free(json);
	fg_record_free(r);
}

static void test_describe_loop_and_unknown(void)
{
	const char *loop = "sys/devices/virtual/block/loop5";
	struct fg_record *r = NULL;
	int64_t v = 0;
	char *json;

	mkdirs("sys/devices/virtual/block/loop5/loop");
	mkdirs("sys/devices/virtual/block/loop5/queue");
	mkdirs("sys/dev/block");
	put_text(loop, "dev", "7:5\n");
	put_text(loop, "removable", "0\n");
	put_text(loop, "queue/rotational", "1\n");
	put_text(loop, "queue/logical_block_size", "4096\n");
	put_text(loop, "loop/backing_file", "/cases/disk image.raw\n");
	put_text(loop, "loop/offset", "1048576\n");
	put_text(loop, "loop/sizelimit", "0\n");
	put_text(loop, "loop/dio", "1\n");
	link_to("../../devices/virtual/block/loop5", "sys/dev/block/7:5");
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_identity_describe(r, -1, 7, 5, "sys", "udev") == FG_OK);
	CHECK_STR(fg_record_get_str(r, "source.transport"), "loop");
	CHECK_STR(fg_record_get_str(r, "source.loop.backing_file"),
		  "/cases/disk image.raw");
	CHECK(fg_record_get_int(r, "source.loop.offset", &v) == FG_OK &&
	      v == 1048576);
	CHECK(fg_record_get_int(r, "source.loop.logical_sector_size", &v) ==
		  FG_OK &&
	      v == 4096);
	json = fg_record_dump(r);
	CHECK(json != NULL && strstr(json, "\"direct_io\": true") != NULL);
	/* A loop device is not a drive: rotational is not claimed. */
	CHECK(json != NULL && strstr(json, "\"rotational\": null") != NULL);
	CHECK(json != NULL && strstr(json, "\"model\": null") != NULL);
	free(json);
	fg_record_free(r);

	/* A device sysfs does not know: everything unknown. */
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_identity_describe(r, -1, 250, 99, "sys", "udev") == FG_OK);
	json = fg_record_dump(r);
	CHECK(json != NULL && strstr(json, "\"model\": null") != NULL);
	CHECK(json != NULL && strstr(json, "\"serial\": null") != NULL);
	CHECK(json != NULL && strstr(json, "sysfs does not know block device "
					   "250:99") != NULL);
	free(json);
	fg_record_free(r);
}

/* ---- A simulated drive ---------------------------------------------- */

/* The drive behind SG_IO: answers INQUIRY (standard, VPD 80h and 83h) and,
 * through SAT, IDENTIFY DEVICE, READ NATIVE MAX ADDRESS (EXT) and DCO
 * IDENTIFY, as a drive with the settings below would. */
struct sim {
	int ioctl_errno;     /* the SG_IO ioctl itself fails */
	int passthrough;     /* 0: a bridge that refuses ATA PASS-THROUGH */
	int lba48;	     /* 0: a 28-bit drive */
	int abort_native;    /* the drive aborts READ NATIVE MAX */
	int abort_dco;	     /* the drive aborts DCO IDENTIFY (frozen) */
	uint64_t native_max; /* READ NATIVE MAX answer (last LBA) */
	uint64_t dco_max;    /* DCO factory maximum LBA */
	uint8_t seen[32];    /* opcodes, and ATA commands inside 85h */
	size_t nseen;
	int off_list; /* commands not on the read-only list */
};

/* Descriptor-format sense with an ATA Status Return descriptor. */
static size_t ata_sense(uint8_t *s, uint8_t status, uint8_t error, uint64_t lba,
			int ext)
{
	memset(s, 0, 22);
	s[0] = 0x72;
	s[1] = status & 1 ? 0x0b : 0x01; /* ABORTED COMMAND : RECOVERED */
	s[3] = 0x1d;
	s[7] = 14;
	s[8] = 0x09;
	s[9] = 0x0c;
	s[10] = ext ? 1 : 0;
	s[11] = error;
	s[15] = (uint8_t)lba;
	s[17] = (uint8_t)(lba >> 8);
	s[19] = (uint8_t)(lba >> 16);
	if (ext) {
		s[14] = (uint8_t)(lba >> 24);
		s[16] = (uint8_t)(lba >> 32);
		s[18] = (uint8_t)(lba >> 40);
		s[20] = 0x40;
	} else {
		s[20] = (uint8_t)(0x40 | ((lba >> 24) & 0x0f));
	}
	s[21] = status;
	return 22;
}

static size_t illegal_request(uint8_t *s)
{
	memset(s, 0, 18);
	s[0] = 0x70;
	s[2] = 0x05;
	s[7] = 10;
	s[12] = 0x20; /* INVALID COMMAND OPERATION CODE */
	return 18;
}

static int sim_answer(void *ctx, const uint8_t *cdb, size_t cdblen,
		      uint8_t *data, size_t datalen, size_t *got,
		      uint8_t *sense, size_t *sense_len)
{
	struct sim *d = ctx;
	uint8_t buf[512];

	if (!fg_sat_cdb_is_read_only(cdb, cdblen))
		d->off_list++;
	if (d->ioctl_errno)
		return -d->ioctl_errno;
	if (d->nseen < sizeof(d->seen))
		d->seen[d->nseen++] = cdb[0] == 0x85 ? cdb[14] : cdb[0];
	*got = 0;
	*sense_len = 0;
	memset(buf, 0, sizeof(buf));
	if (cdb[0] == 0x12 && !(cdb[1] & 1)) {
		memcpy(buf + 8, "ATA     WDC WD5000AAKX-01H15", 28);
		buf[4] = 31;
		*got = datalen < 36 ? datalen : 36;
	} else if (cdb[0] == 0x12 && cdb[2] == 0x80) {
		memcpy(buf, "\0\x80\0\x12   WD-WCC2EAF12345", 22);
		*got = 22;
	} else if (cdb[0] == 0x12 && cdb[2] == 0x83) {
		const uint8_t pg[] = {0, 0x83, 0,    12,   0x01, 0x03,
				      0, 8,    0x50, 0x01, 0x4e, 0xe0,
				      0, 0x12, 0x34, 0x56};
		memcpy(buf, pg, sizeof(pg));
		*got = sizeof(pg);
	} else if (cdb[0] == 0x12 || !d->passthrough) {
		*sense_len = illegal_request(sense);
		return 2;
	} else if (cdb[14] == 0xec) {
		make_identify(buf);
		if (!d->lba48) {
			put_word(buf, 83, (0x7f61 & ~0x0400u) | (1u << 11));
			put_word(buf, 60, 0x0000); /* 1048576 sectors */
			put_word(buf, 61, 0x0010);
			seal(buf);
		}
		*got = 512;
	} else if (cdb[14] == 0x27 || cdb[14] == 0xf8) {
		if (d->abort_native)
			*sense_len = ata_sense(sense, 0x51, 0x04, 0, 0);
		else
			*sense_len = ata_sense(sense, 0x50, 0, d->native_max,
					       cdb[14] == 0x27);
		return 2;
	} else if (cdb[14] == 0xb1) {
		if (d->abort_dco) {
			*sense_len = ata_sense(sense, 0x51, 0x04, 0, 0);
			return 2;
		}
		put_word(buf, 0, 0x0002);
		put_word(buf, 3, (unsigned)(d->dco_max & 0xffff));
		put_word(buf, 4, (unsigned)((d->dco_max >> 16) & 0xffff));
		put_word(buf, 5, (unsigned)((d->dco_max >> 32) & 0xffff));
		seal(buf);
		*got = 512;
	} else {
		*sense_len = illegal_request(sense);
		return 2;
	}
	memcpy(data, buf, *got < datalen ? *got : datalen);
	return 0;
}

/* A SATA disk whose sysfs keeps no INQUIRY or VPD copies, so that
 * everything is asked of the (simulated) drive. */
static void make_plain_tree(void)
{
	const char *scsi = "sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/"
			   "target0:0:0/0:0:0:0";
	char disk[512];

	snprintf(disk, sizeof(disk), "%s/block/sda", scsi);
	mkdirs(disk);
	mkdirs("sys/dev/block");
	mkdirs("udev");
	put_text(scsi, "vendor", "ATA\n");
	link_to("../../../0:0:0:0", "sys/devices/pci0000:00/0000:00:1f.2/"
				    "ata1/host0/target0:0:0/0:0:0:0/block/"
				    "sda/device");
	put_text(disk, "dev", "8:0\n");
	link_to("../../devices/pci0000:00/0000:00:1f.2/ata1/host0/"
		"target0:0:0/0:0:0:0/block/sda",
		"sys/dev/block/8:0");
}

static int seen(const struct sim *d, uint8_t op)
{
	size_t i;

	for (i = 0; i < d->nseen; i++)
		if (d->seen[i] == op)
			return 1;
	return 0;
}

static struct fg_record *ask(struct sim *d)
{
	struct fg_drive_sim sim = {sim_answer, d};
	struct fg_record *r = NULL;

	if (fg_record_new(&r) != FG_OK)
		exit(99);
	CHECK(fg_identity_describe_sim(r, &sim, 8, 0, "sys", "udev") == FG_OK);
	CHECK(d->off_list == 0);
	return r;
}

/* A raw page in the record: from, bytes, and the SHA-256 and base64 of
 * exactly want (computed here with OpenSSL's own encoder and digest). */
static void check_raw(struct fg_record *r, const char *key, const char *from,
		      const uint8_t *want, size_t len)
{
	char k[160], hex[65], b64[1024];
	unsigned char md[32];
	unsigned int mdlen = 0;
	int64_t v = 0;
	unsigned i;

	snprintf(k, sizeof(k), "%s.from", key);
	CHECK_STR(fg_record_get_str(r, k), from);
	snprintf(k, sizeof(k), "%s.bytes", key);
	CHECK(fg_record_get_int(r, k, &v) == FG_OK && v == (int64_t)len);
	CHECK(EVP_Digest(want, len, md, &mdlen, EVP_sha256(), NULL) == 1);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(k, sizeof(k), "%s.sha256", key);
	CHECK_STR(fg_record_get_str(r, k), hex);
	EVP_EncodeBlock((unsigned char *)b64, want, (int)len);
	snprintf(k, sizeof(k), "%s.base64", key);
	CHECK_STR(fg_record_get_str(r, k), b64);
}

static void test_drive_hpa_dco(void)
{
	/* 976773168 user sectors; 4048 more behind an HPA; 1000 more
	 * behind a DCO. */
	struct sim d = {0, 1, 1, 0, 0, 976777215u, 976778215u, {0}, 0, 0};
	struct fg_record *r;
	int64_t v = 0;

	make_plain_tree();
	r = ask(&d);
	CHECK(seen(&d, 0x12) && seen(&d, 0xec) && seen(&d, 0x27) &&
	      seen(&d, 0xb1));
	CHECK(!seen(&d, 0xf8));
	CHECK_STR(fg_record_get_str(r, "source.ata.via"),
		  "ATA IDENTIFY DEVICE (SAT ATA PASS-THROUGH)");
	CHECK_STR(fg_record_get_str(r, "source.model"),
		  "WDC WD5000AAKX-00ERMA0");
	CHECK_STR(fg_record_get_str(r, "source.vendor"), "ATA");
	CHECK_STR(fg_record_get_str(r, "source.scsi.unit_serial_number"),
		  "WD-WCC2EAF12345");
	CHECK_STR(fg_record_get_str(r, "source.scsi.naa"),
		  "0x50014ee000123456");
	CHECK_STR(fg_record_get_str(r, "source.hpa.state"), "present");
	CHECK(fg_record_get_int(r, "source.hpa.hidden_sectors", &v) == FG_OK &&
	      v == 4048);
	CHECK(fg_record_get_int(r, "source.hpa.hidden_first_lba", &v) ==
		  FG_OK &&
	      v == 976773168);
	CHECK_STR(fg_record_get_str(r, "source.dco.state"), "present");
	CHECK(fg_record_get_int(r, "source.dco.hidden_sectors", &v) == FG_OK &&
	      v == 1000);
	/* The pages as the drive gave them, apart from what was decoded. */
	{
		uint8_t id[512], inq[36];
		check_raw(r, "source.raw_pages.ata_identify",
			  "ATA IDENTIFY DEVICE (SAT ATA PASS-THROUGH)",
			  (make_identify(id), id), 512);
		memset(inq, 0, sizeof(inq));
		memcpy(inq + 8, "ATA     WDC WD5000AAKX-01H15", 28);
		inq[4] = 31;
		check_raw(r, "source.raw_pages.scsi_inquiry",
			  "SCSI INQUIRY (SG_IO)", inq, 36);
		check_raw(r, "source.raw_pages.scsi_vpd_80",
			  "SCSI INQUIRY (SG_IO)",
			  (const uint8_t *)"\0\x80\0\x12   WD-WCC2EAF12345",
			  22);
	}
	fg_record_free(r);

	/* The same drive without either. */
	memset(&d, 0, sizeof(d));
	d.passthrough = d.lba48 = 1;
	d.native_max = d.dco_max = 976773167u;
	r = ask(&d);
	CHECK_STR(fg_record_get_str(r, "source.hpa.state"), "absent");
	CHECK_STR(fg_record_get_str(r, "source.dco.state"), "absent");
	fg_record_free(r);

	/* A 28-bit drive: READ NATIVE MAX ADDRESS (F8h), not the EXT one. */
	memset(&d, 0, sizeof(d));
	d.passthrough = 1;
	d.native_max = 0x01000ff;
	d.dco_max = 0x01000ff;
	r = ask(&d);
	CHECK(seen(&d, 0xf8) && !seen(&d, 0x27));
	CHECK_STR(fg_record_get_str(r, "source.hpa.state"), "present");
	CHECK(fg_record_get_int(r, "source.hpa.hidden_sectors", &v) == FG_OK &&
	      v == 256);
	fg_record_free(r);
}

static void test_drive_refusals(void)
{
	struct sim d;
	struct fg_record *r;
	const char *n;
	char *json;

	make_plain_tree();
	/* The drive aborts READ NATIVE MAX: the HPA is unknown, and so is
	 * the DCO it cannot be compared with. */
	memset(&d, 0, sizeof(d));
	d.passthrough = d.lba48 = 1;
	d.abort_native = 1;
	d.dco_max = 976778215u;
	r = ask(&d);
	CHECK(fg_record_get_str(r, "source.hpa.state") == NULL);
	n = fg_record_get_str(r, "source.hpa.note");
	CHECK(n != NULL && strstr(n, "READ NATIVE MAX ADDRESS EXT: the "
				     "drive aborted it") != NULL);
	CHECK(fg_record_get_str(r, "source.dco.state") == NULL);
	fg_record_free(r);

	/* A frozen DCO: DCO IDENTIFY aborted; the HPA is still known. */
	memset(&d, 0, sizeof(d));
	d.passthrough = d.lba48 = 1;
	d.abort_dco = 1;
	d.native_max = 976773167u;
	r = ask(&d);
	CHECK_STR(fg_record_get_str(r, "source.hpa.state"), "absent");
	CHECK(fg_record_get_str(r, "source.dco.state") == NULL);
	n = fg_record_get_str(r, "source.dco.note");
	CHECK(n != NULL && strstr(n, "aborted") != NULL &&
	      strstr(n, "frozen") != NULL);
	fg_record_free(r);

	/* A USB bridge without SAT: names from INQUIRY, no ATA, unknown
	 * HPA/DCO, and the notes say why. */
	memset(&d, 0, sizeof(d));
	r = ask(&d);
	CHECK(seen(&d, 0xec) && !seen(&d, 0x27) && !seen(&d, 0xb1));
	CHECK_STR(fg_record_get_str(r, "source.model"), "WDC WD5000AAKX-0");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.model"),
		  "SCSI INQUIRY");
	CHECK(fg_record_get_str(r, "source.hpa.state") == NULL);
	n = fg_record_get_str(r, "source.hpa.note");
	CHECK(n != NULL && strstr(n, "does not take ATA PASS-THROUGH") != NULL);
	json = fg_record_dump(r);
	CHECK(json != NULL && strstr(json, "\"ata\": null") != NULL);
	free(json);
	fg_record_free(r);

	/* A device that takes no SCSI commands at all (SG_IO fails). */
	memset(&d, 0, sizeof(d));
	d.ioctl_errno = ENOTTY;
	r = ask(&d);
	json = fg_record_dump(r);
	CHECK(json != NULL && strstr(json, "\"scsi\": null") != NULL);
	CHECK(json != NULL && strstr(json, "SCSI INQUIRY: no answer from sda "
					   "(SG_IO: Inappropriate ioctl for "
					   "device)") != NULL);
	CHECK(json != NULL && strstr(json, "\"model\": null") != NULL);
	free(json);
	fg_record_free(r);
}

/* An NVMe namespace: the controller's model, serial and firmware in
 * sysfs; no SCSI or ATA to ask, so HPA/DCO stay unknown, with the reason. */
static void test_describe_nvme(void)
{
	const char *ctrl = "sys/devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/"
			   "nvme/nvme0";
	char ns[512];
	struct fg_record *r = NULL;
	const char *n;

	snprintf(ns, sizeof(ns), "%s/nvme0n1", ctrl);
	mkdirs(ns);
	mkdirs("sys/dev/block");
	mkdirs("udev");
	put_text(ctrl, "model", "Samsung SSD 970 EVO Plus 1TB            \n");
	put_text(ctrl, "serial", "S4EWNX0R123456A     \n");
	put_text(ctrl, "firmware_rev", "2B2QEXM7\n");
	put_text(ns, "dev", "259:0\n");
	put_text(ns, "removable", "0\n");
	put_text(ns, "wwid", "eui.0025388b91b2c8a4\n");
	link_to("../../nvme0", "sys/devices/pci0000:00/0000:00:1d.0/"
			       "0000:3d:00.0/nvme/nvme0/nvme0n1/device");
	link_to("../../devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/"
		"nvme0/nvme0n1",
		"sys/dev/block/259:0");
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_identity_describe(r, -1, 259, 0, "sys", "udev") == FG_OK);
	CHECK_STR(fg_record_get_str(r, "source.transport"), "nvme");
	CHECK_STR(fg_record_get_str(r, "source.model"),
		  "Samsung SSD 970 EVO Plus 1TB");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.model"),
		  "sysfs device/model");
	CHECK_STR(fg_record_get_str(r, "source.serial"), "S4EWNX0R123456A");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.serial"),
		  "sysfs device/serial");
	CHECK_STR(fg_record_get_str(r, "source.firmware_revision"), "2B2QEXM7");
	CHECK_STR(
	    fg_record_get_str(r, "source.identity_from.firmware_revision"),
	    "sysfs device/firmware_rev");
	CHECK_STR(fg_record_get_str(r, "source.wwn"), "eui.0025388b91b2c8a4");
	CHECK_STR(fg_record_get_str(r, "source.identity_from.wwn"),
		  "sysfs wwid");
	CHECK(fg_record_get_str(r, "source.vendor") == NULL);
	CHECK(fg_record_get_str(r, "source.hpa.state") == NULL);
	n = fg_record_get_str(r, "source.hpa.note");
	CHECK(n != NULL && strstr(n, "NVMe") != NULL);
	/* No device open: the controller was not asked, and says so. */
	CHECK(fg_record_get_str(r, "source.nvme.model") == NULL);
	{
		size_t i;
		int said = 0;
		for (i = 0; (n = fg_record_get_array_str(
				 r, "source.identity_notes", i)) != NULL;
		     i++)
			if (strstr(n, "NVMe: nvme0n1 was not asked") != NULL)
				said = 1;
		CHECK(said);
	}
	fg_record_free(r);
}

/* The one escaping of text from evidence (fg_printable_dup): what each
 * flag keeps. */
static void test_printable_text(void)
{
	static const char hostile[] =
		"a\x1b]0;PWNED\x07\x1b[2J\\b\tc\nd\x7f"
		"\xc3\xa9\xc2\x9b\xe9\xed\xa0\x80\xf0\x9f\x98\x80";
	char *s;

	s = fg_printable_dup(hostile, 0);
	CHECK_STR(s, "a\\x1b]0;PWNED\\x07\\x1b[2J\\x5cb\\x09c\\x0ad\\x7f"
		     "\\xc3\\xa9\\xc2\\x9b\\xe9\\xed\\xa0\\x80"
		     "\\xf0\\x9f\\x98\\x80");
	free(s);
	/* UTF-8 kept, but not U+009B (CSI), a lone byte or a surrogate. */
	s = fg_printable_dup(hostile, FG_PRINTABLE_TEXT);
	CHECK_STR(s, "a\\x1b]0;PWNED\\x07\\x1b[2J\\b\tc\nd\\x7f"
		     "\xc3\xa9\\xc2\\x9b\\xe9\\xed\\xa0\\x80"
		     "\xf0\x9f\x98\x80");
	free(s);
	/* UTF-8 cut short at the end is escaped byte by byte. */
	s = fg_printable_dup("x\xe2\x82", FG_PRINTABLE_UTF8);
	CHECK_STR(s, "x\\xe2\\x82");
	free(s);
	/* Overlong forms are not UTF-8. */
	s = fg_printable_dup("\xc0\xaf\xe0\x80\xaf", FG_PRINTABLE_UTF8);
	CHECK_STR(s, "\\xc0\\xaf\\xe0\\x80\\xaf");
	free(s);
}


/* ---- Health: SMART and the NVMe log pages ------------------------------ */

/* One SMART attribute entry at index i of SMART READ DATA. */
static void put_attr(uint8_t *b, unsigned i, unsigned id, unsigned flags,
		     unsigned value, unsigned worst, uint64_t raw)
{
	uint8_t *e = b + 2 + 12 * i;

	e[0] = (uint8_t)id;
	put_le(e, 1, flags, 2);
	e[3] = (uint8_t)value;
	e[4] = (uint8_t)worst;
	put_le(e, 5, raw, 6);
}

static void make_smart(uint8_t *b, uint64_t realloc, uint64_t pending)
{
	memset(b, 0, 512);
	put_le(b, 0, 0x0010, 2);
	put_attr(b, 0, 1, 0x000f, 100, 100, 0);
	put_attr(b, 1, 5, 0x0033, 100, 100, realloc);
	put_attr(b, 2, 9, 0x0032, 99, 99, 0x123456789abcull);
	/* an empty slot, then one no common name is known for */
	put_attr(b, 4, 240, 0x0000, 253, 253, 7);
	put_attr(b, 5, 197, 0x0012, 100, 100, pending);
	seal_sum(b);
}

static void make_errlog(uint8_t *b, unsigned count)
{
	memset(b, 0, 512);
	b[0] = 1;
	b[1] = count > 0 ? 1 : 0;
	put_le(b, 452, count, 2);
	seal_sum(b);
}

static void test_smart_parse(void)
{
	uint8_t b[512];
	struct fg_ata_smart sm;
	struct fg_ata_errlog el;
	struct fg_error err;

	make_smart(b, 8, 2);
	CHECK_MSG(fg_ata_smart_parse(b, 512, &sm, &err) == FG_OK, &err);
	CHECK(sm.revision == 0x10 && sm.checksum_ok == 1);
	CHECK(sm.nattr == 5);
	CHECK(sm.attr[0].id == 1 && sm.attr[0].flags == 0x000f &&
	      sm.attr[0].value == 100 && sm.attr[0].raw == 0);
	CHECK(sm.attr[1].id == 5 && sm.attr[1].raw == 8);
	CHECK(sm.attr[2].id == 9 && sm.attr[2].value == 99 &&
	      sm.attr[2].worst == 99 && sm.attr[2].raw == 0x123456789abcull);
	CHECK(sm.attr[3].id == 240 && sm.attr[3].raw == 7);
	CHECK(sm.attr[4].id == 197 && sm.attr[4].raw == 2);
	CHECK_STR(fg_smart_attr_name(5), "Reallocated sector count");
	CHECK_STR(fg_smart_attr_name(197), "Current pending sector count");
	CHECK(fg_smart_attr_name(240) == NULL);
	CHECK(fg_smart_attr_name(0) == NULL);
	/* A checksum that does not add up; too short; all zero. */
	b[100] ^= 1;
	CHECK(fg_ata_smart_parse(b, 512, &sm, &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "checksum") != NULL);
	make_smart(b, 8, 2);
	CHECK(fg_ata_smart_parse(b, 511, &sm, &err) == FG_EFORMAT);
	memset(b, 0, sizeof(b));
	CHECK(fg_ata_smart_parse(b, 512, &sm, &err) == FG_EFORMAT);
	/* No checksum at all (byte 511 zero): taken, and said. */
	make_smart(b, 8, 2);
	b[511] = 0;
	CHECK(fg_ata_smart_parse(b, 512, &sm, &err) == FG_OK);
	CHECK(sm.checksum_ok == 0 && sm.nattr == 5);

	make_errlog(b, 0x0102);
	CHECK_MSG(fg_ata_errlog_parse(b, 512, &el, &err) == FG_OK, &err);
	CHECK(el.version == 1 && el.index == 1 && el.error_count == 0x0102);
	b[1] = 6;
	seal_sum(b);
	CHECK(fg_ata_errlog_parse(b, 512, &el, &err) == FG_EFORMAT);
	make_errlog(b, 3);
	b[7] ^= 0x80;
	CHECK(fg_ata_errlog_parse(b, 512, &el, &err) == FG_EFORMAT);
	CHECK(fg_ata_errlog_parse(b, 100, &el, &err) == FG_EFORMAT);
}

static void test_nvme_health_parse(void)
{
	uint8_t b[512], e[4 * 64];
	struct fg_nvme_health h;
	struct fg_error err;

	memset(b, 0, sizeof(b));
	b[0] = 0x04;
	put_le(b, 1, 311, 2);
	b[3] = 100;
	b[4] = 10;
	b[5] = 3;
	put_le(b, 32, 0x1234, 8);
	put_le(b, 48, 77, 8);
	put_le(b, 112, 12, 8);
	put_le(b, 128, 4321, 8);
	put_le(b, 144, 5, 8);
	put_le(b, 160, 7, 8);
	put_le(b, 176, 9, 8);
	CHECK_MSG(fg_nvme_health_parse(b, 512, &h, &err) == FG_OK, &err);
	CHECK(h.critical_warning == 4 && h.temperature_kelvin == 311);
	CHECK(h.available_spare == 100 && h.spare_threshold == 10 &&
	      h.percentage_used == 3);
	CHECK(h.data_units_read == 0x1234 && h.data_units_written == 77);
	CHECK(h.power_cycles == 12 && h.power_on_hours == 4321 &&
	      h.unsafe_shutdowns == 5);
	CHECK(h.media_errors == 7 && h.error_log_entries == 9);
	CHECK(h.too_big == 0);
	/* A 128-bit counter past 63 bits is not given as a wrong number. */
	b[32 + 8] = 1;
	CHECK(fg_nvme_health_parse(b, 512, &h, &err) == FG_OK);
	CHECK(h.too_big == 1 && h.data_units_read == UINT64_MAX);
	CHECK(fg_nvme_health_parse(b, 511, &h, &err) == FG_EFORMAT);

	memset(e, 0, sizeof(e));
	put_le(e, 0, 3, 8);
	put_le(e, 128, 1, 8);
	CHECK(fg_nvme_errlog_entries(e, sizeof(e)) == 2);
	CHECK(fg_nvme_errlog_entries(e, 63) == 0);
}

/* A drive that answers SMART READ DATA and READ LOG 01h. */
struct smart_drive {
	uint64_t realloc, pending;
	unsigned errors;
	int refuse; /* a bridge without ATA PASS-THROUGH */
	int off_list;
	unsigned asked;
};

static int smart_answer(void *ctx, const uint8_t *cdb, size_t cdblen,
			uint8_t *data, size_t datalen, size_t *got,
			uint8_t *sense, size_t *sense_len)
{
	struct smart_drive *d = ctx;

	if (!fg_sat_cdb_is_read_only(cdb, cdblen))
		d->off_list++;
	*got = 0;
	*sense_len = 0;
	if (d->refuse || cdblen != 16 || cdb[14] != 0xb0 || datalen < 512) {
		*sense_len = illegal_request(sense);
		return 2;
	}
	d->asked++;
	if (cdb[4] == 0xd0)
		make_smart(data, d->realloc, d->pending);
	else
		make_errlog(data, d->errors);
	*got = 512;
	return 0;
}

static void test_health_before_after(void)
{
	struct smart_drive d = {0, 0, 0, 0, 0, 0};
	struct fg_drive_sim sim = {smart_answer, &d};
	struct fg_record *r = NULL;
	int64_t v = 0;
	int b = -1;
	const char *s;

	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_health_read_sim(r, "before", &sim) == FG_OK);
	CHECK(d.asked == 2 && d.off_list == 0);
	CHECK(fg_record_get_bool(r, "health.before.available", &b) == FG_OK &&
	      b == 1);
	CHECK_STR(fg_record_get_str(r, "health.before.ata.attributes.5.name"),
		  "Reallocated sector count");
	CHECK(fg_record_get_int(r, "health.before.ata.attributes.9.raw", &v) ==
		  FG_OK &&
	      v == 0x123456789abcll);
	CHECK(fg_record_get_int(r, "health.before.ata.attributes.9.value",
				&v) == FG_OK &&
	      v == 99);
	CHECK(fg_record_get_int(r, "health.before.ata.error_count", &v) ==
		  FG_OK &&
	      v == 0);
	CHECK(fg_record_get_int(r, "health.before.raw_pages.smart_read_data."
				   "bytes",
				&v) == FG_OK &&
	      v == 512);
	CHECK(strlen(fg_record_get_str(r, "health.before.raw_pages."
					  "smart_read_data.sha256")) == 64);
	CHECK(strlen(fg_record_get_str(r, "health.before.raw_pages."
					  "smart_read_data.base64")) == 684);
	/* During the acquisition: 8 sectors reallocated, 2 pending, an
	 * error counted. */
	d.realloc = 8;
	d.pending = 2;
	d.errors = 1;
	CHECK(fg_health_read_sim(r, "after", &sim) == FG_OK);
	CHECK(d.off_list == 0);
	CHECK(fg_health_compare(r) == 3);
	CHECK_STR(fg_record_get_array_str(r, "health.changes", 0),
		  "Reallocated sector count grew from 0 to 8 during "
		  "acquisition");
	CHECK_STR(fg_record_get_array_str(r, "health.changes", 1),
		  "Current pending sector count grew from 0 to 2 during "
		  "acquisition");
	CHECK_STR(fg_record_get_array_str(r, "health.changes", 2),
		  "The drive's error count grew from 0 to 1 during "
		  "acquisition");
	CHECK_STR(fg_record_get_str(r, "health.comparison"),
		  "compared: 3 changes");
	fg_record_free(r);

	/* Nothing changed. */
	memset(&d, 0, sizeof(d));
	r = NULL;
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_health_read_sim(r, "before", &sim) == FG_OK);
	CHECK(fg_health_read_sim(r, "after", &sim) == FG_OK);
	CHECK(fg_health_compare(r) == 0);
	CHECK(fg_record_get_array_str(r, "health.changes", 0) == NULL);
	CHECK_STR(fg_record_get_str(r, "health.comparison"),
		  "compared: no change worth noting");
	fg_record_free(r);

	/* A bridge that refuses ATA PASS-THROUGH: not available, and why;
	 * not an error. */
	memset(&d, 0, sizeof(d));
	d.refuse = 1;
	r = NULL;
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_health_read_sim(r, "before", &sim) == FG_OK);
	CHECK(fg_record_get_bool(r, "health.before.available", &b) == FG_OK &&
	      b == 0);
	s = fg_record_get_str(r, "health.before.note");
	CHECK(s != NULL && strstr(s, "SMART READ DATA") != NULL &&
	      strstr(s, "ILLEGAL REQUEST") != NULL);
	CHECK(fg_health_none(r, "after", "the source is a file") == FG_OK);
	CHECK(fg_health_compare(r) == 0);
	s = fg_record_get_str(r, "health.comparison");
	CHECK(s != NULL && strncmp(s, "not compared: health was not "
				      "available before",
				   43) == 0);
	fg_record_free(r);
}

int main(void)
{
	unit_run("printable text: the escaping of evidence text",
		 test_printable_text);
	unit_run("ATA IDENTIFY DEVICE parsing", test_ata_identify);
	unit_run("DCO IDENTIFY parsing", test_dco);
	unit_run("SAT sense data: ATA registers", test_sense);
	unit_run("SCSI INQUIRY and VPD pages", test_scsi);
	unit_run("only read-only commands", test_commands);
	unit_run("NVMe Identify Controller/Namespace parsing",
		 test_nvme_identify);
	unit_run("HPA/DCO assessment", test_hpa_dco);
	unit_run("udev database lookup", test_udev);
	unit_run("describe: SATA disk partition (fake sysfs)",
		 test_describe_sata);
	unit_run("describe: USB stick (fake sysfs)", test_describe_usb);
	unit_run("describe: loop device, unknown device",
		 test_describe_loop_and_unknown);
	unit_run("describe: NVMe namespace (fake sysfs)", test_describe_nvme);
	unit_run("simulated drive: HPA and DCO found", test_drive_hpa_dco);
	unit_run("simulated drive: aborts, bridges, no SCSI",
		 test_drive_refusals);
	unit_run("SMART READ DATA and error log parsing", test_smart_parse);
	unit_run("NVMe SMART / Health and error log parsing",
		 test_nvme_health_parse);
	unit_run("simulated drive: health before and after, compared",
		 test_health_before_after);
	return unit_done();
}
