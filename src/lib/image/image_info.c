/*
 * image_info.c - what a file is as evidence, for `forage info` (see
 * container.h, fg_container_info): the container forage recognises in it
 * and, for an EWF set, the facts forage's own EWF metadata reader
 * (ewf_meta.c) finds in it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <forage/container.h>
#include <forage/record.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"

/* The EWF facts of the set img opened, from one walk of its files. */
static int ewf_facts(struct fg_record *rec, const struct fg_image *img)
{
	static const char *const levels[] = {"none", "fast", "best"};
	struct fg_ewf_meta *m = NULL;
	const char **paths;
	struct fg_error e;
	size_t i;
	int rc = FG_OK;

	paths = calloc(img->nsegs, sizeof(*paths));
	if (paths == NULL)
		return FG_ENOMEM;
	for (i = 0; i < img->nsegs; i++)
		paths[i] = img->segs[i].path;
	fg_error_clear(&e);
	if (fg_ewf_meta_open(&m, paths, img->nsegs, &e) != FG_OK) {
		free(paths);
		return fg_record_set_str(rec, "evidence.note", e.msg);
	}
	free(paths);
	if (m->has_volume) {
		rc |= fg_record_set_int(rec, "evidence.sectors",
					(int64_t)m->number_of_sectors);
		rc |= fg_record_set_int(rec, "evidence.sectors_per_chunk",
					(int64_t)m->sectors_per_chunk);
		if (m->smart_layout || m->compression_level > 2)
			rc |= fg_record_set_null(rec, "evidence.compression");
		else
			rc |= fg_record_set_str(
				rec, "evidence.compression",
				levels[m->compression_level]);
	}
	rc |= fg_record_set_str(rec, "evidence.stored_md5",
				m->has_md5 ? m->md5 : NULL);
	rc |= fg_record_set_str(rec, "evidence.stored_sha1",
				m->has_sha1 ? m->sha1 : NULL);
	rc |= fg_record_set_str(rec, "evidence.writer.software",
				fg_ewf_meta_header(m, "acquiry_software"));
	rc |= fg_record_set_str(rec, "evidence.writer.software_version",
				fg_ewf_meta_header(m,
						   "acquiry_software_version"));
	rc |= fg_record_set_str(rec, "evidence.writer.operating_system",
				fg_ewf_meta_header(m,
						   "acquiry_operating_system"));
	for (i = 0; i < FG_EWF_NHEADER && rc == FG_OK; i++) {
		char key[96];
		if (m->header[i] == NULL)
			continue;
		snprintf(key, sizeof(key), "evidence.metadata.%s",
			 fg_ewf_header_ids[i]);
		rc |= fg_record_set_str(rec, key, m->header[i]);
	}
	for (i = 0; i < m->nerrors && rc == FG_OK; i++) {
		struct fg_record *r = NULL;
		if (fg_record_new(&r) != FG_OK) {
			rc = FG_ENOMEM;
			break;
		}
		rc |= fg_record_set_int(r, "first_lba",
					(int64_t)m->errors[i].first);
		rc |= fg_record_set_int(r, "count",
					(int64_t)m->errors[i].count);
		if (rc == FG_OK)
			rc = fg_record_append_record(
				rec, "evidence.acquiry_errors", r);
		fg_record_free(r);
	}
	fg_ewf_meta_free(m);
	return rc;
}

int fg_container_info(const char *path, struct fg_record *rec,
		      struct fg_error *err)
{
	struct fg_image *img = NULL;
	struct fg_detect d;
	struct fg_error e;
	struct stat st;
	size_t i;
	int rc, drc;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return FG_OK; /* devices: the source's facts say it all */
	fg_error_clear(&e);
	drc = fg_container_detect(path, &d, &e);
	if (drc != FG_OK && drc != FG_EFORMAT)
		return FG_OK; /* unreadable: the source's facts say so */
	rc = fg_record_set_str(rec, "evidence.kind",
			       drc == FG_OK || d.kind == FG_CONTAINER_FOREIGN
				       ? fg_container_kind_name(d.kind)
				       : "unknown");
	rc |= fg_record_set_str(rec, "evidence.description",
				d.description[0] ? d.description
						 : "not recognised as evidence");
	rc |= fg_record_set_bool(rec, "evidence.verifiable", drc == FG_OK);
	if (drc != FG_OK) {
		rc |= fg_record_set_str(rec, "evidence.format",
					d.format[0] ? d.format : NULL);
		rc |= fg_record_set_str(rec, "evidence.note", e.msg);
		goto out;
	}
	if (d.kind == FG_CONTAINER_RECORD) {
		rc |= fg_record_set_str(rec, "evidence.format",
					"forage acquisition record");
		goto out;
	}
	if (fg_image_open(&img, path, d.kind, 0, &e) != FG_OK) {
		rc |= fg_record_set_str(rec, "evidence.format", NULL);
		rc |= fg_record_set_str(rec, "evidence.note", e.msg);
		goto out;
	}
	rc |= fg_record_set_str(rec, "evidence.format", img->format);
	rc |= fg_record_set_int(rec, "evidence.media_size",
				(int64_t)img->media_size);
	rc |= fg_record_set_int(rec, "evidence.bytes_per_sector",
				(int64_t)img->sector_size);
	if (img->chunk_size > 0)
		rc |= fg_record_set_int(rec, "evidence.chunk_size",
					(int64_t)img->chunk_size);
	for (i = 0; i < img->nsegs; i++)
		rc |= fg_record_append_str(rec, "evidence.segment_files",
					   img->segs[i].path);
	for (i = 0; i < img->nproblems; i++) {
		char *t = fg_strdup_printf("%s, offset %llu: %s",
					   img->problems[i].file,
					   (unsigned long long)
						   img->problems[i].offset,
					   img->problems[i].text);
		if (t == NULL) {
			rc = FG_ENOMEM;
			break;
		}
		rc |= fg_record_append_str(rec, "evidence.problems", t);
		free(t);
	}
	if (img->kind == FG_CONTAINER_EWF && rc == FG_OK)
		rc = ewf_facts(rec, img);
out:
	fg_image_close(img);
	if (rc != FG_OK)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return FG_OK;
}
