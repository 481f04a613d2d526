/*
 * ewf_read_int.h - what ewf_read.c (opening an EWF set) and ewf_stream.c
 * (reading its chunks) share; private to them, the only reading-side
 * files that include libewf.h.
 */
#ifndef FG_IMAGE_EWF_READ_INT_H
#define FG_IMAGE_EWF_READ_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libewf.h>

#include <forage/container.h>
#include <forage/pipeline.h>

#include "ewf/ewf_int.h"

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

/* libewf's message into buf, one line: the outermost failure and, when
 * it differs, the innermost cause; frees e. */
void fg_ewf_read_msg(libewf_error_t **e, char *buf, size_t len);
/* Close the libewf handle and open the set again, at media offset off. */
int fg_ewf_read_reopen(struct fg_image *img, uint64_t off,
		       struct fg_error *err);
/* Bytes of media a pipeline block carries: whole chunks. */
size_t fg_ewf_read_block_size(const struct fg_image *img);
/* Stream the media of an open set into pipe (fg_image_ops.stream). */
int fg_ewf_read_stream(struct fg_image *img, struct fg_pipe *pipe,
		       const struct fg_image_read_opts *o,
		       struct fg_image_read_stats *st, struct fg_error *err);

#endif
