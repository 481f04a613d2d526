/*
 * ewf_read.c - EWF segment sets (E01, s01 ...) on the reading side, through
 * libewf: opening a set.  With ewf_stream.c (reading its chunks) the only
 * reading-side files that include libewf.h; what they share is in
 * ewf_read_int.h.
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
 * Stream: ewf_stream.c.
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
#include "image/ewf_read_int.h"


/* ---- libewf errors ---------------------------------------------------- */

/* libewf's message into buf, one line: the outermost failure and, when
 * it differs, the innermost cause; frees e. */
void fg_ewf_read_msg(libewf_error_t **e, char *buf, size_t len)
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

size_t fg_ewf_read_block_size(const struct fg_image *img)
{
	const struct ewf_priv *p = img->priv;

	return p->per_block * img->chunk_size;
}

static const struct fg_image_ops ewf_ops = {
	.kind = "EWF",
	.block_size = fg_ewf_read_block_size,
	.stream = fg_ewf_read_stream,
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
int fg_ewf_read_reopen(struct fg_image *img, uint64_t off,
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
		fg_ewf_read_msg(&e, msg, sizeof(msg));
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
		fg_ewf_read_msg(&e, msg, sizeof(msg));
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "libewf: %s", msg);
		goto out;
	}
	/* libewf keeps every segment file open (its handle limit is broken
	 * in this libewf: the pool loses track of its handles), so a long
	 * set needs that many descriptors. */
	room_for_files((size_t)n);
	if (libewf_handle_open(p->h, names, n, LIBEWF_OPEN_READ, &e) != 1) {
		fg_ewf_read_msg(&e, msg, sizeof(msg));
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
		fg_ewf_read_msg(&e, msg, sizeof(msg));
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

