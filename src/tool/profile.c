/*
 * profile.c - acquisition presets from forensics-profiles/ (curl's
 * tool_parsecfg.c is the model): a profile is read through the same option
 * table as the command line, turned into "--name" "value" arguments and put
 * before the command line's own, so that the command line wins.
 *
 * Format, one setting a line:
 *     # a comment
 *     format = e01
 *     hash = md5,sha1,sha256
 *     verify = yes            (options without argument: yes or no)
 *     description = "kept as is, spaces included"
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/hash.h>

#include "tool.h"

#define PROFILE_LINE_MAX 4096

static const char *const search_dirs[] = {
#ifdef FG_PROFILEDIR
	FG_PROFILEDIR,
#endif
#ifdef FG_SRC_PROFILEDIR
	FG_SRC_PROFILEDIR,
#endif
	NULL
};

static int add_arg(struct fg_profile *p, const char *s, unsigned line)
{
	char **na = realloc(p->argv, (size_t)(p->argc + 2) * sizeof(*na));
	unsigned *nl;

	if (na == NULL)
		return -1;
	p->argv = na;
	nl = realloc(p->lines, (size_t)(p->argc + 1) * sizeof(*nl));
	if (nl == NULL)
		return -1;
	p->lines = nl;
	p->argv[p->argc] = strdup(s);
	if (p->argv[p->argc] == NULL)
		return -1;
	p->lines[p->argc] = line;
	p->argc++;
	p->argv[p->argc] = NULL;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static const struct fg_optdef *find_opt(const struct fg_optdef *defs,
					const char *name)
{
	for (; defs->name != NULL; defs++)
		if (strcmp(defs->name, name) == 0)
			return defs;
	return NULL;
}

/* Levenshtein distance of a and b (each at most 63 bytes; longer ones
 * count as far apart). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la > 63 || lb > 63)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The candidate nearest to word (a typing slip: at most 2 edits, or a
 * third of word's length), or NULL. */
static const char *nearest(const char *word, const char *const *cands,
			   size_t n)
{
	size_t i, best = (size_t)-1, d, most = strlen(word) / 3;
	const char *pick = NULL;

	if (most < 2)
		most = 2;
	for (i = 0; i < n; i++) {
		d = edit_distance(word, cands[i]);
		if (d < best) {
			best = d;
			pick = cands[i];
		}
	}
	return best <= most ? pick : NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* After "profile 'name' not found": "; did you mean 'x'? profiles: a, b"
 * from the NAME.profile files in the folders dirs, into buf. */
static void known_profiles(const char *name, const char *const *dirs,
			   size_t ndirs, char *buf, size_t len)
{
	char *names[64];
	const char *near;
	size_t n = 0, i, k, used;

	buf[0] = '\0';
	for (i = 0; i < ndirs; i++) {
		DIR *d = dirs[i] != NULL ? opendir(dirs[i]) : NULL;
		struct dirent *e;
		while (d != NULL && n < 64 && (e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			if (l <= 8 || e->d_name[0] == '.' ||
			    strcmp(e->d_name + l - 8, ".profile") != 0)
				continue;
			for (k = 0; k < n; k++)
				if (strncmp(names[k], e->d_name, l - 8) == 0 &&
				    names[k][l - 8] == '\0')
					break;
			if (k == n && (names[n] = strndup(e->d_name,
							  l - 8)) != NULL)
				n++;
		}
		if (d != NULL)
			closedir(d);
	}
	if (n == 0)
		return;
	qsort(names, n, sizeof(names[0]), by_name);
	near = nearest(name, (const char *const *)names, n);
	used = (size_t)snprintf(buf, len, "; %s%s%sprofiles: ",
				near ? "did you mean '" : "", near ? near : "",
				near ? "'? " : "");
	for (i = 0; i < n; i++) {
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%s", i ? ", " : "",
						 names[i]);
		free(names[i]);
	}
}

/* The key of defs nearest to key (not help or profile), or NULL. */
static const char *nearest_key(const struct fg_optdef *defs, const char *key)
{
	const char *names[64];
	size_t n = 0;

	for (; defs->name != NULL && n < 64; defs++)
		if (strcmp(defs->name, "help") != 0 &&
		    strcmp(defs->name, "profile") != 0)
			names[n++] = defs->name;
	return nearest(key, names, n);
}

/* Where a profile named name lies: a path when it has a slash, else
 * NAME.profile in the search folders. */
static char *locate(const char *name, char *err, size_t errlen)
{
	char tried[2048] = "", known[1024];
	const char *dirs[1 + sizeof(search_dirs) / sizeof(search_dirs[0])];
	size_t i, n;
	const char *env = getenv("FORAGE_PROFILE_DIR");

	if (strchr(name, '/') != NULL)
		return strdup(name);
	for (i = 0; i < 1 + sizeof(search_dirs) / sizeof(search_dirs[0]);
	     i++) {
		const char *dir = i == 0 ? env : search_dirs[i - 1];
		char path[4096];
		FILE *f;

		dirs[i] = dir;

		if (dir == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s.profile", dir, name);
		f = fopen(path, "r");
		if (f != NULL) {
			fclose(f);
			return strdup(path);
		}
		n = strlen(tried);
		snprintf(tried + n, sizeof(tried) - n, "%s%s", n ? ", " : "",
			 dir);
	}
	known_profiles(name, dirs, sizeof(dirs) / sizeof(dirs[0]), known,
		       sizeof(known));
	snprintf(err, errlen, "profile '%s' not found (looked in %s)%s", name,
		 tried[0] ? tried : "no folder", known);
	return NULL;
}

int fg_profile_load(struct fg_profile *p, const char *name,
		    const struct fg_optdef *defs, char *err, size_t errlen)
{
	char line[PROFILE_LINE_MAX + 2];
	char hx[FG_NHASH][FG_HASH_HEX_MAX];
	struct fg_error herr;
	unsigned lineno = 0, *seen = NULL;
	size_t ndefs = 0;
	FILE *f = NULL;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	p->path = locate(name, err, errlen);
	if (p->path == NULL)
		return -1;
	p->name = strdup(name);
	/* The line each key was given on: a key given twice is refused,
	 * not silently decided by its last line. */
	while (defs[ndefs].name != NULL)
		ndefs++;
	seen = calloc(ndefs + 1, sizeof(*seen));
	if (seen == NULL)
		goto nomem;
	f = fopen(p->path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open profile: %s", p->path,
			 strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		const struct fg_optdef *d;
		char *key, *val, *eq;
		size_t vl;

		lineno++;
		if (strlen(line) > PROFILE_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: line longer than %d "
				 "characters", p->path, lineno,
				 PROFILE_LINE_MAX);
			goto out;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%u: '%s': want 'key = value'",
				 p->path, lineno, key);
			goto out;
		}
		*eq = '\0';
		val = trim(eq + 1);
		key = trim(key);
		vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		d = find_opt(defs, key);
		if (d == NULL || strcmp(key, "help") == 0 ||
		    strcmp(key, "profile") == 0) {
			const char *near = nearest_key(defs, key);
			snprintf(err, errlen, "%s:%u: unknown key '%s'; %s%s%s",
				 p->path, lineno, key,
				 near ? "did you mean '" : "",
				 near ? near : "",
				 near ? "'?"
				      : "the keys are the long options of "
					"forage acquire --help");
			goto out;
		}
		if (seen[d - defs] != 0) {
			snprintf(err, errlen,
				 "%s:%u: key '%s' given twice (first on line "
				 "%u); give each key once",
				 p->path, lineno, key, seen[d - defs]);
			goto out;
		}
		seen[d - defs] = lineno;
		if (d->has_arg == no_argument) {
			if (strcmp(val, "yes") == 0 ||
			    strcmp(val, "true") == 0) {
				char opt[128];
				snprintf(opt, sizeof(opt), "--%s", key);
				if (add_arg(p, opt, lineno) != 0)
					goto nomem;
			} else if (strcmp(val, "no") != 0 &&
				   strcmp(val, "false") != 0) {
				snprintf(err, errlen,
					 "%s:%u: key '%s': bad value '%s' "
					 "(want yes or no)",
					 p->path, lineno, key, val);
				goto out;
			}
			continue;
		}
		if (*val == '\0') {
			snprintf(err, errlen, "%s:%u: key '%s': no value",
				 p->path, lineno, key);
			goto out;
		}
		{
			char opt[128];
			snprintf(opt, sizeof(opt), "--%s", key);
			if (add_arg(p, opt, lineno) != 0 ||
			    add_arg(p, val, lineno) != 0)
				goto nomem;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", p->path,
			 strerror(errno));
		goto out;
	}
	fg_error_clear(&herr);
	if (fg_hash_file(p->path, FG_HASH_SHA256, hx, NULL, &herr) != FG_OK) {
		snprintf(err, errlen, "%s", herr.msg);
		goto out;
	}
	memcpy(p->sha256, hx[2], sizeof(p->sha256));
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
out:
	free(seen);
	if (f != NULL)
		fclose(f);
	if (rc != 0)
		fg_profile_free(p);
	return rc;
}

const char *fg_profile_origin(const struct fg_profile *p, int index,
			      char *buf, size_t len)
{
	if (p == NULL || index < 0 || index >= p->argc)
		return NULL;
	snprintf(buf, len, "%s:%u", p->path, p->lines[index]);
	return buf;
}

void fg_profile_free(struct fg_profile *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	free(p->lines);
	free(p->path);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

const char *fg_profile_find_arg(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--profile") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (strncmp(argv[i], "--profile=", 10) == 0)
			return argv[i] + 10;
	}
	return NULL;
}
