/*
 * container.c - what an evidence file is, and the image handle common to
 * every kind (see container.h).  Raw images live in image_raw.c, EWF in
 * ewf_read.c.
 *
 * Recognition goes from the surest sign to the weakest: a format's own
 * signature (EWF "EVF\t\r\n\xff\0"; the EWF2 and logical variants forage
 * does not read), then forage's record (JSON with "record_format"), then
 * the name (.E01 without the signature is refused; .raw, .dd, .001 ... are
 * raw), then libmagic's description (text is not evidence; anything else
 * unnamed is taken as raw, the one format without a signature).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/container.h>
#include <forage/magic.h>
#include <forage/record.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"
#include "image/image_int.h"

#define HEAD_BYTES (64u * 1024)

static const unsigned char sig_evf[8] = {'E', 'V', 'F', 0x09,
					 0x0d, 0x0a, 0xff, 0x00};
static const unsigned char sig_lvf[8] = {'L', 'V', 'F', 0x09,
					 0x0d, 0x0a, 0xff, 0x00};
static const unsigned char sig_evf2[8] = {'E', 'V', 'F', '2',
					  0x0d, 0x0a, 0x81, 0x00};
static const unsigned char sig_lef2[8] = {'L', 'E', 'F', '2',
					  0x0d, 0x0a, 0x81, 0x00};

/* Containers forage does not read: each by its own signature, then by
 * libmagic's description as a second opinion.  Their bytes are not the
 * media, so hashing them as a raw image would report a false mismatch:
 * they are refused, with what to use instead, unless the examiner asks
 * for the file's own bytes (verify --raw). */
struct foreign {
	const char *name;        /* "QCOW2 virtual disk" */
	const char *short_name;  /* "QCOW2" */
	size_t offset;           /* of the signature */
	const char *sig;
	size_t siglen;
	const char *magic;       /* libmagic's description starts so */
	const char *advice;      /* %s: the file */
};

#define SIG(s) s, sizeof(s) - 1
static const struct foreign foreign[] = {
	{"AFF image", "AFF", 0, SIG("AFF10\r\n"), "Advanced Forensic Format",
	 "export it to raw with 'affconvert -r %s' or 'affcat %s > "
	 "IMAGE.raw' (AFFLIB)"},
	{"QCOW2 virtual disk", "QCOW2", 0, SIG("QFI\xfb"), "QEMU QCOW",
	 "convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"},
	{"VMDK virtual disk", "VMDK", 0, SIG("KDMV"), "VMware4 disk image",
	 "convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"},
	{"VMDK virtual disk descriptor", "VMDK", 0,
	 SIG("# Disk DescriptorFile"), NULL,
	 "convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"},
	{"VHD virtual disk", "VHD", 0, SIG("conectix"),
	 "Microsoft Disk Image, Virtual Server or Virtual PC",
	 "convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"},
	{"VHDX virtual disk", "VHDX", 0, SIG("vhdxfile"),
	 "Microsoft Disk Image eXtended",
	 "convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"},
	{"VDI virtual disk", "VDI", 64, SIG("\x7f\x10\xda\xbe"),
	 "VirtualBox Disk Image",
	 "convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"},
	{"7z archive", "7z", 0, SIG("7z\xbc\xaf\x27\x1c"), "7-zip archive",
	 "extract the image with '7z x %s'"},
	{"tar archive", "tar", 257, SIG("ustar"), "POSIX tar archive",
	 "extract the image with 'tar -xf %s'"},
	{"gzip-compressed file", "gzip", 0, SIG("\x1f\x8b\x08"),
	 "gzip compressed data", "decompress it with 'gunzip -k %s'"},
	{"xz-compressed file", "xz", 0, SIG("\xfd" "7zXZ\0"),
	 "XZ compressed data", "decompress it with 'unxz -k %s'"},
	{"bzip2-compressed file", "bzip2", 0, SIG("BZh"),
	 "bzip2 compressed data", "decompress it with 'bunzip2 -k %s'"},
	{"zstd-compressed file", "zstd", 0, SIG("\x28\xb5\x2f\xfd"),
	 "Zstandard compressed data", "decompress it with 'unzstd %s'"},
	/* A ZIP; AFF4 is a ZIP too, told apart below. */
	{"ZIP archive", "ZIP", 0, SIG("PK\x03\x04"), "Zip archive data",
	 "extract the image with 'unzip %s' or '7z x %s'"},
	{"ZIP archive", "ZIP", 0, SIG("PK\x05\x06"), NULL,
	 "extract the image with 'unzip %s' or '7z x %s'"},
};
#undef SIG

static const struct foreign foreign_aff4 = {
	"AFF4 image", "AFF4", 0, NULL, 0, NULL,
	"export it to raw with aff4imager ('aff4imager --export "
	"STREAM-URN -D OUTDIR %s')"};

static const struct foreign foreign_vhd_fixed = {
	"VHD virtual disk (fixed)", "VHD", 0, NULL, 0, NULL,
	"convert it to raw with 'qemu-img convert -O raw %s IMAGE.raw'"};

/* The bytes of needle anywhere in the len bytes at h? */
static int has_bytes(const unsigned char *h, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (h[i] == (unsigned char)needle[0] &&
		    memcmp(h + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The foreign container the first len bytes start, or NULL.  bzip2 also
 * needs its block magic after the level digit. */
static const struct foreign *foreign_by_sig(const unsigned char *h,
					    size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		const struct foreign *f = &foreign[i];
		if (f->offset + f->siglen > len ||
		    memcmp(h + f->offset, f->sig, f->siglen) != 0)
			continue;
		if (strcmp(f->short_name, "bzip2") == 0 &&
		    (len < 10 || h[3] < '1' || h[3] > '9' ||
		     memcmp(h + 4, "1AY&SY", 6) != 0))
			continue;
		if (strcmp(f->short_name, "ZIP") == 0 &&
		    (has_bytes(h, len, "information.turtle") ||
		     has_bytes(h, len, "container.description")))
			return &foreign_aff4;
		return f;
	}
	return NULL;
}

/* The foreign container libmagic's description names, or NULL. */
static const struct foreign *foreign_by_magic(const char *magic)
{
	size_t i;

	for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		if (foreign[i].magic != NULL &&
		    strncmp(magic, foreign[i].magic,
			    strlen(foreign[i].magic)) == 0)
			return &foreign[i];
	return NULL;
}

/* Refuse a foreign container, naming it and what to use instead; d says
 * what it is (kind FG_CONTAINER_FOREIGN). */
static int foreign_refuse(const struct foreign *f, const char *name,
			  const char *how, struct fg_detect *d,
			  struct fg_error *err)
{
	char advice[FG_ERRMSG_MAX];
	size_t n = 0;
	const char *a;

	d->kind = FG_CONTAINER_FOREIGN;
	snprintf(d->description, sizeof(d->description), "%s (%s)", f->name,
		 how);
	snprintf(d->format, sizeof(d->format), "%s", f->short_name);

	/* f->advice with each "%s" made the file's name. */
	for (a = f->advice; *a != '\0' && n + 1 < sizeof(advice); a++) {
		if (a[0] == '%' && a[1] == 's') {
			n += (size_t)snprintf(advice + n, sizeof(advice) - n,
					      "%s", name);
			if (n >= sizeof(advice))
				n = sizeof(advice) - 1;
			a++;
			continue;
		}
		advice[n++] = *a;
	}
	advice[n] = '\0';
	return fg_error_set(err, FG_EFORMAT, 0,
			    "%s: %s (%s): forage does not read %s; %s and "
			    "verify that, or give --raw to hash this file's "
			    "own bytes",
			    name, f->name, how, f->short_name, advice);
}

const char *fg_container_kind_name(int kind)
{
	switch (kind) {
	case FG_CONTAINER_EWF: return "EWF";
	case FG_CONTAINER_RAW: return "raw";
	case FG_CONTAINER_SPLIT_RAW: return "split raw";
	case FG_CONTAINER_RECORD: return "forage record";
	case FG_CONTAINER_FOREIGN: return "foreign container";
	}
	return "unknown";
}

int fg_container_kind_of_format(const char *format)
{
	if (format == NULL)
		return FG_CONTAINER_UNKNOWN;
	if (strcmp(format, "e01") == 0)
		return FG_CONTAINER_EWF;
	if (strcmp(format, "raw") == 0)
		return FG_CONTAINER_RAW;
	return FG_CONTAINER_UNKNOWN;
}

/* libmagic's one-line description of data (through magic.c).  Loading
 * its database costs milliseconds, so one handle is kept, behind a lock
 * (a libmagic handle is not thread-safe). */
static void magic_describe(const void *data, size_t len, char *out,
			   size_t outlen)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static struct fg_magic *mc;
	static int tried;
	struct fg_error e;

	fg_error_clear(&e);
	pthread_mutex_lock(&mu);
	if (!tried) {
		tried = 1;
		if (fg_magic_open(&mc, &e) != FG_OK)
			mc = NULL;
	}
	if (mc == NULL || fg_magic_buffer(mc, data, len, out, outlen, &e) !=
				  FG_OK)
		snprintf(out, outlen, "content not known");
	pthread_mutex_unlock(&mu);
}

/* The extension of a path into ext ("" when none); lower-cased when
 * lower is set. */
static void extension(const char *path, char *ext, size_t len, int lower)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	size_t i;

	ext[0] = '\0';
	if (dot == NULL || (slash != NULL && dot < slash) || dot[1] == '\0')
		return;
	for (i = 0; dot[1 + i] != '\0' && i + 1 < len; i++)
		ext[i] = lower ? (char)tolower((unsigned char)dot[1 + i])
			       : dot[1 + i];
	ext[i] = '\0';
}

/* Names libewf gives EWF files (ewf_name.c): the E01, L01, s01, Ex01 and
 * Lx01 families (a digit form's letter in either case); "EXE" is a
 * program's.  The lower-case letter forms of the s01 family (.saa ..) are
 * not taken: they would claim .txt, .tar, .vhd ... as EWF names.  ext is
 * as written. */
static int ewf_name(const char *ext)
{
	static const char *const family[] = {"E01", "L01", "Ex01", "Lx01",
					     "s01"};
	size_t i;

	for (i = 0; i < sizeof(family) / sizeof(family[0]); i++) {
		long n = fg_ewf_segment_number(ext, family[i]);
		if (n >= 0 && (family[i][0] != 's' || n <= 99))
			return strcmp(ext, "EXE") != 0;
	}
	return 0;
}

static int digits3(const char *ext)
{
	return strlen(ext) == 3 && isdigit((unsigned char)ext[0]) &&
	       isdigit((unsigned char)ext[1]) && isdigit((unsigned char)ext[2]);
}

static int raw_name(const char *ext)
{
	static const char *const names[] = {"raw", "dd", "img", "bin",
					    "ima", "mem", "dmp", "iso",
					    "vmem", "dsk", NULL};
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(ext, names[i]) == 0)
			return 1;
	return 0;
}

/* Is this JSON text a forage acquisition record? */
static int looks_like_record(const void *head, size_t len, const char *name,
			     char *why, size_t whylen)
{
	struct fg_record *r = NULL;
	struct fg_error e;
	const char *fmt;
	int ok = 0;

	fg_error_clear(&e);
	if (fg_record_parse(&r, head, len, name, &e) != FG_OK) {
		snprintf(why, whylen, "%s", e.msg);
		return 0;
	}
	fmt = fg_record_get_str(r, "record_format");
	if (fmt != NULL && strncmp(fmt, "forage-acquisition-", 19) == 0) {
		ok = 1;
	} else {
		char shown[64 * 4 + 1];

		if (fmt != NULL)
			fg_printable(shown, sizeof(shown), fmt,
				     strnlen(fmt, 64), FG_PRINTABLE_UTF8);
		snprintf(why, whylen,
			 "%s: JSON, but not a forage acquisition record "
			 "(\"record_format\" is %s%s%s)",
			 name, fmt ? "\"" : "", fmt ? shown : "missing",
			 fmt ? "\"" : "");
	}
	fg_record_free(r);
	return ok;
}

int fg_container_detect_buf(const char *name, const void *head, size_t len,
			    uint64_t size, struct fg_detect *d,
			    struct fg_error *err)
{
	const unsigned char *h = head;
	char ext[16], asis[16], magic[200], why[FG_ERRMSG_MAX], how[240];
	const struct foreign *f;
	size_t i = 0;

	memset(d, 0, sizeof(*d));
	if (size == 0 || len == 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: empty file (0 bytes): not evidence",
				    name);
	extension(name, ext, sizeof(ext), 1);
	extension(name, asis, sizeof(asis), 0);
	if (len >= 8 && memcmp(h, sig_evf, 8) == 0) {
		d->kind = FG_CONTAINER_EWF;
		if (len >= 13)
			snprintf(d->description, sizeof(d->description),
				 "EWF (Expert Witness) segment file, "
				 "segment %u",
				 (unsigned)h[9] | (unsigned)h[10] << 8);
		else
			snprintf(d->description, sizeof(d->description),
				 "EWF (Expert Witness) segment file");
		return FG_OK;
	}
	if (len >= 8 && (memcmp(h, sig_lvf, 8) == 0 ||
			 memcmp(h, sig_lef2, 8) == 0)) {
		d->kind = FG_CONTAINER_FOREIGN;
		snprintf(d->format, sizeof(d->format), "%s",
			 h[3] == '2' ? "Lx01" : "L01");
		snprintf(d->description, sizeof(d->description),
			 "EWF logical evidence file (%s): files, not media",
			 d->format);
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: a logical evidence file (L01/Lx01): "
				    "it holds files, not media; forage "
				    "verify reads media images only",
				    name);
	}
	if (len >= 8 && memcmp(h, sig_evf2, 8) == 0) {
		d->kind = FG_CONTAINER_FOREIGN;
		snprintf(d->format, sizeof(d->format), "EWF2");
		snprintf(d->description, sizeof(d->description),
			 "EWF2 (Ex01) segment file");
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: an EWF2 (Ex01) segment file; the "
				    "libewf of this system does not read "
				    "EWF2",
				    name);
	}
	f = foreign_by_sig(h, len);
	if (f != NULL) {
		snprintf(how, sizeof(how), "signature at offset %zu",
			 f->offset);
		return foreign_refuse(f, name, how, d, err);
	}
	while (i < len && isspace(h[i]))
		i++;
	why[0] = '\0';
	if (i < len && h[i] == '{') {
		if (len == size && looks_like_record(head, len, name, why,
						     sizeof(why))) {
			d->kind = FG_CONTAINER_RECORD;
			snprintf(d->description, sizeof(d->description),
				 "forage acquisition record (JSON)");
			return FG_OK;
		}
		if (len < size && why[0] == '\0')
			snprintf(why, sizeof(why),
				 "%s: %llu bytes, more than a record can be "
				 "(%llu MiB); not read",
				 name, (unsigned long long)size,
				 (unsigned long long)(FG_RECORD_MAX_BYTES >>
						      20));
		if (strcmp(ext, "json") == 0)
			return fg_error_set(err, FG_EFORMAT, 0, "%s", why);
	} else if (strcmp(ext, "json") == 0) {
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not a forage record: it does not "
				    "start with a JSON object",
				    name);
	}
	magic_describe(head, len, magic, sizeof(magic));
	f = foreign_by_magic(magic);
	if (f != NULL) {
		snprintf(how, sizeof(how), "libmagic: %s", magic);
		return foreign_refuse(f, name, how, d, err);
	}
	if (ewf_name(asis))
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not an EWF segment file: no EWF "
				    "signature at offset 0 (content: %s)",
				    name, magic);
	if (digits3(ext) || raw_name(ext)) {
		d->kind = digits3(ext) ? FG_CONTAINER_SPLIT_RAW
				       : FG_CONTAINER_RAW;
		snprintf(d->description, sizeof(d->description), "%s", magic);
		return FG_OK;
	}
	if (strcmp(ext, "md5") == 0 || strcmp(ext, "sha1") == 0 ||
	    strcmp(ext, "sha256") == 0 || strcmp(ext, "txt") == 0 ||
	    strstr(magic, "text") != NULL)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not recognised as evidence (content: "
				    "%s); give an image (.E01, .raw, .dd, "
				    ".001 ...) or its record OUTBASE.json",
				    name, magic);
	d->kind = FG_CONTAINER_RAW;
	snprintf(d->description, sizeof(d->description), "%s", magic);
	return FG_OK;
}

int fg_container_detect(const char *path, struct fg_detect *d,
			struct fg_error *err)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t want, got;
	ssize_t n;
	int fd, rc;

	memset(d, 0, sizeof(*d));
	/* O_NONBLOCK: a FIFO given as the evidence must not block the open;
	 * it is refused below, and cleared once the file is known. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return fg_error_set(err, FG_ESOURCE, errno, "%s: cannot open: %s",
				    path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = fg_error_set(err, FG_ESOURCE, errno, "%s: cannot stat: %s",
				  path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = fg_error_set(err, FG_ESOURCE, EISDIR,
				  "%s: is a directory, not evidence (give "
				  "the first segment file or the record)",
				  path);
		goto out;
	}
	if (S_ISBLK(st.st_mode)) {
		d->kind = FG_CONTAINER_RAW;
		snprintf(d->description, sizeof(d->description),
			 "block device");
		rc = FG_OK;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fg_error_set(err, FG_ESOURCE, 0,
				  "%s: is %s, not a regular file or a block "
				  "device",
				  path, fg_file_kind(st.st_mode));
		goto out;
	}
	{
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
			rc = fg_error_set(err, FG_ESOURCE, errno,
					  "%s: cannot open: %s", path,
					  strerror(errno));
			goto out;
		}
	}
	want = HEAD_BYTES;
	if ((uint64_t)st.st_size <= FG_RECORD_MAX_BYTES &&
	    (uint64_t)st.st_size > want)
		want = (size_t)st.st_size; /* a record is read whole */
	buf = malloc(want > 0 ? want : 1);
	if (buf == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	n = fg_fd_pread_full(fd, buf, want, 0);
	if (n < 0) {
		rc = fg_error_set(err, FG_ESOURCE, errno,
				  "%s: read error at offset 0: %s", path,
				  strerror(errno));
		goto out;
	}
	got = (size_t)n;
	/* Read the whole file only when it may be a record. */
	if (got > HEAD_BYTES) {
		size_t i = 0;
		while (i < got && isspace(buf[i]))
			i++;
		if (i == got || buf[i] != '{')
			got = HEAD_BYTES;
	}
	/* A fixed VHD is the media followed by its 512-byte footer. */
	if ((uint64_t)st.st_size > 512 + 8) {
		unsigned char foot[8];
		if (fg_fd_pread_full(fd, foot, 8, st.st_size - 512) == 8 &&
		    memcmp(foot, "conectix", 8) == 0) {
			char how[64];
			snprintf(how, sizeof(how),
				 "footer signature at offset %llu",
				 (unsigned long long)st.st_size - 512);
			rc = foreign_refuse(&foreign_vhd_fixed, path, how, d,
					    err);
			goto out;
		}
	}
	rc = fg_container_detect_buf(path, buf, got, (uint64_t)st.st_size, d,
				     err);
out:
	free(buf);
	close(fd);
	return rc;
}

/* ---- The image handle ------------------------------------------------------ */

struct fg_image *fg_image_alloc(const struct fg_image_ops *ops, int kind)
{
	struct fg_image *img = calloc(1, sizeof(*img));

	if (img == NULL)
		return NULL;
	img->ops = ops;
	img->kind = kind;
	img->sector_size = 512;
	img->cache_bypass = "none";
	return img;
}

int fg_image_add_segment(struct fg_image *img, const char *path,
			 uint64_t size)
{
	struct fg_image_segment *s;

	s = fg_grow(img->segs, img->nsegs, sizeof(*s));
	if (s == NULL)
		return FG_ENOMEM;
	img->segs = s;
	s = &img->segs[img->nsegs];
	memset(s, 0, sizeof(*s));
	s->path = strdup(path);
	if (s->path == NULL)
		return FG_ENOMEM;
	s->size = size;
	img->nsegs++;
	return FG_OK;
}

int fg_image_add_problem(struct fg_image *img, const char *file,
			 uint64_t offset, const char *text)
{
	struct fg_image_problem *p;

	p = fg_grow(img->problems, img->nproblems, sizeof(*p));
	if (p == NULL)
		return FG_ENOMEM;
	img->problems = p;
	p = &img->problems[img->nproblems];
	p->file = strdup(file != NULL ? file : "");
	p->text = strdup(text);
	p->offset = offset;
	if (p->file == NULL || p->text == NULL) {
		free(p->file);
		free(p->text);
		return FG_ENOMEM;
	}
	img->nproblems++;
	return FG_OK;
}

int fg_image_add_meta(struct fg_image *img, const char *key,
		      const char *value)
{
	struct fg_image_meta *m;

	m = fg_grow(img->meta, img->nmeta, sizeof(*m));
	if (m == NULL)
		return FG_ENOMEM;
	img->meta = m;
	m = &img->meta[img->nmeta];
	m->key = strdup(key);
	m->value = strdup(value);
	if (m->key == NULL || m->value == NULL) {
		free(m->key);
		free(m->value);
		return FG_ENOMEM;
	}
	img->nmeta++;
	return FG_OK;
}

void fg_image_close(struct fg_image *img)
{
	size_t i;

	if (img == NULL)
		return;
	if (img->ops != NULL && img->ops->close != NULL)
		img->ops->close(img);
	for (i = 0; i < img->nsegs; i++)
		free(img->segs[i].path);
	for (i = 0; i < img->nmeta; i++) {
		free(img->meta[i].key);
		free(img->meta[i].value);
	}
	for (i = 0; i < img->nproblems; i++) {
		free(img->problems[i].file);
		free(img->problems[i].text);
	}
	free(img->segs);
	free(img->meta);
	free(img->problems);
	free(img->acquiry_errors);
	free(img->format);
	free(img);
}

/* ---- Split raw: the set from its first segment ------------------------- */

static int path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int open_split(struct fg_image **out, const char *path, unsigned flags,
		      struct fg_error *err)
{
	size_t blen = strlen(path) - 4; /* "NAME" of NAME.NNN */
	char **names = NULL;
	size_t n = 0, cap = 0, k;
	unsigned first, num;
	char *base = NULL, *other = NULL;
	int rc = FG_OK;

	first = (unsigned)strtoul(path + blen + 1, NULL, 10);
	base = strndup(path, blen);
	if (base == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	/* The first segment is .000 or .001: refuse a later one. */
	if (first >= 1) {
		other = fg_strdup_printf("%s.%03u", base, 0u);
		if (other != NULL && path_exists(other)) {
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s is not the first segment of its "
					  "set; give %s",
					  path, other);
			goto out;
		}
		free(other);
		other = NULL;
		if (first > 1) {
			other = fg_strdup_printf("%s.%03u", base, 1u);
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s is not the first segment of its "
					  "set; give %s",
					  path, other ? other : "NAME.001");
			goto out;
		}
	}
	for (num = first; num <= 999; num++) {
		char *p = fg_strdup_printf("%s.%03u", base, num);
		if (p == NULL) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
		if (num != first && !path_exists(p)) {
			free(p);
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *q = realloc(names, ncap * sizeof(*names));
			if (q == NULL) {
				free(p);
				rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
						  "out of memory");
				goto out;
			}
			names = q;
			cap = ncap;
		}
		names[n++] = p;
	}
	/* A gap: a later segment exists past the first missing one. */
	for (k = 1; k <= 4 && num + k <= 999; k++) {
		free(other);
		other = fg_strdup_printf("%s.%03u", base, num + (unsigned)k);
		if (other != NULL && path_exists(other)) {
			rc = fg_error_set(err, FG_ESOURCE, ENOENT,
					  "%s.%03u: segment missing: the set "
					  "%s ... stops after %s, but %s "
					  "exists",
					  base, num, path, names[n - 1], other);
			goto out;
		}
	}
	rc = fg_image_open_rawset(out, (const char *const *)names, n,
				  FG_CONTAINER_SPLIT_RAW, flags, err);
out:
	for (k = 0; k < n; k++)
		free(names[k]);
	free(names);
	free(base);
	free(other);
	return rc;
}

int fg_image_open(struct fg_image **out, const char *path, int kind,
		  unsigned flags, struct fg_error *err)
{
	struct fg_detect d;
	int rc;

	*out = NULL;
	if (kind == FG_CONTAINER_UNKNOWN) {
		rc = fg_container_detect(path, &d, err);
		if (rc != FG_OK)
			return rc;
		kind = d.kind;
	}
	switch (kind) {
	case FG_CONTAINER_EWF:
		return fg_image_open_ewf(out, path, flags, err);
	case FG_CONTAINER_RAW:
		return fg_image_open_rawset(out, &path, 1, FG_CONTAINER_RAW,
					    flags, err);
	case FG_CONTAINER_SPLIT_RAW:
		if (strlen(path) < 5)
			return fg_error_set(err, FG_EINVAL, 0,
					    "%s: not a split raw name", path);
		return open_split(out, path, flags, err);
	case FG_CONTAINER_RECORD:
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: a forage record names evidence; it "
				    "is not an image itself",
				    path);
	}
	return fg_error_set(err, FG_EINVAL, 0, "%s: unknown container kind",
			    path);
}

int fg_image_open_raw_files(struct fg_image **out, const char *const *paths,
			    size_t n, unsigned flags, struct fg_error *err)
{
	return fg_image_open_rawset(out, paths, n,
				    n > 1 ? FG_CONTAINER_SPLIT_RAW
					  : FG_CONTAINER_RAW,
				    flags, err);
}

size_t fg_image_block_size(const struct fg_image *img)
{
	return img->ops->block_size(img);
}

int fg_image_stream(struct fg_image *img, struct fg_pipe *pipe,
		    const struct fg_image_read_opts *o,
		    struct fg_image_read_stats *st, struct fg_error *err)
{
	memset(st, 0, sizeof(*st));
	return img->ops->stream(img, pipe, o, st, err);
}

const struct fg_image_segment *fg_image_segment_at(const struct fg_image *img,
						   uint64_t off)
{
	size_t lo = 0, hi = img->nsegs;

	if (img->kind != FG_CONTAINER_RAW &&
	    img->kind != FG_CONTAINER_SPLIT_RAW)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fg_image_segment *s = &img->segs[mid];
		if (off < s->media_start)
			hi = mid;
		else if (off - s->media_start >= s->media_len)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}
