/*
 * ewf_read.c - EWF segment sets (E01, s01 ...) on the reading side, through
 * libewf: the only reading-side file that includes libewf.h.
 *
 * Open: libewf_glob finds the segment files; one walk of their sections
 * (ewf_meta.c over ewf_map.c) checks the set is whole (a last file ending
 * in 'next' means a missing segment: refused, naming it), lists damage it
 * can see (truncated files, damaged sections) as problems, and reads the
 * metadata.  An intact set of a flavour read directly takes the media
 * values, stored hashes, header values and acquiry errors from that walk
 * and opens no libewf handle until a chunk needs one, so nothing grows
 * with the chunk count; any other set is opened by libewf, which gives
 * them.
 *
 * Stream: one thread (the caller's) reads packed chunks in order, a batch
 * of chunks per pipeline block, into one of two staging areas: where the
 * walker knows exactly where a run of chunks lies in a whole segment file,
 * with one pread for the run; any other chunk with
 * libewf_handle_read_chunk (so libewf's messages still say what is wrong
 * with it).  Worker threads (ewf_chunk.c) inflate (ISA-L igzip when built
 * with it, else zlib) or checksum (Adler-32) the batch straight into the
 * pipeline block while the reader fills the other staging area; the
 * block is handed on when its batch is done, so the digests downstream see
 * the media in order.  A chunk that fails its checksum or cannot be
 * inflated, and one libewf cannot read, is handed on as zeros and reported
 * with its chunk number, media range and, from the section walker, its
 * segment file and offset.  Bytes the media's last chunk holds past the
 * media's end, or a chunk the tables list past the media's last one, their
 * checks holding, are reported through on_past_end: neither media nor
 * damage.
 *
 *   NEW --open--> OPEN --stream--> (STREAMING) --> OPEN --close--> freed
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <libewf.h>

#include <forage/container.h>
#include <forage/deflate.h>
#include <forage/pipeline.h>
#include <forage/reader.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"
#include "image/image_int.h"

#define TARGET_BLOCK (1u << 20)
/* libewf 20140813 keeps an entry (about 135 bytes) for every chunk it has
 * read until the handle is closed: 290 MiB after 64 GiB of media, and
 * ewfverify grows the same way.  Most chunks are read straight from the
 * files; once libewf has read REOPEN_CHUNKS of them (some 9 MiB of
 * entries), or a 64th of the media's chunks when that is more, the stream
 * opens the set afresh: an open costs a few milliseconds plus the 8 bytes
 * a chunk of libewf's index, filled anew, so at most 64 of them. */
#define REOPEN_CHUNKS 65536u
#define REOPEN_MAX 64u
#define MAX_CHUNK (64u << 20)

struct ewf_priv {
	libewf_handle_t *h;
	struct fg_ewf_map *map;
	uint64_t nchunks;      /* the media's chunks */
	uint64_t extra;        /* chunks the tables list past those (0, 1) */
	size_t per_block; /* chunks per pipeline block */
	int rfd;          /* the segment file read directly, or -1 */
	size_t rfd_seg;
	uint64_t libewf_reads; /* chunks libewf read since it was opened */
	int direct;            /* a flavour whose chunks may be read directly */
	int via_libewf;        /* fg_image_read_opts.via_libewf */
	unsigned char *scratch; /* a chunk read again through libewf */
	unsigned char *past;    /* bytes the set holds past the media's
				 * end (a chunk's worth) */
};

/* ---- libewf errors ---------------------------------------------------- */

/* libewf's message into buf, one line: the outermost failure and, when
 * it differs, the innermost cause; frees e. */
static void ewf_msg(libewf_error_t **e, char *buf, size_t len)
{
	char trace[2048], msg[2048];
	char *first, *last, *nl;

	buf[0] = '\0';
	if (e == NULL || *e == NULL) {
		snprintf(buf, len, "libewf gave no reason");
		return;
	}
	trace[0] = '\0';
	if (libewf_error_backtrace_sprint(*e, trace, sizeof(trace)) < 0)
		libewf_error_sprint(*e, trace, sizeof(trace));
	trace[sizeof(trace) - 1] = '\0';
	libewf_error_free(e);
	/* Lines: innermost first, outermost last. */
	while ((nl = strrchr(trace, '\n')) != NULL && nl[1] == '\0')
		*nl = '\0';
	first = trace;
	nl = strchr(trace, '\n');
	if (nl != NULL)
		*nl = '\0';
	last = nl != NULL ? strrchr(nl + 1, '\n') : NULL;
	last = last != NULL ? last + 1 : nl != NULL ? nl + 1 : NULL;
	if (last != NULL && strcmp(last, first) != 0)
		snprintf(msg, sizeof(msg), "%s (cause: %s)", last, first);
	else
		snprintf(msg, sizeof(msg), "%s", first);
	/* libewf's text may quote the file (a section's type). */
	fg_printable(buf, len, msg, (size_t)-1,
		     FG_PRINTABLE_KEEP_BACKSLASH | FG_PRINTABLE_UTF8);
}

static const char *format_name(uint8_t f)
{
	switch (f) {
	case LIBEWF_FORMAT_ENCASE1: return "EnCase 1";
	case LIBEWF_FORMAT_ENCASE2: return "EnCase 2";
	case LIBEWF_FORMAT_ENCASE3: return "EnCase 3";
	case LIBEWF_FORMAT_ENCASE4: return "EnCase 4";
	case LIBEWF_FORMAT_ENCASE5: return "EnCase 5";
	case LIBEWF_FORMAT_ENCASE6: return "EnCase 6";
	case LIBEWF_FORMAT_ENCASE7: return "EnCase 7";
	case LIBEWF_FORMAT_SMART: return "SMART";
	case LIBEWF_FORMAT_FTK_IMAGER: return "FTK Imager";
	case LIBEWF_FORMAT_LINEN5: return "linen 5";
	case LIBEWF_FORMAT_LINEN6: return "linen 6";
	case LIBEWF_FORMAT_LINEN7: return "linen 7";
	case LIBEWF_FORMAT_EWF: return "EWF";
	case LIBEWF_FORMAT_EWFX: return "EWFX";
	}
	return "unknown flavour";
}

/* ---- Open ----------------------------------------------------------------- */

/* Deflate packs at most 1032 bytes into one; a zlib stream adds 6 bytes
 * and the chunk's table entry 4 more. */
#define DEFLATE_RATIO 1032u
#define CHUNK_OVERHEAD 10u

/* The chunk size the volume section asks for, checked before the set is
 * handed to libewf, which would allocate a chunk of that size: the limit
 * forage's own reader keeps (own_open).  FG_OK or FG_EFORMAT. */
static int check_chunk_size(const char *path, const struct fg_ewf_meta *m,
			    struct fg_error *err)
{
	uint64_t c = (uint64_t)m->sectors_per_chunk * m->bytes_per_sector;

	if (c <= MAX_CHUNK)
		return FG_OK;
	return fg_error_set(err, FG_EFORMAT, 0,
			    "%s: the 'volume' section asks for chunks of "
			    "%llu bytes (%u sectors of %u bytes); forage "
			    "reads chunks of at most %u bytes",
			    path, (unsigned long long)c, m->sectors_per_chunk,
			    m->bytes_per_sector, MAX_CHUNK);
}

/* Is the media size one the set's files can hold?  Its chunk tables list
 * some chunks; beyond those, every stored chunk takes at least
 * chunk / DEFLATE_RATIO + CHUNK_OVERHEAD bytes of a file, so files of S
 * bytes hold at most that many more.  A media size beyond that (libewf
 * takes it from the volume section unchecked) would be streamed as zeros
 * for chunks no file can hold: refused.  FG_OK or FG_EFORMAT. */
static int check_media_claim(const struct fg_image *img, const char *path,
			     struct fg_error *err)
{
	const struct ewf_priv *p = img->priv;
	const uint64_t chunk = img->chunk_size;
	uint64_t bytes = 0, most, need;
	size_t i;

	for (i = 0; i < img->nsegs; i++)
		bytes += img->segs[i].size;
	most = fg_ewf_map_chunks(p->map) +
	       bytes / (chunk / DEFLATE_RATIO + CHUNK_OVERHEAD);
	need = img->media_size / chunk + (img->media_size % chunk != 0);
	if (need <= most)
		return FG_OK;
	return fg_error_set(err, FG_EFORMAT, 0,
			    "%s: the set claims %llu bytes, its files hold at "
			    "most %llu (%llu bytes in %zu file%s, whose chunk "
			    "tables list %llu chunks of %llu bytes)",
			    path, (unsigned long long)img->media_size,
			    (unsigned long long)(most * chunk),
			    (unsigned long long)bytes, img->nsegs,
			    img->nsegs == 1 ? "" : "s",
			    (unsigned long long)fg_ewf_map_chunks(p->map),
			    (unsigned long long)chunk);
}

static void ewf_close(struct fg_image *img)
{
	struct ewf_priv *p = img->priv;

	if (p == NULL)
		return;
	if (p->h != NULL) {
		libewf_handle_close(p->h, NULL);
		libewf_handle_free(&p->h, NULL);
	}
	fg_ewf_map_free(p->map);
	if (p->rfd >= 0)
		close(p->rfd);
	free(p);
	img->priv = NULL;
}

static size_t ewf_block_size(const struct fg_image *img)
{
	const struct ewf_priv *p = img->priv;

	return p->per_block * img->chunk_size;
}

static int stream_ewf(struct fg_image *img, struct fg_pipe *pipe,
		      const struct fg_image_read_opts *o,
		      struct fg_image_read_stats *st, struct fg_error *err);

static const struct fg_image_ops ewf_ops = {
	.kind = "EWF",
	.block_size = ewf_block_size,
	.stream = stream_ewf,
	.close = ewf_close,
};

static int read_header_values(struct fg_image *img, libewf_handle_t *h)
{
	static const char *const ids[] = {
		"case_number", "evidence_number", "examiner_name",
		"description", "notes", "acquiry_date", "system_date",
		"acquiry_operating_system", "acquiry_software",
		"acquiry_software_version", "model", "serial_number", NULL};
	uint8_t val[1024];
	size_t i;

	for (i = 0; ids[i] != NULL; i++) {
		libewf_error_t *e = NULL;
		int r = libewf_handle_get_utf8_header_value(
			h, (const uint8_t *)ids[i], strlen(ids[i]), val,
			sizeof(val), &e);
		if (e != NULL)
			libewf_error_free(&e);
		if (r != 1)
			continue;
		val[sizeof(val) - 1] = '\0';
		if (fg_image_add_meta(img, ids[i], (const char *)val) != FG_OK)
			return FG_ENOMEM;
	}
	return FG_OK;
}

static void read_stored_hashes(struct fg_image *img, libewf_handle_t *h)
{
	uint8_t md[20];
	uint8_t val[160];
	libewf_error_t *e = NULL;

	if (libewf_handle_get_md5_hash(h, md, 16, &e) == 1)
		fg_hex(md, 16, img->stored.md5);
	if (e != NULL)
		libewf_error_free(&e);
	if (libewf_handle_get_sha1_hash(h, md, 20, &e) == 1)
		fg_hex(md, 20, img->stored.sha1);
	if (e != NULL)
		libewf_error_free(&e);
	/* EWFX keeps more in its xhash section. */
	if (libewf_handle_get_utf8_hash_value(h, (const uint8_t *)"SHA256", 6,
					      val, sizeof(val), &e) == 1 &&
	    strlen((char *)val) == 64)
		snprintf(img->stored.sha256, sizeof(img->stored.sha256), "%s",
			 (char *)val);
	if (e != NULL)
		libewf_error_free(&e);
}

static int read_acquiry_errors(struct fg_image *img, libewf_handle_t *h)
{
	libewf_error_t *e = NULL;
	uint32_t n = 0, i;

	if (libewf_handle_get_number_of_acquiry_errors(h, &n, &e) != 1) {
		libewf_error_free(&e);
		return FG_OK;
	}
	if (n == 0)
		return FG_OK;
	img->acquiry_errors = calloc(n, sizeof(*img->acquiry_errors));
	if (img->acquiry_errors == NULL)
		return FG_ENOMEM;
	for (i = 0; i < n; i++) {
		uint64_t start = 0, count = 0;
		if (libewf_handle_get_acquiry_error(h, i, &start, &count,
						    &e) != 1) {
			libewf_error_free(&e);
			continue;
		}
		img->acquiry_errors[img->nacquiry_errors][0] = start;
		img->acquiry_errors[img->nacquiry_errors][1] = count;
		img->nacquiry_errors++;
	}
	return FG_OK;
}

/* Drop each segment file from the page cache (libewf reads through it). */
static const char *drop_caches(char *const *names, int n)
{
	int i, in_memory = 0, failed = 0;

	for (i = 0; i < n; i++) {
		struct statfs sf;
		int fd = open(names[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			failed = 1;
			continue;
		}
		if (fstatfs(fd, &sf) == 0 && (sf.f_type == TMPFS_MAGIC ||
					      sf.f_type == RAMFS_MAGIC))
			in_memory = 1;
		if (fg_fd_drop_cache(fd) != 0)
			failed = 1;
		close(fd);
	}
	if (in_memory)
		return "none possible (the files are on tmpfs, in memory)";
	if (failed)
		return "incomplete: posix_fadvise(DONTNEED) failed on a "
		       "segment file";
	return "fsync and posix_fadvise(DONTNEED) before reading";
}

static void room_for_files(size_t n);

/* Close the libewf handle and open the set again, at media offset off:
 * libewf then lets go of what it kept of the chunks read so far. */
static int ewf_reopen(struct fg_image *img, uint64_t off,
		      struct fg_error *err)
{
	struct ewf_priv *p = img->priv;
	libewf_error_t *e = NULL;
	char msg[FG_ERRMSG_MAX];
	char **names;
	size_t i;
	int rc = FG_OK;

	names = calloc(img->nsegs, sizeof(*names));
	if (names == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	for (i = 0; i < img->nsegs; i++)
		names[i] = img->segs[i].path;
	if (p->h != NULL) {
		libewf_handle_close(p->h, NULL);
		libewf_handle_free(&p->h, NULL);
	} else {
		room_for_files(img->nsegs);
	}
	if (libewf_handle_initialize(&p->h, &e) != 1 ||
	    libewf_handle_open(p->h, names, (int)img->nsegs, LIBEWF_OPEN_READ,
			       &e) != 1 ||
	    libewf_handle_seek_offset(p->h, (off64_t)off, SEEK_SET, &e) < 0) {
		ewf_msg(&e, msg, sizeof(msg));
		rc = fg_error_set(err, FG_EIO, 0,
				  "%s: libewf cannot open the set again at "
				  "media offset %llu: %s",
				  img->segs[0].path, (unsigned long long)off,
				  msg);
	}
	free(names);
	return rc;
}

/* Raise the soft limit of open files (up to the hard limit) so that n
 * more files can be open at once. */
static void room_for_files(size_t n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= n + 64)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > n + 256
			      ? (rlim_t)(n + 256)
			      : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* The flavours whose chunk layout the walker knows (E01 and its tables);
 * SMART, EWF and EWFX sets go through libewf. */
static int direct_flavour(uint8_t fmt)
{
	return fmt != LIBEWF_FORMAT_SMART && fmt != LIBEWF_FORMAT_EWF &&
	       fmt != LIBEWF_FORMAT_EWFX &&
	       strcmp(format_name(fmt), "unknown flavour") != 0;
}

/* Can the set be opened from forage's own reading of its metadata
 * (ewf_meta.c, checked against libewf's in test_ewf_meta)?  Only when
 * nothing in it is damaged, its flavour is decided and read directly,
 * and its media values and chunk tables agree: the volume and the tables
 * list the chunks the media needs, or one more (ewfacquirestream puts the
 * last bytes of a source that is not whole sectors, after a media of
 * whole chunks, in a chunk of their own); anything else is opened by
 * libewf, whose messages then say what is wrong. */
static int own_open(const struct fg_image *img, const struct fg_ewf_meta *m)
{
	const struct ewf_priv *p = img->priv;
	uint64_t need;

	if (img->nproblems != 0 || !m->has_volume || m->format == 0 ||
	    !direct_flavour(m->format) || m->bytes_per_sector == 0 ||
	    m->chunk_size == 0 || m->chunk_size > MAX_CHUNK ||
	    m->media_size == 0 || (!m->has_header && !m->has_header2))
		return 0;
	need = (m->media_size + m->chunk_size - 1) / m->chunk_size;
	return (need == m->number_of_chunks ||
		need + 1 == m->number_of_chunks) &&
	       m->number_of_chunks == fg_ewf_map_chunks(p->map);
}

/* The image's values from m: what fg_image_open_ewf takes from libewf
 * otherwise.  FG_OK or FG_ENOMEM. */
static int fill_from_meta(struct fg_image *img, const struct fg_ewf_meta *m)
{
	struct ewf_priv *p = img->priv;
	size_t i;

	img->media_size = m->media_size;
	img->sector_size = m->bytes_per_sector;
	img->chunk_size = (uint32_t)m->chunk_size;
	p->direct = 1;
	p->nchunks = (m->media_size + m->chunk_size - 1) / m->chunk_size;
	p->extra = fg_ewf_map_chunks(p->map) - p->nchunks;
	p->per_block = TARGET_BLOCK / img->chunk_size > 0
			       ? TARGET_BLOCK / img->chunk_size
			       : 1;
	img->format = fg_strdup_printf(
		"EWF (%s), read by forage (libewf %s for chunks it cannot "
		"place)",
		format_name(m->format), libewf_get_version());
	if (img->format == NULL)
		return FG_ENOMEM;
	if (m->has_md5)
		snprintf(img->stored.md5, sizeof(img->stored.md5), "%s",
			 m->md5);
	if (m->has_sha1)
		snprintf(img->stored.sha1, sizeof(img->stored.sha1), "%s",
			 m->sha1);
	for (i = 0; i < FG_EWF_NHEADER; i++)
		if (m->header[i] != NULL &&
		    fg_image_add_meta(img, fg_ewf_header_ids[i],
				      m->header[i]) != FG_OK)
			return FG_ENOMEM;
	if (m->nerrors > 0) {
		img->acquiry_errors =
			calloc(m->nerrors, sizeof(*img->acquiry_errors));
		if (img->acquiry_errors == NULL)
			return FG_ENOMEM;
		for (i = 0; i < m->nerrors; i++) {
			img->acquiry_errors[i][0] = m->errors[i].first;
			img->acquiry_errors[i][1] = m->errors[i].count;
		}
		img->nacquiry_errors = m->nerrors;
	}
	return FG_OK;
}

int fg_image_open_ewf(struct fg_image **out, const char *path,
		      unsigned flags, struct fg_error *err)
{
	struct fg_image *img = NULL;
	struct ewf_priv *p = NULL;
	libewf_error_t *e = NULL;
	char **globbed = NULL;
	char *single[1];
	char **names;
	int n = 0, i, rc = FG_OK;
	char msg[FG_ERRMSG_MAX];
	size64_t media = 0;
	uint32_t bps = 0, chunk = 0;
	uint8_t fmt = 0;
	struct fg_ewf_meta *meta = NULL;

	*out = NULL;
	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &globbed,
			&n, &e) != 1 ||
	    n < 1) {
		/* A name libewf cannot glob (no .E01 ending): the file alone. */
		if (e != NULL)
			libewf_error_free(&e);
		globbed = NULL;
		single[0] = (char *)path;
		names = single;
		n = 1;
	} else {
		names = globbed;
	}
	img = fg_image_alloc(&ewf_ops, FG_CONTAINER_EWF);
	p = calloc(1, sizeof(*p));
	if (img == NULL || p == NULL) {
		free(p);
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	img->priv = p;
	p->rfd = -1;
	for (i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) != 0) {
			rc = fg_error_set(err, FG_ESOURCE, errno,
					  "%s: cannot open: %s", names[i],
					  strerror(errno));
			goto out;
		}
		if (fg_image_add_segment(img, names[i],
					 (uint64_t)st.st_size) != FG_OK) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
	}
	/* One walk of the set: its chunk tables and its metadata. */
	rc = fg_ewf_meta_open(&meta, (const char *const *)names, (size_t)n,
			      err);
	if (rc != FG_OK)
		goto out;
	p->map = meta->map;
	meta->map = NULL;
	if (fg_ewf_map_missing_next(p->map)) {
		const struct fg_ewf_seginfo *sg =
			fg_ewf_map_seg(p->map, (size_t)n - 1);
		char *next = fg_ewf_segment_next(names[0], names[n - 1]);
		rc = fg_error_set(err, FG_ESOURCE, ENOENT,
				  "%s: segment missing: %s ends with a "
				  "'next' section (offset %llu), so the set "
				  "continues in segment %d, but %s does not "
				  "exist",
				  next != NULL ? next : names[n - 1],
				  fg_path_base(names[n - 1]),
				  (unsigned long long)sg->last_offset, n + 1,
				  next != NULL ? fg_path_base(next)
					       : "the next file");
		free(next);
		goto out;
	}
	for (i = 0; (size_t)i < fg_ewf_map_problem_count(p->map); i++) {
		const struct fg_ewf_problem *pr =
			fg_ewf_map_problem(p->map, (size_t)i);
		if (fg_image_add_problem(img, names[pr->seg], pr->offset,
					 pr->text) != FG_OK) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
	}
	if (flags & FG_IMAGE_BYPASS_CACHE)
		img->cache_bypass = drop_caches(names, n);
	if (own_open(img, meta)) {
		/* Intact, and read as libewf reads it: no libewf until a
		 * chunk needs it, so no index of every chunk in memory. */
		rc = fill_from_meta(img, meta);
		if (rc != FG_OK)
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
		goto out;
	}

	rc = check_chunk_size(path, meta, err);
	if (rc != FG_OK)
		goto out;
	if (libewf_handle_initialize(&p->h, &e) != 1) {
		ewf_msg(&e, msg, sizeof(msg));
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "libewf: %s", msg);
		goto out;
	}
	/* libewf keeps every segment file open (its handle limit is broken
	 * in this libewf: the pool loses track of its handles), so a long
	 * set needs that many descriptors. */
	room_for_files((size_t)n);
	if (libewf_handle_open(p->h, names, n, LIBEWF_OPEN_READ, &e) != 1) {
		ewf_msg(&e, msg, sizeof(msg));
		libewf_handle_free(&p->h, NULL);
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: libewf cannot open the segment set "
				  "(%d file%s)%s%s: %s",
				  path, n, n == 1 ? "" : "s",
				  img->nproblems ? "; " : "",
				  img->nproblems ? img->problems[0].text : "",
				  msg);
		goto out;
	}
	libewf_handle_set_header_values_date_format(
		p->h, LIBEWF_DATE_FORMAT_ISO8601, NULL);
	if (libewf_handle_get_media_size(p->h, &media, &e) != 1 ||
	    libewf_handle_get_bytes_per_sector(p->h, &bps, &e) != 1 ||
	    libewf_handle_get_chunk_size(p->h, &chunk, &e) != 1) {
		ewf_msg(&e, msg, sizeof(msg));
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: no media values: %s", path, msg);
		goto out;
	}
	if (chunk == 0 || chunk > MAX_CHUNK || bps == 0) {
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: unusable media values: chunk size %u "
				  "bytes, %u bytes per sector",
				  path, chunk, bps);
		goto out;
	}
	libewf_handle_get_format(p->h, &fmt, NULL);
	p->direct = direct_flavour(fmt);
	img->media_size = (uint64_t)media;
	img->sector_size = bps;
	img->chunk_size = chunk;
	img->format = fg_strdup_printf("EWF (%s) through libewf %s",
				       format_name(fmt), libewf_get_version());
	rc = check_media_claim(img, path, err);
	if (rc != FG_OK)
		goto out;
	p->nchunks = (img->media_size + chunk - 1) / chunk;
	p->per_block = TARGET_BLOCK / chunk > 0 ? TARGET_BLOCK / chunk : 1;
	read_stored_hashes(img, p->h);
	if (img->format == NULL || read_header_values(img, p->h) != FG_OK ||
	    read_acquiry_errors(img, p->h) != FG_OK) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	if (fg_ewf_map_chunks(p->map) < p->nchunks && img->nproblems == 0) {
		char *t = fg_strdup_printf(
			"the chunk tables of the set list %llu chunks, the "
			"media (%llu bytes) needs %llu",
			(unsigned long long)fg_ewf_map_chunks(p->map),
			(unsigned long long)img->media_size,
			(unsigned long long)p->nchunks);
		if (t == NULL || fg_image_add_problem(img, path, 0, t) != FG_OK) {
			free(t);
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
		free(t);
	}
	if (libewf_handle_segment_files_corrupted(p->h, NULL) == 1 &&
	    img->nproblems == 0 &&
	    fg_image_add_problem(img, path, 0,
				 "libewf reports the segment files as "
				 "corrupted") != FG_OK) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
out:
	fg_ewf_meta_free(meta);
	if (globbed != NULL)
		libewf_glob_free(globbed, n, NULL);
	if (rc != FG_OK) {
		fg_image_close(img);
		return rc;
	}
	*out = img;
	return FG_OK;
}

/* ---- Stream ----------------------------------------------------------------- */

struct stage {
	struct fg_ewf_job *jobs;
	size_t njobs;
	unsigned char *raw; /* per_block x rawcap */
	uint64_t offset;    /* media offset of the block */
	size_t len;
};

/* The start of a reason when the chunk table that lists j is damaged. */
static const char *table_bad_text(const struct fg_ewf_job *j)
{
	if (!j->loc_ok || j->loc.table_bad == 0)
		return "";
	return j->loc.table_bad == 2
		       ? "both copies of the chunk table that lists this chunk "
			 "fail their checksum; "
		       : "the chunk table that lists this chunk fails its "
			 "checksum and has no copy; ";
}

/* Why libewf could not read chunk j, from what the walker knows. */
static void explain_unreadable(struct fg_image *img, struct fg_ewf_job *j,
			       const char *libewf_msg)
{
	struct ewf_priv *p = img->priv;

	if (!j->loc_ok) {
		char why[200];
		size_t seg;

		if (fg_ewf_map_why(p->map, j->chunk, &seg, why, sizeof(why)))
			snprintf(j->detail, sizeof(j->detail), "%s", why);
		else
			snprintf(j->detail, sizeof(j->detail),
				 "%s (its segment file is missing or "
				 "truncated)",
				 why);
		return;
	}
	if (!j->loc.size_known &&
	    j->loc.offset >= img->segs[j->loc.seg].size) {
		snprintf(j->detail, sizeof(j->detail),
			 "%sthe chunk table of %s places the chunk's data at "
			 "offset %llu, past the end of the file at %llu",
			 table_bad_text(j), fg_path_base(j->loc.path),
			 (unsigned long long)j->loc.offset,
			 (unsigned long long)img->segs[j->loc.seg].size);
		return;
	}
	if (j->loc.size_known &&
	    j->loc.offset + j->loc.size > img->segs[j->loc.seg].size) {
		const struct fg_ewf_seginfo *si =
			fg_ewf_map_seg(p->map, j->loc.seg);

		if (si != NULL && !si->truncated) {
			/* The file ends where its sections say: its table
			 * points past that. */
			snprintf(j->detail, sizeof(j->detail),
				 "the chunk table of %s points outside the "
				 "file: the chunk's data would lie at offset "
				 "%llu..%llu, the file ends at %llu",
				 fg_path_base(j->loc.path),
				 (unsigned long long)j->loc.offset,
				 (unsigned long long)(j->loc.offset +
						      j->loc.size),
				 (unsigned long long)img->segs[j->loc.seg].size);
			return;
		}
		snprintf(j->detail, sizeof(j->detail),
			 "%s is truncated: the chunk's data lies at "
			 "offset %llu..%llu, the file ends at %llu",
			 fg_path_base(j->loc.path),
			 (unsigned long long)j->loc.offset,
			 (unsigned long long)(j->loc.offset + j->loc.size),
			 (unsigned long long)img->segs[j->loc.seg].size);
		return;
	}
	snprintf(j->detail, sizeof(j->detail), "%slibewf cannot read it: %.380s",
		 table_bad_text(j), libewf_msg);
}

/* Can chunk j be read straight from its segment file?  When the walker
 * knows exactly where its bytes lie, in a file it found whole; anything
 * else goes through libewf, whose messages say what is wrong. */
static int direct_ok(const struct fg_image *img, const struct ewf_priv *p,
		     const struct fg_ewf_job *j, size_t rawcap)
{
	const struct fg_ewf_seginfo *si;

	if (!p->direct || !j->loc_ok || !j->loc.size_known ||
	    j->loc.size > rawcap ||
	    j->loc.size < 4 || j->loc.offset + j->loc.size >
				   img->segs[j->loc.seg].size)
		return 0;
	/* Past a lost chunk table libewf, which places chunks by counting
	 * them, would read another chunk, and past the media's end none:
	 * the walker's place it is. */
	if (!j->counted || j->beyond)
		return 1;
	if (p->via_libewf)
		return 0;
	si = fg_ewf_map_seg(p->map, j->loc.seg);
	return si != NULL && !si->truncated && !si->broken &&
	       si->lost_tables == 0;
}

static int seg_rfd(struct fg_image *img, struct ewf_priv *p, size_t seg)
{
	if (p->rfd >= 0 && p->rfd_seg == seg)
		return p->rfd;
	if (p->rfd >= 0)
		close(p->rfd);
	p->rfd = open(img->segs[seg].path, O_RDONLY | O_CLOEXEC);
	p->rfd_seg = seg;
	return p->rfd;
}

/* The stored bytes of chunk j are in j->raw (rawlen of them): split off
 * the checksum an uncompressed chunk carries after its data. */
static void take_stored(struct fg_ewf_job *j, int have_sum, uint32_t sum)
{
	if (j->compressed)
		return;
	if (j->rawlen < 4) {
		j->status = FG_DAMAGE_CHECKSUM;
		snprintf(j->detail, sizeof(j->detail),
			 "the stored chunk is only %zu bytes", j->rawlen);
		return;
	}
	j->rawlen -= 4;
	j->checksum = have_sum ? sum
			       : (uint32_t)j->raw[j->rawlen] |
					 (uint32_t)j->raw[j->rawlen + 1] << 8 |
					 (uint32_t)j->raw[j->rawlen + 2] << 16 |
					 (uint32_t)j->raw[j->rawlen + 3] << 24;
}

/* Chunk j through libewf into buf (rawcap bytes); returns the bytes it
 * took there. */
static size_t libewf_chunk(struct fg_image *img, struct fg_ewf_job *j,
			   unsigned char *buf, size_t rawcap,
			   struct fg_image_read_stats *stats)
{
	struct ewf_priv *p = img->priv;
	const uint64_t off = j->chunk * img->chunk_size;
	libewf_error_t *e = NULL;
	int8_t isc = 0, rck = 0;
	uint32_t sum = 0;
	uint8_t sumbuf[4];
	ssize_t got;

	j->raw = buf;
	j->direct = 0;
	stats->chunks_libewf++;
	if (p->h == NULL) {
		/* An intact set was opened without libewf: open it now. */
		struct fg_error oe;

		fg_error_clear(&oe);
		if (ewf_reopen(img, off, &oe) != FG_OK) {
			j->status = FG_DAMAGE_UNREADABLE;
			explain_unreadable(img, j, oe.msg);
			return 0;
		}
	}
	if (libewf_handle_seek_offset(p->h, (off64_t)off, SEEK_SET, NULL) !=
	    (off64_t)off) {
		j->status = FG_DAMAGE_UNREADABLE;
		explain_unreadable(img, j, "libewf cannot seek to it");
		return 0;
	}
	got = libewf_handle_read_chunk(p->h, j->raw, rawcap, &isc, sumbuf,
				       &sum, &rck, &e);
	if (got <= 0) {
		char msg[512];
		ewf_msg(&e, msg, sizeof(msg));
		j->status = FG_DAMAGE_UNREADABLE;
		explain_unreadable(img, j, msg);
		return 0;
	}
	p->libewf_reads++;
	j->compressed = isc != 0;
	j->rawlen = (size_t)got;
	take_stored(j, rck != 0, sum);
	return (size_t)got;
}

/* Read the packed chunks of one block into sg (the reading thread).  A run
 * of chunks that lie one after the other in a segment file is read with
 * one pread, and each job points at its bytes there; the others, and a
 * run whose read comes up short, go through libewf one by one. */
static void fill_stage(struct fg_image *img, struct stage *sg,
		       uint64_t first_chunk, size_t rawcap,
		       struct fg_image_read_stats *stats)
{
	struct ewf_priv *p = img->priv;
	size_t k, used = 0;

	sg->njobs = 0;
	sg->offset = first_chunk * img->chunk_size;
	sg->len = 0;
	for (k = 0; k < p->per_block && first_chunk + k < p->nchunks; k++) {
		struct fg_ewf_job *j = &sg->jobs[k];
		uint64_t c = first_chunk + k;
		uint64_t off = c * img->chunk_size;

		memset(j, 0, sizeof(*j));
		j->chunk = c;
		j->outlen = img->media_size - off < img->chunk_size
				    ? (size_t)(img->media_size - off)
				    : img->chunk_size;
		if (off + j->outlen == img->media_size &&
		    j->outlen < img->chunk_size && p->past != NULL &&
		    p->extra == 0) {
			j->room = img->chunk_size - j->outlen;
			j->past = p->past;
		}
		j->loc_ok = fg_ewf_map_locate(p->map, c, &j->loc) == FG_OK;
		j->counted = c < fg_ewf_map_counted(p->map);
		sg->len += j->outlen;
		sg->njobs++;
		stats->chunks++;
	}
	if (p->extra > 0 && first_chunk + sg->njobs == p->nchunks) {
		/* With the media's last chunk, the one the tables list
		 * past it: no media, up to a chunk past the media's end
		 * (the stage has room for one job more). */
		struct fg_ewf_job *j = &sg->jobs[sg->njobs];

		memset(j, 0, sizeof(*j));
		j->chunk = p->nchunks;
		j->beyond = 1;
		j->room = img->chunk_size;
		j->past = p->past;
		j->loc_ok = fg_ewf_map_locate(p->map, j->chunk, &j->loc) ==
			    FG_OK;
		j->counted = j->chunk < fg_ewf_map_counted(p->map);
		sg->njobs++;
	}
	for (k = 0; k < sg->njobs;) {
		struct fg_ewf_job *j = &sg->jobs[k];
		size_t n = 1, span, i;
		int fd;

		/* What the walker knows cannot be read is not asked of
		 * libewf, which would first allocate what the table claims
		 * (gigabytes, from a crafted entry). */
		if (j->loc_ok && j->loc.size_known && j->loc.size > rawcap) {
			j->status = FG_DAMAGE_UNREADABLE;
			snprintf(j->detail, sizeof(j->detail),
				 "%sthe chunk table gives it %llu stored "
				 "bytes, more than a chunk of %u can take",
				 table_bad_text(j),
				 (unsigned long long)j->loc.size,
				 img->chunk_size);
			k++;
			continue;
		}
		if (j->loc_ok && !j->loc.size_known &&
		    j->loc.offset >= img->segs[j->loc.seg].size) {
			j->status = FG_DAMAGE_UNREADABLE;
			explain_unreadable(img, j, "");
			k++;
			continue;
		}
		if (!direct_ok(img, p, j, rawcap) && j->beyond) {
			/* libewf reads no chunk past the media's end. */
			j->status = FG_DAMAGE_UNREADABLE;
			if (j->loc_ok)
				snprintf(j->detail, sizeof(j->detail),
					 "the chunk table of %s places it at "
					 "offset %llu, where it cannot be "
					 "read whole",
					 fg_path_base(j->loc.path),
					 (unsigned long long)j->loc.offset);
			else
				explain_unreadable(img, j, "");
			k++;
			continue;
		}
		if (!direct_ok(img, p, j, rawcap) && !j->counted) {
			/* libewf would give another chunk's bytes. */
			j->status = FG_DAMAGE_UNREADABLE;
			if (j->loc_ok)
				snprintf(j->detail, sizeof(j->detail),
					 "a chunk table of the set is lost, "
					 "and this chunk cannot be read "
					 "where its table places it");
			else
				explain_unreadable(img, j, "");
			k++;
			continue;
		}
		if (!direct_ok(img, p, j, rawcap)) {
			used += libewf_chunk(img, j, sg->raw + used, rawcap,
					     stats);
			k++;
			continue;
		}
		span = (size_t)j->loc.size;
		while (k + n < sg->njobs) {
			const struct fg_ewf_job *q = &sg->jobs[k + n];
			if (!direct_ok(img, p, q, rawcap) ||
			    q->loc.seg != j->loc.seg ||
			    q->loc.offset != j->loc.offset + span)
				break;
			span += (size_t)q->loc.size;
			n++;
		}
		fd = seg_rfd(img, p, j->loc.seg);
		if (fd < 0 || fg_fd_pread_full(fd, sg->raw + used, span,
					       j->loc.offset) != (ssize_t)span) {
			for (i = 0; i < n; i++) {
				struct fg_ewf_job *q = &sg->jobs[k + i];

				if (q->counted && !q->beyond) {
					used += libewf_chunk(img, q,
							     sg->raw + used,
							     rawcap, stats);
					continue;
				}
				q->status = FG_DAMAGE_UNREADABLE;
				snprintf(q->detail, sizeof(q->detail),
					 "read error in %s at offset %llu",
					 fg_path_base(q->loc.path),
					 (unsigned long long)q->loc.offset);
			}
			k += n;
			continue;
		}
		for (i = 0; i < n; i++) {
			struct fg_ewf_job *q = &sg->jobs[k + i];
			q->raw = sg->raw + used;
			q->rawlen = (size_t)q->loc.size;
			q->compressed = q->loc.compressed;
			q->direct = 1;
			used += q->rawlen;
			take_stored(q, 0, 0);
		}
		k += n;
	}
}

/* A chunk read straight from its file that failed its checks is read
 * again through libewf and checked again, so that a place the walker got
 * wrong can never be reported as damage: what is reported is what libewf
 * reads, as if it had read every chunk. */
static void recheck_direct(struct fg_image *img, struct stage *sg,
			   size_t rawcap, struct fg_image_read_stats *stats)
{
	struct ewf_priv *p = img->priv;
	size_t k;

	for (k = 0; k < sg->njobs; k++) {
		struct fg_ewf_job *j = &sg->jobs[k];

		if (j->status != 0 && j->loc_ok && j->loc.table_bad) {
			/* libewf has no better copy of the table: the
			 * chunk's own checks decide, and say so. */
			char d[sizeof(j->detail)];

			snprintf(d, sizeof(d),
				 "%swhere it places the chunk: %.150s",
				 table_bad_text(j), j->detail);
			memcpy(j->detail, d, sizeof(d));
			continue;
		}
		if (j->status == 0 || !j->direct || !j->counted || j->beyond)
			continue;
		j->status = 0;
		j->kept = 0;
		j->npast = 0;
		j->detail[0] = '\0';
		j->checksum = 0;
		(void)libewf_chunk(img, j, p->scratch, rawcap, stats);
		fg_ewf_inflate_job(j);
	}
}

static void report_stage(struct fg_image *img, struct stage *sg,
			 const struct fg_image_read_opts *o,
			 struct fg_image_read_stats *st)
{
	struct ewf_priv *p = img->priv;
	size_t k;

	for (k = 0; k < sg->njobs; k++) {
		struct fg_ewf_job *j = &sg->jobs[k];
		struct fg_damage d;

		if (j->status == 0 || j->beyond)
			continue;
		if (j->status == FG_DAMAGE_UNREADABLE)
			st->unreadable_bytes += j->outlen;
		else
			st->damaged_bytes += j->outlen;
		if (o->on_damage == NULL)
			continue;
		memset(&d, 0, sizeof(d));
		d.kind = j->status;
		d.offset = j->chunk * img->chunk_size;
		d.length = j->outlen;
		d.chunk = j->chunk;
		d.has_chunk = 1;
		if (j->loc_ok) {
			d.file = j->loc.path;
			d.file_offset = j->loc.offset;
			d.file_length = j->loc.size_known ? j->loc.size : 0;
			d.has_file_offset = 1;
		} else {
			/* The segment file it lies in, when that is known;
			 * where in it is not. */
			char why[8];
			size_t seg;

			(void)fg_ewf_map_why(p->map, j->chunk, &seg, why,
					     sizeof(why));
			d.file = fg_ewf_map_path(p->map, seg);
		}
		d.zero_filled = !j->kept;
		d.detail = j->detail;
		o->on_damage(o->ctx, &d);
	}
	for (k = 0; k < sg->njobs; k++) {
		const struct fg_ewf_job *j = &sg->jobs[k];
		struct fg_past_end x;

		/* A chunk of their own that fails its checks is reported
		 * here too: it holds no media. */
		if ((j->status != 0 || j->npast == 0) &&
		    !(j->beyond && j->status != 0))
			continue;
		if (j->status == 0)
			st->past_end_bytes += j->npast;
		if (o->on_past_end == NULL)
			continue;
		memset(&x, 0, sizeof(x));
		x.chunk = j->chunk;
		x.chunk_offset = j->chunk * img->chunk_size;
		if (j->status == 0) {
			x.chunk_bytes = j->outlen + j->npast;
			x.data = j->past;
			x.length = j->npast;
		} else {
			x.chunk_bytes = j->rawlen;
			x.damaged = j->detail;
		}
		if (j->loc_ok) {
			x.file = j->loc.path;
			x.file_offset = j->loc.offset;
			x.file_length = j->loc.size_known ? j->loc.size : 0;
			x.has_file_offset = 1;
		}
		o->on_past_end(o->ctx, &x);
	}
}

static int stream_ewf(struct fg_image *img, struct fg_pipe *pipe,
		      const struct fg_image_read_opts *o,
		      struct fg_image_read_stats *st, struct fg_error *err)
{
	struct ewf_priv *p = img->priv;
	const size_t bs = ewf_block_size(img);
	const size_t rawcap = (size_t)img->chunk_size * 2 + 4096;
	struct stage stage[2];
	struct fg_ewf_pool pl;
	struct fg_progress pr;
	uint64_t nblocks, b;
	unsigned nth, i;
	long cores;
	const uint64_t reopen =
		o->reopen_chunks ? o->reopen_chunks
		: p->nchunks / REOPEN_MAX > REOPEN_CHUNKS
			? p->nchunks / REOPEN_MAX
			: REOPEN_CHUNKS;
	double t0 = fg_now_seconds(), last = 0;
	int rc = FG_OK, rrc = FG_OK;

	memset(stage, 0, sizeof(stage));
	memset(&pl, 0, sizeof(pl));
	p->via_libewf = o->via_libewf;
	p->libewf_reads = 0;
	memset(&pr, 0, sizeof(pr));
	pr.total = img->media_size;
	if (fg_pipe_block_size(pipe) != bs)
		return fg_error_set(err, FG_EINVAL, 0,
				    "EWF stream: the pipeline's block size "
				    "%zu is not the image's %zu",
				    fg_pipe_block_size(pipe), bs);
	if (p->h != NULL &&
	    libewf_handle_seek_offset(p->h, 0, SEEK_SET, NULL) != 0)
		return fg_error_set(err, FG_EIO, 0,
				    "%s: libewf cannot seek to the start",
				    img->segs[0].path);
	p->scratch = malloc(rawcap);
	if (img->media_size % img->chunk_size != 0 || p->extra > 0)
		p->past = malloc(img->chunk_size);
	if (p->scratch == NULL ||
	    ((img->media_size % img->chunk_size != 0 || p->extra > 0) &&
	     p->past == NULL)) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		/* One job more than a block's chunks: a chunk the tables
		 * list past the media's last one. */
		stage[i].jobs =
			calloc(p->per_block + 1, sizeof(struct fg_ewf_job));
		stage[i].raw = malloc((p->per_block + 1) * rawcap);
		if (stage[i].jobs == NULL || stage[i].raw == NULL) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory for %zu chunks",
					  p->per_block);
			goto out;
		}
	}
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	nth = o->threads ? o->threads : (cores > 0 ? (unsigned)cores : 1);
	if (nth > FG_EWF_MAX_WORKERS)
		nth = FG_EWF_MAX_WORKERS;
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv_work, NULL);
	pthread_cond_init(&pl.cv_done, NULL);
	for (i = 0; i < nth; i++) {
		if (pthread_create(&pl.th[i], NULL, fg_ewf_pool_worker, &pl) !=
		    0)
			break;
		pl.nth++;
	}

	nblocks = (p->nchunks + p->per_block - 1) / p->per_block;
	if (nblocks > 0)
		fill_stage(img, &stage[0], 0, rawcap, st);
	for (b = 0; b < nblocks; b++) {
		struct stage *cur = &stage[b % 2];
		struct fg_block *blk;
		size_t k;

		if (o->stop != NULL && *o->stop) {
			rc = fg_error_set(err, FG_EINTR, EINTR,
					  "interrupted at media offset %llu",
					  (unsigned long long)cur->offset);
			break;
		}
		blk = fg_pipe_get(pipe);
		if (blk == NULL) {
			rc = fg_error_set(err, FG_EIO, 0,
					  "a digest of the verification "
					  "failed");
			break;
		}
		/* (A chunk past the media's last one makes no media: its
		 * out is never written.) */
		for (k = 0; k < cur->njobs; k++)
			cur->jobs[k].out =
				blk->data + (cur->jobs[k].beyond
						     ? 0
						     : k * img->chunk_size);
		fg_ewf_pool_start_batch(&pl, cur->jobs, cur->njobs);
		if (b + 1 < nblocks) {
			uint64_t next = (b + 1) * p->per_block;
			if (p->libewf_reads >= reopen) {
				rrc = ewf_reopen(img, next * img->chunk_size,
						 err);
				p->libewf_reads = 0;
			}
			if (rrc == FG_OK)
				fill_stage(img, &stage[(b + 1) % 2], next,
					   rawcap, st);
		}
		fg_ewf_pool_finish_batch(&pl);
		recheck_direct(img, cur, rawcap, st);
		report_stage(img, cur, o, st);
		blk->offset = cur->offset;
		blk->len = cur->len;
		fg_pipe_put(pipe, blk);
		st->bytes = cur->offset + cur->len;
		fg_progress_tick(o->on_progress, o->ctx, &pr, t0, &last,
				 st->bytes, 0);
		if (rrc != FG_OK) {
			rc = rrc;
			break;
		}
	}
	fg_ewf_pool_stop(&pl);
	pthread_mutex_destroy(&pl.mu);
	pthread_cond_destroy(&pl.cv_work);
	pthread_cond_destroy(&pl.cv_done);
	fg_progress_tick(o->on_progress, o->ctx, &pr, t0, &last, st->bytes,
			 1);
out:
	for (i = 0; i < 2; i++) {
		free(stage[i].jobs);
		free(stage[i].raw);
	}
	free(p->scratch);
	p->scratch = NULL;
	free(p->past);
	p->past = NULL;
	return rc;
}
