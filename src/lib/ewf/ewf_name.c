/*
 * ewf_name.c - the names of EWF segment files, as libewf names them: the
 * one place forage builds or reads them (the EWF sink, the EWF reader and
 * the recognition of a file by its name use it; see ewf_int.h).
 *
 * A family is named by the extension of its first segment.  Segments 1 to
 * 99 are the family's letter and two digits (E01 .. E99; EWF2 puts an 'x'
 * after the letter: Ex01 .. Ex99).  From 100 on, the two digits become two
 * letters counting from AA to ZZ in the family's case (EAA = 100, EZZ =
 * 775), and past ZZ the first letter moves on (FAA = 776) until it passes
 * Z (or z): E01 names 14,971 segments, ZZZ the last.  libewf's
 * libewf_filename.c builds the same names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"

/* A family, taken apart: its first letter, whether it is EWF2 (an 'x'
 * second) and the length of its extensions. */
struct family {
	char first, a, z; /* a, z: 'A', 'Z' or 'a', 'z' by first's case */
	int x;            /* EWF2: the 'x' as the family writes it, else 0 */
	size_t len;       /* 3, or 4 for EWF2 */
};

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* family is "E01", "s01", "Ex01" ...: 0 with f filled, or -1. */
static int family_parse(const char *family, struct family *f)
{
	size_t n = family != NULL ? strlen(family) : 0;

	if (n < 3 || n > 4 || !(is_upper(family[0]) || is_lower(family[0])))
		return -1;
	if (n == 4 && to_lower(family[1]) != 'x')
		return -1;
	if (strcmp(family + n - 2, "01") != 0)
		return -1;
	f->first = family[0];
	f->a = is_upper(family[0]) ? 'A' : 'a';
	f->z = is_upper(family[0]) ? 'Z' : 'z';
	f->x = n == 4 ? family[1] : 0;
	f->len = n;
	return 0;
}

static unsigned family_max(const struct family *f)
{
	return (unsigned)(f->z - f->first + 1) * 26 * 26 + 99;
}

int fg_ewf_segment_ext(char *ext, size_t len, const char *family, unsigned n)
{
	struct family f;
	size_t k = 0;

	if (family_parse(family, &f) != 0 || n == 0 || n > family_max(&f) ||
	    len < f.len + 1)
		return -1;
	if (n <= 99) {
		ext[k++] = f.first;
		if (f.x)
			ext[k++] = (char)f.x;
		ext[k++] = (char)('0' + n / 10);
		ext[k++] = (char)('0' + n % 10);
	} else {
		n -= 100;
		ext[k++] = (char)(f.first + n / (26 * 26));
		if (f.x)
			ext[k++] = (char)f.x;
		ext[k++] = (char)(f.a + n / 26 % 26);
		ext[k++] = (char)(f.a + n % 26);
	}
	ext[k] = '\0';
	return 0;
}

unsigned fg_ewf_segment_max(const char *family)
{
	struct family f;

	return family_parse(family, &f) == 0 ? family_max(&f) : 0;
}

long fg_ewf_segment_number(const char *ext, const char *family)
{
	struct family f;
	const char *t;

	if (ext == NULL || family_parse(family, &f) != 0 ||
	    strlen(ext) != f.len)
		return -1;
	if (f.x && to_lower(ext[1]) != 'x')
		return -1;
	t = ext + f.len - 2; /* the two digits or letters */
	if (is_digit(t[0]) && is_digit(t[1]))
		return to_lower(ext[0]) == to_lower(f.first)
			       ? (t[0] - '0') * 10 + (t[1] - '0')
			       : -1;
	if (ext[0] < f.first || ext[0] > f.z || t[0] < f.a || t[0] > f.z ||
	    t[1] < f.a || t[1] > f.z)
		return -1;
	return 100 + ((long)(ext[0] - f.first) * 26 + (t[0] - f.a)) * 26 +
	       (t[1] - f.a);
}

/* The extension of path's last component (after its last dot), or NULL. */
static const char *path_ext(const char *path)
{
	const char *dot = strrchr(fg_path_base(path), '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

char *fg_ewf_segment_next(const char *first, const char *path)
{
	const char *e0 = path_ext(first), *e = path_ext(path);
	char family[FG_EWF_EXT_MAX], ext[FG_EWF_EXT_MAX];
	size_t n, keep;
	long k;
	char *out;

	if (e0 == NULL || e == NULL)
		return NULL;
	/* The family of the first file: its letter (and 'x') as written,
	 * then 01. */
	n = strlen(e0);
	if (n < 3 || n > 4 || !is_digit(e0[n - 2]) || !is_digit(e0[n - 1]))
		return NULL;
	memcpy(family, e0, n - 2);
	memcpy(family + n - 2, "01", 3);
	k = fg_ewf_segment_number(e, family);
	if (k < 1 || fg_ewf_segment_ext(ext, sizeof(ext), family,
				      (unsigned)k + 1) != 0)
		return NULL;
	keep = (size_t)(e - path);
	out = malloc(keep + strlen(ext) + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, path, keep);
	memcpy(out + keep, ext, strlen(ext) + 1);
	return out;
}
