/*
 * report_uco.c - the report as CASE/UCO 1.x JSON-LD (report.h says which
 * nodes hold what).  Node identifiers are derived from what they name, so
 * the same database gives the same graph.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/hash.h>

#include "report/report_int.h"

/* ---- CASE/UCO JSON-LD -------------------------------------------------- */

/* Node identifiers are derived from what they name, so the same database
 * gives the same graph: "kb:KIND-" and a UUID-shaped SHA-256 prefix of the
 * case, the kind and the local id. */
static json_t *node_id(const char *kind, const char *case_id,
		       const char *local)
{
	struct fg_hash *h = NULL;
	char hex[FG_HASH_HEX_MAX], *s = NULL;
	json_t *id = NULL;
	char *text = fg_strdup_printf("%s\n%s\n%s", case_id ? case_id : "",
				      kind, local ? local : "");

	if (text == NULL || fg_hash_new(&h, FG_HASH_SHA256, NULL) != FG_OK)
		goto out;
	fg_hash_update(h, text, strlen(text));
	fg_hash_final(h, hex);
	s = fg_strdup_printf("kb:%s-%.8s-%.4s-%.4s-%.4s-%.12s", kind, hex,
			     hex + 8, hex + 12, hex + 16, hex + 20);
	if (s != NULL)
		id = json_string(s);
out:
	free(text);
	free(s);
	fg_hash_free(h);
	return id;
}

/* {"@id": id}; ref() keeps the caller's reference, ref_new() takes it. */
static json_t *ref(json_t *id)
{
	return json_pack("{s:O}", "@id", id);
}

static json_t *ref_new(json_t *id)
{
	return json_pack("{s:o}", "@id", id);
}

static json_t *typed(const char *type, const char *value)
{
	return json_pack("{s:s, s:s}", "@type", type, "@value", value);
}

/* Set key to a string when known. */
static void set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static void set_time(json_t *o, const char *key, const char *utc)
{
	if (utc != NULL)
		json_object_set_new(o, key, typed("xsd:dateTime", utc));
}

static void set_int(json_t *o, const char *key, json_t *from,
		    const char *fkey)
{
	int64_t v;

	if (jint(from, fkey, &v))
		json_object_set_new(o, key, json_integer(v));
}

struct uco {
	struct fg_report *r;
	json_t *graph;
	json_t *inv_objects; /* the investigation's uco-core:object */
	const char *case_id;
	unsigned seq;        /* hashes and facets of one node */
	char owner[300];     /* local id of the node being built */
};

/* Add a node to the graph and to the investigation's objects; a node
 * that could not be built (out of memory) fails the report. */
static void add(struct uco *u, json_t *node)
{
	json_t *id = json_object_get(node, "@id");

	if (node == NULL || id == NULL ||
	    json_array_append_new(u->inv_objects, ref(id)) != 0) {
		u->r->o.failed = 1;
		json_decref(node);
		return;
	}
	if (json_array_append_new(u->graph, node) != 0)
		u->r->o.failed = 1;
}

static json_t *uco_hash(struct uco *u, const char *alg, const char *hex)
{
	char local[sizeof(u->owner) + 24];
	json_t *h;

	snprintf(local, sizeof(local), "%s/hash/%u", u->owner, u->seq++);
	h = json_pack("{s:o, s:s, s:s, s:o}", "@id",
		      node_id("hash", u->case_id, local), "@type",
		      "uco-types:Hash", "uco-types:hashMethod",
		      fg_report_hash_uco(alg), "uco-types:hashValue",
		      typed("xsd:hexBinary", hex));
	return h;
}

struct hash_list {
	struct uco *u;
	json_t *arr;
};

static void uco_media_hash(void *ctx, const char *alg, const char *hex)
{
	struct hash_list *hl = ctx;

	json_array_append_new(hl->arr, uco_hash(hl->u, alg, hex));
}

static json_t *facet(struct uco *u, const char *type)
{
	char local[sizeof(u->owner) + 24];

	snprintf(local, sizeof(local), "%s/facet/%u", u->owner, u->seq++);
	return json_pack("{s:o, s:s}", "@id",
			 node_id("facet", u->case_id, local), "@type", type);
}

static json_t *annotation(struct uco *u, const char *local,
			  const char *tag, const char *text, json_t *about)
{
	json_t *a = json_pack("{s:o, s:s, s:[s], s:s, s:[o]}", "@id",
			      node_id("annotation", u->case_id, local),
			      "@type", "uco-core:Annotation", "uco-core:tag",
			      tag, "uco-core:description", text,
			      "uco-core:object", ref(about));

	return a;
}

/* Where the export cut the list key of obj (FG_CASEDB_EXPORT_CAP) before
 * row i (i: its size, after the last row): sep and the sentence that says
 * what is not listed, added to the text t. */
static void uco_cut_text(struct uco *u, struct fg_buf *t, const char *sep,
			 json_t *obj, const char *key, size_t i,
			 const char *case_id, const char *evidence_id)
{
	int failed = 0;
	char *s = fg_report_cut_at(obj, key, i, case_id, evidence_id,
				   &failed);

	if (failed)
		u->r->o.failed = 1;
	if (s != NULL)
		fg_buf_printf(t, "%s%s", t->len > 0 ? sep : "", s);
	free(s);
}

/* A list of nodes the export cut: an annotation of about, tagged
 * KEY-not-listed (local: its local id), that says what is not listed. */
static void uco_cut_note(struct uco *u, json_t *obj, const char *key,
			 const char *case_id, const char *evidence_id,
			 const char *local, json_t *about)
{
	struct fg_buf t = {NULL, 0, 0, 0};
	size_t after;
	char tag[64];

	if (fg_report_omitted(obj, key, &after) == 0)
		return;
	uco_cut_text(u, &t, "", obj, key, after, case_id, evidence_id);
	snprintf(tag, sizeof(tag), "%s-not-listed",
		 strcmp(key, "unfiled_verifications") == 0 ? "verifications"
							     : key);
	if (t.p != NULL && !t.failed && about != NULL)
		add(u, annotation(u, local, tag, t.p, about));
	else
		u->r->o.failed = 1;
	free(t.p);
}

static json_t *person(struct uco *u, const char *name)
{
	json_t *id = node_id("person", u->case_id, name ? name : UNKNOWN);
	json_t *p;
	size_t i;
	json_t *n;

	/* One node per examiner. */
	json_array_foreach(u->graph, i, n)
		if (json_equal(json_object_get(n, "@id"), id))
			return id;
	p = json_pack("{s:O, s:s, s:s}", "@id", id, "@type",
		      "uco-identity:Person", "uco-core:name",
		      name ? name : UNKNOWN);
	add(u, p);
	return id;
}

static json_t *tool(struct uco *u, const char *name, const char *version)
{
	char *local = fg_strdup_printf("%s %s", name ? name : UNKNOWN,
				       version ? version : UNKNOWN);
	json_t *id = node_id("tool", u->case_id, local);
	json_t *t, *n;
	size_t i;

	free(local);
	json_array_foreach(u->graph, i, n)
		if (json_equal(json_object_get(n, "@id"), id))
			return id;
	t = json_pack("{s:O, s:s, s:s}", "@id", id, "@type", "uco-tool:Tool",
		      "uco-tool:toolType", "acquisition");
	set_str(t, "uco-core:name", name);
	set_str(t, "uco-tool:version", version);
	add(u, t);
	return id;
}

/* The computer an acquisition ran on (one node per host name). */
static json_t *host(struct uco *u, const char *name)
{
	json_t *id = node_id("host", u->case_id, name);
	json_t *h, *n;
	size_t i;

	json_array_foreach(u->graph, i, n)
		if (json_equal(json_object_get(n, "@id"), id))
			return id;
	h = json_pack("{s:O, s:s, s:s}", "@id", id, "@type",
		      "uco-observable:Device", "uco-core:name", name);
	add(u, h);
	return id;
}

static void uco_acquisition(struct uco *u, json_t *c, json_t *e,
			    json_t *acq)
{
	char b[32], local[300], flocal_cut[340], *s;
	const char *aid = jtext(acq, "id", b, sizeof(b));
	const char *item = e ? jstr(e, "evidence_id")
			     : jstr(acq, "evidence_id");
	json_t *act, *dev, *img, *devid, *imgid, *results, *f, *fc, *hashes;
	json_t *facets;
	struct hash_list hl;
	const char *kind;
	int is_dev;
	size_t i;

	(void)c;
	snprintf(local, sizeof(local), "acquisition/%s", aid ? aid : "?");
	fg_copy_str(u->owner, sizeof(u->owner), local);
	u->seq = 0;

	/* The source: a device (or a file) with what is known of it. */
	kind = jstr(acq, "source_kind");
	is_dev = kind && (strstr(kind, "block") || strstr(kind, "device"));
	devid = node_id("device", u->case_id, local);
	dev = json_pack("{s:O, s:s}", "@id", devid, "@type",
			is_dev ? "uco-observable:Device"
			: kind && strstr(kind, "file")
				? "uco-observable:File"
				: "uco-observable:ObservableObject");
	facets = json_array();
	if (is_dev) {
		fc = facet(u, "uco-observable:DeviceFacet");
		set_str(fc, "uco-observable:model", jstr(acq, "model"));
		set_str(fc, "uco-observable:serialNumber",
			jstr(acq, "serial"));
		json_array_append_new(facets, fc);
	}
	fc = facet(u, "uco-observable:FileFacet");
	set_str(fc, "uco-observable:filePath", jstr(acq, "source_path"));
	set_int(fc, "uco-observable:sizeInBytes", acq, "source_total_size");
	json_array_append_new(facets, fc);
	json_object_set_new(dev, "uco-core:hasFacet", facets);
	s = fg_strdup_printf("Source of acquisition %s (evidence item %s)",
			     aid ? aid : UNKNOWN, item ? item : UNKNOWN);
	set_str(dev, "uco-core:description", s);
	free(s);
	add(u, dev);

	/* The image: the acquired bytes and their media hashes. */
	imgid = node_id("image", u->case_id, local);
	img = json_pack("{s:O, s:s}", "@id", imgid, "@type",
			"uco-observable:Image");
	fc = facet(u, "uco-observable:ContentDataFacet");
	set_int(fc, "uco-observable:sizeInBytes", acq, "bytes");
	hl.u = u;
	hl.arr = json_array();
	fg_report_each_media_hash(acq, uco_media_hash, &hl);
	json_object_set_new(fc, "uco-observable:hash", hl.arr);
	json_object_set_new(img, "uco-core:hasFacet", json_pack("[o]", fc));
	add(u, img);

	results = json_array();
	json_array_append_new(results, ref(imgid));
	json_array_foreach(jarr(acq, "outputs"), i, f) {
		json_t *file, *fid, *ff, *cf;
		char flocal[600];

		snprintf(flocal, sizeof(flocal), "%s/output/%zu", local, i);
		fid = node_id("file", u->case_id, flocal);
		file = json_pack("{s:O, s:s}", "@id", fid, "@type",
				 "uco-observable:File");
		ff = facet(u, "uco-observable:FileFacet");
		set_str(ff, "uco-observable:filePath", jstr(f, "path"));
		if (jstr(f, "path")) {
			const char *base = strrchr(jstr(f, "path"), '/');
			set_str(ff, "uco-observable:fileName",
				base ? base + 1 : jstr(f, "path"));
		}
		set_int(ff, "uco-observable:sizeInBytes", f, "size");
		cf = facet(u, "uco-observable:ContentDataFacet");
		set_int(cf, "uco-observable:sizeInBytes", f, "size");
		hashes = json_array();
		if (jstr(f, "md5"))
			json_array_append_new(
				hashes, uco_hash(u, "md5", jstr(f, "md5")));
		if (jstr(f, "sha256"))
			json_array_append_new(
				hashes,
				uco_hash(u, "sha256", jstr(f, "sha256")));
		json_object_set_new(cf, "uco-observable:hash", hashes);
		json_object_set_new(file, "uco-core:hasFacet",
				    json_pack("[o, o]", ff, cf));
		json_array_append_new(results, ref(fid));
		add(u, file);
		json_decref(fid);
	}
	snprintf(flocal_cut, sizeof(flocal_cut), "%s/outputs-not-listed",
		 local);
	uco_cut_note(u, acq, "outputs", jstr(acq, "case_id"),
		     jstr(acq, "evidence_id"), flocal_cut, imgid);

	act = json_pack("{s:o, s:s, s:s}", "@id",
			node_id("action", u->case_id, local), "@type",
			"case-investigation:InvestigativeAction",
			"uco-core:name", "acquisition");
	s = fg_strdup_printf("Acquisition %s of evidence item %s: %s",
			     aid ? aid : UNKNOWN, item ? item : UNKNOWN,
			     jstr(acq, "state") ?: jstr(acq, "status")
							   ?: UNKNOWN);
	set_str(act, "uco-core:description", s);
	free(s);
	set_time(act, "uco-action:startTime", jstr(acq, "started_utc"));
	set_time(act, "uco-action:endTime", jstr(acq, "finished_utc"));
	json_object_set_new(act, "uco-action:performer",
			    ref_new(person(u, jstr(acq, "examiner"))));
	json_object_set_new(act, "uco-action:instrument",
			    ref_new(tool(u, jstr(acq, "tool_name"),
				     jstr(acq, "tool_version"))));
	json_object_set_new(act, "uco-action:object",
			    json_pack("[o]", ref(devid)));
	json_object_set_new(act, "uco-action:result", results);
	if (jstr(acq, "host") != NULL)
		json_object_set_new(act, "uco-action:environment",
				    ref_new(host(u, jstr(acq, "host"))));
	add(u, act);

	if (json_array_size(jarr(acq, "bad_ranges")) > 0) {
		json_t *br;
		struct fg_buf t = {NULL, 0, 0, 0};
		char alocal[320];

		fg_buf_puts(&t, "Unreadable sectors, filled in the image "
				"(first LBA + count):");
		json_array_foreach(jarr(acq, "bad_ranges"), i, br) {
			char x1[32], x2[32];

			uco_cut_text(u, &t, " ", acq, "bad_ranges", i,
				     jstr(acq, "case_id"),
				     jstr(acq, "evidence_id"));
			fg_buf_printf(&t, " %s+%s",
			     jtext(br, "first_lba", x1, sizeof(x1)) ?: UNKNOWN,
			     jtext(br, "count", x2, sizeof(x2)) ?: UNKNOWN);
		}
		uco_cut_text(u, &t, " ", acq, "bad_ranges", i,
			     jstr(acq, "case_id"), jstr(acq, "evidence_id"));
		snprintf(alocal, sizeof(alocal), "%s/bad-ranges", local);
		if (!t.failed)
			add(u, annotation(u, alocal, "unreadable-sectors", t.p,
					  imgid));
		else
			u->r->o.failed = 1;
		free(t.p);
	}
	if (json_array_size(jarr(acq, "hash_windows")) > 0) {
		json_t *w;
		struct fg_buf t = {NULL, 0, 0, 0};
		char alocal[320];

		fg_buf_puts(&t, "Hash windows of the image (index, "
				"offset+length, algorithm, digest):");
		json_array_foreach(jarr(acq, "hash_windows"), i, w) {
			char x1[32], x2[32], x3[32];

			uco_cut_text(u, &t, "\n", acq, "hash_windows", i,
				     jstr(acq, "case_id"),
				     jstr(acq, "evidence_id"));
			fg_buf_printf(&t, "\n%s %s+%s %s %s",
			     fg_report_window_index(w, x1, sizeof(x1))
				     ?: UNKNOWN,
			     jtext(w, "offset", x2, sizeof(x2)) ?: UNKNOWN,
			     jtext(w, "length", x3, sizeof(x3)) ?: UNKNOWN,
			     jstr(w, "algorithm") ?: UNKNOWN,
			     jstr(w, "hex") ?: UNKNOWN);
		}
		uco_cut_text(u, &t, "\n", acq, "hash_windows", i,
			     jstr(acq, "case_id"), jstr(acq, "evidence_id"));
		snprintf(alocal, sizeof(alocal), "%s/hash-windows", local);
		if (!t.failed)
			add(u, annotation(u, alocal, "hash-windows", t.p,
					  imgid));
		else
			u->r->o.failed = 1;
		free(t.p);
	}
	json_decref(devid);
	json_decref(imgid);
}

static void uco_acq_cb(void *ctx, json_t *c, json_t *e, json_t *a)
{
	uco_acquisition(ctx, c, e, a);
}

static void uco_custody(struct uco *u, json_t *cu, const char *item)
{
	char b[32], local[64];
	json_t *act;
	struct fg_buf t = {NULL, 0, 0, 0};
	char *name;

	snprintf(local, sizeof(local), "custody/%s",
		 jtext(cu, "id", b, sizeof(b)) ?: "?");
	name = fg_strdup_printf("custody-%s", jstr(cu, "action") ?: UNKNOWN);
	act = json_pack("{s:o, s:s, s:s}", "@id",
			node_id("action", u->case_id, local), "@type",
			"case-investigation:InvestigativeAction",
			"uco-core:name", name ? name : "custody");
	free(name);
	fg_buf_printf(&t,
		      "Custody event %s of evidence item %s: %s; from: %s; "
		      "to: %s; location: %s; reason: %s",
		      jtext(cu, "id", b, sizeof(b)) ?: UNKNOWN,
		      item ?: jstr(cu, "evidence_id") ?: UNKNOWN,
		      jstr(cu, "action") ?: UNKNOWN,
		      jstr(cu, "from_party") ?: UNKNOWN,
		      jstr(cu, "to_party") ?: UNKNOWN,
		      jstr(cu, "location") ?: UNKNOWN,
		      jstr(cu, "reason") ?: UNKNOWN);
	if (!t.failed)
		set_str(act, "uco-core:description", t.p);
	free(t.p);
	set_time(act, "uco-action:startTime", jstr(cu, "utc"));
	json_object_set_new(act, "uco-action:performer",
			    ref_new(person(u, jstr(cu, "examiner"))));
	add(u, act);
}

/* The custody of item e, and where the export cut it
 * (FG_CASEDB_EXPORT_CAP) an annotation of the item's provenance record
 * that says what is left out. */
static void uco_custody_of(struct uco *u, json_t *c, json_t *e)
{
	const char *item = jstr(e, "evidence_id");
	char local[300];
	size_t k, after;
	json_t *x, *prid;
	char *see, *s;

	json_array_foreach(jarr(e, "custody"), k, x)
		uco_custody(u, x, item);
	if (fg_report_omitted(e, "custody", &after) == 0)
		return;
	see = fg_report_see(jstr(c, "case_id"), item, 0);
	s = see ? fg_report_omitted_sentence(e, "custody", "custody entries",
					     see)
		: NULL;
	snprintf(local, sizeof(local), "evidence/%s", item ? item : "?");
	prid = node_id("provenance-record", u->case_id, local);
	snprintf(local, sizeof(local), "custody-not-listed/%s",
		 item ? item : "?");
	if (s != NULL && prid != NULL)
		add(u, annotation(u, local, "custody-not-listed", s, prid));
	else
		u->r->o.failed = 1;
	json_decref(prid);
	free(s);
	free(see);
}

/* The line of the event-log annotation where the export cut the log. */
static void omitted_line(struct fg_buf *t, struct fg_report *r)
{
	char *see = fg_report_see(r->in->case_id, r->in->evidence_id, 1);
	char *s = see ? fg_report_omitted_sentence(r->doc, "events", "events",
						   see)
		      : NULL;

	if (s == NULL) {
		t->failed = 1;
		r->o.failed = 1;
	} else
		fg_buf_printf(t, "%s%s", t->len > 0 ? "\n" : "", s);
	free(s);
	free(see);
}

static void uco_verification(struct uco *u, json_t *v)
{
	char b[32], local[64];
	json_t *act, *h, *res;
	struct fg_buf t = {NULL, 0, 0, 0};
	size_t i;

	snprintf(local, sizeof(local), "verification/%s",
		 jtext(v, "id", b, sizeof(b)) ?: "?");
	fg_copy_str(u->owner, sizeof(u->owner), local);
	u->seq = 0;
	act = json_pack("{s:o, s:s, s:s}", "@id",
			node_id("action", u->case_id, local), "@type",
			"case-investigation:InvestigativeAction",
			"uco-core:name", "verification");
	{
		char x1[32], x2[32], x3[32];
		fg_buf_printf(&t,
			      "Verification %s of acquisition %s: %s "
			      "(exit %s); target: %s; method: %s",
		     jtext(v, "id", x1, sizeof(x1)) ?: UNKNOWN,
		     jtext(v, "acquisition_id", x2, sizeof(x2)) ?: UNKNOWN,
		     jstr(v, "result") ?: UNKNOWN,
		     jtext(v, "exit_code", x3, sizeof(x3)) ?: UNKNOWN,
		     jstr(v, "target") ?: UNKNOWN,
		     jstr(v, "method") ?: UNKNOWN);
	}
	json_array_foreach(jarr(v, "hashes"), i, h) {
		char x[32];

		uco_cut_text(u, &t, "; ", v, "hashes", i, jstr(v, "case_id"),
			     jstr(v, "evidence_id"));
		fg_buf_printf(&t, "; %s %s%s%s expected %s%s%s%s computed %s "
			      "match %s",
		     jstr(h, "file") ?: "(media)",
		     jstr(h, "algorithm") ?: UNKNOWN,
		     jstr(h, "what") ? " of " : "", jstr(h, "what") ?: "",
		     jstr(h, "expected") ?: UNKNOWN,
		     jstr(h, "source") ? " (from " : "",
		     jstr(h, "source") ?: "", jstr(h, "source") ? ")" : "",
		     jstr(h, "computed") ?: UNKNOWN,
		     jtext(h, "match", x, sizeof(x)) ?: UNKNOWN);
	}
	uco_cut_text(u, &t, "; ", v, "hashes", i, jstr(v, "case_id"),
		     jstr(v, "evidence_id"));
	json_array_foreach(jarr(v, "diffs"), i, h) {
		char x1[32], x2[32];

		uco_cut_text(u, &t, "; ", v, "diffs", i, jstr(v, "case_id"),
			     jstr(v, "evidence_id"));
		fg_buf_printf(&t, "; differs: %s offset %s length %s: %s",
		     jstr(h, "file") ?: "(media)",
		     jtext(h, "offset", x1, sizeof(x1)) ?: UNKNOWN,
		     jtext(h, "length", x2, sizeof(x2)) ?: UNKNOWN,
		     jstr(h, "what") ?: UNKNOWN);
	}
	uco_cut_text(u, &t, "; ", v, "diffs", i, jstr(v, "case_id"),
		     jstr(v, "evidence_id"));
	if (!t.failed)
		set_str(act, "uco-core:description", t.p);
	free(t.p);
	set_time(act, "uco-action:startTime", jstr(v, "started_utc"));
	set_time(act, "uco-action:endTime", jstr(v, "finished_utc"));
	json_object_set_new(act, "uco-action:performer",
			    ref_new(person(u, jstr(v, "examiner"))));
	/* The computed digests are the verification's result. */
	res = json_array();
	json_array_foreach(jarr(v, "hashes"), i, h) {
		if (jstr(h, "computed") && jstr(h, "algorithm"))
			json_array_append_new(
				res, uco_hash(u, jstr(h, "algorithm"),
					      jstr(h, "computed")));
	}
	if (json_array_size(res) > 0) {
		json_t *cd = json_pack("{s:o, s:s, s:[{s:s, s:O}]}", "@id",
				       node_id("content", u->case_id, local),
				       "@type", "uco-observable:ContentData",
				       "uco-core:hasFacet", "@type",
				       "uco-observable:ContentDataFacet",
				       "uco-observable:hash", res);
		json_t *fac = json_array_get(
			json_object_get(cd, "uco-core:hasFacet"), 0);
		char flocal[80];

		snprintf(flocal, sizeof(flocal), "%s/facet", local);
		json_object_set_new(fac, "@id",
				    node_id("facet", u->case_id, flocal));
		json_object_set_new(act, "uco-action:result",
				    json_pack("[o]", ref(json_object_get(
							     cd, "@id"))));
		add(u, cd);
	}
	json_decref(res);
	add(u, act);
}

/* Where the export cut a list of obj (verifications, acquisitions,
 * evidence items; obj an item of case c, a
 * case, the whole export: c NULL), its array member key: an annotation
 * of the item's provenance record, or of the investigation (inv). */
static void uco_list_cut(struct uco *u, json_t *c, json_t *obj,
			   const char *key, json_t *inv)
{
	const char *item = c != obj ? jstr(obj, "evidence_id") : NULL;
	const char *cid = c ? jstr(c, "case_id") : u->r->in->case_id;
	char local[400];
	json_t *about;
	size_t after;

	if (fg_report_omitted(obj, key, &after) == 0)
		return;
	if (c == NULL)
		item = u->r->in->evidence_id;
	if (c != NULL && c != obj) {
		snprintf(local, sizeof(local), "evidence/%s",
			 item ? item : "?");
		about = node_id("provenance-record", u->case_id, local);
	} else
		about = json_incref(inv);
	snprintf(local, sizeof(local), "%s-not-listed/%s/%s", key,
		 cid ? cid : "", item ? item : "");
	uco_cut_note(u, obj, key, cid, item, local, about);
	json_decref(about);
}

int fg_report_render_case_uco(struct fg_report *r)
{
	const struct fg_report_input *in = r->in;
	struct uco u;
	json_t *root, *ctx, *inv, *c, *e, *x, *invid;
	size_t i, j, k, after;
	int64_t omitted;
	char *s, b[32];
	struct fg_buf t = {NULL, 0, 0, 0};

	memset(&u, 0, sizeof(u));
	u.r = r;
	u.graph = json_array();
	u.inv_objects = json_array();
	u.case_id = in->case_id ? in->case_id : "";
	ctx = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kb",
		"urn:x-forage:kb:", "case-investigation",
		"https://ontology.caseontology.org/case/investigation/",
		"uco-action",
		"https://ontology.unifiedcyberontology.org/uco/action/",
		"uco-core",
		"https://ontology.unifiedcyberontology.org/uco/core/",
		"uco-identity",
		"https://ontology.unifiedcyberontology.org/uco/identity/",
		"uco-observable",
		"https://ontology.unifiedcyberontology.org/uco/observable/",
		"uco-tool",
		"https://ontology.unifiedcyberontology.org/uco/tool/",
		"uco-types",
		"https://ontology.unifiedcyberontology.org/uco/types/",
		"uco-vocabulary",
		"https://ontology.unifiedcyberontology.org/uco/vocabulary/",
		"xsd", "http://www.w3.org/2001/XMLSchema#");
	if (u.graph == NULL || u.inv_objects == NULL || ctx == NULL)
		goto nomem;

	/* The investigation comes first; its object list is filled as the
	 * other nodes are added. */
	invid = node_id("investigation", u.case_id, "case");
	inv = json_pack("{s:o, s:s}", "@id", invid, "@type",
			"case-investigation:Investigation");
	json_array_append_new(u.graph, inv);
	c = json_array_get(jarr(r->doc, "cases"), 0);
	set_str(inv, "uco-core:name", in->case_id ? in->case_id
						  : jstr(c, "case_id"));
	set_str(inv, "uco-core:description", jstr(c, "description"));
	set_time(inv, "uco-core:objectCreatedTime", jstr(c, "created_utc"));

	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e) {
			char local[300];
			json_t *pr;

			snprintf(local, sizeof(local), "evidence/%s",
				 jstr(e, "evidence_id") ?: "?");
			pr = json_pack("{s:o, s:s}", "@id",
				       node_id("provenance-record", u.case_id,
					       local),
				       "@type",
				       "case-investigation:ProvenanceRecord");
			set_str(pr, "case-investigation:exhibitNumber",
				jstr(e, "evidence_id"));
			set_str(pr, "uco-core:description",
				jstr(e, "description"));
			set_time(pr, "uco-core:objectCreatedTime",
				 jstr(e, "created_utc"));
			/* Its objects: the sources of its acquisitions. */
			{
				json_t *objs = json_array(), *a;
				json_array_foreach(jarr(e, "acquisitions"), k,
						   a) {
					char al[64];
					snprintf(al, sizeof(al),
						 "acquisition/%s",
						 jtext(a, "id", b, sizeof(b))
							 ?: "?");
					json_array_append_new(
						objs,
						json_pack("{s:o}", "@id",
							  node_id("device",
								  u.case_id,
								  al)));
				}
				json_object_set_new(pr, "uco-core:object",
						    objs);
			}
			add(&u, pr);
		}
	}
	fg_report_each_acquisition(r->doc, uco_acq_cb, &u);
	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e) {
			json_array_foreach(jarr(e, "verifications"), k, x)
				uco_verification(&u, x);
			uco_list_cut(&u, c, e, "verifications", invid);
			uco_custody_of(&u, c, e);
			uco_list_cut(&u, c, e, "acquisitions", invid);
		}
		uco_list_cut(&u, c, c, "evidence", invid);
		json_array_foreach(jarr(c, "verifications"), k, x)
			uco_verification(&u, x);
		json_array_foreach(jarr(c, "unfiled_verifications"), k, x)
			uco_verification(&u, x);
		uco_list_cut(&u, c, c, "verifications", invid);
		uco_list_cut(&u, c, c, "unfiled_verifications", invid);
		json_array_foreach(jarr(c, "custody"), k, x)
			uco_custody(&u, x, NULL);
	}
	json_array_foreach(jarr(r->doc, "unfiled_verifications"), k, x)
		uco_verification(&u, x);
	uco_list_cut(&u, NULL, r->doc, "unfiled_verifications", invid);
	/* The event log and its audit; where the export cut the log, a line
	 * says what is left out. */
	omitted = fg_report_omitted(r->doc, "events", &after);
	json_array_foreach(jarr(r->doc, "events"), i, x) {
		char x1[32];

		if (omitted > 0 && i == after)
			omitted_line(&t, r);
		fg_buf_printf(&t, "%sevent %s %s %s %s sha256 %s prev %s",
		     t.len > 0 ? "\n" : "",
		     jtext(x, "id", x1, sizeof(x1)) ?: "?",
		     jstr(x, "utc") ?: UNKNOWN, jstr(x, "kind") ?: UNKNOWN,
		     jstr(x, "examiner") ?: UNKNOWN,
		     jstr(x, "sha256") ?: UNKNOWN,
		     jstr(x, "prev_sha256") ?: UNKNOWN);
	}
	if (omitted > 0 && after == json_array_size(jarr(r->doc, "events")))
		omitted_line(&t, r);
	if ((json_array_size(jarr(r->doc, "events")) > 0 || omitted > 0) &&
	    !t.failed)
		add(&u, annotation(&u, "event-log", "event-log", t.p, invid));
	free(t.p);
	s = fg_report_audit_sentence(&in->audit);
	if (s != NULL) {
		char *txt = fg_strdup_printf("Event-log audit: %s", s);
		if (txt != NULL)
			add(&u, annotation(&u, "audit", "audit", txt, invid));
		free(txt);
	}
	free(s);
	json_object_set_new(inv, "uco-core:object", u.inv_objects);
	u.inv_objects = NULL;

	root = json_pack("{s:o, s:o}", "@context", ctx, "@graph", u.graph);
	ctx = NULL;
	u.graph = NULL;
	if (root == NULL)
		goto nomem;
	return fg_report_emit_json(r, root);
nomem:
	json_decref(ctx);
	json_decref(u.graph);
	json_decref(u.inv_objects);
	return FG_ENOMEM;
}
