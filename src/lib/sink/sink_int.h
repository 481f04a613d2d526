/*
 * sink_int.h - what the sink part's files share: the formats' tables, a
 * new sink of a kind's table, with the life-cycle state sink.c keeps.
 */
#ifndef FORAGE_SINK_INT_H
#define FORAGE_SINK_INT_H

#include <stdint.h>
#include <forage/forage.h>

struct fg_sink;
struct fg_sink_ops;

/* The tables of the formats (sink_raw.c, sink_ewf.c), listed in sink.c. */
extern const struct fg_sink_ops fg_sink_raw_ops;
extern const struct fg_sink_ops fg_sink_ewf_ops;

/* A new sink of ops with its life-cycle state (sink.c); NULL when out of
 * memory.  Free with fg_sink_free. */
struct fg_sink *fg_sink_alloc(const struct fg_sink_ops *ops);

/* The sectors a chunk for --chunk-size auto (sink_ewf.c): 64, doubled for
 * a large media in the formats whose readers take any chunk size; 0 for
 * a format libewf does not write here. */
uint32_t fg_ewf_auto_sectors_per_chunk(const char *ewf_format,
				       uint64_t media_size,
				       uint32_t sector_size);

#endif
