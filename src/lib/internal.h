/*
 * internal.h - what modules of libforage share and the public headers do
 * not promise.  Keep it short: each helper lives in one place.
 */
#ifndef FORAGE_INTERNAL_H
#define FORAGE_INTERNAL_H

#include <sys/types.h>
#include <forage/forage.h>

struct fg_source;
struct fg_sink;
struct fg_sink_ops;

/* pread() that retries short reads and EINTR until len bytes or EOF.
 * Returns bytes read, or -1 with errno when nothing could be read. */
ssize_t fg_fd_pread_full(int fd, void *buf, size_t len, uint64_t off);

/* write() all of len bytes; returns 0 or -1 with errno. */
int fg_fd_write_full(int fd, const void *buf, size_t len);

/* pwrite() all of len bytes at off; returns 0 or -1 with errno. */
int fg_fd_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

/* fsync the folder holding path (after a rename into it). */
int fg_fsync_parent(const char *path);

/* rename from -> to, failing with EEXIST instead of replacing to. */
int fg_rename_noreplace(const char *from, const char *to);

/* A malloc'd printf; NULL when out of memory. */
char *fg_strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* MD5 (md5.c): forage's own, faster than OpenSSL's on the one stream that
 * bounds a pass; hash.c decides which is used (fg_md5_selftest). */
struct fg_md5 {
	uint32_t st[4];
	uint64_t len;
	unsigned char buf[64];
};
void fg_md5_init(struct fg_md5 *m);
void fg_md5_update(struct fg_md5 *m, const void *data, size_t len);
/* Two digests in one pass (of the same bytes or of others), at about
 * 1.75 times one digest's rate; the same digests as fg_md5_update. */
void fg_md5_update_two(struct fg_md5 *x, const void *px, struct fg_md5 *y,
		       const void *py, size_t len);
void fg_md5_final(struct fg_md5 *m, unsigned char out[16]);
/* 1 when the RFC 1321 vectors, one million 'a' and a check against
 * OpenSSL's MD5 pass; 2 when all but the last pass because OpenSSL offers
 * no MD5 (FIPS mode); 0 when any fails. */
int fg_md5_selftest(void);

/* SHA-256 (sha256.c): forage's own, with the x86 SHA extensions; it
 * computes two digests in one pass, at about 1.8 times one digest's rate.
 * hash.c decides which is used (fg_sha256_selftest). */
struct fg_sha256 {
	uint32_t st[8];
	uint64_t len;
	unsigned char buf[64];
};
void fg_sha256_init(struct fg_sha256 *s);
void fg_sha256_update(struct fg_sha256 *s, const void *data, size_t len);
/* len bytes of pa into a and len bytes of pb into b, in one pass while
 * both are at a block boundary, else one after the other. */
void fg_sha256_update_two(struct fg_sha256 *a, const void *pa,
			  struct fg_sha256 *b, const void *pb, size_t len);
void fg_sha256_final(struct fg_sha256 *s, unsigned char out[32]);
/* -1 when this CPU has no SHA extensions (or this build no code for them);
 * else 1 when the FIPS 180-4 examples, one million 'a', a check against
 * OpenSSL and the two-digest passes all give the right digests, 0 if not. */
int fg_sha256_selftest(void);

/* The block-device source (source_dev.c). */
int fg_source_open_device(struct fg_source **out, const char *path,
			  uint64_t offset, uint64_t length,
			  struct fg_error *err);

/* Map an errno from writing an output to a status (ENOSPC, EDQUOT ->
 * FG_ENOSPC; anything else -> FG_EOUTPUT). */
int fg_status_for_write_errno(int e);

/* A new sink of ops with its life-cycle state (sink.c); NULL when out of
 * memory.  Free with fg_sink_free. */
struct fg_sink *fg_sink_alloc(const struct fg_sink_ops *ops);

/* The last component of path (after the last '/'), inside path. */
const char *fg_path_base(const char *path);

/* n bytes as 2n lowercase hex digits and a NUL into hex. */
void fg_hex(const unsigned char *bin, size_t n, char *hex);

/* One million 'a' to update(ctx, ...) in uneven pieces (the long test
 * vector of RFC 1321's and FIPS 180's suites), for the self-tests. */
void fg_feed_million_a(void (*update)(void *ctx, const void *p, size_t n),
		       void *ctx);

/* Feeds n bytes to a hash of 64-byte blocks: completes the block buffered
 * in buf, hands whole blocks to blocks(state, p, count) and keeps the rest
 * in buf; *len counts all bytes fed (its low 6 bits: the bytes in buf). */
typedef void fg_blocks_fn(void *state, const unsigned char *p, size_t count);
void fg_blocks_feed(unsigned char buf[64], uint64_t *len, const void *data,
		    size_t n, fg_blocks_fn *blocks, void *state);
/* Two such hashes fed len bytes each (pa into sa, pb into sb) in one pass:
 * when both are at a block boundary, their whole blocks go through
 * blocks2 and *lena, *lenb count them.  Returns how many bytes of each it
 * took (0 or len rounded down to a block); the caller feeds the rest. */
typedef void fg_blocks2_fn(void *sa, const unsigned char *pa, void *sb,
			   const unsigned char *pb, size_t count);
size_t fg_blocks_two(uint64_t *lena, void *sa, const void *pa, uint64_t *lenb,
		     void *sb, const void *pb, size_t len,
		     fg_blocks2_fn *blocks2);
/* The end of such a hash (MD5, SHA-256): 0x80, zeros, and the bit length
 * in 8 bytes, little-endian (MD5) or big-endian (SHA-256). */
void fg_blocks_pad(unsigned char buf[64], uint64_t *len, int big_endian,
		   fg_blocks_fn *blocks, void *state);

/* The folder of path, malloc'd: "." when it has none, "/" for "/x";
 * NULL when out of memory. */
char *fg_path_dir(const char *path);

/* path made absolute: the real path of its folder (symbolic links and
 * ".." resolved; the folder must exist) followed by its last component,
 * malloc'd.  NULL with errno when the folder cannot be resolved. */
char *fg_path_absolute(const char *path);

/* Seconds on the monotonic clock, for rates and progress. */
double fg_now_seconds(void);

/* Let the calling thread give way (nice +FG_YIELD_NICE, Linux per-thread)
 * to the one that bounds a pass: the single MD5 stream, which cannot be
 * split.  Called by the threads that work beside it (compression,
 * inflate, the other digests); they still get every cycle it leaves. */
#define FG_YIELD_NICE 10
void fg_thread_give_way(void);

/* Report progress through fn (NULL: none) at most twice a second, and
 * always when finished: p->done = done, elapsed since t0. */
struct fg_progress;
void fg_progress_tick(void (*fn)(void *, const struct fg_progress *),
		      void *ctx, struct fg_progress *p, double t0,
		      double *last, uint64_t done, int finished);

/* ---- Reading evidence (container.c, image_raw.c, ewf_read.c, ewf_map.c) */

struct fg_image;
struct fg_pipe;
struct fg_image_read_opts;
struct fg_image_read_stats;

/* An image kind's table (container.h). */
struct fg_image_ops {
	const char *kind;
	size_t (*block_size)(const struct fg_image *img);
	int (*stream)(struct fg_image *img, struct fg_pipe *pipe,
		      const struct fg_image_read_opts *o,
		      struct fg_image_read_stats *st, struct fg_error *err);
	void (*close)(struct fg_image *img); /* frees priv only */
};

/* A new empty image of ops (container.c); NULL when out of memory. */
struct fg_image *fg_image_alloc(const struct fg_image_ops *ops, int kind);
/* Add a segment / a problem / a metadata value to an image: FG_OK or
 * FG_ENOMEM. */
int fg_image_add_segment(struct fg_image *img, const char *path,
			 uint64_t size);
int fg_image_add_problem(struct fg_image *img, const char *file,
			 uint64_t offset, const char *text);
int fg_image_add_meta(struct fg_image *img, const char *key,
		      const char *value);

/* The kinds' openers. */
int fg_image_open_ewf(struct fg_image **out, const char *path,
		      unsigned flags, struct fg_error *err);
int fg_image_open_rawset(struct fg_image **out, const char *const *paths,
			 size_t n, int kind, unsigned flags,
			 struct fg_error *err);

/* Drop a file's pages from the page cache after an fsync, so that the next
 * read comes from the device.  Returns 0 or -1 with errno. */
int fg_fd_drop_cache(int fd);

/* The EWF section walker (ewf_map.c). */
struct fg_ewf_map;
struct fg_ewf_problem {
	size_t seg;
	uint64_t offset;
	char *text;
};
struct fg_ewf_seginfo {
	unsigned number;     /* segment number in the file header */
	uint64_t file_size;
	uint64_t nchunks;    /* chunks its tables list */
	char last_type[17];  /* type of the last section walked */
	uint64_t last_offset;
	int truncated, broken, bad_table;
};
struct fg_ewf_loc {
	size_t seg;
	const char *path;
	uint64_t offset;     /* of the chunk data in the segment file */
	uint64_t size;       /* stored bytes (with the checksum) */
	int size_known;
	int compressed;
};
/* Walk every segment file.  Damage becomes problems, never a failure:
 * returns FG_OK or FG_ENOMEM. */
int fg_ewf_map_open(struct fg_ewf_map **out, const char *const *paths,
		    size_t n, struct fg_error *err);
/* The last file ends with 'next': the set continues in a missing file. */
int fg_ewf_map_missing_next(const struct fg_ewf_map *m);
const struct fg_ewf_seginfo *fg_ewf_map_seg(const struct fg_ewf_map *m,
					    size_t i);
uint64_t fg_ewf_map_chunks(const struct fg_ewf_map *m);
size_t fg_ewf_map_problem_count(const struct fg_ewf_map *m);
const struct fg_ewf_problem *fg_ewf_map_problem(const struct fg_ewf_map *m,
						size_t i);
/* Where chunk lies: FG_OK, FG_EINVAL (no table lists it), FG_EIO. */
int fg_ewf_map_locate(struct fg_ewf_map *m, uint64_t chunk,
		      struct fg_ewf_loc *loc);
void fg_ewf_map_free(struct fg_ewf_map *m);
/* The little-endian integers of the EWF format. */
static inline uint32_t fg_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline uint64_t fg_le64(const unsigned char *p)
{
	return (uint64_t)fg_le32(p) | (uint64_t)fg_le32(p + 4) << 32;
}
/* A section the walker met, its descriptor's checksum good. */
struct fg_ewf_section {
	struct fg_ewf_map *map;
	size_t seg;
	int fd;              /* the segment file, open for reading */
	const char *path;
	const char *type;
	uint64_t offset;     /* of the descriptor */
	uint64_t size;       /* the descriptor's size field (with itself) */
	uint64_t next;       /* the descriptor's next-section offset */
	uint64_t file_size;
};
/* fg_ewf_map_open, telling visit of every section as it is met; visit
 * returns FG_OK, or FG_ENOMEM to stop the walk (the open fails). */
int fg_ewf_map_walk(struct fg_ewf_map **out, const char *const *paths,
		    size_t n,
		    int (*visit)(void *ctx, const struct fg_ewf_section *s),
		    void *ctx, struct fg_error *err);
/* The path of segment file i (NULL past the end). */
const char *fg_ewf_map_path(const struct fg_ewf_map *m, size_t i);
/* Add a problem at offset of segment file seg: FG_OK or FG_ENOMEM. */
int fg_ewf_map_add_problem(struct fg_ewf_map *m, size_t seg, uint64_t offset,
			   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* EWF metadata read by forage itself (ewf_meta.c): media values, stored
 * digests, acquiry errors and header values, from one walk of the set;
 * memory bounded by the metadata sections, never by the chunk count.
 * Damage is a problem (file, offset) on the walk's map, never a default:
 * a value that cannot be read is not set. */
#define FG_EWF_NHEADER 12
extern const char *const fg_ewf_header_ids[FG_EWF_NHEADER];
struct fg_ewf_range {
	uint64_t first, count;
};
struct fg_ewf_meta {
	/* 'volume' / 'disk' section (the last one of the set). */
	int has_volume;
	int smart_layout;      /* the 94-byte EWF-S01 (SMART) volume */
	int has_media_type;    /* the SMART layout stores neither */
	uint8_t media_type, media_flags;
	uint8_t compression_level;
	uint32_t number_of_chunks, sectors_per_chunk, bytes_per_sector;
	uint32_t error_granularity;
	uint64_t number_of_sectors;
	uint64_t chunk_size, media_size; /* spc * bps, sectors * bps */
	int has_guid;          /* set identifier, not all zeros */
	unsigned char guid[16];
	/* 'hash' / 'digest': all zeros counts as none stored (as libewf). */
	int has_md5, has_sha1;
	char md5[33], sha1[41];
	/* 'error2' (the last one), sorted, overlapping ones merged. */
	struct fg_ewf_range *errors;
	size_t nerrors;
	/* From 'header' then 'header2' (the first of each in the set),
	 * fg_ewf_header_ids order; NULL when not stored.  Dates as libewf
	 * gives them in ISO 8601 (local time, "2026-02-13T09:41:00"). */
	char *header[FG_EWF_NHEADER];
	int has_header, has_header2;
	/* The flavour libewf_handle_get_format gives right after opening
	 * the set (a FG_EWF_FORMAT_* value, libewf's LIBEWF_FORMAT_*), as
	 * libewf 20140813 decides it from the header texts, the 'xheader'
	 * and the 'volume' layout; 0 when it cannot be decided: a deciding
	 * section damaged, a part of the set not walked, header texts libewf
	 * would not parse, or nothing in the set that decides it. */
	uint8_t format;
	struct fg_ewf_map *map; /* problems, segment files, chunk tables */
};
/* libewf's LIBEWF_FORMAT_* values, for fg_ewf_meta.format. */
#define FG_EWF_FORMAT_ENCASE1 0x01
#define FG_EWF_FORMAT_ENCASE2 0x02
#define FG_EWF_FORMAT_ENCASE3 0x03
#define FG_EWF_FORMAT_ENCASE4 0x04
#define FG_EWF_FORMAT_ENCASE5 0x05
#define FG_EWF_FORMAT_ENCASE6 0x06
#define FG_EWF_FORMAT_ENCASE7 0x07
#define FG_EWF_FORMAT_SMART 0x0e
#define FG_EWF_FORMAT_FTK_IMAGER 0x0f
#define FG_EWF_FORMAT_LINEN5 0x25
#define FG_EWF_FORMAT_LINEN6 0x26
#define FG_EWF_FORMAT_LINEN7 0x27
#define FG_EWF_FORMAT_EWFX 0x71
/* Walk the set: FG_OK (damage is problems on ->map) or FG_ENOMEM. */
int fg_ewf_meta_open(struct fg_ewf_meta **out, const char *const *paths,
		     size_t n, struct fg_error *err);
/* A header value by its libewf identifier ("case_number"), or NULL. */
const char *fg_ewf_meta_header(const struct fg_ewf_meta *m, const char *id);
void fg_ewf_meta_free(struct fg_ewf_meta *m);

/* The sectors a chunk for --chunk-size auto (sink_ewf.c): 64, doubled for
 * a large media in the formats whose readers take any chunk size; 0 for
 * a format libewf does not write here. */
uint32_t fg_ewf_auto_sectors_per_chunk(const char *ewf_format,
				       uint64_t media_size,
				       uint32_t sector_size);

/* A growing text buffer (report.c; record.c and casedb.c could use it
 * too).  Appends never fail loudly: when memory runs out, failed is set,
 * later appends do nothing, and the writer checks failed once at the end.
 * p is NUL-terminated once anything was added; free(p) when done. */
struct fg_buf {
	char *p;
	size_t len, cap;
	int failed;
};
void fg_buf_put(struct fg_buf *b, const char *s, size_t n);
void fg_buf_puts(struct fg_buf *b, const char *s);
void fg_buf_printf(struct fg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- Block devices as sysfs knows them (blkdev.c) ---------------------- */

#define FG_BLKNAME_MAX 64

struct fg_blkdev {
	char name[FG_BLKNAME_MAX];      /* "sdb1", "loop0", "nvme0n1" */
	unsigned major, minor;
	char sysdir[4096];              /* real path of SYSROOT/dev/block/M:m */
	int is_partition;               /* a "partition" file is there */
	unsigned partno;                /* its number, 0 for a whole disk */
	char disk[FG_BLKNAME_MAX];      /* the whole disk ("sdb"), = name */
	char disksysdir[4096];          /* the whole disk's sysfs folder */
};

/* Copy src (srclen bytes, or up to NUL when srclen is (size_t)-1) to dst
 * as printable ASCII: other bytes become \xHH, so that what a device or
 * the kernel said is kept exactly and is valid UTF-8.  A backslash becomes
 * \x5c too (so every escape is unambiguous), unless the text escapes
 * itself (libmagic, udev): FG_PRINTABLE_KEEP_BACKSLASH.  FG_PRINTABLE_TRIM
 * drops leading and trailing spaces.  Always NUL-terminates. */
#define FG_PRINTABLE_TRIM 1
#define FG_PRINTABLE_KEEP_BACKSLASH 2
void fg_printable(char *dst, size_t dstlen, const char *src, size_t srclen,
		  int flags);

/* Copy src into dst (len bytes), cut short if needed; NUL-terminated. */
void fg_copy_str(char *dst, size_t len, const char *src);

/* Read the first line of a small file (sysfs, procfs) into buf without
 * its line feed.  Returns the length, or -1 with errno. */
ssize_t fg_read_line(const char *path, char *buf, size_t len);

/* Fill b for the block device dev (st_rdev), looking in sysroot ("/sys",
 * or a fake tree in tests).  Returns 0, or -1 with errno when sysfs does
 * not know it. */
int fg_blkdev_from_dev(struct fg_blkdev *b, unsigned major, unsigned minor,
		       const char *sysroot);

/* Fill b for a sysfs block name ("sdb1") under sysroot. */
int fg_blkdev_from_name(struct fg_blkdev *b, const char *name,
			const char *sysroot);

/* Read a one-line attribute of b (file relative to its sysfs folder,
 * e.g. "queue/rotational"); same returns as fg_read_line. */
ssize_t fg_blkdev_attr(const struct fg_blkdev *b, const char *file,
		       char *buf, size_t len);

/* The partitions of the whole disk dir (a sysfs folder), as names in a
 * malloc'd array of *n entries (free with free()); 0 or -1 (ENOMEM). */
int fg_blkdev_partitions(const char *disksysdir,
			 char (**names)[FG_BLKNAME_MAX], size_t *n);

/* The names in a sysfs folder's holders/ (or slaves/) list, as above. */
int fg_blkdev_list(const char *sysdir, const char *sub,
		   char (**names)[FG_BLKNAME_MAX], size_t *n);

/* "/dev/NAME" when that node exists and is this device (major:minor);
 * 0, or -1 with errno (ENOENT, or ENODEV when it is another device). */
int fg_blkdev_node(const char *name, unsigned major, unsigned minor,
		   char *path, size_t len);

#endif
