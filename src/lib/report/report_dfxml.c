/*
 * report_dfxml.c - the report as Digital Forensics XML (report.h says which
 * elements hold what); what DFXML has no element for goes in the forage
 * extension namespace.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

/* ---- DFXML ------------------------------------------------------------- */

static void x_elem(struct fg_buf *o, int depth, const char *name,
		   const char *value)
{
	int i;

	if (value == NULL)
		return; /* absent: not known */
	for (i = 0; i < depth; i++)
		fg_buf_puts(o, "  ");
	fg_buf_printf(o, "<%s>", name);
	fg_report_put_esc(o, value, ESC_MARKUP);
	fg_buf_printf(o, "</%s>\n", name);
}

/* Attribute name="value" when value is known. */
static void x_attr(struct fg_buf *o, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fg_buf_printf(o, " %s=\"", name);
	fg_report_put_esc(o, value, ESC_MARKUP);
	fg_buf_puts(o, "\"");
}

static void x_indent(struct fg_buf *o, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fg_buf_puts(o, "  ");
}

struct xhash {
	struct fg_buf *o;
	int depth;
};

static void x_hashdigest(void *ctx, const char *alg, const char *hex)
{
	struct xhash *x = ctx;

	x_indent(x->o, x->depth);
	fg_buf_puts(x->o, "<hashdigest");
	x_attr(x->o, "type", alg);
	fg_buf_puts(x->o, ">");
	fg_report_put_esc(x->o, hex, ESC_MARKUP);
	fg_buf_puts(x->o, "</hashdigest>\n");
}

/* Element <forage:NAME> for every listed member known. */
static void x_members(struct fg_buf *o, int depth, json_t *obj,
		      const char *const *keys)
{
	char b[64], name[80];

	for (; *keys != NULL; keys++) {
		snprintf(name, sizeof(name), "forage:%s", *keys);
		x_elem(o, depth, name, jtext(obj, *keys, b, sizeof(b)));
	}
}

static const char *const acq_keys[] = {
	"state", "status", "exit_code", "message", "examiner", "started_utc",
	"finished_utc", "duration_seconds", "tool_name", "tool_version",
	"host", "pid", "command_line", "source_path", "source_kind",
	"source_total_size",
	"source_offset", "source_size", "model", "serial",
	"logical_sector_size", "physical_sector_size", "format",
	"no_write_block", "bytes", "sectors_filled", NULL
};

static void x_json_member(struct fg_buf *o, int depth, const char *name,
			  json_t *v)
{
	char *s;

	if (v == NULL || json_is_null(v))
		return;
	s = json_is_string(v) ? strdup(json_string_value(v))
			      : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
						      JSON_SORT_KEYS);
	if (s == NULL) {
		o->failed = 1;
		return;
	}
	x_elem(o, depth, name, s);
	free(s);
}

/* Where the export cut a list (FG_CASEDB_EXPORT_CAP): an element
 * forage:not_listed of kind, with the count left out and sentence s
 * (NULL: out of memory). */
static void x_not_listed_elem(struct fg_report *r, int depth,
			      const char *kind, const char *item,
			      int64_t count, const char *s)
{
	struct fg_buf *o = &r->o;
	char b[32];

	if (s == NULL) {
		o->failed = 1;
		return;
	}
	snprintf(b, sizeof(b), "%" PRId64, count);
	x_indent(o, depth);
	fg_buf_puts(o, "<forage:not_listed");
	x_attr(o, "kind", kind);
	x_attr(o, "evidence_id", item);
	x_attr(o, "count", b);
	fg_buf_puts(o, ">");
	fg_report_put_esc(o, s, ESC_MARKUP);
	fg_buf_puts(o, "</forage:not_listed>\n");
}

/* The same for the custody of an item and the event log, what and see
 * as fg_report_omitted_sentence takes them. */
static void x_not_listed(struct fg_report *r, int depth, json_t *obj,
			 const char *key, const char *kind, const char *item,
			 const char *what, const char *see)
{
	size_t after;
	char *s = fg_report_omitted_sentence(obj, key, what, see);

	x_not_listed_elem(r, depth, kind, item,
			  fg_report_omitted(obj, key, &after), s);
	free(s);
}

/* Before row i of the list key of obj (i: its size, after the last row):
 * the element, when the export cut the list there; case_id and
 * evidence_id name what forage case show --json lists in full. */
static void x_cut_here(struct fg_report *r, int depth, json_t *obj,
		       const char *key, size_t i, const char *kind,
		       const char *case_id, const char *evidence_id)
{
	size_t after;
	int failed = 0;
	char *s = fg_report_cut_at(obj, key, i, case_id, evidence_id,
				   &failed);

	if (failed)
		r->o.failed = 1;
	if (s != NULL)
		x_not_listed_elem(r, depth, kind, evidence_id,
				  fg_report_omitted(obj, key, &after), s);
	free(s);
}

#define X_CUT(depth, obj, key, i, kind)                                    \
	x_cut_here(r, depth, obj, key, i, kind, jstr(obj, "case_id"),      \
		   jstr(obj, "evidence_id"))

static void x_acquisition(void *ctx, json_t *c, json_t *e, json_t *acq)
{
	struct fg_report *r = ctx;
	struct fg_buf *o = &r->o;
	json_t *arr, *b, *w;
	struct xhash xh = {o, 4};
	int64_t ss = 0;
	size_t i;
	char b1[32], b2[32], b3[32];
	const char *len;

	if (!jint(acq, "logical_sector_size", &ss) || ss < 0)
		ss = 0;
	fg_buf_puts(o, "  <diskimageobject>\n    <forage:acquisition");
	x_attr(o, "id", jtext(acq, "id", b1, sizeof(b1)));
	x_attr(o, "case_id", c ? jstr(c, "case_id") : jstr(acq, "case_id"));
	x_attr(o, "evidence_id",
	       e ? jstr(e, "evidence_id") : jstr(acq, "evidence_id"));
	fg_buf_puts(o, ">\n");
	x_members(o, 3, acq, acq_keys);
	x_json_member(o, 3, "forage:hpa", fg_report_source_fact(acq, "hpa"));
	x_json_member(o, 3, "forage:dco", fg_report_source_fact(acq, "dco"));
	x_json_member(o, 3, "forage:write_block",
		      json_object_get(acq, "write_block"));
	x_json_member(o, 3, "forage:parameters",
		      json_object_get(acq, "parameters"));
	json_array_foreach(jarr(acq, "bad_ranges"), i, b) {
		int64_t lba = 0, cnt = 0;

		X_CUT(3, acq, "bad_ranges", i, "bad_range");
		fg_buf_puts(o, "      <forage:bad_range");
		x_attr(o, "first_lba", jtext(b, "first_lba", b1, sizeof(b1)));
		x_attr(o, "count", jtext(b, "count", b2, sizeof(b2)));
		if (ss > 0 && jint(b, "first_lba", &lba) &&
		    jint(b, "count", &cnt)) {
			snprintf(b3, sizeof(b3), "%" PRId64, lba * ss);
			x_attr(o, "img_offset", b3);
			snprintf(b3, sizeof(b3), "%" PRId64, cnt * ss);
			x_attr(o, "len", b3);
		}
		fg_buf_puts(o, "/>\n");
	}
	X_CUT(3, acq, "bad_ranges", i, "bad_range");
	fg_buf_puts(o, "    </forage:acquisition>\n");

	/* The image: one run over all acquired bytes with the media
	 * hashes, then the hash windows. */
	len = jtext(acq, "bytes", b1, sizeof(b1));
	if (len == NULL)
		len = jtext(acq, "source_size", b1, sizeof(b1));
	fg_buf_puts(o, "    <byte_runs>\n      <byte_run img_offset=\"0\"");
	x_attr(o, "len", len);
	fg_buf_puts(o, " forage:kind=\"media\">\n");
	fg_report_each_media_hash(acq, x_hashdigest, &xh);
	fg_buf_puts(o, "      </byte_run>\n");
	arr = jarr(acq, "hash_windows");
	json_array_foreach(arr, i, w) {
		X_CUT(3, acq, "hash_windows", i, "hash_window");
		fg_buf_puts(o, "      <byte_run");
		x_attr(o, "img_offset", jtext(w, "offset", b1, sizeof(b1)));
		x_attr(o, "len", jtext(w, "length", b2, sizeof(b2)));
		fg_buf_puts(o, " forage:kind=\"hash-window\"");
		x_attr(o, "forage:index",
		       fg_report_window_index(w, b3, sizeof(b3)));
		fg_buf_puts(o, ">\n");
		if (jstr(w, "algorithm") && jstr(w, "hex"))
			x_hashdigest(&xh, jstr(w, "algorithm"),
				     jstr(w, "hex"));
		fg_buf_puts(o, "      </byte_run>\n");
	}
	X_CUT(3, acq, "hash_windows", i, "hash_window");
	json_array_foreach(jarr(acq, "bad_ranges"), i, b) {
		int64_t lba = 0, cnt = 0;

		X_CUT(3, acq, "bad_ranges", i, "bad_range");
		if (ss <= 0 || !jint(b, "first_lba", &lba) ||
		    !jint(b, "count", &cnt))
			continue;
		snprintf(b1, sizeof(b1), "%" PRId64, lba * ss);
		snprintf(b2, sizeof(b2), "%" PRId64, cnt * ss);
		fg_buf_puts(o, "      <byte_run");
		x_attr(o, "img_offset", b1);
		x_attr(o, "len", b2);
		fg_buf_puts(o, " forage:kind=\"unreadable\"");
		x_attr(o, "forage:first_lba", jtext(b, "first_lba", b3,
						     sizeof(b3)));
		x_attr(o, "forage:sectors", jtext(b, "count", b3, sizeof(b3)));
		fg_buf_puts(o, "/>\n");
	}
	X_CUT(3, acq, "bad_ranges", i, "bad_range");
	fg_buf_puts(o, "    </byte_runs>\n");
	if (ss > 0)
		fg_buf_printf(o, "    <sector_size>%" PRId64 "</sector_size>\n",
			      ss);
	if (json_array_size(jarr(acq, "bad_ranges")) > 0) {
		int64_t filled = 0;
		size_t after;
		char *msg;

		jint(acq, "sectors_filled", &filled);
		msg = fg_strdup_printf(
			"%" PRId64 " range(s) of sectors could not be read "
			"and were filled in the image (see forage:bad_range)",
			(int64_t)json_array_size(jarr(acq, "bad_ranges")) +
				fg_report_omitted(acq, "bad_ranges", &after));
		x_elem(o, 2, "error", msg);
		free(msg);
	}
	fg_buf_puts(o, "  </diskimageobject>\n");
}

static void x_fileobjects(struct fg_report *r, json_t *acq)
{
	struct fg_buf *o = &r->o;
	json_t *f;
	size_t i;
	char b[32];
	struct xhash xh = {o, 2};

	json_array_foreach(jarr(acq, "outputs"), i, f) {
		X_CUT(1, acq, "outputs", i, "output");
		fg_buf_puts(o, "  <fileobject>\n");
		x_elem(o, 2, "filename", jstr(f, "path"));
		x_elem(o, 2, "filesize", jtext(f, "size", b, sizeof(b)));
		if (jstr(f, "md5"))
			x_hashdigest(&xh, "md5", jstr(f, "md5"));
		if (jstr(f, "sha256"))
			x_hashdigest(&xh, "sha256", jstr(f, "sha256"));
		fg_buf_puts(o, "  </fileobject>\n");
	}
	X_CUT(1, acq, "outputs", i, "output");
}

static void x_source(void *ctx, json_t *c, json_t *e, json_t *a)
{
	struct fg_report *r = ctx;

	(void)c;
	(void)e;
	x_elem(&r->o, 2, "image_filename", jstr(a, "source_path"));
}

static void x_files(void *ctx, json_t *c, json_t *e, json_t *a)
{
	(void)c;
	(void)e;
	x_fileobjects(ctx, a);
}

static const char *const ver_keys[] = {
	"acquisition_id", "examiner", "started_utc", "finished_utc",
	"target", "method", "result", "exit_code", "message", NULL
};
static const char *const cus_keys[] = {
	"utc", "action", "from_party", "to_party", "location", "reason",
	"examiner", NULL
};
static const char *const evt_keys[] = {
	"utc", "kind", "examiner", "case_id", "evidence_id", "subject_id",
	"details", "prev_sha256", "sha256", NULL
};

static void x_verification(struct fg_report *r, json_t *v,
			   const char *item)
{
	struct fg_buf *o = &r->o;
	json_t *h;
	size_t i;
	char b[32], b2[32], b3[32];

	fg_buf_puts(o, "    <forage:verification");
	x_attr(o, "id", jtext(v, "id", b, sizeof(b)));
	x_attr(o, "evidence_id", item);
	fg_buf_puts(o, ">\n");
	x_members(o, 3, v, ver_keys);
	json_array_foreach(jarr(v, "hashes"), i, h) {
		X_CUT(3, v, "hashes", i, "verification_hash");
		fg_buf_puts(o, "      <forage:hash");
		x_attr(o, "file", jstr(h, "file"));
		x_attr(o, "type", jstr(h, "algorithm"));
		x_attr(o, "match", jtext(h, "match", b, sizeof(b)));
		x_attr(o, "what", jstr(h, "what"));
		fg_buf_puts(o, ">\n");
		x_elem(o, 4, "forage:source", jstr(h, "source"));
		x_elem(o, 4, "forage:expected", jstr(h, "expected"));
		x_elem(o, 4, "forage:computed", jstr(h, "computed"));
		fg_buf_puts(o, "      </forage:hash>\n");
	}
	X_CUT(3, v, "hashes", i, "verification_hash");
	json_array_foreach(jarr(v, "diffs"), i, h) {
		X_CUT(3, v, "diffs", i, "verification_diff");
		fg_buf_puts(o, "      <forage:diff");
		x_attr(o, "file", jstr(h, "file"));
		x_attr(o, "offset", jtext(h, "offset", b2, sizeof(b2)));
		x_attr(o, "length", jtext(h, "length", b3, sizeof(b3)));
		fg_buf_puts(o, ">");
		fg_report_put_esc(o, jstr(h, "what") ?: "", ESC_MARKUP);
		fg_buf_puts(o, "</forage:diff>\n");
	}
	X_CUT(3, v, "diffs", i, "verification_diff");
	fg_buf_puts(o, "    </forage:verification>\n");
}

/* The verifications of obj, its array member key (of case_id and item),
 * at depth, cut where the export cut them. */
static void x_verifications(struct fg_report *r, int depth, json_t *obj,
			    const char *key, const char *case_id,
			    const char *item)
{
	json_t *x;
	size_t k;

	json_array_foreach(jarr(obj, key), k, x) {
		x_cut_here(r, depth, obj, key, k, "verification", case_id,
			   item);
		x_verification(r, x, item);
	}
	x_cut_here(r, depth, obj, key, k, "verification", case_id, item);
}

static void x_custody(struct fg_buf *o, json_t *cu, const char *item)
{
	char b[32];

	fg_buf_puts(o, "    <forage:custody");
	x_attr(o, "id", jtext(cu, "id", b, sizeof(b)));
	x_attr(o, "evidence_id", item ? item : jstr(cu, "evidence_id"));
	fg_buf_puts(o, ">\n");
	x_members(o, 3, cu, cus_keys);
	fg_buf_puts(o, "    </forage:custody>\n");
}

/* The custody of item e, cut where the export cut it. */
static void x_custody_of(struct fg_report *r, json_t *c, json_t *e)
{
	const char *item = jstr(e, "evidence_id");
	json_t *arr = jarr(e, "custody"), *x;
	size_t k, after;
	int64_t omitted = fg_report_omitted(e, "custody", &after);
	char *see = omitted > 0 ? fg_report_see(jstr(c, "case_id"), item, 0)
				: NULL;

	if (omitted > 0 && see == NULL)
		r->o.failed = 1;
	json_array_foreach(arr, k, x) {
		if (omitted > 0 && k == after)
			x_not_listed(r, 2, e, "custody", "custody", item,
				     "custody entries",
				     see ? see : "forage case show");
		x_custody(&r->o, x, item);
	}
	if (omitted > 0 && after == json_array_size(arr))
		x_not_listed(r, 2, e, "custody", "custody", item,
			     "custody entries", see ? see : "forage case show");
	free(see);
}

int fg_report_render_dfxml(struct fg_report *r)
{
	const struct fg_report_input *in = r->in;
	struct fg_buf *o = &r->o;
	json_t *c, *e, *x;
	size_t i, j, k, after;
	int64_t omitted;
	char b[32], *audit, *see;

	fg_buf_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/"
		 "Category:Digital_Forensics_XML\"\n"
		 "       xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		 "       xmlns:forage=\"" FG_REPORT_DFXML_NS "\"\n"
		 "       version=\"" FG_REPORT_DFXML_VERSION "\">\n");
	fg_buf_puts(o, "  <metadata>\n"
		 "    <dc:type>Evidence report</dc:type>\n");
	x_elem(o, 2, "dc:date", r->generated);
	x_elem(o, 2, "forage:case_id", in->case_id);
	x_elem(o, 2, "forage:evidence_id", in->evidence_id);
	x_elem(o, 2, "forage:database", jstr(r->doc, "database"));
	x_elem(o, 2, "forage:schema_version",
	       jtext(r->doc, "schema_version", b, sizeof(b)));
	x_elem(o, 2, "forage:exported_utc", jstr(r->doc, "exported_utc"));
	fg_buf_puts(o, "    <forage:audit");
	x_attr(o, "state", fg_report_audit_state_name(in->audit.state));
	if (in->audit.state == FG_REPORT_AUDIT_INTACT ||
	    in->audit.state == FG_REPORT_AUDIT_BROKEN) {
		snprintf(b, sizeof(b), "%" PRId64, in->audit.events);
		x_attr(o, "events", b);
		if (in->audit.first_bad_id) {
			snprintf(b, sizeof(b), "%" PRId64,
				 in->audit.first_bad_id);
			x_attr(o, "first_bad_id", b);
		}
		if (in->audit.head_sha256 && *in->audit.head_sha256)
			x_attr(o, "head_sha256", in->audit.head_sha256);
	}
	fg_buf_puts(o, ">");
	audit = fg_report_audit_sentence(&in->audit);
	fg_report_put_esc(o, audit ? audit : "", ESC_MARKUP);
	free(audit);
	fg_buf_puts(o, "</forage:audit>\n  </metadata>\n");
	fg_buf_puts(o, "  <creator>\n    <program>" PACKAGE_NAME "</program>\n"
		 "    <version>" PACKAGE_VERSION "</version>\n"
		 "    <execution_environment>\n");
	x_elem(o, 3, "start_time", r->generated);
	fg_buf_puts(o, "    </execution_environment>\n  </creator>\n");
	fg_buf_puts(o, "  <source>\n");
	fg_report_each_acquisition(r->doc, x_source, r);
	fg_buf_puts(o, "  </source>\n");
	fg_report_each_acquisition(r->doc, x_acquisition, r);
	fg_report_each_acquisition(r->doc, x_files, r);

	/* What DFXML has no element for. */
	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		fg_buf_puts(o, "  <forage:case");
		x_attr(o, "case_id", jstr(c, "case_id"));
		fg_buf_puts(o, ">\n");
		x_elem(o, 2, "forage:description", jstr(c, "description"));
		x_elem(o, 2, "forage:created_utc", jstr(c, "created_utc"));
		x_elem(o, 2, "forage:examiner", jstr(c, "examiner"));
		json_array_foreach(jarr(c, "evidence"), j, e) {
			const char *item = jstr(e, "evidence_id");

			fg_buf_puts(o, "    <forage:evidence");
			x_attr(o, "evidence_id", item);
			fg_buf_puts(o, ">\n");
			x_elem(o, 3, "forage:description",
			       jstr(e, "description"));
			x_elem(o, 3, "forage:created_utc",
			       jstr(e, "created_utc"));
			x_elem(o, 3, "forage:examiner", jstr(e, "examiner"));
			fg_buf_puts(o, "    </forage:evidence>\n");
			x_verifications(r, 2, e, "verifications",
					jstr(c, "case_id"), item);
			x_custody_of(r, c, e);
			/* DFXML lists the acquisitions elsewhere: the note
			 * of the cut, if any, goes with the item. */
			if (fg_report_omitted(e, "acquisitions", &after) > 0)
				x_cut_here(r, 2, e, "acquisitions", after,
					   "acquisition", jstr(c, "case_id"),
					   item);
		}
		if (fg_report_omitted(c, "evidence", &after) > 0)
			x_cut_here(r, 2, c, "evidence", after, "evidence",
				   jstr(c, "case_id"), NULL);
		x_verifications(r, 2, c, "verifications", jstr(c, "case_id"),
				NULL);
		x_verifications(r, 2, c, "unfiled_verifications",
				jstr(c, "case_id"), NULL);
		json_array_foreach(jarr(c, "custody"), k, x)
			x_custody(o, x, NULL);
		fg_buf_puts(o, "  </forage:case>\n");
	}
	x_verifications(r, 2, r->doc, "unfiled_verifications", in->case_id,
			in->evidence_id);
	omitted = fg_report_omitted(r->doc, "events", &after);
	see = omitted > 0 ? fg_report_see(in->case_id, in->evidence_id, 1)
			  : NULL;
	if (omitted > 0 && see == NULL)
		o->failed = 1;
	json_array_foreach(jarr(r->doc, "events"), i, x) {
		if (omitted > 0 && i == after)
			x_not_listed(r, 1, r->doc, "events", "event", NULL,
				     "events",
				     see ? see : "forage case show --json");
		fg_buf_puts(o, "  <forage:event");
		x_attr(o, "id", jtext(x, "id", b, sizeof(b)));
		fg_buf_puts(o, ">\n");
		x_members(o, 2, x, evt_keys);
		fg_buf_puts(o, "  </forage:event>\n");
	}
	if (omitted > 0 && after == json_array_size(jarr(r->doc, "events")))
		x_not_listed(r, 1, r->doc, "events", "event", NULL, "events",
			     see ? see : "forage case show --json");
	free(see);
	fg_buf_puts(o, "</dfxml>\n");
	return FG_OK;
}
