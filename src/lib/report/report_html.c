/*
 * report_html.c - the report as one self-contained HTML page (inline CSS,
 * no scripts, no external files) that prints cleanly: the output
 * operations that the walk (report_walk.c) talks to.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

/* ---- HTML: output operations ------------------------------------------- */

static const char html_css[] =
	"body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,"
	"sans-serif;font-size:11pt;line-height:1.35;margin:2em auto;"
	"max-width:62em;padding:0 1em;color:#000;background:#fff}\n"
	"h1{font-size:19pt;border-bottom:2px solid #222;padding-bottom:.2em}\n"
	"h2{font-size:15pt;border-bottom:1px solid #555;margin-top:1.6em}\n"
	"h3{font-size:13pt;margin-top:1.3em}\n"
	"h4{font-size:11pt;margin-top:1em}\n"
	"table{border-collapse:collapse;width:100%;margin:.3em 0 1em}\n"
	"th,td{border:1px solid #999;padding:3px 6px;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#e8e8e8}\n"
	"table.kv th{width:11em;background:#f3f3f3;font-weight:normal}\n"
	".hash,code{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\","
	"monospace;font-size:9pt;word-break:break-all;"
	"overflow-wrap:anywhere}\n"
	".unknown{color:#666;font-style:italic}\n"
	".alert{color:#a00;font-weight:bold}\n"
	".ok{color:#060;font-weight:bold}\n"
	"p.note{margin:.3em 0 .8em}\n"
	"h2.sum{font-size:13pt;margin-top:1em}\n"
	"table.sign td{height:2.2em;width:75%}\n"
	"svg.map{display:block;margin:.3em 0 .8em;max-width:100%}\n"
	"@media print{\n"
	" body{margin:0;max-width:none;padding:0;font-size:9.5pt;"
	"line-height:1.25}\n"
	" h1{font-size:16pt;margin:0 0 .4em}\n"
	" h2{margin-top:.8em}\n"
	" h3{margin:.6em 0 .2em}\n"
	" table{margin:.2em 0 .5em}\n"
	" th,td{padding:1px 5px}\n"
	" .hash,code{font-size:8.5pt}\n"
	" section.item{break-before:page;page-break-before:always}\n"
	" tr,table.kv{break-inside:avoid;page-break-inside:avoid}\n"
	" thead{display:table-header-group}\n"
	" h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}\n"
	"}\n";

/* s as the inside of a CSS string in a <style> element: quotes,
 * backslashes, markup characters and controls as CSS escapes. */
static void css_str(struct fg_buf *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || strchr("\"\\<>&'", *p) != NULL)
			fg_buf_printf(o, "\\%x ", *p);
		else
			fg_buf_put(o, (const char *)p, 1);
	}
}

/* Every printed page: the case, the report id, "Page X of Y" and the time
 * of generation in UTC and local time (CSS paged media margin boxes). */
static void page_boxes(struct fg_report *r)
{
	const char *cid = r->in->case_id ? r->in->case_id : "all cases";

	fg_buf_puts(&r->o, "@page{size:A4;margin:20mm 15mm 20mm 15mm;\n"
			   " @top-left{content:\"Case ");
	css_str(&r->o, cid);
	fg_buf_puts(&r->o, "\";font-size:8.5pt}\n @top-right{content:\""
			   "Report ");
	css_str(&r->o, r->report_id);
	fg_buf_puts(&r->o, "\";font-size:8.5pt}\n @bottom-left{content:\""
			   "Generated ");
	css_str(&r->o, r->generated);
	fg_buf_puts(&r->o, " (local ");
	css_str(&r->o, r->generated_local);
	fg_buf_puts(&r->o, ")\";font-size:8pt}\n @bottom-right{content:"
			   "\"Page \" counter(page) \" of \" counter(pages);"
			   "font-size:8.5pt}\n}\n");
}

static void h_kv_close(struct fg_report *r)
{
	if (r->kv_open) {
		fg_buf_puts(&r->o, "</table>\n");
		r->kv_open = 0;
	}
}

/* The head of an intact log, for `forage case audit` (report.h). */
static void html_anchor(struct fg_report *r)
{
	const struct fg_report_audit *a = &r->in->audit;
	json_t *j;
	char *s;

	if (a->state != FG_REPORT_AUDIT_INTACT || a->events <= 0 ||
	    a->head_sha256 == NULL || *a->head_sha256 == '\0' ||
	    a->case_db[0] == '\0')
		return;
	j = json_pack("{s:s, s:{s:s}, s:{s:I, s:s}}", "format",
		      "forage-report-1", "case_db", "path", a->case_db,
		      "audit", "head_event", (json_int_t)a->events,
		      "head_event_sha256", a->head_sha256);
	s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)
		      : NULL;
	if (s != NULL) {
		fg_buf_puts(&r->o, FG_REPORT_HTML_ANCHOR);
		fg_report_put_esc(&r->o, s, ESC_MARKUP);
		fg_buf_puts(&r->o, "\">\n");
	}
	free(s);
	json_decref(j);
}

static void h_begin(struct fg_report *r, const char *title)
{
	fg_buf_puts(&r->o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n");
	html_anchor(r);
	fg_buf_puts(&r->o, "<title>");
	fg_report_put_esc(&r->o, title, ESC_MARKUP);
	fg_buf_puts(&r->o, "</title>\n<style>\n");
	fg_buf_puts(&r->o, html_css);
	page_boxes(r);
	fg_buf_puts(&r->o, "</style>\n</head>\n<body>\n<h1>");
	fg_report_put_esc(&r->o, title, ESC_MARKUP);
	fg_buf_puts(&r->o, "</h1>\n");
}

static void h_end(struct fg_report *r)
{
	h_kv_close(r);
	fg_buf_puts(&r->o, "<p class=\"note\">End of report.</p>\n</body>\n"
		     "</html>\n");
}

static void h_heading(struct fg_report *r, int level, const char *text,
		      int page)
{
	(void)page;
	h_kv_close(r);
	fg_buf_printf(&r->o, "<h%d>", level + 1 > 4 ? 4 : level + 1);
	fg_report_put_esc(&r->o, text, ESC_MARKUP);
	fg_buf_printf(&r->o, "</h%d>\n", level + 1 > 4 ? 4 : level + 1);
}

static void h_value(struct fg_report *r, const char *value, unsigned flags)
{
	if (value == NULL) {
		fg_buf_puts(&r->o, "<span class=\"unknown\">unknown</span>");
		return;
	}
	if (flags & (F_HASH | F_CODE))
		fg_buf_puts(&r->o, "<span class=\"hash\">");
	else if (flags & F_ALERT)
		fg_buf_puts(&r->o, "<span class=\"alert\">");
	else if (flags & F_GOOD)
		fg_buf_puts(&r->o, "<span class=\"ok\">");
	fg_report_put_esc(&r->o, value, ESC_MARKUP);
	if (flags & (F_HASH | F_CODE | F_ALERT | F_GOOD))
		fg_buf_puts(&r->o, "</span>");
}

static void h_field(struct fg_report *r, const char *label, const char *value,
		    unsigned flags)
{
	if (!r->kv_open) {
		fg_buf_puts(&r->o, "<table class=\"kv\">\n");
		r->kv_open = 1;
	}
	fg_buf_puts(&r->o, "<tr><th>");
	fg_report_put_esc(&r->o, label, ESC_MARKUP);
	fg_buf_puts(&r->o, "</th><td>");
	h_value(r, value, flags);
	fg_buf_puts(&r->o, "</td></tr>\n");
}

static void h_table(struct fg_report *r, const char *const *cols, int n)
{
	int i;

	h_kv_close(r);
	r->ncols = n;
	fg_buf_puts(&r->o, "<table>\n<thead><tr>");
	for (i = 0; i < n; i++) {
		fg_buf_puts(&r->o, "<th>");
		fg_report_put_esc(&r->o, cols[i], ESC_MARKUP);
		fg_buf_puts(&r->o, "</th>");
	}
	fg_buf_puts(&r->o, "</tr></thead>\n<tbody>\n");
}

static void h_row(struct fg_report *r, const char *const *cells,
		  const unsigned *flags)
{
	int i;

	fg_buf_puts(&r->o, "<tr>");
	for (i = 0; i < r->ncols; i++) {
		fg_buf_puts(&r->o, "<td>");
		h_value(r, cells[i], flags ? flags[i] : 0);
		fg_buf_puts(&r->o, "</td>");
	}
	fg_buf_puts(&r->o, "</tr>\n");
}

static void h_table_end(struct fg_report *r)
{
	fg_buf_puts(&r->o, "</tbody>\n</table>\n");
	r->ncols = 0;
}

static void h_note(struct fg_report *r, const char *text)
{
	h_kv_close(r);
	fg_buf_puts(&r->o, "<p class=\"note\">");
	fg_report_put_esc(&r->o, text, ESC_MARKUP);
	fg_buf_puts(&r->o, "</p>\n");
}

static void h_block(struct fg_report *r, int open)
{
	h_kv_close(r);
	fg_buf_puts(&r->o,
		    open ? "<section class=\"item\">\n" : "</section>\n");
}

/* The sector map: the source as a bar MAP_W units wide, read sectors
 * green, each column that holds an unreadable sector red, the first
 * ranges named by their LBAs under the bar, as ddrescueview shows a
 * mapfile. */
#define MAP_W 700
#define MAP_LABELS 6

static void h_sector_map(struct fg_report *r, json_t *acq, int64_t sectors)
{
	unsigned char bad[MAP_W];
	json_t *arr = jarr(acq, "bad_ranges"), *b;
	int64_t lba, cnt, nbad = 0;
	size_t i;
	int x, x0, labels = 0;

	memset(bad, 0, sizeof(bad));
	json_array_foreach(arr, i, b) {
		if (!jint(b, "first_lba", &lba) || !jint(b, "count", &cnt) ||
		    lba < 0 || cnt <= 0 || lba >= sectors)
			continue;
		x0 = (int)((double)lba * MAP_W / (double)sectors);
		x = (int)((double)(lba + cnt - 1) * MAP_W / (double)sectors);
		for (; x0 <= x && x0 < MAP_W; x0++)
			bad[x0] = 1;
		nbad++;
	}
	h_kv_close(r);
	fg_buf_printf(&r->o,
		      "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" "
		      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" aria-label=\"sector map\">\n"
		      "<title>Sector map: %" PRId64 " sectors, %" PRId64
		      " unreadable range(s) in red</title>\n"
		      "<rect x=\"0\" y=\"14\" width=\"%d\" height=\"28\" "
		      "fill=\"#9fd39f\" stroke=\"#333\"/>\n",
		      MAP_W + 20, 96, MAP_W + 20, 96, sectors, nbad, MAP_W);
	for (x = 0; x < MAP_W; x++) {
		if (!bad[x])
			continue;
		for (x0 = x; x < MAP_W && bad[x]; x++)
			;
		fg_buf_printf(&r->o,
			      "<rect x=\"%d\" y=\"14\" width=\"%d\" "
			      "height=\"28\" fill=\"#d00\"/>\n",
			      x0, x - x0);
	}
	fg_buf_printf(&r->o,
		      "<text x=\"0\" y=\"10\" font-size=\"9\">LBA 0</text>\n"
		      "<text x=\"%d\" y=\"10\" font-size=\"9\" "
		      "text-anchor=\"end\">LBA %" PRId64 "</text>\n",
		      MAP_W, sectors - 1);
	json_array_foreach(arr, i, b) {
		if (labels == MAP_LABELS)
			break;
		if (!jint(b, "first_lba", &lba) || !jint(b, "count", &cnt) ||
		    lba < 0 || cnt <= 0 || lba >= sectors)
			continue;
		x = (int)((double)lba * MAP_W / (double)sectors);
		fg_buf_printf(&r->o,
			      "<line x1=\"%d\" y1=\"42\" x2=\"%d\" y2=\"%d\" "
			      "stroke=\"#d00\"/>\n<text x=\"%d\" y=\"%d\" "
			      "font-size=\"9\" fill=\"#a00\">%" PRId64,
			      x, x, 50 + 12 * (labels % 3), x + 2,
			      54 + 12 * (labels % 3), lba);
		if (cnt > 1)
			fg_buf_printf(&r->o, "-%" PRId64, lba + cnt - 1);
		fg_buf_puts(&r->o, "</text>\n");
		labels++;
	}
	fg_buf_printf(&r->o,
		      "<text x=\"0\" y=\"94\" font-size=\"9\">green: read; "
		      "red: unreadable (filled); %s</text>\n</svg>\n",
		      (size_t)labels < json_array_size(arr)
			      ? "the first ranges are named, the table lists all"
			      : "every range is named");
}

static void h_sign_block(struct fg_report *r, const char *const *labels,
			 int n)
{
	int i;

	h_kv_close(r);
	fg_buf_puts(&r->o, "<table class=\"kv sign\">\n");
	for (i = 0; i < n; i++) {
		fg_buf_puts(&r->o, "<tr><th>");
		fg_report_put_esc(&r->o, labels[i], ESC_MARKUP);
		fg_buf_puts(&r->o, "</th><td></td></tr>\n");
	}
	fg_buf_puts(&r->o, "</table>\n");
}

/* What the walk (report_walk.c) writes HTML with. */
const struct fg_report_ops fg_report_html_ops = {
	h_begin, h_end, h_heading, h_field, h_table, h_row, h_table_end,
	h_note, h_block, h_sector_map, h_sign_block
};
