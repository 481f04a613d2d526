/*
 * fuzz_drive.c - the parsers of what a drive answers (identity.h,
 * health.h): ATA IDENTIFY DEVICE and DCO IDENTIFY data, the ATA registers
 * in sense data, SCSI INQUIRY and VPD pages 80h/83h/89h, NVMe Identify
 * Controller and Namespace, SMART READ DATA, the SMART error log, the
 * NVMe SMART / Health and Error Information pages; and a simulated ATA
 * drive that answers SMART READ DATA and READ LOG with the input, read
 * before and after and compared, as an acquisition does.  A drive (or a
 * bridge, or a device pretending to be one) controls every byte.  The
 * first input byte picks the parser, the rest is the page.
 */
#include <stdlib.h>
#include <string.h>

#include <forage/health.h>
#include <forage/identity.h>
#include <forage/record.h>

#include "fuzz.h"

struct answer {
	const uint8_t *d;
	size_t n;
	unsigned calls;
};

/* The drive: every SMART command gets the next 512 bytes of the input
 * (zeros past its end), or CHECK CONDITION when the input is used up. */
static int sim_answer(void *ctx, const uint8_t *cdb, size_t cdblen,
		      uint8_t *data, size_t datalen, size_t *got,
		      uint8_t *sense, size_t *sense_len)
{
	struct answer *a = ctx;
	size_t off = (size_t)a->calls++ * 512, k;

	(void)cdb;
	(void)cdblen;
	*got = 0;
	*sense_len = 0;
	if (off >= a->n) {
		memset(sense, 0, 18);
		sense[0] = 0x70;
		sense[2] = 0x05;
		*sense_len = 18;
		return 2;
	}
	k = a->n - off < datalen ? a->n - off : datalen;
	memset(data, 0, datalen);
	memcpy(data, a->d + off, k);
	*got = datalen;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_error err;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	uint8_t *buf;

	if (size < 1)
		return 0;
	fg_error_clear(&err);
	/* A copy of exactly n bytes, so that a read past the page is seen. */
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, p, n);
	switch (data[0] % 13) {
	case 0: {
		struct fg_ata_identify id;
		(void)fg_ata_identify_parse(buf, n, &id, &err);
		break;
	}
	case 1: {
		uint64_t max;
		(void)fg_ata_dco_parse(buf, n, &max, &err);
		break;
	}
	case 2: {
		struct fg_ata_return r;
		(void)fg_ata_return_parse(buf, n, n & 1, &r, &err);
		break;
	}
	case 3: {
		struct fg_scsi_inquiry inq;
		(void)fg_scsi_inquiry_parse(buf, n, &inq, &err);
		break;
	}
	case 4: {
		char out[256];
		(void)fg_scsi_vpd_serial_parse(buf, n, out, sizeof(out), &err);
		(void)fg_scsi_vpd_naa_parse(buf, n, out, sizeof(out), &err);
		break;
	}
	case 5: {
		struct fg_ata_identify id;
		const uint8_t *in = fg_scsi_vpd_ata_identify(buf, n);
		if (in != NULL)
			(void)fg_ata_identify_parse(in, 512, &id, &err);
		break;
	}
	case 6: {
		struct fg_nvme_id_ctrl c;
		(void)fg_nvme_id_ctrl_parse(buf, n, &c, &err);
		break;
	}
	case 7: {
		struct fg_nvme_id_ns ns;
		(void)fg_nvme_id_ns_parse(buf, n, &ns, &err);
		break;
	}
	case 8: {
		struct fg_ata_smart s;
		size_t i;
		if (fg_ata_smart_parse(buf, n, &s, &err) == FG_OK)
			for (i = 0; i < s.nattr; i++)
				(void)fg_smart_attr_name(s.attr[i].id);
		break;
	}
	case 9: {
		struct fg_ata_errlog l;
		(void)fg_ata_errlog_parse(buf, n, &l, &err);
		break;
	}
	case 10: {
		struct fg_nvme_health h;
		(void)fg_nvme_health_parse(buf, n, &h, &err);
		break;
	}
	case 11:
		(void)fg_nvme_errlog_entries(buf, n);
		break;
	default: {
		/* Before: the first two 512-byte pages; after: the next two. */
		struct answer a = {buf, n, 0};
		struct fg_drive_sim sim = {sim_answer, &a};
		struct fg_record *rec = NULL;
		char *dump;
		if (fg_record_new(&rec) != FG_OK)
			break;
		(void)fg_health_read_sim(rec, "before", &sim);
		(void)fg_health_read_sim(rec, "after", &sim);
		(void)fg_health_compare(rec);
		dump = fg_record_dump_log(rec, NULL);
		free(dump);
		fg_record_free(rec);
		break;
	}
	}
	free(buf);
	return 0;
}
