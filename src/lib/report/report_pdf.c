/*
 * report_pdf.c - the report as PDF: the HTML report printed by headless
 * Chromium (the Debian package chromium), which lays out CSS paged media
 * with its page margin boxes (case, report id, "Page X of Y", time of
 * generation on every page).  Chromium was chosen over WeasyPrint because
 * the test machines install it already; WeasyPrint 57.2 would add about
 * 48 MB to download and 325 MB installed on a fresh Debian 12 (numpy and
 * scipy come with its fonttools), measured with apt-get install -s.
 *
 * Chromium prints into a private temporary folder; the PDF is read back
 * whole and checked (it starts with %PDF- and ends with %%EOF) before it
 * replaces the HTML in r->o, so that the caller writes a whole PDF or
 * nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report/report_int.h"

/* How long Chromium may take to print (a report of 10,000-row lists is
 * hundreds of pages). */
#define PDF_TIMEOUT_S 600

/* The Chromium to run: $FORAGE_CHROMIUM, else chromium or chromium-browser
 * in $PATH, into buf; 0 when none is found. */
static int find_chromium(char *buf, size_t n)
{
	static const char *const names[] = {"chromium", "chromium-browser"};
	const char *env = getenv("FORAGE_CHROMIUM");
	const char *path = getenv("PATH");
	size_t i;

	if (env != NULL && *env != '\0') {
		snprintf(buf, n, "%s", env);
		return access(buf, X_OK) == 0;
	}
	if (path == NULL || *path == '\0')
		path = "/usr/bin:/bin";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = path;
		while (*p != '\0') {
			size_t len = strcspn(p, ":");
			if (len > 0 && (size_t)snprintf(buf, n, "%.*s/%s",
							(int)len, p,
							names[i]) < n &&
			    access(buf, X_OK) == 0)
				return 1;
			p += len;
			if (*p == ':')
				p++;
		}
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

/* Read path whole into *out (NUL added), *len bytes. */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *p;

	*out = NULL;
	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (p = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		fclose(f);
		return -1;
	}
	fclose(f);
	p[n] = '\0';
	*out = p;
	*len = (size_t)n;
	return 0;
}

/* A whole PDF: its header, and %%EOF at its end. */
static int whole_pdf(const char *p, size_t n)
{
	size_t e = n;

	while (e > 0 && (p[e - 1] == '\n' || p[e - 1] == '\r' ||
			 p[e - 1] == ' '))
		e--;
	return n > 16 && memcmp(p, "%PDF-", 5) == 0 && e >= 5 &&
	       memcmp(p + e - 5, "%%EOF", 5) == 0;
}

/* Run Chromium on dir/report.html into dir/report.pdf.  Returns the exit
 * status as waitpid gives it, or -1 (with errno) when it cannot run. */
static int run_chromium(const char *chromium, const char *dir, int *timed_out)
{
	char html[4200], pdf[4200], prof[4200], logp[4200];
	const char *argv[16];
	int n = 0, status = 0, waited = 0;
	pid_t pid, w;

	*timed_out = 0;
	snprintf(html, sizeof(html), "file://%s/report.html", dir);
	snprintf(pdf, sizeof(pdf), "--print-to-pdf=%s/report.pdf", dir);
	snprintf(prof, sizeof(prof), "--user-data-dir=%s/profile", dir);
	snprintf(logp, sizeof(logp), "%s/chromium.log", dir);
	argv[n++] = chromium;
	argv[n++] = "--headless";
	if (geteuid() == 0)
		argv[n++] = "--no-sandbox"; /* Chromium refuses root otherwise */
	argv[n++] = "--disable-gpu";
	argv[n++] = "--no-first-run";
	argv[n++] = "--disable-background-networking";
	argv[n++] = "--disable-component-update";
	argv[n++] = "--disable-sync";
	argv[n++] = "--disable-extensions";
	argv[n++] = prof;
	argv[n++] = "--no-pdf-header-footer";
	argv[n++] = pdf;
	argv[n++] = html;
	argv[n] = NULL;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int nul = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (nul >= 0)
			dup2(nul, 0);
		execv(chromium, (char *const *)argv);
		_exit(127);
	}
	for (;;) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
		if (++waited > PDF_TIMEOUT_S * 10) {
			*timed_out = 1;
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return status;
		}
		nanosleep(&ts, NULL);
	}
}

int fg_report_render_pdf(struct fg_report *r)
{
	char chromium[4096], dir[4096], path[4200], *pdf = NULL;
	const char *tmp = getenv("TMPDIR");
	size_t pdflen = 0;
	int rc, status, timed_out = 0, fd;

	rc = fg_report_walk(r);
	if (rc != FG_OK || r->o.failed)
		return rc != FG_OK ? rc : FG_ENOMEM;
	if (!find_chromium(chromium, sizeof(chromium)))
		return fg_error_set(
			r->err, FG_EOUTPUT, 0,
			"report: --format pdf needs Chromium to print the "
			"HTML report, and %s%s%s: install the Debian package "
			"chromium (or set FORAGE_CHROMIUM to its path), or "
			"write --format html and print that",
			getenv("FORAGE_CHROMIUM") && *getenv("FORAGE_CHROMIUM")
				? "FORAGE_CHROMIUM="
				: "",
			getenv("FORAGE_CHROMIUM") && *getenv("FORAGE_CHROMIUM")
				? chromium
				: "no chromium is in PATH",
			getenv("FORAGE_CHROMIUM") && *getenv("FORAGE_CHROMIUM")
				? " is not an executable"
				: "");
	snprintf(dir, sizeof(dir), "%s/forage-pdf.XXXXXX",
		 tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return fg_error_set(r->err, FG_EOUTPUT, errno,
				    "report: cannot make a temporary folder "
				    "for the PDF (%s): %s",
				    dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/report.html", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || fg_fd_write_full(fd, r->o.p, r->o.len) != 0) {
		rc = fg_error_set(r->err, FG_EOUTPUT, errno,
				  "report: cannot write %s: %s", path,
				  strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	status = run_chromium(chromium, dir, &timed_out);
	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	if (status == -1) {
		rc = fg_error_set(r->err, FG_EOUTPUT, errno,
				  "report: cannot run %s: %s", chromium,
				  strerror(errno));
		goto out;
	}
	if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    slurp(path, &pdf, &pdflen) != 0 || !whole_pdf(pdf, pdflen)) {
		rc = fg_error_set(
			r->err, FG_EOUTPUT, 0,
			"report: %s did not print the report to PDF (%s); "
			"no PDF was written",
			chromium,
			timed_out	   ? "it took too long and was stopped"
			: !WIFEXITED(status) ? "it was killed by a signal"
			: WEXITSTATUS(status) == 127
				? "it could not be started"
			: WEXITSTATUS(status) != 0 ? "it failed"
			: pdf == NULL		   ? "it wrote no PDF"
						   : "its PDF is not whole");
		goto out;
	}
	free(r->o.p);
	r->o.p = pdf;
	r->o.len = pdflen;
	r->o.cap = pdflen + 1;
	pdf = NULL;
out:
	free(pdf);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
