/* test_reader.c - the reader against a scripted source with bad and weak
 * sectors: exact fill, exact ranges, readable neighbours never filled. */
#include "config.h"

#include <errno.h>

#include <forage/pipeline.h>
#include <forage/reader.h>
#include <forage/source.h>

#include "unit.h"

#define MAXS 4096

/* The scripted source: sector i holds bytes (i*31 + j) & 0xff; bad[i] = -1
 * always fails, k > 0 fails the first k reads that touch it. */
struct script {
	int bad[MAXS];
	int reads[MAXS];
};

static ssize_t script_pread(struct fg_source *src, void *buf, size_t len,
			    uint64_t off)
{
	struct script *s = src->priv;
	uint64_t first = off / src->sector_size;
	uint64_t last = (off + len - 1) / src->sector_size;
	uint64_t i;
	size_t j;

	for (i = first; i <= last; i++) {
		s->reads[i]++;
		if (s->bad[i] == -1 || s->reads[i] <= s->bad[i]) {
			errno = EIO;
			/* Like the kernel: what came before the bad sector. */
			if (i > first)
				goto partial;
			return -1;
		}
	}
	for (j = 0; j < len; j++) {
		uint64_t p = off + j;
		((unsigned char *)buf)[j] =
			(unsigned char)((p / src->sector_size) * 31 + p);
	}
	return (ssize_t)len;
partial:
	for (j = 0; j < (i - first) * src->sector_size - off % src->sector_size;
	     j++) {
		uint64_t p = off + j;
		((unsigned char *)buf)[j] =
			(unsigned char)((p / src->sector_size) * 31 + p);
	}
	return (ssize_t)j;
}

static const struct fg_source_ops script_ops = {
	.kind = "scripted",
	.pread = script_pread,
};

struct sink {
	unsigned char *img;
	uint64_t ranges[64][2];
	int nranges;
};

static int consume(void *ctx, const struct fg_block *b, struct fg_error *err)
{
	struct sink *k = ctx;

	(void)err;
	memcpy(k->img + b->offset, b->data, b->len);
	return FG_OK;
}

static void on_bad(void *ctx, uint64_t lba, uint64_t count)
{
	struct sink *k = ctx;

	if (k->nranges < 64) {
		k->ranges[k->nranges][0] = lba;
		k->ranges[k->nranges][1] = count;
		k->nranges++;
	}
}

/* Acquire nsect sectors of ss bytes (+ tail bytes), return stats. */
static void run(struct script *sc, uint32_t ss, uint64_t nsect, size_t tail,
		unsigned retries, struct sink *k, struct fg_reader_stats *st)
{
	struct fg_source src;
	struct fg_pipe *p = NULL;
	struct fg_consumer c = {"image", consume, k};
	struct fg_reader_opts o;
	struct fg_error err;

	memset(&src, 0, sizeof(src));
	src.ops = &script_ops;
	src.priv = sc;
	src.path = "scripted";
	src.sector_size = ss;
	src.size = src.total_size = nsect * ss + tail;
	k->img = calloc(1, src.size + 1);
	k->nranges = 0;
	memset(&o, 0, sizeof(o));
	o.retries = retries;
	o.fill_byte = 0xee;
	o.on_bad = on_bad;
	o.ctx = k;
	CHECK(fg_pipe_new(&p, 16 * ss, 4, &err) == FG_OK);
	fg_pipe_add_consumer(p, &c);
	fg_pipe_start(p, &err);
	CHECK_MSG(fg_reader_run(&src, p, &o, st, &err) == FG_OK, &err);
	CHECK_MSG(fg_pipe_finish(p, &err) == FG_OK, &err);
	fg_pipe_free(p);
}

/* Every sector is either the source's bytes or, exactly for the listed
 * ones, fill. */
static int image_ok(const struct sink *k, uint32_t ss, uint64_t size,
		    const int *filled)
{
	uint64_t p;

	for (p = 0; p < size; p++) {
		unsigned char want = filled[p / ss]
					     ? 0xee
					     : (unsigned char)((p / ss) * 31 + p);
		if (k->img[p] != want) {
			fprintf(stderr, "byte %llu: got %02x want %02x\n",
				(unsigned long long)p, k->img[p], want);
			return 0;
		}
	}
	return 1;
}

static void test_clean(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct sink k;
	struct fg_reader_stats st;

	memset(&sc, 0, sizeof(sc));
	run(&sc, 512, 100, 0, 3, &k, &st);
	CHECK(image_ok(&k, 512, 100 * 512, filled));
	CHECK(st.sectors_filled == 0 && k.nranges == 0);
	CHECK(st.bytes == 100 * 512);
	free(k.img);
}

static void test_bad_sectors(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct sink k;
	struct fg_reader_stats st;

	memset(&sc, 0, sizeof(sc));
	memset(filled, 0, sizeof(filled));
	/* LBA 0, the middle of a block, both ends of block 2 (16..31), a
	 * run of three, the last sector. */
	sc.bad[0] = filled[0] = -1;
	sc.bad[7] = filled[7] = -1;
	sc.bad[32] = filled[32] = -1;
	sc.bad[47] = filled[47] = -1;
	sc.bad[60] = sc.bad[61] = sc.bad[62] = -1;
	filled[60] = filled[61] = filled[62] = 1;
	sc.bad[99] = filled[99] = -1;
	run(&sc, 512, 100, 0, 2, &k, &st);
	CHECK(image_ok(&k, 512, 100 * 512, filled));
	CHECK(st.sectors_filled == 8);
	CHECK(k.nranges == 6);
	CHECK(k.ranges[0][0] == 0 && k.ranges[0][1] == 1);
	CHECK(k.ranges[1][0] == 7 && k.ranges[1][1] == 1);
	CHECK(k.ranges[2][0] == 32 && k.ranges[2][1] == 1);
	CHECK(k.ranges[3][0] == 47 && k.ranges[3][1] == 1);
	CHECK(k.ranges[4][0] == 60 && k.ranges[4][1] == 3);
	CHECK(k.ranges[5][0] == 99 && k.ranges[5][1] == 1);
	/* Each bad sector was tried 1 + retries times in the split. */
	CHECK(st.retries == 8 * 2);
	free(k.img);
}

static void test_weak_sectors(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct sink k;
	struct fg_reader_stats st;

	/* Sector 5 fails its first 3 reads (the block read + 2 more): read
	 * on the 3rd retry with retries 3, filled with retries 0. */
	memset(&sc, 0, sizeof(sc));
	memset(filled, 0, sizeof(filled));
	sc.bad[5] = 3;
	run(&sc, 4096, 40, 0, 3, &k, &st);
	CHECK(image_ok(&k, 4096, 40 * 4096, filled));
	CHECK(st.sectors_filled == 0 && k.nranges == 0);
	free(k.img);

	memset(&sc, 0, sizeof(sc));
	sc.bad[5] = 3;
	filled[5] = 1;
	run(&sc, 4096, 40, 0, 0, &k, &st);
	CHECK(image_ok(&k, 4096, 40 * 4096, filled));
	CHECK(st.sectors_filled == 1 && k.nranges == 1);
	free(k.img);
}

static void test_odd_tail(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct sink k;
	struct fg_reader_stats st;

	/* 33 sectors + 100 bytes; the partial last sector is bad. */
	memset(&sc, 0, sizeof(sc));
	memset(filled, 0, sizeof(filled));
	sc.bad[33] = filled[33] = -1;
	run(&sc, 512, 33, 100, 1, &k, &st);
	CHECK(st.bytes == 33 * 512 + 100);
	CHECK(image_ok(&k, 512, 33 * 512 + 100, filled));
	CHECK(k.nranges == 1 && k.ranges[0][0] == 33);
	free(k.img);
}

int main(void)
{
	unit_run("clean source", test_clean);
	unit_run("bad sectors: exact fill and ranges", test_bad_sectors);
	unit_run("weak sectors and retries", test_weak_sectors);
	unit_run("odd-sized tail", test_odd_tail);
	return unit_done();
}
