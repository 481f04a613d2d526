/*
 * sink_ewf_int.h - what the E01 sink's two files share (sink_ewf.c: the
 * set, its chunks and segments; sink_ewf_meta.c: its header values and
 * its description): the format table's entry and the sink's state.  Only
 * these two include it, and with it libewf.h.
 */
#ifndef FORAGE_SINK_EWF_INT_H
#define FORAGE_SINK_EWF_INT_H

#include <stdint.h>
#include <libewf.h>

#include <forage/deflate.h>
#include <forage/forage.h>

struct fg_case_meta;
struct fg_filehash;
struct fg_record;
struct fg_sink;

/* What libewf 20140813 writes, per format (the table is in sink_ewf.c). */
struct ewf_fmt {
	const char *name;
	uint8_t id;
	char ext;	       /* first letter of the segment extensions */
	unsigned s01 : 1;      /* EWF-S01 family: every chunk compressed */
	unsigned errors : 1;   /* has an error2 section (acquiry errors) */
	unsigned sha1 : 1;     /* stores a SHA-1 (digest or xhash section) */
	unsigned sha256 : 1;   /* stores a SHA-256 (xhash) */
	unsigned big : 1;      /* media > 2 TiB */
	unsigned bigseg : 1;   /* segments > 2 GiB */
	unsigned anychunk : 1; /* its readers take chunks of any size */
};

/* The E01 sink's state (fg_sink.priv). */
struct ewf_priv {
	const struct ewf_fmt *fmt;
	libewf_handle_t *h;
	struct fg_zpool *pool;
	enum fg_zmode mode;
	const char *compression;
	char *outbase;
	char *dir;	       /* OUTBASE's folder */
	char *base;	       /* OUTBASE's last component */
	char *work;	       /* dir/base.E01.incomplete */
	char *work_base;       /* work/base: what libewf is given */
	uint64_t media_size;   /* exact bytes the engine writes */
	uint64_t padded_size;  /* whole sectors: what the E01 holds */
	uint64_t segment_size; /* asked (or the default) */
	uint64_t written;      /* bytes given to write() */
	uint64_t emitted;      /* media bytes handed to libewf */
	uint64_t fed;	       /* bytes (padding included) put in chunks */
	uint32_t sector_size, chunk_size, sectors_per_chunk;
	unsigned char *cur; /* chunk being filled, from the pool */
	size_t cur_len;
	uint64_t nbad, bad_sectors;
	uint8_t media_type, media_flags;
	uint8_t guid[16];
	char hashes_stored[32];
	unsigned nsegs;
	unsigned offered;      /* segments handed to fh (closed by libewf) */
	unsigned hashed_early; /* ... whose digests were ready at finish */
	struct fg_filehash *fh;
	unsigned threads; /* compression workers */
	int handle_open;
	char *reserve; /* work/.space-reserve, see RESERVE (sink_ewf.c) */
};

/* libewf's error as one line: the outermost message and the innermost
 * cause (sink_ewf.c). */
void fg_sink_ewf_msg(libewf_error_t *e, char *buf, size_t len);

/* ---- sink_ewf_meta.c: from the case metadata (m may be NULL) --------- */

/* The header values into the open handle; FG_OK, or the failure in
 * s->err. */
int fg_sink_ewf_headers(struct fg_sink *s, const struct fg_case_meta *m);

/* ep->media_type and ep->media_flags. */
void fg_sink_ewf_media(struct ewf_priv *ep, const struct fg_case_meta *m);

/* ep->guid, the set identifier; FG_OK or FG_ENOMEM. */
int fg_sink_ewf_set_identifier(struct ewf_priv *ep,
			       const struct fg_case_meta *m);

/* The op describe: the finished set's facts into rec under key. */
int fg_sink_ewf_describe(struct fg_sink *s, struct fg_record *rec,
			 const char *key);

#endif
