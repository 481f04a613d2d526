/*
 * tool.c - shared parts of the forage program (see tool.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forage/casedb.h>

#include "tool.h"

volatile sig_atomic_t fg_tool_stop;
const char *fg_tool_argv0 = "forage";

static void on_signal(int sig)
{
	(void)sig;
	fg_tool_stop = 1;
}

void fg_tool_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

const char *fg_tool_case_db(const char *named, int *found)
{
	static char *path;
	int where = 0;

	if (found != NULL)
		*found = named == NULL || *named == '\0';
	if (named != NULL && *named != '\0')
		return named;
	free(path);
	path = fg_casedb_find(".", &where);
	if (path == NULL)
		return FG_CASEDB_DEFAULT_NAME;
	if (where == 2)
		fprintf(stderr, "%s: case database %s (found in a parent "
				"folder)\n",
			fg_tool_argv0, fg_tool_shown(path, FG_TOOL_LINE));
	return path;
}

int fg_parse_size(const char *s, uint64_t *out)
{
	char *end;
	double whole;
	uint64_t mult = 1;
	unsigned long long ival;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	ival = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == '.') {
		whole = strtod(s, &end);
	} else {
		whole = -1;
	}
	if (end == s)
		return -1;
	if (*end != '\0') {
		char u = *end++;
		int dec = 0;
		switch (u) {
		case 'k': case 'K': mult = 1; break;
		case 'm': case 'M': mult = 2; break;
		case 'g': case 'G': mult = 3; break;
		case 't': case 'T': mult = 4; break;
		default: return -1;
		}
		if (strcmp(end, "B") == 0 || strcmp(end, "b") == 0)
			dec = 1;
		else if (*end != '\0' && strcmp(end, "iB") != 0 &&
			 strcmp(end, "ib") != 0)
			return -1;
		{
			uint64_t base = dec ? 1000 : 1024, m = 1;
			while (mult-- > 0)
				m *= base;
			mult = m;
		}
	}
	if (whole >= 0) {
		double v = whole * (double)mult;
		if (v > 1.8e19 || v != v)
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	if (mult != 0 && ival > UINT64_MAX / mult)
		return -1;
	*out = (uint64_t)ival * mult;
	return 0;
}

int fg_parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 0xffffffffUL)
		return -1;
	*out = (unsigned)v;
	return 0;
}

const struct option *fg_tool_longopts(const struct fg_optdef *defs)
{
	static struct option opts[65];
	size_t i;

	for (i = 0; i < 64 && defs[i].name != NULL; i++) {
		opts[i].name = defs[i].name;
		opts[i].has_arg = defs[i].has_arg;
		opts[i].flag = NULL;
		opts[i].val = defs[i].key;
	}
	memset(&opts[i], 0, sizeof(opts[i]));
	return opts;
}

void fg_tool_print_options(const struct fg_optdef *defs)
{
	size_t i;

	for (i = 0; defs[i].name != NULL; i++) {
		char left[64];
		if (defs[i].key < 256 && defs[i].key > ' ')
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 defs[i].key, defs[i].name,
				 defs[i].arg ? " " : "",
				 defs[i].arg ? defs[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s",
				 defs[i].name, defs[i].arg ? " " : "",
				 defs[i].arg ? defs[i].arg : "");
		printf("  %-30s %s\n", left, defs[i].help);
	}
}

char *fg_tool_command_line(int argc, char **argv)
{
	size_t cap = 1, len = 0;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		cap += 4 * strlen(argv[i]) + 3;
	s = malloc(cap);
	if (s == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		int plain = *a != '\0' &&
			    strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
				      "NOPQRSTUVWXYZ0123456789_-./=:,+@%") ==
				    strlen(a);
		if (i > 0)
			s[len++] = ' ';
		if (plain) {
			memcpy(s + len, a, strlen(a));
			len += strlen(a);
			continue;
		}
		s[len++] = '\'';
		for (; *a; a++) {
			if (*a == '\'') {
				memcpy(s + len, "'\\''", 4);
				len += 4;
			} else {
				s[len++] = *a;
			}
		}
		s[len++] = '\'';
	}
	s[len] = '\0';
	return s;
}

const char *fg_tool_shown(const char *s, int flags)
{
	static char *ring[8];
	static unsigned next;
	char *d;

	if (s == NULL)
		return NULL;
	d = fg_printable_dup(s, flags);
	if (d == NULL)
		return "[not shown: out of memory]";
	free(ring[next]);
	ring[next] = d;
	next = (next + 1) % 8;
	return d;
}

/* With --progress json, every line on stderr is a JSON object. */
static int json_lines;

/* s as a JSON string (quotes included); s is printable already, bytes
 * from 0x80 on are UTF-8 (FG_TOOL_LINE keeps only valid sequences). */
static void put_json_str(const char *s)
{
	fputc('"', stderr);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\u%04x", c);
		else
			fputc(c, stderr);
	}
	fputc('"', stderr);
}

/* One line of text (no line feed) for the examiner. */
static void say_line(const char *event, const char *line)
{
	if (!json_lines) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	fputs("{\"event\":", stderr);
	put_json_str(event);
	fputs(",\"text\":", stderr);
	put_json_str(line);
	fputs("}\n", stderr);
}

void fg_tool_say(const char *event, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL, *p, *nl;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		say_line(event, "[not shown: out of memory]");
		return;
	}
	/* Trailing line feed dropped; each line its own object. */
	if (n > 0 && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	for (p = msg;; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		say_line(event, fg_tool_shown(p, FG_TOOL_LINE));
		if (nl == NULL)
			break;
	}
	free(msg);
	fflush(stderr);
}

void fg_tool_error(const char *verb, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL, *line = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n >= 0 &&
	    asprintf(&line, "forage%s%s: %s", verb ? " " : "",
		     verb ? verb : "", fg_tool_shown(msg, FG_TOOL_LINE)) < 0)
		line = NULL;
	say_line("error", line != NULL ? line : "[not shown: out of memory]");
	free(msg);
	free(line);
}

void fg_tool_bad_option(const char *verb, char **argv)
{
	if (optopt != 0 && optopt < 256)
		fg_tool_error(verb, "unknown option -%c", optopt);
	else
		fg_tool_error(verb, "unknown option or missing argument: %s",
			      argv[optind - 1]);
}

int fg_tool_finish(int status, const char *reason)
{
	switch (status) {
	case FG_OK:
		fg_tool_say("end", "SUCCESS");
		break;
	case FG_EBADSECT:
		fg_tool_say("end", "COMPLETED WITH ERRORS");
		break;
	case FG_EINTR:
		fg_tool_say("end", "INTERRUPTED");
		break;
	default:
		fg_tool_say("end", "FAILURE: %s",
			    reason != NULL && *reason ? reason
						      : fg_status_name(status));
	}
	return fg_exit_for_status(status);
}

int fg_tool_progress_mode(const char *s, enum fg_progress_mode *out)
{
	if (strcmp(s, "auto") == 0)
		*out = isatty(STDERR_FILENO) ? FG_PROGRESS_BAR
					     : FG_PROGRESS_NONE;
	else if (strcmp(s, "bar") == 0)
		*out = FG_PROGRESS_BAR;
	else if (strcmp(s, "json") == 0)
		*out = FG_PROGRESS_JSON;
	else if (strcmp(s, "none") == 0)
		*out = FG_PROGRESS_NONE;
	else
		return -1;
	json_lines = *out == FG_PROGRESS_JSON;
	return 0;
}

void fg_tool_progress(enum fg_progress_mode mode, const struct fg_progress *p)
{
	double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
	double eta = rate > 0 ? (double)(p->total - p->done) / rate : -1;
	double pct = p->total ? 100.0 * (double)p->done / (double)p->total
			      : 100.0;

	char phase[128] = "";

	/* The failing-drive passes say which pass they are in. */
	if (p->phase != NULL && mode == FG_PROGRESS_JSON)
		snprintf(phase, sizeof(phase),
			 ",\"phase\":\"%s\",\"pass\":%u,\"passes\":%u",
			 p->phase, p->pass, p->passes);
	else if (p->phase != NULL && p->passes > 1)
		snprintf(phase, sizeof(phase), "  %s %u/%u", p->phase,
			 p->pass, p->passes);
	else if (p->phase != NULL)
		snprintf(phase, sizeof(phase), "  %s", p->phase);
	if (mode == FG_PROGRESS_JSON) {
		fprintf(stderr,
			"{\"done\":%" PRIu64 ",\"total\":%" PRIu64
			",\"percent\":%.1f,\"rate_bytes_per_s\":%.0f,"
			"\"eta_s\":%.0f,\"bad_sectors\":%" PRIu64
			"%s,\"finished\":%s}\n",
			p->done, p->total, pct, rate, eta < 0 ? -1.0 : eta,
			p->bad_sectors, phase, p->finished ? "true" : "false");
	} else if (mode == FG_PROGRESS_BAR) {
		fprintf(stderr,
			"\r%6.1f%%  %" PRIu64 " / %" PRIu64
			" MiB  %.1f MB/s  ETA %4.0fs  bad sectors: %" PRIu64
			"%s   ",
			pct, p->done >> 20, p->total >> 20, rate / 1e6,
			eta < 0 ? 0.0 : eta, p->bad_sectors, phase);
		if (p->finished)
			fputc('\n', stderr);
	}
	fflush(stderr);
}
