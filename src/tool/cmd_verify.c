/*
 * cmd_verify.c - "forage verify": options, one fg_verify_item_run and
 * fg_verify_item_record_casedb per IMAGE (or fg_verify_case_in for
 * --case), every comparison printed (or the results as JSON), the closing
 * line.  Which case database, and whether it is written, the library
 * decides (verify.h).
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/container.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "tool.h"

enum {
	OPT_MD5 = 256, OPT_SHA1, OPT_SHA256, OPT_JSON, OPT_THREADS,
	OPT_PROGRESS, OPT_EXAMINER, OPT_CASE_DB, OPT_CASE, OPT_EVIDENCE,
	OPT_SEARCH_DIR, OPT_COPY, OPT_RAW, OPT_PLAN, OPT_TASK, OPT_STATUS,
	OPT_HELP
};

static const struct fg_optdef verify_opts[] = {
	{"md5", required_argument, OPT_MD5, "HEX",
	 "expected MD5 of the media (one IMAGE only)"},
	{"sha1", required_argument, OPT_SHA1, "HEX",
	 "expected SHA-1 of the media (one IMAGE only)"},
	{"sha256", required_argument, OPT_SHA256, "HEX",
	 "expected SHA-256 of the media (one IMAGE only)"},
	{"examiner", required_argument, OPT_EXAMINER, "NAME",
	 "who verifies, recorded (default: $FORAGE_EXAMINER)"},
	{"case-db", required_argument, OPT_CASE_DB, "PATH",
	 "record in this case database (default: $FORAGE_CASE_DB, else the "
	 "record's, else case.db beside the image or in its nearest parent "
	 "folder that has one)"},
	{"case", required_argument, OPT_CASE, "ID",
	 "verify every evidence item of case ID the database knows"},
	{"evidence", required_argument, OPT_EVIDENCE, "ID",
	 "with --case: only this evidence item"},
	{"search-dir", required_argument, OPT_SEARCH_DIR, "DIR",
	 "with --case: look for the evidence files here first"},
	{"plan", required_argument, OPT_PLAN, "FILE",
	 "with --case: write the plan, one line (task) per evidence item with "
	 "evidence on disk, to the new FILE; else the plan --task and "
	 "--status read"},
	{"task", required_argument, OPT_TASK, "N",
	 "with --plan: verify the item of line N of the plan (a Slurm array "
	 "task: $SLURM_ARRAY_TASK_ID) and record it in its case database"},
	{"status", no_argument, OPT_STATUS, NULL,
	 "with --plan: list per item what passed, failed or was not run "
	 "since the plan was written"},
	{"copy", required_argument, OPT_COPY, "N",
	 "of a record naming two copies (--second-output), verify only copy "
	 "N (default: each, on its own)"},
	{"raw", no_argument, OPT_RAW, NULL,
	 "hash each IMAGE file's own bytes as a raw image, even a container "
	 "forage does not read (AFF, AFF4, QCOW2, VMDK, VHD, ZIP, gzip ...)"},
	{"threads", required_argument, OPT_THREADS, "N",
	 "decompression threads (default: all cores)"},
	{"progress", required_argument, OPT_PROGRESS, "auto|bar|json|none",
	 "progress on stderr (default auto: a bar on a terminal)"},
	{"json", no_argument, OPT_JSON, NULL,
	 "print the results as JSON on stdout"},
	{"help", no_argument, OPT_HELP, NULL, "this text"},
	{NULL, 0, 0, NULL, NULL}
};

static void usage(FILE *to)
{
	static const char use[] =
	    "usage: forage verify IMAGE... [options]\n"
	    "       forage verify --case ID [--evidence ID] "
	    "[--search-dir DIR] [options]\n"
	    "       forage verify --case ID --plan FILE [--search-dir DIR]\n"
	    "       forage verify --plan FILE --task N | --status\n";

	if (to == stderr) {
		fg_tool_say("usage", "%sTry 'forage verify --help'.", use);
		return;
	}
	fputs(use, to);
	printf("\nRe-read evidence and compare its hashes with everything "
	       "that claims a value:\nthe hashes stored in an E01, forage's "
	       "record (IMAGE's OUTBASE.json, its hash\nwindows) and its "
	       ".md5/.sha256 files, and --md5/--sha1/--sha256.  IMAGE is an\n"
	       ".E01 (the other segments are found), a .raw/.dd or the first "
	       "file of a split\nraw set (.001 or .000), or a record "
	       "OUTBASE.json.  Damage is localised: EWF\nchunks whose checksum "
	       "fails, unreadable ranges, hash windows that differ,\nas LBA "
	       "ranges and segment-file offsets.  Each verification is "
	       "recorded in the\ncase database.  With --case, every "
	       "evidence item the case database knows\nis re-verified from "
	       "the records it keeps, and a summary lists them.  With --plan, "
	       "the case's items\nare cut into one task each for a batch "
	       "system (a Slurm job array, see\ncontrib/slurm/ and "
	       "docs/lab.md); --task N runs one, --status lists them.\n\n"
	       "Options:\n");
	fg_tool_print_options(verify_opts);
	printf("\nExit: 0 every comparison matched, 1 a hash differs or the "
	       "evidence is damaged,\n2 cannot verify (missing or truncated "
	       "segment, unreadable, not evidence,\nnothing to compare "
	       "with), 4 interrupted.  See forage(1).\n");
}

static void ui_progress(void *ctx, const struct fg_progress *p)
{
	enum fg_progress_mode *mode = ctx;

	fg_tool_progress(*mode, p);
}

static int bad_arg(const char *opt, const char *val, const char *why)
{
	fg_tool_error("verify", "--%s '%s': %s", opt, val, why);
	usage(stderr);
	return fg_tool_finish(FG_EINVAL, "bad usage");
}

/* Every string in a verification's text output may come from the
 * evidence, its record or the case database: shown escaped. */
#define SHOWN(s) fg_tool_shown((s), FG_TOOL_LINE)

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static void print_range(const struct fg_verify_damage *d)
{
	if (d->kind == FG_VDAMAGE_WINDOW)
		printf("  hash window %" PRIu64 " (", d->window);
	else if (d->chunks == 1)
		printf("  chunk %" PRIu64 " (", d->first_chunk);
	else if (d->chunks > 1)
		printf("  chunks %" PRIu64 "-%" PRIu64 " (", d->first_chunk,
		       d->first_chunk + d->chunks - 1);
	else
		printf("  (");
	printf("LBA %" PRIu64 "-%" PRIu64 ", media bytes %" PRIu64 "-%" PRIu64
	       ")",
	       d->first_lba, d->first_lba + d->sectors - 1, d->offset,
	       d->offset + d->length - 1);
	if (d->file != NULL && d->has_file_offset && d->file_length > 0)
		printf(" in %s at offset %" PRIu64 "-%" PRIu64,
		       SHOWN(base_name(d->file)), d->file_offset,
		       d->file_offset + d->file_length - 1);
	else if (d->file != NULL && d->has_file_offset)
		printf(" in %s at offset %" PRIu64, SHOWN(base_name(d->file)),
		       d->file_offset);
	else if (d->file != NULL)
		printf(" in %s", SHOWN(base_name(d->file)));
	printf(": %s: %s%s\n",
	       d->kind == FG_VDAMAGE_CHECKSUM   ? "damaged"
	       : d->kind == FG_VDAMAGE_WINDOW ? "differs"
					      : "unreadable",
	       SHOWN(d->detail),
	       d->zero_filled ? "; zeros hashed in its place" : "");
}

static void print_item(const struct fg_verify_item *it, const char *recorded)
{
	size_t i;

	printf("== %s\n", SHOWN(it->input));
	if (it->ncopies > 1 && it->copy != 0)
		printf("copy:      %u of %u (%s)\n", it->copy, it->ncopies,
		       it->nfiles > 0 ? SHOWN(it->files[0])
					     : "its files not found");
	if (it->format != NULL) {
		printf("container: %s\n", SHOWN(it->format));
		printf("content:   %s\n", SHOWN(it->description));
		printf("files:    ");
		for (i = 0; i < it->nfiles; i++)
			printf(" %s (%" PRIu64 " bytes)",
			       SHOWN(base_name(it->files[i])),
			       it->file_sizes[i]);
		printf("\n");
		printf("media:     %" PRIu64 " bytes, %" PRIu64
		       " sectors of %u bytes",
		       it->media_size,
		       (it->media_size + it->sector_size - 1) / it->sector_size,
		       it->sector_size);
		if (it->chunk_size)
			printf(", %" PRIu64 " chunks of %u bytes", it->chunks,
			       it->chunk_size);
		if (it->past_end_bytes > 0)
			printf("; %" PRIu64 " byte%s stored past its end",
			       it->past_end_bytes,
			       it->past_end_bytes == 1 ? "" : "s");
		printf("\n");
		printf("record:    %s\n",
		       it->record_path ? SHOWN(it->record_path) : "none");
		for (i = 0; i < it->nmeta; i++)
			printf("header:    %s: %s\n", SHOWN(it->meta_keys[i]),
			       SHOWN(it->meta_values[i]));
		if (it->computed.md5[0])
			printf("computed:  md5    %s\n", it->computed.md5);
		if (it->computed.sha1[0])
			printf("computed:  sha1   %s\n", it->computed.sha1);
		if (it->computed.sha256[0])
			printf("computed:  sha256 %s\n", it->computed.sha256);
	}
	for (i = 0; i < it->nproblems; i++)
		printf("problem:   %s\n", SHOWN(it->problems[i]));
	if (it->nchecks > 0)
		printf("checks:\n");
	for (i = 0; i < it->nchecks; i++) {
		const struct fg_check *c = &it->checks[i];
		printf("  %s%s%s: %s\n", c->alg ? fg_hash_name(c->alg) : "",
		       c->alg ? " of " : "", SHOWN(c->what),
		       c->result == FG_CHECK_MATCH	  ? "match"
		       : c->result == FG_CHECK_MISMATCH	  ? "MISMATCH"
		       : c->result == FG_CHECK_NOT_NEEDED ? "not recomputed"
							  : "NOT VERIFIABLE");
		printf("      expected %s  from %s\n", SHOWN(c->expected),
		       SHOWN(c->source));
		printf("      computed %s\n", SHOWN(c->computed));
	}
	if (it->format != NULL) {
		if (it->ndamage == 0 && it->chunk_size && it->media_size == 0)
			/* Nothing was checked: that is not "no damage". */
			printf("damage:    not checked: the media holds no "
			       "chunk\n");
		else if (it->ndamage == 0 && it->past_end_damaged > 0)
			/* No media in it: the note says which and why. */
			printf("damage:    none found in the media; %" PRIu64
			       " chunk%s past the media's end fail%s its "
			       "checks (see the note)\n",
			       it->past_end_damaged,
			       it->past_end_damaged == 1 ? "" : "s",
			       it->past_end_damaged == 1 ? "s" : "");
		else if (it->ndamage == 0)
			printf("damage:    none found%s\n",
			       it->chunk_size ? " (every chunk checksum "
						"holds)"
					      : "");
		else
			printf("damage:\n");
		for (i = 0; i < it->ndamage; i++)
			print_range(&it->damage[i]);
	}
	if (it->windows > 0 && (it->windows_bad || it->windows_unverifiable)) {
		printf("intact:    hash windows");
		if (it->nintact == 0)
			printf(" none");
		for (i = 0; i < it->nintact; i++) {
			uint64_t a = it->intact[i][0], b = it->intact[i][1];
			uint64_t end = (b + 1) * it->window_size;
			if (end > it->media_size)
				end = it->media_size;
			printf("%s %" PRIu64, i ? "," : "", a);
			if (a != b)
				printf("-%" PRIu64, b);
			printf(" (LBA %" PRIu64 "-%" PRIu64 ")",
			       a * it->window_size / it->sector_size,
			       (end + it->sector_size - 1) / it->sector_size -
				       1);
		}
		printf(": the data they cover matches the record\n");
	}
	for (i = 0; i < it->nnotes; i++)
		printf("note:      %s\n", SHOWN(it->notes[i]));
	if (recorded != NULL)
		printf("recorded:  %s\n", SHOWN(recorded));
	printf("result:    %s%s%s\n\n", fg_verify_status_word(it->status),
	       it->status != FG_OK ? ": " : "",
	       it->status != FG_OK ? SHOWN(it->err.msg) : "");
	fflush(stdout);
}

struct run {
	struct fg_verify_opts o;
	const char *case_db;    /* named by --case-db or $FORAGE_CASE_DB */
	const char *case_id, *evidence_id, *search_dir;
	int json;
	struct fg_record *all;  /* --json */
	int nok, nmis, nfail, nintr;
	char reason[FG_ERRMSG_MAX];
	char **summary;         /* --case: one line per item */
	size_t nsummary;
	char *summary_db;       /* --case: the database, as opened */
};

static void count(struct run *r, int status, const char *msg)
{
	if (status != FG_OK && msg != NULL && msg[0] != '\0' &&
	    (r->reason[0] == '\0' ||
	     (status == FG_EMISMATCH && r->nmis == 0)))
		snprintf(r->reason, sizeof(r->reason), "%s", msg);
	if (status == FG_OK)
		r->nok++;
	else if (status == FG_EMISMATCH)
		r->nmis++;
	else if (status == FG_EINTR)
		r->nintr++;
	else
		r->nfail++;
}

static void emit_item(struct run *r, struct fg_verify_item *it,
		      const char *recorded)
{
	if (r->json) {
		struct fg_record *rec = fg_verify_item_record(it, &r->o);
		int rc = rec != NULL ? FG_OK : FG_ENOMEM;
		if (rc == FG_OK && it->case_db != NULL) {
			fg_record_set_str(rec, "case_db.path", it->case_db);
			fg_record_set_int(rec, "case_db.verification_id",
					  it->verification_id);
			fg_record_set_int(rec, "case_db.acquisition_id",
					  it->acquisition_id);
		} else if (rc == FG_OK) {
			fg_record_set_null(rec, "case_db.path");
		}
		if (rc == FG_OK && recorded != NULL)
			fg_record_set_str(rec, "case_db.note", recorded);
		if (rc != FG_OK ||
		    fg_record_append_record(r->all, "verifications", rec) !=
			    FG_OK)
			count(r, FG_ENOMEM, "out of memory");
		fg_record_free(rec);
	} else {
		print_item(it, recorded);
	}
}

static void summary_add(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void summary_add(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;
	char **v;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	v = line != NULL ? realloc(r->summary,
				   (r->nsummary + 1) * sizeof(*v))
			 : NULL;
	if (v == NULL) {
		free(line);
		return;
	}
	r->summary = v;
	v[r->nsummary++] = line;
}

static void on_case_entry(void *ctx, const struct fg_verify_case_entry *e)
{
	struct run *r = ctx;
	const char *ev = e->evidence_id ? e->evidence_id : "(unfiled)";
	char acq[32], recorded[FG_ERRMSG_MAX + 64];
	const char *word = e->skipped ? "skipped"
				      : fg_verify_status_word(e->status);
	const char *why;

	if (r->summary_db == NULL && e->case_db != NULL)
		r->summary_db = strdup(e->case_db);
	if (e->acquisition_id > 0)
		snprintf(acq, sizeof(acq), "acquisition %" PRId64,
			 e->acquisition_id);
	else
		snprintf(acq, sizeof(acq), "no acquisition");
	if (e->item != NULL) {
		if (e->item->case_db != NULL)
			snprintf(recorded, sizeof(recorded),
				 "verification %" PRId64 " of acquisition "
				 "%" PRId64 " in %s",
				 e->item->verification_id,
				 e->item->acquisition_id, e->item->case_db);
		else
			snprintf(recorded, sizeof(recorded), "%s",
				 e->note ? e->note : "not recorded");
		if (!r->json && e->item->ncopies > 1 && e->item->copy != 0)
			printf("-- case %s, evidence %s, %s, copy %u of %u\n",
			       SHOWN(e->case_id), SHOWN(ev), acq, e->item->copy,
			       e->item->ncopies);
		else if (!r->json)
			printf("-- case %s, evidence %s, %s\n",
			       SHOWN(e->case_id), SHOWN(ev), acq);
		emit_item(r, e->item, recorded);
		why = e->status != FG_OK ? e->item->err.msg : NULL;
	} else {
		why = e->note;
		if (!r->json)
			printf("-- case %s, evidence %s, %s%s%s: %s: %s\n\n",
			       SHOWN(e->case_id), SHOWN(ev), acq,
			       e->state ? ", " : "",
			       e->state ? SHOWN(e->state) : "", word,
			       SHOWN(e->note));
		if (r->json) {
			struct fg_record *x = NULL;
			if (fg_record_new(&x) == FG_OK) {
				fg_record_set_str(x, "case_id", e->case_id);
				fg_record_set_str(x, "evidence_id",
						  e->evidence_id);
				if (e->acquisition_id > 0)
					fg_record_set_int(x, "acquisition_id",
							  e->acquisition_id);
				fg_record_set_str(x, "acquisition_state",
						  e->state);
				fg_record_set_str(x, "result.status", word);
				fg_record_set_str(x, "result.message",
						  e->note);
				fg_record_append_record(r->all, "not_verified",
							x);
			}
			fg_record_free(x);
		}
	}
	summary_add(r, "  %-16s %-18s %-14s %s", SHOWN(ev), acq, word,
		    why != NULL ? SHOWN(why)
		    : e->item && e->item->nfiles
			    ? SHOWN(base_name(e->item->files[0]))
			    : "");
	if (!e->skipped)
		count(r, e->status, why);
}

static int run_case(struct run *r)
{
	struct fg_error e;
	size_t i;
	int rc;

	fg_error_clear(&e);
	rc = fg_verify_case_in(r->case_db, &r->o, r->case_id, r->evidence_id,
			       r->search_dir, on_case_entry, r, &e);
	if (r->nsummary > 0 && !r->json) {
		printf("summary of case %s (%s):\n", SHOWN(r->case_id),
		       r->summary_db ? SHOWN(r->summary_db) : "");
		for (i = 0; i < r->nsummary; i++)
			printf("%s\n", r->summary[i]);
	}
	for (i = 0; i < r->nsummary; i++)
		free(r->summary[i]);
	free(r->summary);
	free(r->summary_db);
	if (r->json)
		fg_record_set_str(r->all, "case", r->case_id);
	if (rc != FG_OK)
		snprintf(r->reason, sizeof(r->reason), "%s", e.msg);
	if (rc != FG_OK && rc != FG_EMISMATCH && rc != FG_EINTR &&
	    r->nok + r->nmis + r->nfail == 0)
		fg_tool_error("verify", "%s", e.msg);
	return rc;
}

/* Verify one IMAGE (one copy of it: o->copy) and record it; *ncopies:
 * the copies to verify (the record's, when o->copy was 0). */
static int run_image(struct run *r, const struct fg_verify_opts *o,
		     const char *image, unsigned *ncopies)
{
	struct fg_verify_item *it = NULL;
	char recorded[FG_ERRMSG_MAX + 64] = "";
	struct fg_error e;
	int rc = fg_verify_item_run(o, image, &it), rrc;

	if (it == NULL) {
		fg_tool_error("verify", "%s: out of memory", image);
		count(r, FG_ENOMEM, "out of memory");
		return FG_ENOMEM;
	}
	if (it->all_copies)
		*ncopies = it->ncopies;
	fg_error_clear(&e);
	rrc = fg_verify_item_record_casedb(it, o, r->case_db, recorded,
					   sizeof(recorded), &e);
	if (e.code != FG_OK)
		fg_tool_error("verify", "%s", e.msg);
	if (rrc != FG_OK && rc == FG_OK) {
		/* Asked to record it and could not (or a signal ended the
		 * wait for the database: interrupted). */
		rc = rrc == FG_EINTR ? FG_EINTR : FG_EDB;
		fg_error_set(&it->err, rc, 0, "%s", recorded);
	}
	emit_item(r, it, recorded[0] ? recorded : NULL);
	if (rc != FG_OK)
		fg_tool_error("verify", "%s", it->err.msg);
	count(r, rc, it->err.msg);
	fg_verify_item_free(it);
	return rc;
}

static int run_images(struct run *r, int n, char **images)
{
	int i;

	for (i = 0; i < n; i++) {
		struct fg_verify_opts o = r->o;
		unsigned copy, ncopies = 1;
		int rc = FG_OK;

		/* A record naming several copies: each on its own. */
		for (copy = 1; copy <= ncopies && rc != FG_EINTR; copy++) {
			if (copy > 1)
				o.copy = copy;
			rc = run_image(r, &o, images[i], &ncopies);
		}
		if (rc == FG_EINTR)
			break;
	}
	return FG_OK;
}

/* ---- Plans: one task per evidence item (--plan) ------------------------- */

struct plan_args {
	const char *file;
	unsigned task;      /* 0: not --task */
	int status;         /* --status */
	int db_named;       /* --case-db given (else the plan's) */
	int search_named;   /* --search-dir given */
};

static int plan_write(struct run *r, const struct plan_args *pa)
{
	struct fg_verify_plan *p = NULL;
	struct fg_error e;
	size_t i;
	int rc;

	fg_error_clear(&e);
	rc = fg_verify_plan_make(r->case_db, &r->o, r->case_id, r->search_dir,
				 &p, &e);
	if (rc == FG_OK)
		rc = fg_verify_plan_write(p, pa->file, &e);
	if (rc != FG_OK) {
		fg_tool_error("verify", "%s", e.msg);
		snprintf(r->reason, sizeof(r->reason), "%s", e.msg);
		fg_verify_plan_free(p);
		return rc;
	}
	printf("plan:      %s\n", SHOWN(pa->file));
	printf("case:      %s in %s\n", SHOWN(p->case_id), SHOWN(p->case_db));
	for (i = 0; i < p->nitems; i++)
		printf("task %-5u %s, acquisition %" PRId64 ", %s\n",
		       p->items[i].task, SHOWN(p->items[i].evidence_id),
		       p->items[i].acquisition_id,
		       SHOWN(p->items[i].first_file));
	for (i = 0; i < p->nnot_planned; i++)
		printf("not planned: %s\n", SHOWN(p->not_planned[i]));
	printf("submit:    sbatch --array=1-%zu forage-verify.sbatch %s\n",
	       p->nitems, SHOWN(pa->file));
	if (p->nnot_planned > 0)
		fg_tool_error("verify", "%zu item%s of case %s not planned "
			      "(no evidence to verify): see the plan",
			      p->nnot_planned, p->nnot_planned == 1 ? "" : "s",
			      p->case_id);
	fg_verify_plan_free(p);
	return FG_OK;
}

/* Run task pa->task of the plan: as --case with its item's id. */
static int plan_task(struct run *r, const struct plan_args *pa)
{
	struct fg_verify_plan *p = NULL;
	const struct fg_verify_plan_item *it;
	struct fg_error e;
	int rc;

	fg_error_clear(&e);
	rc = fg_verify_plan_read(pa->file, &p, &e);
	if (rc == FG_OK && (pa->task < 1 || pa->task > p->nitems))
		rc = fg_error_set(&e, FG_EINVAL, 0,
				  "%s: no task %u: the plan has tasks 1 to "
				  "%zu",
				  pa->file, pa->task, p->nitems);
	if (rc != FG_OK) {
		fg_tool_error("verify", "%s", e.msg);
		snprintf(r->reason, sizeof(r->reason), "%s", e.msg);
		fg_verify_plan_free(p);
		return rc;
	}
	it = &p->items[pa->task - 1];
	if (!pa->db_named)
		r->case_db = p->case_db;
	if (!pa->search_named)
		r->search_dir = p->search_dir;
	r->case_id = p->case_id;
	r->evidence_id = it->evidence_id;
	if (!r->json)
		printf("task:      %u of %zu of the plan %s: evidence %s of "
		       "case %s\n",
		       pa->task, p->nitems, SHOWN(pa->file),
		       SHOWN(it->evidence_id), SHOWN(p->case_id));
	rc = run_case(r);
	r->case_id = r->evidence_id = r->search_dir = NULL;
	if (!pa->db_named)
		r->case_db = NULL;
	fg_verify_plan_free(p);
	return rc;
}

struct plan_count {
	unsigned ok, mis, fail, notrun;
	char first[FG_ERRMSG_MAX];
};

static const char *plan_word(const char *result)
{
	return result == NULL			    ? "not run"
	       : strcmp(result, "match") == 0	    ? "verified"
	       : strcmp(result, "mismatch") == 0 ? "MISMATCH"
						    : "cannot verify";
}

static void on_plan_state(void *ctx, const struct fg_verify_plan_state *s)
{
	struct plan_count *c = ctx;
	char id[32] = "-";

	if (s->result != NULL)
		snprintf(id, sizeof(id), "%" PRId64, s->verification_id);
	printf("  %-5u %-16s %-14s %-13s %s\n", s->item->task,
	       SHOWN(s->item->evidence_id), plan_word(s->result), id,
	       s->finished_utc ? SHOWN(s->finished_utc) : "-");
	if (s->result != NULL && strcmp(s->result, "match") != 0 &&
	    s->message != NULL)
		printf("        why: %s\n", SHOWN(s->message));
	if (s->result == NULL)
		c->notrun++;
	else if (strcmp(s->result, "match") == 0)
		c->ok++;
	else if (strcmp(s->result, "mismatch") == 0)
		c->mis++;
	else
		c->fail++;
	if (c->first[0] == '\0' && (s->result == NULL ||
				    strcmp(s->result, "match") != 0))
		snprintf(c->first, sizeof(c->first), "first: task %u, %s: %s",
			 s->item->task, s->item->evidence_id,
			 plan_word(s->result));
}

static int plan_status(struct run *r, const struct plan_args *pa)
{
	struct fg_verify_plan *p = NULL;
	struct plan_count c;
	struct fg_error e;
	int rc;

	memset(&c, 0, sizeof(c));
	fg_error_clear(&e);
	rc = fg_verify_plan_read(pa->file, &p, &e);
	if (rc == FG_OK) {
		printf("plan:      %s: case %s in %s, written %s, %zu "
		       "item%s\n",
		       SHOWN(pa->file), SHOWN(p->case_id),
		       SHOWN(pa->db_named ? r->case_db : p->case_db),
		       SHOWN(p->written_utc), p->nitems,
		       p->nitems == 1 ? "" : "s");
		printf("  %-5s %-16s %-14s %-13s %s\n", "task", "evidence",
		       "result", "verification", "finished");
		rc = fg_verify_plan_states(p, pa->db_named ? r->case_db : NULL,
					   &r->o, on_plan_state, &c, &e);
	}
	if (rc != FG_OK) {
		fg_tool_error("verify", "%s", e.msg);
		snprintf(r->reason, sizeof(r->reason), "%s", e.msg);
		fg_verify_plan_free(p);
		return rc;
	}
	printf("summary:   %u verified, %u MISMATCH, %u cannot verify, %u "
	       "not run\n",
	       c.ok, c.mis, c.fail, c.notrun);
	if (c.mis + c.fail + c.notrun > 0)
		snprintf(r->reason, sizeof(r->reason),
			 "plan %s: %u of %zu items not verified (%u "
			 "MISMATCH, %u not run); %.400s",
			 pa->file, c.mis + c.fail + c.notrun, p->nitems, c.mis,
			 c.notrun, c.first);
	fg_verify_plan_free(p);
	return c.mis ? FG_EMISMATCH : c.fail + c.notrun ? FG_ESOURCE : FG_OK;
}

/* Which of --plan's uses the options ask for; 0, or an exit code for
 * bad usage. */
static int plan_usage(const struct run *r, const struct plan_args *pa,
		      int nimages)
{
	const char *why = NULL;

	if (pa->file == NULL && (pa->task || pa->status))
		why = "--task and --status go with --plan FILE";
	else if (pa->file == NULL)
		return 0;
	else if (nimages > 0)
		why = "--plan is about a case; give no IMAGE with it";
	else if (r->case_id != NULL && (pa->task || pa->status))
		why = "--case with --plan writes a plan; --task and --status "
		      "read one (give no --case)";
	else if (r->case_id == NULL && !pa->task && !pa->status)
		why = "--plan FILE wants --case ID (write the plan), --task N "
		      "or --status";
	else if (pa->task && pa->status)
		why = "--task runs one task, --status lists them all: give "
		      "one";
	else if (r->evidence_id != NULL)
		why = "--evidence does not go with --plan: the plan's lines "
		      "are the items";
	else if (r->json && !pa->task)
		why = "--json goes with --plan only with --task";
	else if (r->o.copy || r->o.raw)
		why = "--copy and --raw do not go with --plan";
	if (why == NULL)
		return 0;
	fg_tool_error("verify", "%s", why);
	usage(stderr);
	return fg_tool_finish(FG_EINVAL, "bad usage");
}

int fg_cmd_verify(int argc, char **argv)
{
	struct plan_args pa;
	struct run r;
	enum fg_progress_mode mode;
	const char *progress = "auto";
	char *cmdline = NULL;
	int c, status, nimages, case_rc = FG_OK;
	unsigned uval;

	memset(&r, 0, sizeof(r));
	memset(&pa, 0, sizeof(pa));
	fg_verify_opts_init(&r.o);
	r.o.examiner = getenv("FORAGE_EXAMINER");
	r.case_db = getenv("FORAGE_CASE_DB");
	if (r.case_db != NULL && r.case_db[0] == '\0')
		r.case_db = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "",
				fg_tool_longopts(verify_opts), NULL)) != -1) {
		switch (c) {
		case OPT_MD5:
			if (strlen(optarg) != 32 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != 32)
				return bad_arg("md5", optarg,
					       "want 32 hex digits");
			r.o.expect_md5 = optarg;
			break;
		case OPT_SHA1:
			if (strlen(optarg) != 40 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != 40)
				return bad_arg("sha1", optarg,
					       "want 40 hex digits");
			r.o.expect_sha1 = optarg;
			break;
		case OPT_SHA256:
			if (strlen(optarg) != 64 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != 64)
				return bad_arg("sha256", optarg,
					       "want 64 hex digits");
			r.o.expect_sha256 = optarg;
			break;
		case OPT_EXAMINER: r.o.examiner = optarg; break;
		case OPT_CASE_DB:
			r.case_db = optarg;
			pa.db_named = 1;
			break;
		case OPT_CASE: r.case_id = optarg; break;
		case OPT_EVIDENCE: r.evidence_id = optarg; break;
		case OPT_SEARCH_DIR:
			r.search_dir = optarg;
			pa.search_named = 1;
			break;
		case OPT_PLAN: pa.file = optarg; break;
		case OPT_TASK:
			if (fg_parse_uint(optarg, &uval) != 0 || uval < 1)
				return bad_arg("task", optarg,
					       "want a task number from 1 "
					       "(the plan's line)");
			pa.task = uval;
			break;
		case OPT_STATUS: pa.status = 1; break;
		case OPT_THREADS:
			if (fg_parse_uint(optarg, &uval) != 0 || uval > 64)
				return bad_arg("threads", optarg,
					       "want a number from 0 to 64");
			r.o.threads = uval;
			break;
		case OPT_COPY:
			if (fg_parse_uint(optarg, &uval) != 0 || uval < 1 ||
			    uval > 16)
				return bad_arg("copy", optarg,
					       "want a copy number from 1 to "
					       "16");
			r.o.copy = uval;
			break;
		case OPT_PROGRESS:
			progress = optarg;
			/* json: the lines that follow are JSON */
			(void)fg_tool_progress_mode(progress, &mode);
			break;
		case OPT_JSON: r.json = 1; break;
		case OPT_RAW: r.o.raw = 1; break;
		case OPT_HELP: usage(stdout); return FG_EXIT_OK;
		default:
			fg_tool_bad_option("verify", argv);
			usage(stderr);
			return fg_tool_finish(FG_EINVAL, "bad usage");
		}
	}
	nimages = argc - optind;
	if ((c = plan_usage(&r, &pa, nimages)) != 0)
		return c;
	if (pa.file != NULL && r.case_id == NULL && !pa.db_named)
		r.case_db = NULL; /* the plan's, not $FORAGE_CASE_DB */
	if (r.case_id == NULL && pa.file == NULL && nimages == 0) {
		fg_tool_error("verify", "no IMAGE given (or --case ID)");
		usage(stderr);
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if (r.case_id != NULL && nimages > 0) {
		fg_tool_error("verify", "--case verifies what the case "
			      "database knows; give no IMAGE with it");
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if (r.case_id != NULL && r.o.raw) {
		fg_tool_error("verify", "--raw is about an IMAGE given; give "
			      "no --case with it");
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if (r.case_id == NULL && pa.file == NULL &&
	    (r.evidence_id || r.search_dir)) {
		fg_tool_error("verify", "--evidence and --search-dir go with "
			      "--case");
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if ((r.o.expect_md5 || r.o.expect_sha1 || r.o.expect_sha256) &&
	    nimages != 1) {
		fg_tool_error("verify", "--md5, --sha1 and --sha256 describe "
			      "one image; give one IMAGE with them");
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if (fg_tool_progress_mode(progress, &mode) != 0)
		return bad_arg("progress", progress,
			       "want auto, bar, json or none");
	cmdline = fg_tool_command_line(argc + 1, argv - 1);
	r.o.command_line = cmdline;
	r.o.stop = &fg_tool_stop;
	r.o.on_progress = mode != FG_PROGRESS_NONE ? ui_progress : NULL;
	r.o.ctx = &mode;
	fg_tool_signals();
	if (r.json && fg_record_new(&r.all) != FG_OK) {
		free(cmdline);
		return fg_tool_finish(FG_ENOMEM, "out of memory");
	}

	if (pa.file != NULL && r.case_id != NULL)
		case_rc = plan_write(&r, &pa);
	else if (pa.task)
		case_rc = plan_task(&r, &pa);
	else if (pa.status)
		case_rc = plan_status(&r, &pa);
	else if (r.case_id != NULL)
		case_rc = run_case(&r);
	else
		run_images(&r, nimages, argv + optind);

	/* A mismatch is the news that matters most; then trouble. */
	status = r.nintr || case_rc == FG_EINTR ? FG_EINTR
		 : r.nmis ? FG_EMISMATCH
		 : r.nfail ? FG_ESOURCE
		 : case_rc != FG_OK ? case_rc
				    : FG_OK;
	if (r.json) {
		char *text;
		fg_record_set_str(r.all, "result.status",
				  fg_verify_status_word(status));
		fg_record_set_int(r.all, "result.exit_code",
				  fg_exit_for_status(status));
		fg_record_set_int(r.all, "result.verified", r.nok);
		fg_record_set_int(r.all, "result.mismatched", r.nmis);
		fg_record_set_int(r.all, "result.not_verified",
				  r.nfail + r.nintr);
		fg_record_set_str(r.all, "result.message",
				  status != FG_OK ? r.reason : NULL);
		text = fg_record_dump(r.all);
		if (text != NULL)
			printf("%s\n", text);
		free(text);
		fg_record_free(r.all);
	}
	if (r.case_id == NULL && nimages > 1 && status != FG_OK &&
	    status != FG_EINTR) {
		char one[FG_ERRMSG_MAX];
		snprintf(one, sizeof(one), "%s", r.reason);
		snprintf(r.reason, sizeof(r.reason),
			 "%d of %d %s not verified (%d mismatched); "
			 "first: %.900s",
			 r.nmis + r.nfail, r.nok + r.nmis + r.nfail,
			 r.nok + r.nmis + r.nfail == nimages
				 ? "images"
				 : "images and copies",
			 r.nmis, one);
	}
	free(cmdline);
	fflush(stdout);
	return fg_tool_finish(status, r.reason);
}
