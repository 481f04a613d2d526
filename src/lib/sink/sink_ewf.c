/*
 * sink_ewf.c - E01 evidence through libewf: OUTBASE.E01, .E02 ... (the
 * only writer that includes libewf.h; it turns libewf's errors into ours).
 *
 *   NEW --open--> OPEN --write*, mark_bad*--> OPEN --finish--> DONE
 *                   \----------------------------abort--> ABORTED
 *
 * open: every name the set could take is checked free, then the working
 *   folder OUTBASE.E01.incomplete/ is created (mkdir never replaces) and a
 *   libewf handle is configured to write OUTBASE.E01 ... inside it: format,
 *   bytes per sector, media size, segment size, compression, media type
 *   and flags, the header values from the case metadata.
 * write: bytes arrive in order; they are cut into chunks, compressed by
 *   the deflate pool on worker threads and handed back in order to
 *   libewf_handle_write_chunk (on the writer's thread only).  The media's
 *   last chunk waits for finish.  Each segment libewf has closed (it
 *   started the next) is hashed in the background (filehash).
 * mark_bad: one acquiry error per unreadable range.
 * finish: zeros up to a whole sector (EWF stores whole sectors; the E01's
 *   MD5 is then that of the padded media, which the engine computed from
 *   its running digests), the last chunk, the hashes, libewf's
 *   finalize/close; then each segment file is checked against the segment
 *   size, hashed (or its background digests taken), made read-only and
 *   fsynced, and moved into OUTBASE's folder from the last to the first,
 *   so that OUTBASE.E01 appears last.
 * abort: the pool stops and libewf closes the set; libewf writes the
 *   closing "done" section only when the whole media was written, which
 *   the held-back last chunk prevents, so what stays in the working
 *   folder is an E01 set no reader takes for complete, under a name that
 *   says so.
 *
 * The header values, media type and set identifier (from the case
 * metadata) and the description for the record are in sink_ewf_meta.c.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <libewf.h>

#include <forage/deflate.h>
#include <forage/filehash.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/sink.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"
#include "sink/sink_int.h"
#include "sink/sink_ewf_int.h"

/* ---- What libewf 20140813 writes, per format ---------------------------- */

/* Checked by writing each and reading it back with ewfinfo/ewfverify:
 * only encase6, linen6 and ewfx keep SHA-1; encase2, ftk, smart and ewf
 * have no place for acquiry errors.  From EnCase 5 on (and linen, its
 * Linux acquirer), the sectors a chunk can vary (ewfacquire offers 16
 * to 32768), and libewf reads any; the older formats were
 * written with 64 sectors a chunk only. */
static const struct ewf_fmt formats[] = {
    {"encase6", LIBEWF_FORMAT_ENCASE6, 'E', 0, 1, 1, 0, 1, 1, 1},
    {"encase5", LIBEWF_FORMAT_ENCASE5, 'E', 0, 1, 0, 0, 0, 0, 1},
    {"encase4", LIBEWF_FORMAT_ENCASE4, 'E', 0, 1, 0, 0, 0, 0, 0},
    {"encase3", LIBEWF_FORMAT_ENCASE3, 'E', 0, 1, 0, 0, 0, 0, 0},
    {"encase2", LIBEWF_FORMAT_ENCASE2, 'E', 0, 0, 0, 0, 0, 0, 0},
    {"linen6", LIBEWF_FORMAT_LINEN6, 'E', 0, 1, 1, 0, 0, 0, 1},
    {"linen5", LIBEWF_FORMAT_LINEN5, 'E', 0, 1, 0, 0, 0, 0, 1},
    {"ftk", LIBEWF_FORMAT_FTK_IMAGER, 'E', 0, 0, 0, 0, 0, 0, 0},
    {"smart", LIBEWF_FORMAT_SMART, 's', 1, 0, 0, 0, 0, 0, 0},
    {"ewf", LIBEWF_FORMAT_EWF, 'e', 1, 0, 0, 0, 0, 0, 0},
    {"ewfx", LIBEWF_FORMAT_EWFX, 'e', 0, 1, 1, 1, 1, 0, 1},
};

#define FORMAT_NAMES                                                           \
	"encase6, encase5, encase4, encase3, encase2, linen6, linen5, ftk, "   \
	"smart, ewf, ewfx"

#define DEFAULT_SEGMENT	  ((uint64_t)3 << 29) /* 1.5 GiB */
#define MIN_SEGMENT	  ((uint64_t)1 << 20)
#define MAX_SMALL_SEGMENT ((uint64_t)INT32_MAX)
#define TIB2		  ((uint64_t)2 << 40)
/* libewf 20140813 keeps a pointer (8 bytes) for every chunk of the media in
 * one array of at most 1 GiB (libmfdata), allocated when the first chunk is
 * written: at most this many chunks, and 8 bytes of memory each. */
#define MAX_CHUNKS	  ((uint64_t)134217727)
#define CHUNK_SECTORS	  64 /* libewf's default chunk: 64 sectors */
#define MAX_CHUNK_SECTORS 32768
#define MAX_CHUNK_BYTES	  ((uint64_t)16 << 20)
/* The default chunk (--chunk-size auto): 64 sectors, doubled while the
 * media would take more than AUTO_CHUNKS of them, up to AUTO_MAX_BYTES.
 * libewf's 8 bytes a chunk then stay within 16 MiB up to 4 TiB of
 * 512-byte sectors (instead of 1 GiB), larger chunks are written faster,
 * and the deflate pool's slots of 2M chunks still fit the memory target
 * (docs/design.md): 64 GiB gets 32K chunks, 1 TiB 512K, 4 TiB and over 2M. */
#define AUTO_CHUNKS    ((uint64_t)1 << 21)
#define AUTO_MAX_BYTES ((uint64_t)2 << 20)

/* libewf keeps room in a segment for the next/done section only; the
 * last segment also gets the hash, digest, error2 (8 bytes an unreadable
 * range) and xhash sections at the end.  A 64th of the segment, at least
 * 32K (some 4000 ranges) and at most 16M (two million), is kept free for
 * them; what finish() finds is checked against the limit anyway. */
static uint64_t tail_reserve(uint64_t segment_size)
{
	uint64_t r = segment_size / 64;

	if (r < ((uint64_t)32 << 10))
		r = (uint64_t)32 << 10;
	if (r > ((uint64_t)16 << 20))
		r = (uint64_t)16 << 20;
	return r;
}

/* Space held in the working folder and given back when the set is
 * finished or abandoned: a full destination still takes the record that
 * says the run failed. */
#define RESERVE ((off_t)256 << 10)

static const struct ewf_fmt *find_format(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

uint32_t fg_ewf_auto_sectors_per_chunk(const char *ewf_format,
				       uint64_t media_size,
				       uint32_t sector_size)
{
	const struct ewf_fmt *f = find_format(ewf_format);
	uint32_t spc = CHUNK_SECTORS;

	if (f == NULL || sector_size == 0)
		return 0;
	if (!f->anychunk)
		return spc;
	while ((uint64_t)spc * 2 * sector_size <= AUTO_MAX_BYTES &&
	       media_size > AUTO_CHUNKS * spc * sector_size)
		spc *= 2;
	return spc;
}

/* ---- Segment names (libewf's scheme) ---------------------------------- */

/* Segment names are ewf/'s (ewf_name.c): the family is the extension of
 * the first segment, "E01" (or "s01", "e01") by the format's letter. */
static const char *family_of(char first, char fam[4])
{
	fam[0] = first;
	fam[1] = '0';
	fam[2] = '1';
	fam[3] = '\0';
	return fam;
}

/* Extension of segment n: E01..E99, EAA..ZZZ (s01.., e01.. likewise).
 * Returns 0, or -1 past the last name the scheme has. */
static int seg_ext(char ext[4], unsigned n, char first)
{
	char fam[4];

	return fg_ewf_segment_ext(ext, 4, family_of(first, fam), n);
}

static unsigned max_segments(char first)
{
	char fam[4];

	return fg_ewf_segment_max(family_of(first, fam));
}

/* ---- The sink --------------------------------------------------------- */

/* libewf's error as one line: the outermost message and the innermost
 * cause. */
void fg_sink_ewf_msg(libewf_error_t *e, char *buf, size_t len)
{
	char tmp[2048];
	char *first, *last;

	buf[0] = '\0';
	if (e == NULL) {
		snprintf(buf, len, "libewf gave no reason");
		return;
	}
	if (libewf_error_backtrace_sprint(e, tmp, sizeof(tmp)) <= 0) {
		snprintf(buf, len, "libewf gave no reason");
		return;
	}
	tmp[sizeof(tmp) - 1] = '\0';
	while (strlen(tmp) > 0 && tmp[strlen(tmp) - 1] == '\n')
		tmp[strlen(tmp) - 1] = '\0';
	first = tmp;
	last = strrchr(tmp, '\n');
	if (last == NULL) {
		snprintf(buf, len, "%s", tmp);
		return;
	}
	*strchr(first, '\n') = '\0';
	last++;
	if (strcmp(first, last) == 0)
		snprintf(buf, len, "%s", last);
	else
		snprintf(buf, len, "%s (%s)", last, first);
}

/* Record a libewf failure: FG_ENOSPC when the working folder's file
 * system is full (libewf reports a short write, not the errno). */
static int ewf_fail(struct ewf_priv *ep, struct fg_error *err,
		    libewf_error_t **e, int code, const char *what)
{
	char why[1024];
	struct statvfs sv;
	char ext[4] = "";
	int rc;

	fg_sink_ewf_msg(e != NULL ? *e : NULL, why, sizeof(why));
	if (e != NULL)
		libewf_error_free(e);
	if (ep->nsegs == 0 || seg_ext(ext, ep->nsegs, ep->fmt->ext) != 0)
		seg_ext(ext, 1, ep->fmt->ext);
	if (ep->work != NULL && statvfs(ep->work, &sv) == 0 &&
	    (uint64_t)sv.f_bavail * sv.f_frsize <
		2 * (uint64_t)ep->chunk_size + 65536) {
		rc = fg_error_set(err, FG_ENOSPC, ENOSPC,
				  "%s/%s.%s: destination full (ENOSPC while "
				  "%s; %llu bytes free; libewf: %s)",
				  ep->work, ep->base, ext, what,
				  (unsigned long long)sv.f_bavail * sv.f_frsize,
				  why);
		return rc;
	}
	return fg_error_set(err, code, 0, "%s/%s.%s: %s failed: %s",
			    ep->work ? ep->work : ep->dir, ep->base, ext, what,
			    why);
}

/* The highest segment file libewf has created so far (for messages). */
static void count_segments(struct ewf_priv *ep)
{
	unsigned n = ep->nsegs ? ep->nsegs : 1;

	for (;; n++) {
		char ext[4];
		char *p;
		int there;

		if (seg_ext(ext, n, ep->fmt->ext) != 0)
			break;
		p = fg_strdup_printf("%s.%s", ep->work_base, ext);
		if (p == NULL)
			break;
		there = access(p, F_OK) == 0;
		free(p);
		if (!there)
			break;
		ep->nsegs = n;
	}
}

static int emit_chunk(void *ctx, const struct fg_zchunk *c,
		      struct fg_error *err)
{
	struct fg_sink *s = ctx;
	struct ewf_priv *ep = s->priv;
	libewf_error_t *e = NULL;
	ssize_t n;

	n = libewf_handle_write_chunk(ep->h, c->data, c->len, c->raw_len,
				      (int8_t)c->compressed, c->checksum_buf,
				      c->checksum, c->compressed ? 0 : 1, &e);
	if (n != (ssize_t)c->len) {
		count_segments(ep);
		if (n >= 0 && e == NULL) {
			return fg_error_set(
			    err, FG_EOUTPUT, 0,
			    "%s: libewf took %zd of %zu bytes of chunk "
			    "%llu",
			    ep->work, n, c->len, (unsigned long long)c->index);
		}
		{
			char what[96];
			snprintf(what, sizeof(what),
				 "writing the chunk at offset %llu",
				 (unsigned long long)c->index *
				     ep->chunk_size);
			return ewf_fail(ep, err, &e, FG_EOUTPUT, what);
		}
	}
	ep->emitted += c->raw_len;
	/* libewf closes a segment for good when it starts the next: from
	 * then on its digests can be computed in the background. */
	if ((c->index & 63) == 63) {
		count_segments(ep);
		while (ep->offered + 1 < ep->nsegs) {
			char ext[4];
			char *path;
			seg_ext(ext, ++ep->offered, ep->fmt->ext);
			path = fg_strdup_printf("%s.%s", ep->work_base, ext);
			if (path != NULL)
				fg_filehash_offer(ep->fh, path);
			free(path);
		}
	}
	return FG_OK;
}

static void ewf_free_priv(struct fg_sink *s)
{
	struct ewf_priv *ep = s->priv;

	if (ep == NULL)
		return;
	fg_zpool_free(ep->pool);
	fg_filehash_free(ep->fh);
	if (ep->h != NULL) {
		if (ep->handle_open)
			libewf_handle_close(ep->h, NULL);
		libewf_handle_free(&ep->h, NULL);
	}
	free(ep->outbase);
	free(ep->dir);
	free(ep->base);
	free(ep->work);
	free(ep->work_base);
	free(ep->reserve);
	free(ep);
	s->priv = NULL;
}

/* Every name the set could take (and .E01 to .E99 whatever the size:
 * stray segments beside a new set mislead), and the working folder, are
 * free.  Case-insensitively: evidence drives are often FAT or exFAT. */
static int check_names(struct fg_sink *s, unsigned most)
{
	struct ewf_priv *ep = s->priv;
	size_t blen = strlen(ep->base);
	struct dirent *d;
	DIR *dir;
	int rc = FG_OK;

	if (access(ep->work, F_OK) == 0)
		return fg_error_set(&s->err, FG_EEXIST, EEXIST,
				    "%s: an unfinished earlier run left this; "
				    "move it away",
				    ep->work);
	dir = opendir(ep->dir);
	if (dir == NULL)
		return fg_error_set(&s->err, FG_EOUTPUT, errno,
				    "%s: cannot list the output folder: %s",
				    ep->dir, strerror(errno));
	while (rc == FG_OK && (d = readdir(dir)) != NULL) {
		char fam[4];
		long n;

		if (strlen(d->d_name) != blen + 4 ||
		    strncasecmp(d->d_name, ep->base, blen) != 0 ||
		    d->d_name[blen] != '.')
			continue;
		n = fg_ewf_segment_number(d->d_name + blen + 1,
					  family_of(ep->fmt->ext, fam));
		if (n >= 1 && (n <= 99 || n <= (long)most))
			rc = fg_error_set(&s->err, FG_EEXIST, EEXIST,
					  "%s/%s: exists already; forage never "
					  "overwrites evidence",
					  ep->dir, d->d_name);
	}
	closedir(dir);
	return rc;
}

static int parse_compression(struct fg_sink *s, const char *c,
			     enum fg_zmode *mode, int8_t *level, uint8_t *flags)
{
	*flags = 0;
	if (c == NULL || strcmp(c, "fast") == 0) {
		*mode = FG_Z_FAST;
		*level = LIBEWF_COMPRESSION_FAST;
	} else if (strcmp(c, "best") == 0) {
		*mode = FG_Z_BEST;
		*level = LIBEWF_COMPRESSION_BEST;
	} else if (strcmp(c, "none") == 0) {
		*mode = FG_Z_NONE;
		*level = LIBEWF_COMPRESSION_NONE;
	} else if (strcmp(c, "empty-block") == 0) {
		*mode = FG_Z_EMPTY_BLOCK;
		*level = LIBEWF_COMPRESSION_NONE;
		*flags = LIBEWF_COMPRESS_FLAG_USE_EMPTY_BLOCK_COMPRESSION;
	} else {
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "--compression '%s': want none, "
				    "empty-block, fast or best",
				    c);
	}
	return FG_OK;
}

static int split_outbase(struct ewf_priv *ep, const char *outbase)
{
	const char *slash = strrchr(outbase, '/');

	if (slash == NULL) {
		ep->dir = strdup(".");
		ep->base = strdup(outbase);
	} else {
		ep->dir = slash == outbase
			      ? strdup("/")
			      : strndup(outbase, (size_t)(slash - outbase));
		ep->base = strdup(slash + 1);
	}
	ep->outbase = strdup(outbase);
	return ep->dir != NULL && ep->base != NULL && ep->outbase != NULL
		   ? FG_OK
		   : FG_ENOMEM;
}

static int configure(struct fg_sink *s, const struct fg_sink_params *p,
		     int8_t level, uint8_t flags)
{
	struct ewf_priv *ep = s->priv;
	libewf_error_t *e = NULL;
	char *names[1];
	const struct fg_case_meta *m = p->meta;
	size32_t chunk = 0;

	if (libewf_handle_initialize(&ep->h, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_ENOMEM, "starting libewf");
	names[0] = ep->work_base;
	if (libewf_handle_open(ep->h, names, 1, LIBEWF_OPEN_WRITE, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EOUTPUT,
				"opening for writing");
	ep->handle_open = 1;
	if (libewf_handle_set_format(ep->h, ep->fmt->id, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the format");
	if (libewf_handle_set_bytes_per_sector(ep->h, p->sector_size, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting bytes per sector");
	if (libewf_handle_set_media_size(ep->h, ep->padded_size, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the media size");
	if (libewf_handle_set_sectors_per_chunk(ep->h, ep->sectors_per_chunk,
						&e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the sectors per chunk");
	if (libewf_handle_set_maximum_segment_size(
		ep->h, ep->segment_size - tail_reserve(ep->segment_size), &e) !=
	    1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the segment size");
	if (libewf_handle_set_compression_values(ep->h, level, flags, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the compression");
	if (fg_sink_ewf_set_identifier(ep, m) != FG_OK)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	if (libewf_handle_set_segment_file_set_identifier(ep->h, ep->guid, 16,
							  &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the set identifier");
	fg_sink_ewf_media(ep, m);
	if (libewf_handle_set_media_type(ep->h, ep->media_type, &e) != 1 ||
	    libewf_handle_set_media_flags(ep->h, ep->media_flags, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"setting the media type");
	if (libewf_handle_get_chunk_size(ep->h, &chunk, &e) != 1 ||
	    libewf_handle_get_sectors_per_chunk(ep->h, &ep->sectors_per_chunk,
						&e) != 1 ||
	    chunk == 0)
		return ewf_fail(ep, &s->err, &e, FG_EINVAL,
				"reading the chunk size");
	ep->chunk_size = chunk;
	return fg_sink_ewf_headers(s, m);
}

static int make_reserve(struct fg_sink *s)
{
	struct ewf_priv *ep = s->priv;
	int fd, e;

	ep->reserve = fg_strdup_printf("%s/.space-reserve", ep->work);
	if (ep->reserve == NULL)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	fd = open(ep->reserve, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		free(ep->reserve);
		ep->reserve = NULL;
		return fg_error_set(&s->err, fg_status_for_write_errno(e), e,
				    "%s/.space-reserve: cannot create: %s",
				    ep->work, strerror(e));
	}
	e = posix_fallocate(fd, 0, RESERVE);
	close(fd);
	if (e != 0)
		return fg_error_set(&s->err, fg_status_for_write_errno(e), e,
				    "%s: cannot set aside %lld bytes for the "
				    "record: %s",
				    ep->work, (long long)RESERVE, strerror(e));
	return FG_OK;
}

static void drop_reserve(struct ewf_priv *ep)
{
	if (ep->reserve != NULL)
		unlink(ep->reserve);
	free(ep->reserve);
	ep->reserve = NULL;
}

static int ewf_open(struct fg_sink *s, const struct fg_sink_params *p)
{
	struct ewf_priv *ep;
	struct fg_zpool_opts zo;
	struct fg_ewf_options eo;
	int8_t level = 0; /* set by parse_compression */
	uint8_t flags;
	uint64_t chunks, per_seg, most;
	char ext[4];
	int rc;

	ep = calloc(1, sizeof(*ep));
	if (ep == NULL)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	s->priv = ep;
	s->random_access = 0;
	if (p->ewf != NULL)
		eo = *p->ewf;
	else
		memset(&eo, 0, sizeof(eo));
	ep->fmt = find_format(eo.ewf_format ? eo.ewf_format : "encase6");
	if (ep->fmt == NULL) {
		const char *why = (strcmp(eo.ewf_format, "encase7") == 0 ||
				   strcmp(eo.ewf_format, "linen7") == 0)
				      ? "libewf " LIBEWF_VERSION_STRING
					" writes it "
					"as EnCase 5 without acquiry errors"
				      : "not a format this libewf writes";
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "--ewf-format '%s': %s (known: %s)",
				    eo.ewf_format, why, FORMAT_NAMES);
	}
	if ((rc = parse_compression(s, eo.compression, &ep->mode, &level,
				    &flags)) != FG_OK)
		return rc;
	ep->compression = eo.compression ? eo.compression : "fast";
	if (!(p->hash_mask & FG_HASH_MD5))
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "an E01 stores the MD5 of the media: "
				    "--hash must include md5 with --format "
				    "e01");
	if (p->sector_size < 512 || p->sector_size > 65536 ||
	    (p->sector_size & (p->sector_size - 1)) != 0)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01: unsupported sector size %u",
				    p->sector_size);
	ep->sector_size = p->sector_size;
	ep->media_size = p->media_size;
	ep->padded_size = (p->media_size + p->sector_size - 1) /
			  p->sector_size * p->sector_size;
	ep->segment_size = p->segment_size ? p->segment_size : DEFAULT_SEGMENT;
	if (ep->segment_size < MIN_SEGMENT)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "--segment-size %llu: an E01 segment "
				    "must be at least 1M",
				    (unsigned long long)ep->segment_size);
	if (!ep->fmt->bigseg && ep->segment_size > MAX_SMALL_SEGMENT)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "--segment-size %llu: the %s format "
				    "allows at most %llu bytes a segment "
				    "(encase6 allows more)",
				    (unsigned long long)ep->segment_size,
				    ep->fmt->name,
				    (unsigned long long)MAX_SMALL_SEGMENT);
	if (!ep->fmt->big && ep->padded_size > TIB2)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "the %s format holds at most 2 TiB; the "
				    "media has %llu bytes (use encase6 or "
				    "ewfx)",
				    ep->fmt->name,
				    (unsigned long long)ep->padded_size);
	ep->sectors_per_chunk = fg_ewf_auto_sectors_per_chunk(
	    ep->fmt->name, ep->padded_size, ep->sector_size);
	if (eo.chunk_size != 0) {
		uint64_t spc = eo.chunk_size / ep->sector_size;
		if (eo.chunk_size % ep->sector_size != 0 ||
		    spc < CHUNK_SECTORS || spc > MAX_CHUNK_SECTORS ||
		    (spc & (spc - 1)) != 0 || eo.chunk_size > MAX_CHUNK_BYTES)
			return fg_error_set(
			    &s->err, FG_EINVAL, 0,
			    "--chunk-size %llu: an E01 chunk is a power of "
			    "two of %u-byte sectors, from %u sectors (%u "
			    "bytes) to %u sectors and at most 16M",
			    (unsigned long long)eo.chunk_size, ep->sector_size,
			    CHUNK_SECTORS, CHUNK_SECTORS * ep->sector_size,
			    MAX_CHUNK_SECTORS);
		ep->sectors_per_chunk = (uint32_t)spc;
	}
	{
		const uint64_t cs =
			(uint64_t)ep->sectors_per_chunk * ep->sector_size;
		if ((ep->padded_size + cs - 1) / cs > MAX_CHUNKS)
			return fg_error_set(
			    &s->err, FG_EINVAL, 0,
			    "an E01 written through libewf %s holds at most "
			    "%llu chunks of %llu bytes (%llu bytes); the "
			    "media has %llu bytes: use a larger "
			    "--chunk-size, or --format raw",
			    libewf_get_version(),
			    (unsigned long long)MAX_CHUNKS,
			    (unsigned long long)cs,
			    (unsigned long long)(MAX_CHUNKS * cs),
			    (unsigned long long)ep->padded_size);
	}
	if (split_outbase(ep, p->outbase) != FG_OK)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	seg_ext(ext, 1, ep->fmt->ext);
	ep->work = fg_strdup_printf("%s.%s.incomplete", p->outbase, ext);
	ep->work_base =
	    ep->work ? fg_strdup_printf("%s/%s", ep->work, ep->base) : NULL;
	if (ep->work_base == NULL)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	/* The most segments this media can need: every chunk stored as is
	 * with its checksum and two table entries (S01: 16 bytes of
	 * compression overhead), and room for the sections around them. */
	chunks = ep->padded_size / (64u * p->sector_size) + 1;
	per_seg = (ep->segment_size - tail_reserve(ep->segment_size) - 65536) /
		  (64u * p->sector_size + 4 + 8 + (ep->fmt->s01 ? 16 : 0));
	if (per_seg == 0)
		per_seg = 1;
	most = chunks / per_seg + 2;
	if (ep->padded_size /
		(ep->segment_size - tail_reserve(ep->segment_size)) >
	    max_segments(ep->fmt->ext))
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "--segment-size %llu: %llu bytes need "
				    "more than the %u segment files E01 "
				    "naming allows",
				    (unsigned long long)ep->segment_size,
				    (unsigned long long)ep->padded_size,
				    max_segments(ep->fmt->ext));
	if (most > max_segments(ep->fmt->ext))
		most = max_segments(ep->fmt->ext);
	if ((rc = check_names(s, (unsigned)most)) != FG_OK)
		return rc;
	if (mkdir(ep->work, 0755) != 0) {
		int e = errno;
		return fg_error_set(
		    &s->err,
		    e == EEXIST ? FG_EEXIST : fg_status_for_write_errno(e), e,
		    "%s: cannot create the working folder: "
		    "%s",
		    ep->work, strerror(e));
	}
	rc = configure(s, p, level, flags);
	if (rc == FG_OK) {
		memset(&zo, 0, sizeof(zo));
		zo.mode = ep->mode;
		zo.always_compress = ep->fmt->s01;
		zo.chunk_size = ep->chunk_size;
		zo.threads = p->threads;
		zo.emit = emit_chunk;
		zo.ctx = s;
		rc = fg_zpool_new(&ep->pool, &zo, &s->err);
		if (rc == FG_OK)
			rc = fg_filehash_new(&ep->fh, &s->err);
		if (rc == FG_OK)
			ep->threads = fg_zpool_threads(ep->pool);
	}
	if (rc == FG_OK)
		rc = make_reserve(s);
	if (rc != FG_OK) {
		/* Nothing was written: leave nothing behind. */
		if (ep->h != NULL) {
			libewf_handle_free(&ep->h, NULL);
			ep->handle_open = 0;
		}
		drop_reserve(ep);
		rmdir(ep->work);
		return rc;
	}
	return FG_OK;
}

/* Fill chunks from buf; full chunks go to the pool. */
static int feed(struct fg_sink *s, const unsigned char *p, size_t len)
{
	struct ewf_priv *ep = s->priv;
	int rc;

	while (len > 0) {
		size_t n;

		if (ep->cur == NULL) {
			rc = fg_zpool_get(ep->pool, &ep->cur, &s->err);
			if (rc != FG_OK)
				return rc;
			ep->cur_len = 0;
		}
		n = ep->chunk_size - ep->cur_len;
		if (n > len)
			n = len;
		memcpy(ep->cur + ep->cur_len, p, n);
		ep->cur_len += n;
		ep->fed += n;
		p += n;
		len -= n;
		/* The media's last chunk waits for finish(): until libewf
		 * has it, no close can give the set its "done" section. */
		if (ep->cur_len == ep->chunk_size &&
		    ep->fed < ep->padded_size) {
			ep->cur = NULL;
			rc = fg_zpool_put(ep->pool, ep->chunk_size, &s->err);
			if (rc != FG_OK)
				return rc;
		}
	}
	return FG_OK;
}

static int ewf_write(struct fg_sink *s, const void *buf, size_t len,
		     uint64_t off)
{
	struct ewf_priv *ep = s->priv;
	int rc;

	if (off != ep->written)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01 sink: write at offset %llu, expected "
				    "%llu (an E01 is written in order)",
				    (unsigned long long)off,
				    (unsigned long long)ep->written);
	if (len > ep->media_size - ep->written)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01 sink: write past the media end");
	rc = feed(s, buf, len);
	if (rc == FG_OK)
		ep->written += len;
	return rc;
}

static int ewf_mark_bad(struct fg_sink *s, uint64_t lba, uint64_t count)
{
	struct ewf_priv *ep = s->priv;
	libewf_error_t *e = NULL;

	if (count == 0 || lba + count > ep->padded_size / ep->sector_size)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01 sink: bad range LBA %llu + %llu is "
				    "outside the media",
				    (unsigned long long)lba,
				    (unsigned long long)count);
	if (libewf_handle_append_acquiry_error(ep->h, lba, count, &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EOUTPUT,
				"adding an acquiry error");
	ep->nbad++;
	ep->bad_sectors += count;
	return FG_OK;
}

static int set_hash(struct fg_sink *s, const char *id, const char *hex)
{
	struct ewf_priv *ep = s->priv;
	libewf_error_t *e = NULL;

	if (libewf_handle_set_utf8_hash_value(ep->h, (const uint8_t *)id,
					      strlen(id), (const uint8_t *)hex,
					      strlen(hex), &e) != 1)
		return ewf_fail(ep, &s->err, &e, FG_EOUTPUT,
				"storing the hash");
	{
		size_t used = strlen(ep->hashes_stored);
		snprintf(ep->hashes_stored + used,
			 sizeof(ep->hashes_stored) - used, "%s%s",
			 used ? "," : "", id);
	}
	return FG_OK;
}

/* Make segment i (1-based) final in the working folder: within the size
 * limit, hashed, read-only, on disk.  f gets the size and hashes. */
static int seal_segment(struct fg_sink *s, const char *path,
			struct fg_outfile *f)
{
	struct ewf_priv *ep = s->priv;
	struct stat st;
	int fd, rc, e, reused = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return fg_error_set(&s->err, FG_EOUTPUT, e, "%s: %s", path,
				    strerror(e));
	}
	if ((uint64_t)st.st_size > ep->segment_size) {
		close(fd);
		return fg_error_set(&s->err, FG_EOUTPUT, 0,
				    "%s: %llu bytes, more than the segment "
				    "size %llu",
				    path, (unsigned long long)st.st_size,
				    (unsigned long long)ep->segment_size);
	}
	/* Start writing it back now; the fsync after the digests then
	 * finds little left to wait for. */
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	rc = fg_filehash_get(ep->fh, fd, path, f, &reused, &s->err);
	if (reused)
		ep->hashed_early++;
	if (rc == FG_OK && f->size != (uint64_t)st.st_size)
		rc = fg_error_set(&s->err, FG_EOUTPUT, 0,
				  "%s: changed while it was hashed (%llu "
				  "bytes, then %llu)",
				  path, (unsigned long long)st.st_size,
				  (unsigned long long)f->size);
	if (rc == FG_OK && (fchmod(fd, 0444) != 0 || fsync(fd) != 0)) {
		e = errno;
		rc = fg_error_set(&s->err, fg_status_for_write_errno(e), e,
				  "%s: cannot finish writing: %s", path,
				  strerror(e));
	}
	close(fd);
	return rc;
}

/* Move segments n..1 (last first) to their final names; on a failure put
 * back what was moved, so the set stays whole in one place. */
static int move_segments(struct fg_sink *s, char **work, char **final,
			 unsigned n)
{
	struct ewf_priv *ep = s->priv;
	unsigned i = n;

	while (i-- > 0) {
		if (fg_rename_noreplace(work[i], final[i]) != 0) {
			int e = errno;
			unsigned k;
			for (k = i + 1; k < n; k++)
				fg_rename_noreplace(final[k], work[k]);
			return fg_error_set(
			    &s->err, e == EEXIST ? FG_EEXIST : FG_EOUTPUT, e,
			    "%s: cannot move to %s: %s; the "
			    "set stays in %s",
			    work[i], final[i], strerror(e), ep->work);
		}
	}
	return FG_OK;
}

static int finish_set(struct fg_sink *s, const struct fg_media_hashes *h)
{
	struct ewf_priv *ep = s->priv;
	libewf_error_t *e = NULL;
	uint64_t pad = ep->padded_size - ep->media_size;
	char **work = NULL, ** final = NULL;
	const char *md5, *sha1, *sha256;
	unsigned i, n = 0;
	int rc;

	if (ep->written != ep->media_size)
		return fg_error_set(&s->err, FG_ESTATE, 0,
				    "E01 sink: finish after %llu of %llu "
				    "bytes",
				    (unsigned long long)ep->written,
				    (unsigned long long)ep->media_size);
	if (pad != h->pad_bytes || (pad > 0 && h->padded_md5[0] == '\0'))
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01 sink: the media needs %llu bytes of "
				    "padding but the digests were computed "
				    "for %u",
				    (unsigned long long)pad, h->pad_bytes);
	md5 = pad ? h->padded_md5 : h->md5;
	sha1 = pad ? h->padded_sha1 : h->sha1;
	sha256 = pad ? h->padded_sha256 : h->sha256;
	if (md5[0] == '\0')
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01 sink: no MD5 of the media to store");
	/* Zeros to the sector boundary, then the last chunk. */
	while (pad > 0) {
		static const unsigned char zero[4096];
		size_t k = pad < sizeof(zero) ? (size_t)pad : sizeof(zero);
		if ((rc = feed(s, zero, k)) != FG_OK)
			return rc;
		pad -= k;
	}
	if (ep->cur != NULL && ep->cur_len > 0) {
		ep->cur = NULL;
		if ((rc = fg_zpool_put(ep->pool, ep->cur_len, &s->err)) !=
		    FG_OK)
			return rc;
	}
	if ((rc = fg_zpool_flush(ep->pool, &s->err)) != FG_OK)
		return rc;
	if (ep->emitted != ep->padded_size)
		return fg_error_set(&s->err, FG_EOUTPUT, 0,
				    "%s: libewf took %llu of %llu bytes",
				    ep->work, (unsigned long long)ep->emitted,
				    (unsigned long long)ep->padded_size);
	if ((rc = set_hash(s, "MD5", md5)) != FG_OK)
		return rc;
	if (ep->fmt->sha1 && sha1[0] != '\0' &&
	    (rc = set_hash(s, "SHA1", sha1)) != FG_OK)
		return rc;
	if (ep->fmt->sha256 && sha256[0] != '\0' &&
	    (rc = set_hash(s, "SHA256", sha256)) != FG_OK)
		return rc;
	if (libewf_handle_write_finalize(ep->h, &e) < 0) {
		count_segments(ep);
		return ewf_fail(ep, &s->err, &e, FG_EOUTPUT,
				"finishing the E01");
	}
	ep->handle_open = 0;
	if (libewf_handle_close(ep->h, &e) != 0) {
		count_segments(ep);
		return ewf_fail(ep, &s->err, &e, FG_EOUTPUT, "closing the E01");
	}
	libewf_handle_free(&ep->h, NULL);
	count_segments(ep);
	n = ep->nsegs;
	if (n == 0)
		return fg_error_set(&s->err, FG_EOUTPUT, 0,
				    "%s: libewf wrote no segment file",
				    ep->work);
	work = calloc(n, sizeof(*work));
	final = calloc(n, sizeof(*final));
	if (work == NULL || final == NULL) {
		rc = fg_error_set(&s->err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		char ext[4];
		seg_ext(ext, i + 1, ep->fmt->ext);
		work[i] = fg_strdup_printf("%s.%s", ep->work_base, ext);
		final[i] = fg_strdup_printf("%s.%s", ep->outbase, ext);
		if (work[i] == NULL || final[i] == NULL ||
		    fg_sink_add_file(s, final[i]) != FG_OK) {
			rc = fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
		if ((rc = seal_segment(s, work[i], &s->files[i])) != FG_OK)
			goto out;
	}
	if (fg_fsync_parent(work[0]) != 0) {
		rc = fg_error_set(&s->err, fg_status_for_write_errno(errno),
				  errno, "%s: cannot sync the folder: %s",
				  ep->work, strerror(errno));
		goto out;
	}
	if ((rc = move_segments(s, work, final, n)) != FG_OK)
		goto out;
	fg_fsync_parent(final[0]);
	/* The set is complete and in place.  Should the folder not be
	 * empty, what else is in it is not ours to delete. */
	drop_reserve(ep);
	rmdir(ep->work);
	rc = FG_OK;
out:
	for (i = 0; i < n; i++) {
		if (work)
			free(work[i]);
		if (final)
			free(final[i]);
	}
	free(work);
	free(final);
	if (rc != FG_OK) {
		/* The files listed are not final. */
		for (i = 0; i < s->nfiles; i++)
			free(s->files[i].path);
		free(s->files);
		s->files = NULL;
		s->nfiles = 0;
	}
	return rc;
}

static int ewf_finish(struct fg_sink *s, const struct fg_media_hashes *h)
{
	int rc = finish_set(s, h);

	/* Given back whatever happened: the record comes next. */
	drop_reserve(s->priv);
	return rc;
}

static void remove_segments(struct ewf_priv *ep)
{
	unsigned n;

	count_segments(ep);
	for (n = 1; n <= ep->nsegs; n++) {
		char ext[4];
		char *p;
		if (seg_ext(ext, n, ep->fmt->ext) != 0)
			break;
		p = fg_strdup_printf("%s.%s", ep->work_base, ext);
		if (p != NULL)
			unlink(p);
		free(p);
	}
}

static void ewf_abort(struct fg_sink *s)
{
	struct ewf_priv *ep = s->priv;

	if (ep == NULL)
		return;
	drop_reserve(ep);
	fg_zpool_free(ep->pool);
	ep->pool = NULL;
	fg_filehash_free(ep->fh);
	ep->fh = NULL;
	ep->cur = NULL;
	if (ep->h != NULL) {
		/* Short of the media size (the last chunk is held back
		 * until finish), libewf's close leaves out the "done"
		 * section: the set reads as incomplete. */
		if (ep->handle_open)
			libewf_handle_close(ep->h, NULL);
		ep->handle_open = 0;
		libewf_handle_free(&ep->h, NULL);
		/* An empty media has no last chunk to hold back: libewf
		 * closes it as a whole (empty) set.  It holds nothing. */
		if (ep->padded_size == 0)
			remove_segments(ep);
	}
}

const struct fg_sink_ops fg_sink_ewf_ops = {
    .format = "e01",
    .flags =
	FG_SINK_WHOLE_SECTORS | FG_SINK_CHUNK_CHECKSUMS | FG_SINK_EWF_OPTIONS |
	FG_SINK_SIZE_VARIES,
    .open = ewf_open,
    .write = ewf_write,
    .mark_bad = ewf_mark_bad,
    .finish = ewf_finish,
    .abort = ewf_abort,
    .free_priv = ewf_free_priv,
    .describe = fg_sink_ewf_describe,
};

int fg_sink_new_ewf(struct fg_sink **out, struct fg_error *err)
{
	*out = fg_sink_alloc(&fg_sink_ewf_ops);
	if (*out == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return FG_OK;
}
