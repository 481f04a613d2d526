/*
 * report_html.c - the report as one self-contained HTML page (inline CSS,
 * no scripts, no external files) that prints cleanly: the output
 * operations that the walk (report_walk.c) talks to.
 */
#include "config.h"

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
	"table.kv th{width:13em;background:#f3f3f3;font-weight:normal}\n"
	".hash,code{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\","
	"monospace;font-size:9.5pt;word-break:break-all;"
	"overflow-wrap:anywhere}\n"
	".unknown{color:#666;font-style:italic}\n"
	".alert{color:#a00;font-weight:bold}\n"
	".ok{color:#060;font-weight:bold}\n"
	"p.note{margin:.3em 0 .8em}\n"
	"@media print{\n"
	" body{margin:0;max-width:none;padding:0;font-size:10pt}\n"
	" @page{margin:15mm}\n"
	" section.item{break-before:page;page-break-before:always}\n"
	" tr,table.kv{break-inside:avoid;page-break-inside:avoid}\n"
	" thead{display:table-header-group}\n"
	" h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}\n"
	"}\n";

static void h_kv_close(struct fg_report *r)
{
	if (r->kv_open) {
		fg_buf_puts(&r->o, "</table>\n");
		r->kv_open = 0;
	}
}

static void h_begin(struct fg_report *r, const char *title)
{
	fg_buf_puts(&r->o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n<title>");
	fg_report_put_esc(&r->o, title, ESC_MARKUP);
	fg_buf_puts(&r->o, "</title>\n<style>\n");
	fg_buf_puts(&r->o, html_css);
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

/* What the walk (report_walk.c) writes HTML with. */
const struct fg_report_ops fg_report_html_ops = {
	h_begin, h_end, h_heading, h_field, h_table, h_row, h_table_end,
	h_note, h_block
};
