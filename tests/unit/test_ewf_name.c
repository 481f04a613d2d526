/* test_ewf_name.c - the names of EWF segment files (ewf_name.c): each
 * family at its boundaries (99, 100 = .EAA, 775 = .EZZ, 776 = .FAA, the
 * last name), the inverse over every name, and a set of empty files named
 * so, which the system's libewf must find in the same order. */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <libewf.h>

#include "ewf/ewf_int.h"
#include "unit.h"

/* The extension of segment n of family, or "-" when there is none. */
static const char *ext_of(const char *family, unsigned n)
{
	static char ext[FG_EWF_EXT_MAX];

	if (fg_ewf_segment_ext(ext, sizeof(ext), family, n) != 0)
		return "-";
	return ext;
}

static void test_e01(void)
{
	CHECK_STR(ext_of("E01", 1), "E01");
	CHECK_STR(ext_of("E01", 9), "E09");
	CHECK_STR(ext_of("E01", 10), "E10");
	CHECK_STR(ext_of("E01", 99), "E99");
	CHECK_STR(ext_of("E01", 100), "EAA");
	CHECK_STR(ext_of("E01", 101), "EAB");
	CHECK_STR(ext_of("E01", 125), "EAZ");
	CHECK_STR(ext_of("E01", 126), "EBA");
	CHECK_STR(ext_of("E01", 775), "EZZ");
	CHECK_STR(ext_of("E01", 776), "FAA");
	CHECK_STR(ext_of("E01", 14971), "ZZZ");
	CHECK_STR(ext_of("E01", 14972), "-");
	CHECK_STR(ext_of("E01", 0), "-");
	CHECK(fg_ewf_segment_max("E01") == 14971);
	/* libewf's EWF and EWFX formats: the same in lower case. */
	CHECK_STR(ext_of("e01", 1), "e01");
	CHECK_STR(ext_of("e01", 100), "eaa");
	CHECK_STR(ext_of("e01", 776), "faa");
	CHECK_STR(ext_of("e01", 14971), "zzz");
}

static void test_families(void)
{
	CHECK_STR(ext_of("s01", 1), "s01");
	CHECK_STR(ext_of("s01", 99), "s99");
	CHECK_STR(ext_of("s01", 100), "saa");
	CHECK_STR(ext_of("s01", 775), "szz");
	CHECK_STR(ext_of("s01", 776), "taa");
	CHECK_STR(ext_of("s01", 5507), "zzz");
	CHECK_STR(ext_of("s01", 5508), "-");
	CHECK(fg_ewf_segment_max("s01") == 5507);
	CHECK_STR(ext_of("L01", 1), "L01");
	CHECK_STR(ext_of("L01", 100), "LAA");
	CHECK_STR(ext_of("L01", 776), "MAA");
	CHECK_STR(ext_of("L01", 10239), "ZZZ");
	CHECK_STR(ext_of("L01", 10240), "-");
	CHECK_STR(ext_of("Ex01", 1), "Ex01");
	CHECK_STR(ext_of("Ex01", 99), "Ex99");
	CHECK_STR(ext_of("Ex01", 100), "ExAA");
	CHECK_STR(ext_of("Ex01", 775), "ExZZ");
	CHECK_STR(ext_of("Ex01", 776), "FxAA");
	CHECK_STR(ext_of("Ex01", 14971), "ZxZZ");
	CHECK_STR(ext_of("Ex01", 14972), "-");
	CHECK_STR(ext_of("Lx01", 1), "Lx01");
	CHECK_STR(ext_of("Lx01", 100), "LxAA");
	CHECK_STR(ext_of("Lx01", 10239), "ZxZZ");
	/* Not families; an extension that does not fit. */
	CHECK_STR(ext_of("E02", 1), "-");
	CHECK_STR(ext_of("001", 1), "-");
	CHECK_STR(ext_of("Ey01", 1), "-");
	CHECK_STR(ext_of("E", 1), "-");
	CHECK(fg_ewf_segment_max("raw") == 0);
	{
		char small[4];
		CHECK(fg_ewf_segment_ext(small, sizeof(small), "Ex01", 1) ==
		      -1);
		CHECK(fg_ewf_segment_ext(small, sizeof(small), "E01", 1) == 0);
	}
}

static void test_inverse(void)
{
	static const char *const fam[] = {"E01", "e01", "s01", "L01",
					  "Ex01", "Lx01"};
	size_t i;

	for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		unsigned n, max = fg_ewf_segment_max(fam[i]), bad = 0;
		char ext[FG_EWF_EXT_MAX];
		for (n = 1; n <= max; n++)
			if (fg_ewf_segment_ext(ext, sizeof(ext), fam[i], n) !=
				    0 ||
			    fg_ewf_segment_number(ext, fam[i]) != (long)n)
				bad++;
		CHECK(max > 0 && bad == 0);
	}
	CHECK(fg_ewf_segment_number("E01", "E01") == 1);
	CHECK(fg_ewf_segment_number("e01", "E01") == 1);
	CHECK(fg_ewf_segment_number("S05", "s01") == 5);
	CHECK(fg_ewf_segment_number("EX05", "Ex01") == 5);
	CHECK(fg_ewf_segment_number("lx05", "Lx01") == 5);
	CHECK(fg_ewf_segment_number("E00", "E01") == 0);
	CHECK(fg_ewf_segment_number("EAA", "E01") == 100);
	CHECK(fg_ewf_segment_number("EZZ", "E01") == 775);
	CHECK(fg_ewf_segment_number("FAA", "E01") == 776);
	CHECK(fg_ewf_segment_number("ZZZ", "E01") == 14971);
	/* Letters only in the family's case; digits after its letter. */
	CHECK(fg_ewf_segment_number("eaa", "E01") == -1);
	CHECK(fg_ewf_segment_number("SAA", "s01") == -1);
	CHECK(fg_ewf_segment_number("F01", "E01") == -1);
	CHECK(fg_ewf_segment_number("DAA", "E01") == -1);
	CHECK(fg_ewf_segment_number("E0A", "E01") == -1);
	CHECK(fg_ewf_segment_number("E001", "E01") == -1);
	CHECK(fg_ewf_segment_number("E01", "Ex01") == -1);
	CHECK(fg_ewf_segment_number("img", "E01") == -1);
	CHECK(fg_ewf_segment_number("raw", "E01") == -1);
	CHECK(fg_ewf_segment_number("", "E01") == -1);
}

static void test_next(void)
{
	char *s;

	s = fg_ewf_segment_next("d/HD1.E01", "d/HD1.E01");
	CHECK_STR(s, "d/HD1.E02");
	free(s);
	s = fg_ewf_segment_next("d/HD1.E01", "d/HD1.E99");
	CHECK_STR(s, "d/HD1.EAA");
	free(s);
	s = fg_ewf_segment_next("d/HD1.E01", "d/HD1.EAA");
	CHECK_STR(s, "d/HD1.EAB");
	free(s);
	s = fg_ewf_segment_next("d/HD1.E01", "d/HD1.EZZ");
	CHECK_STR(s, "d/HD1.FAA");
	free(s);
	s = fg_ewf_segment_next("HD1.s01", "HD1.s99");
	CHECK_STR(s, "HD1.saa");
	free(s);
	s = fg_ewf_segment_next("a.b/HD1.Ex01", "a.b/HD1.Ex99");
	CHECK_STR(s, "a.b/HD1.ExAA");
	free(s);
	CHECK(fg_ewf_segment_next("HD1.E01", "HD1.ZZZ") == NULL);
	CHECK(fg_ewf_segment_next("HD1.raw", "HD1.raw") == NULL);
	CHECK(fg_ewf_segment_next("d.E01/HD1", "d.E01/HD1") == NULL);
}

/* libewf finds a set named by fg_ewf_segment_ext, in its order, past
 * .EZZ. */
static void test_libewf_glob(void)
{
	const unsigned count = 800;
	char **names = NULL;
	libewf_error_t *e = NULL;
	int n = 0;
	unsigned i;
	char path[32], ext[FG_EWF_EXT_MAX];

	for (i = 1; i <= count; i++) {
		int fd;
		CHECK(fg_ewf_segment_ext(ext, sizeof(ext), "E01", i) == 0);
		snprintf(path, sizeof(path), "set.%s", ext);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
	}
	if (libewf_glob("set.E01", 7, LIBEWF_FORMAT_UNKNOWN, &names, &n,
			&e) != 1) {
		CHECK(!"libewf_glob failed");
		libewf_error_free(&e);
		return;
	}
	CHECK(n == (int)count);
	for (i = 0; i < count && i < (unsigned)n; i++) {
		CHECK(fg_ewf_segment_ext(ext, sizeof(ext), "E01", i + 1) == 0);
		snprintf(path, sizeof(path), "set.%s", ext);
		CHECK_STR(names[i], path);
	}
	libewf_glob_free(names, n, NULL);
}

int main(void)
{
	unit_run("e01", test_e01);
	unit_run("families", test_families);
	unit_run("inverse", test_inverse);
	unit_run("next", test_next);
	unit_run("libewf_glob", test_libewf_glob);
	return unit_done();
}
