/*
 * unit.h - the smallest test harness that does the job: CHECK() records a
 * failure with file, line and the handle's message, each test runs in a
 * fresh temporary folder, main() returns 0 (all passed), 1 (a failure) or
 * 77 (skipped, with the reason printed) for automake's harness.
 */
#ifndef FORAGE_UNIT_H
#define FORAGE_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int unit_failures;
static int unit_checks;
static char unit_dir[256];

#define CHECK(cond)                                                          \
	do {                                                                 \
		unit_checks++;                                               \
		if (!(cond)) {                                               \
			unit_failures++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__,      \
				__LINE__, #cond);                            \
		}                                                            \
	} while (0)

#define CHECK_MSG(cond, err)                                                 \
	do {                                                                 \
		unit_checks++;                                               \
		if (!(cond)) {                                               \
			unit_failures++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s (%s)\n", __FILE__, \
				__LINE__, #cond, (err)->msg);                \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		unit_checks++;                                               \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {       \
			unit_failures++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s == %s\n  got:  %s\n" \
				"  want: %s\n", __FILE__, __LINE__, #a, #b,   \
				a_ ? a_ : "(null)", b_ ? b_ : "(null)");     \
		}                                                            \
	} while (0)

/* Run fn in a fresh temporary folder (cwd), removed afterwards. */
static __attribute__((unused)) void unit_run(const char *name, void (*fn)(void))
{
	char cmd[600];
	char old[4096];
	int before = unit_failures;

	snprintf(unit_dir, sizeof(unit_dir), "/tmp/forage-unit-XXXXXX");
	if (mkdtemp(unit_dir) == NULL || getcwd(old, sizeof(old)) == NULL ||
	    chdir(unit_dir) != 0) {
		perror("unit: temporary folder");
		exit(99);
	}
	fn();
	if (chdir(old) != 0)
		exit(99);
	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'", unit_dir,
		 unit_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "unit: could not remove %s\n", unit_dir);
	printf("%s %s\n", unit_failures == before ? "ok  " : "FAIL", name);
}

static int unit_done(void)
{
	printf("%d checks, %d failed\n", unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}

/* Byte off of a test medium: varied bytes with whole zero sectors now and
 * then, as on a real disk; compressible: four sectors in five are zero. */
static __attribute__((unused)) unsigned char unit_byte_at(unsigned long long off, int compressible)
{
	unsigned long long x = off / 512 * 2654435761u + off % 512 * 40503u;

	if (compressible ? (off / 512) % 5 != 1 : (off / 512) % 7 == 3)
		return 0;
	return (unsigned char)(x ^ (x >> 11));
}

/* Write len bytes of a repeatable pattern seeded by seed to path. */
static __attribute__((unused)) void unit_write_pattern(const char *path, size_t len, unsigned seed)
{
	FILE *f = fopen(path, "wb");
	size_t i;
	unsigned x = seed * 2654435761u + 1;

	if (f == NULL) {
		perror(path);
		exit(99);
	}
	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		fputc((int)(x >> 16) & 0xff, f);
	}
	fclose(f);
}

#endif
