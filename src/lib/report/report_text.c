/*
 * report_text.c - the report for a terminal: the output operations that the
 * walk (report_walk.c) talks to.  Stored strings are escaped (\xNN for
 * control characters), never sent to the terminal as they are.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

/* ---- Text: output operations ------------------------------------------- */

static void t_begin(struct fg_report *r, const char *title)
{
	size_t i, n = strlen(title);

	fg_report_put_esc(&r->o, title, ESC_TEXT);
	fg_buf_puts(&r->o, "\n");
	for (i = 0; i < n; i++)
		fg_buf_puts(&r->o, "=");
	fg_buf_puts(&r->o, "\n");
}

static void t_end(struct fg_report *r)
{
	fg_buf_puts(&r->o, "\n-- end of report --\n");
}

static void t_heading(struct fg_report *r, int level, const char *text,
		      int page)
{
	static const char *const under[] = {"", "=", "-", "~", "."};
	size_t i, n = strlen(text);

	(void)page;
	fg_buf_puts(&r->o, level <= 2 ? "\n\n" : "\n");
	fg_report_put_esc(&r->o, text, ESC_TEXT);
	fg_buf_puts(&r->o, "\n");
	if (level <= 3) {
		for (i = 0; i < n; i++)
			fg_buf_puts(&r->o, under[level]);
		fg_buf_puts(&r->o, "\n");
	}
}

static void t_field(struct fg_report *r, const char *label, const char *value,
		    unsigned flags)
{
	const char *p;
	size_t n = strlen(label);

	(void)flags;
	fg_buf_puts(&r->o, "  ");
	fg_report_put_esc(&r->o, label, ESC_TEXT);
	fg_buf_puts(&r->o, ":");
	for (; n < 24; n++)
		fg_buf_puts(&r->o, " ");
	fg_buf_puts(&r->o, " ");
	if (value == NULL) {
		fg_buf_puts(&r->o, UNKNOWN "\n");
		return;
	}
	/* Continuation lines line up under the value. */
	for (p = value; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);

		if (line == NULL) {
			r->o.failed = 1;
			return;
		}
		fg_report_put_esc(&r->o, line, ESC_TEXT);
		free(line);
		fg_buf_puts(&r->o, "\n");
		if (nl == NULL)
			break;
		p = nl + 1;
		fg_buf_puts(&r->o, "                            ");
	}
	if (*value == '\0')
		fg_buf_puts(&r->o, "\n");
}

static void t_table(struct fg_report *r, const char *const *cols, int n)
{
	int i;

	r->ncols = n;
	for (i = 0; i < n && i < 12; i++)
		r->cols[i] = cols[i];
}

static void t_row(struct fg_report *r, const char *const *cells,
		  const unsigned *flags)
{
	int i;

	(void)flags;
	for (i = 0; i < r->ncols; i++) {
		size_t n = strlen(r->cols[i]);

		fg_buf_puts(&r->o, i == 0 ? "  - " : "    ");
		fg_report_put_esc(&r->o, r->cols[i], ESC_TEXT);
		fg_buf_puts(&r->o, ":");
		for (; n < 14; n++)
			fg_buf_puts(&r->o, " ");
		fg_buf_puts(&r->o, " ");
		fg_report_put_esc(&r->o, cells[i] != NULL ? cells[i] : UNKNOWN,
				  ESC_TEXT);
		fg_buf_puts(&r->o, "\n");
	}
}

static void t_table_end(struct fg_report *r)
{
	r->ncols = 0;
}

static void t_note(struct fg_report *r, const char *text)
{
	fg_buf_puts(&r->o, "  ");
	fg_report_put_esc(&r->o, text, ESC_TEXT);
	fg_buf_puts(&r->o, "\n");
}

static void t_block(struct fg_report *r, int open)
{
	(void)r;
	(void)open;
}

/* The sector map as a bar of MAP_W characters: "." read, "X" a stretch
 * that holds an unreadable sector. */
#define MAP_W 64

static void t_sector_map(struct fg_report *r, json_t *acq, int64_t sectors)
{
	char bar[MAP_W + 1];
	json_t *b;
	int64_t lba, cnt;
	size_t i;
	int x, x1;

	memset(bar, '.', MAP_W);
	bar[MAP_W] = '\0';
	json_array_foreach(jarr(acq, "bad_ranges"), i, b) {
		if (!jint(b, "first_lba", &lba) || !jint(b, "count", &cnt) ||
		    lba < 0 || cnt <= 0 || lba >= sectors)
			continue;
		x = (int)((double)lba * MAP_W / (double)sectors);
		x1 = (int)((double)(lba + cnt - 1) * MAP_W / (double)sectors);
		for (; x <= x1 && x < MAP_W; x++)
			bar[x] = 'X';
	}
	fg_buf_printf(&r->o,
		      "  Sector map (LBA 0 to %" PRId64 ", a character for "
		      "about %" PRId64 " sectors, X: unreadable):\n  [%s]\n",
		      sectors - 1, (sectors + MAP_W - 1) / MAP_W, bar);
}

static void t_sign_block(struct fg_report *r, const char *const *labels,
			 int n)
{
	int i;

	fg_buf_puts(&r->o, "\n");
	for (i = 0; i < n; i++) {
		fg_buf_puts(&r->o, "  ");
		fg_report_put_esc(&r->o, labels[i], ESC_TEXT);
		fg_buf_printf(&r->o, ":%*s ________________________________\n\n",
			      (int)(12 - strlen(labels[i])), "");
	}
}

/* What the walk (report_walk.c) writes text with. */
const struct fg_report_ops fg_report_text_ops = {
	t_begin, t_end, t_heading, t_field, t_table, t_row, t_table_end,
	t_note, t_block, t_sector_map, t_sign_block
};
