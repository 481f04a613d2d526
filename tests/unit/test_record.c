/* test_record.c - the record tree, its JSON and text files, the coreutils
 * sidecars and the never-overwrite rule. */
#include "config.h"

#include <sys/stat.h>

#include <forage/record.h>

#include "unit.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_tree(void)
{
	struct fg_record *r = NULL, *back = NULL;
	struct fg_error err;
	int64_t v = 0;

	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_record_set_str(r, "case.examiner", "A. Examiner") == FG_OK);
	CHECK(fg_record_set_int(r, "source.size", 513) == FG_OK);
	CHECK(fg_record_set_null(r, "source.serial") == FG_OK);
	CHECK(fg_record_set_null(r, "case.notes") == FG_OK);
	CHECK(fg_record_set_str(r, "case.examiner", "B. Examiner") == FG_OK);
	CHECK(fg_record_add_bad_range(r, 2049, 3) == FG_OK);
	/* A key through a non-object is refused. */
	CHECK(fg_record_set_str(r, "source.size.x", "no") == FG_EINVAL);
	CHECK_STR(fg_record_get_str(r, "case.examiner"), "B. Examiner");
	CHECK(fg_record_get_str(r, "source.serial") == NULL);
	CHECK(fg_record_get_int(r, "source.size", &v) == FG_OK && v == 513);
	CHECK(fg_record_write_json(r, "rec.json", 0, &err) == FG_OK);
	/* Never overwritten, unless the caller owns it. */
	CHECK(fg_record_write_json(r, "rec.json", 0, &err) == FG_EEXIST);
	CHECK(strstr(err.msg, "rec.json") != NULL);
	CHECK(fg_record_write_json(r, "rec.json", 1, &err) == FG_OK);
	CHECK(fg_record_load(&back, "rec.json", &err) == FG_OK);
	CHECK_STR(fg_record_get_str(back, "case.examiner"), "B. Examiner");
	CHECK(fg_record_get_int(back, "source.size", &v) == FG_OK && v == 513);
	CHECK(fg_record_write_text(r, "rec.txt", 0, &err) == FG_OK);
	{
		const char *t = slurp("rec.txt");
		CHECK(t != NULL && strstr(t, "Examiner: B. Examiner") != NULL);
		CHECK(t != NULL && strstr(t, "Serial: unknown") != NULL);
		/* Not given is not unknown. */
		CHECK(t != NULL && strstr(t, "Notes: none") != NULL);
		CHECK(t != NULL && strstr(t, "First lba: 2049") != NULL);
	}
	fg_record_free(back);
	fg_record_free(r);
}

static void test_load_errors(void)
{
	struct fg_record *r = NULL;
	struct fg_error err;
	FILE *f = fopen("bad.json", "w");

	fputs("{\"a\": 1,\n \"b\": }\n", f);
	fclose(f);
	CHECK(fg_record_load(&r, "bad.json", &err) == FG_EFORMAT);
	CHECK(r == NULL);
	CHECK(strstr(err.msg, "bad.json") != NULL &&
	      strstr(err.msg, "line 2") != NULL);
	CHECK(fg_record_load(&r, "absent.json", &err) == FG_EFORMAT);
	f = fopen("array.json", "w");
	fputs("[1,2]\n", f);
	fclose(f);
	CHECK(fg_record_load(&r, "array.json", &err) == FG_EFORMAT);
}

static void test_sidecar(void)
{
	struct fg_outfile files[2];
	struct fg_error err;
	struct stat st;
	const char *t;

	memset(files, 0, sizeof(files));
	files[0].path = "/cases/x/HD1.001";
	strcpy(files[0].md5, "900150983cd24fb0d6963f7d28e17f72"); /* checksrc:ok */
	strcpy(files[0].sha256, "ab"); /* checksrc:ok */
	files[1].path = "HD1.002";
	strcpy(files[1].md5, "d41d8cd98f00b204e9800998ecf8427e"); /* checksrc:ok */
	CHECK_MSG(fg_sidecar_write("HD1.md5", FG_HASH_MD5, files, 2, &err) ==
			  FG_OK,
		  &err);
	t = slurp("HD1.md5");
	CHECK_STR(t, "900150983cd24fb0d6963f7d28e17f72  HD1.001\n"
		     "d41d8cd98f00b204e9800998ecf8427e  HD1.002\n");
	/* Read-only evidence file, no temporary left. */
	CHECK(stat("HD1.md5", &st) == 0 && (st.st_mode & 0222) == 0);
	CHECK(system("ls | grep -q tmp") != 0);
	CHECK(fg_sidecar_write("HD1.md5", FG_HASH_MD5, files, 2, &err) ==
	      FG_EEXIST);
	files[1].path = "bad\nname";
	CHECK(fg_sidecar_write("X.md5", FG_HASH_MD5, files, 2, &err) ==
	      FG_EINVAL);
	CHECK(access("X.md5", F_OK) != 0);
	/* coreutils agrees with what we write. */
	{
		struct fg_outfile one;
		memset(&one, 0, sizeof(one));
		one.path = "abc";
		FILE *f = fopen("abc", "w");
		fputs("abc", f);
		fclose(f);
		strcpy(one.md5, "900150983cd24fb0d6963f7d28e17f72"); /* checksrc:ok */
		CHECK(fg_sidecar_write("abc.md5", FG_HASH_MD5, &one, 1,
				       &err) == FG_OK);
		CHECK(system("md5sum --status -c abc.md5") == 0);
	}
}

static void test_atomic_folder_missing(void)
{
	struct fg_error err;

	CHECK(fg_write_file_atomic("nope/x.txt", "x", 1, 0, &err) != FG_OK);
	CHECK(strstr(err.msg, "nope/x.txt") != NULL);
}

int main(void)
{
	unit_run("record tree and files", test_tree);
	unit_run("record load errors", test_load_errors);
	unit_run("coreutils sidecars", test_sidecar);
	unit_run("atomic write into a missing folder",
		 test_atomic_folder_missing);
	return unit_done();
}
