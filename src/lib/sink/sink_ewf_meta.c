/*
 * sink_ewf_meta.c - what an E01 says besides the media (see sink_ewf.c):
 * the header values, the media type and flags and the set identifier,
 * all from the case metadata the acquisition hands the sink
 * (struct fg_case_meta, never the record), and, once the set is final,
 * the container's own facts for the record (describe).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <libewf.h>

#include <forage/deflate.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/sink.h>

#include "sink/sink_ewf_int.h"

/* Header text: EWF headers are tab- and newline-separated, so those
 * characters become spaces there (the record keeps the exact text). */
static int set_header(struct fg_sink *s, const char *id, const char *value)
{
	struct ewf_priv *ep = s->priv;
	libewf_error_t *e = NULL;
	char *v;
	size_t i, n;
	int ok;

	if (value == NULL || value[0] == '\0')
		return FG_OK;
	v = strdup(value);
	if (v == NULL)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	n = strlen(v);
	for (i = 0; i < n; i++)
		if (v[i] == '\t' || v[i] == '\n' || v[i] == '\r')
			v[i] = ' ';
	ok = libewf_handle_set_utf8_header_value(ep->h, (const uint8_t *)id,
						 strlen(id), (const uint8_t *)v,
						 n, &e) == 1;
	free(v);
	if (!ok) {
		char why[1024];
		fg_sink_ewf_msg(e, why, sizeof(why));
		libewf_error_free(&e);
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "E01 header value %s '%s': %s", id, value,
				    why);
	}
	return FG_OK;
}

void fg_sink_ewf_media(struct ewf_priv *ep, const struct fg_case_meta *m)
{
	const char *kind = m ? m->source_kind : NULL;

	/* What the source's identity says: removable (source.removable) or
	 * fixed.  forage does not tell optical or memory media apart. */
	ep->media_type = m != NULL && m->removable
				 ? LIBEWF_MEDIA_TYPE_REMOVABLE
				 : LIBEWF_MEDIA_TYPE_FIXED;
	ep->media_flags = (kind != NULL && strcmp(kind, "block device") == 0)
			      ? LIBEWF_MEDIA_FLAG_PHYSICAL
			      : 0;
}

/* The set identifier (a GUID in the volume section) from what makes the
 * run unique, so that the copies of one run (--second-output) are the
 * same set, and different runs are different sets. */
int fg_sink_ewf_set_identifier(struct ewf_priv *ep,
			       const struct fg_case_meta *m)
{
	const char *const vals[] = {
	    m ? m->started_utc : NULL,	m ? m->host : NULL,
	    m ? m->command_line : NULL, m ? m->source_path : NULL,
	    m ? m->case_number : NULL,	m ? m->evidence_number : NULL};
	char hex[FG_HASH_HEX_MAX];
	struct fg_hash *h = NULL;
	size_t i;

	if (fg_hash_new(&h, FG_HASH_SHA256, NULL) != FG_OK)
		return FG_ENOMEM;
	fg_hash_update(h, "forage E01 set identifier", 25);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		const char *v = vals[i];
		if (v != NULL)
			fg_hash_update(h, v, strlen(v));
		fg_hash_update(h, "", 1);
	}
	fg_hash_final(h, hex);
	fg_hash_free(h);
	for (i = 0; i < 16; i++) {
		unsigned v = 0;
		sscanf(hex + 2 * i, "%2x", &v);
		ep->guid[i] = (uint8_t)v;
	}
	/* A GUID as EnCase stores it (first three fields little-endian):
	 * version 4 (no time or MAC in it), variant 1. */
	ep->guid[7] = (uint8_t)((ep->guid[7] & 0x0f) | 0x40);
	ep->guid[8] = (uint8_t)((ep->guid[8] & 0x3f) | 0x80);
	return FG_OK;
}

/* The header values: the case, the drive, the software (from the case
 * metadata) and the operating system. */
int fg_sink_ewf_headers(struct fg_sink *s, const struct fg_case_meta *m)
{
	struct utsname u;
	char sw[160];
	int rc;

	const struct ewf_priv *ep = s->priv;
	/* Formats with only a 'header' text: their readers (libewf, and
	 * ewf_meta.c) tell EnCase 2 from 3 by the first character of "av",
	 * which must stay the version's. */
	const int av_is_flavour = ep != NULL && ep->fmt != NULL &&
				  (strcmp(ep->fmt->name, "encase2") == 0 ||
				   strcmp(ep->fmt->name, "encase3") == 0 ||
				   strcmp(ep->fmt->name, "ftk") == 0 ||
				   strcmp(ep->fmt->name, "linen5") == 0);

	/* ewfinfo shows only the version ("Software version used"): it says
	 * which software, as "forage 0.1.0". */
	if (m != NULL && m->tool_version != NULL)
		snprintf(sw, sizeof(sw), "%s%s%s",
			 m->tool_name && !av_is_flavour ? m->tool_name : "",
			 m->tool_name && !av_is_flavour ? " " : "",
			 m->tool_version);
	if (m != NULL) {
		const struct {
			const char *id, *value;
		} map[] = {
		    {"case_number", m->case_number},
		    {"evidence_number", m->evidence_number},
		    {"examiner_name", m->examiner},
		    {"description", m->description},
		    {"notes", m->notes},
		    {"model", m->model},
		    {"serial_number", m->serial},
		    {"acquiry_software", m->tool_name},
		    {"acquiry_software_version",
		     m->tool_version != NULL ? sw : NULL},
		};
		size_t i;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if ((rc = set_header(s, map[i].id, map[i].value)) !=
			    FG_OK)
				return rc;
	}
	if (uname(&u) == 0) {
		char os[sizeof(u.sysname) + sizeof(u.release) + 2];
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
		if ((rc = set_header(s, "acquiry_operating_system", os)) !=
		    FG_OK)
			return rc;
	}
	return FG_OK;
}

static const char *media_type_name(uint8_t t)
{
	switch (t) {
	case LIBEWF_MEDIA_TYPE_REMOVABLE: return "removable";
	case LIBEWF_MEDIA_TYPE_OPTICAL: return "optical";
	case LIBEWF_MEDIA_TYPE_MEMORY: return "memory";
	}
	return "fixed";
}

int fg_sink_ewf_describe(struct fg_sink *s, struct fg_record *rec,
			 const char *key)
{
	struct ewf_priv *ep = s->priv;
	int rc = FG_OK;
	char k[128];

#define KEY(name) (snprintf(k, sizeof(k), "%s." name, key), k)
	rc |= fg_record_set_str(rec, KEY("format"), "e01");
	rc |= fg_record_set_str(rec, KEY("ewf_format"), ep->fmt->name);
	{
		char g[40];
		const uint8_t *u = ep->guid;
		snprintf(g, sizeof(g),
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x",
			 u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8],
			 u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
		rc |= fg_record_set_str(rec, KEY("set_identifier"), g);
	}
	rc |=
	    fg_record_set_str(rec, KEY("libewf_version"), libewf_get_version());
	rc |= fg_record_set_int(rec, KEY("segment_files"), (int64_t)ep->nsegs);
	rc |= fg_record_set_int(rec, KEY("segment_files_hashed_while_writing"),
				(int64_t)ep->hashed_early);
	rc |= fg_record_set_int(rec, KEY("segment_size_limit"),
				(int64_t)ep->segment_size);
	rc |= fg_record_set_int(rec, KEY("bytes_per_sector"), ep->sector_size);
	rc |= fg_record_set_int(rec, KEY("sectors_per_chunk"),
				ep->sectors_per_chunk);
	rc |= fg_record_set_int(rec, KEY("chunk_size"),
				(int64_t)ep->sectors_per_chunk *
				    ep->sector_size);
	rc |=
	    fg_record_set_int(rec, KEY("media_size"), (int64_t)ep->padded_size);
	rc |= fg_record_set_int(rec, KEY("padding_bytes"),
				(int64_t)(ep->padded_size - ep->media_size));
	rc |= fg_record_set_str(rec, KEY("media_type"),
				media_type_name(ep->media_type));
	rc |= fg_record_set_bool(rec, KEY("physical"),
				 ep->media_flags & LIBEWF_MEDIA_FLAG_PHYSICAL);
	rc |= fg_record_set_str(rec, KEY("compression"), ep->compression);
	rc |= fg_record_set_str(rec, KEY("compressor"),
				ep->mode == FG_Z_NONE	? "none"
				: ep->mode == FG_Z_BEST ? "zlib level 9"
							: fg_deflate_backend());
	rc |= fg_record_set_int(rec, KEY("compression_threads"), ep->threads);
	rc |= fg_record_set_str(rec, KEY("hashes_stored"), ep->hashes_stored);
	if (ep->fmt->errors) {
		rc |= fg_record_set_int(rec, KEY("acquiry_errors"),
					(int64_t)ep->nbad);
	} else {
		rc |= fg_record_set_null(rec, KEY("acquiry_errors"));
		if (ep->nbad > 0)
			rc |= fg_record_set_str(
			    rec, KEY("warning"),
			    "this EWF format has no place for acquiry "
			    "errors: the unreadable ranges are listed "
			    "in this record only");
	}
#undef KEY
	return rc == FG_OK ? FG_OK : FG_ENOMEM;
}
