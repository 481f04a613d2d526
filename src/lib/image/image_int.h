/*
 * image_int.h - what the image part's files share: an image kind's table,
 * the helpers that fill an image, and the kinds' openers.
 */
#ifndef FORAGE_IMAGE_INT_H
#define FORAGE_IMAGE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <forage/forage.h>

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

#endif
