/* test_reader.c - the reader against a scripted source with bad and weak
 * sectors, in both ways (passes for random-access sinks, in order for
 * E01): exact fill, exact ranges, readable neighbours never filled, each
 * bad sector read alone exactly 1 + retries times, digests see exactly the
 * in-order prefix, checkpoints only over written data, and an interrupted
 * run resumed from its map (through the mapfile text) ends exactly as an
 * uninterrupted one, whatever read it was interrupted after. */
#include "config.h"

#include <errno.h>
#include <signal.h>

#include <forage/mapfile.h>
#include <forage/pipeline.h>
#include <forage/reader.h>
#include <forage/source.h>

#include "unit.h"

#define MAXS 4096
#define FILL 0xee

/* The scripted source: sector i holds bytes (i*31 + p) & 0xff.
 * bad[i]: -1 always fails; k > 0 fails the first k reads that touch it.
 * weak[i]: k fails every read of more than one sector and the first k
 * reads of it alone (as tests/tools/faultyfs does). */
struct script {
	int bad[MAXS];
	int weak[MAXS];
	int reads[MAXS];  /* reads that touched it */
	int single[MAXS]; /* reads of it alone */
	unsigned nreads;
	unsigned stop_at; /* set *stop after this many reads; 0 never */
	unsigned gone_at; /* ENODEV from this read on; 0 never */
	unsigned eio_at;   /* EIO from this read on (before gone, ended) */
	unsigned ended_at; /* no bytes from this read on; 0 never */
	volatile sig_atomic_t *stop;
	uint64_t big[256]; /* offsets of the multi-sector reads */
	unsigned nbig;
};

static unsigned char byte_at(uint64_t p, uint32_t ss)
{
	return (unsigned char)((p / ss) * 31 + p);
}

static ssize_t script_pread(struct fg_source *src, void *buf, size_t len,
			    uint64_t off)
{
	struct script *s = src->priv;
	uint32_t ss = src->sector_size;
	uint64_t first = off / ss, last = (off + len - 1) / ss, i;
	size_t j, good = len;

	s->nreads++;
	if (s->stop != NULL && s->stop_at != 0 && s->nreads == s->stop_at)
		*s->stop = 1;
	if (s->gone_at != 0 && s->nreads >= s->gone_at) {
		errno = ENODEV;
		return -1;
	}
	if (s->ended_at != 0 && s->nreads >= s->ended_at)
		return 0;
	if (s->eio_at != 0 && s->nreads >= s->eio_at) {
		errno = EIO;
		return -1;
	}
	if (first != last && s->nbig < 256)
		s->big[s->nbig++] = off;
	for (i = first; i <= last; i++) {
		s->reads[i]++;
		if (first == last)
			s->single[i]++;
		if (s->bad[i] == -1 || s->reads[i] <= s->bad[i] ||
		    (s->weak[i] > 0 &&
		     (first != last || s->single[i] <= s->weak[i]))) {
			/* Like the kernel: what came before the bad sector. */
			good = (size_t)(i * ss - off);
			if (i == first)
				good = 0;
			break;
		}
	}
	for (j = 0; j < good; j++)
		((unsigned char *)buf)[j] = byte_at(off + j, ss);
	if (good == 0 && len > 0) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)good;
}

static const struct fg_source_ops script_ops = {
    .kind = "scripted",
    .pread = script_pread,
};

/* The sink: the image, which sectors were written (and how often), and
 * an in-order consumer that checks it sees [0, n) contiguously. */
struct sink {
	unsigned char *img;
	uint64_t size;
	uint32_t ss;
	int written[MAXS];
	uint64_t inorder_next;
	int inorder_broken;
	uint64_t ranges[64][2];
	int nranges;
	/* checkpoint checks */
	int checkpoints, checkpoint_lies, fail_checkpoint_at;
};

static int consume(void *ctx, const struct fg_block *b, struct fg_error *err)
{
	struct sink *k = ctx;
	uint64_t p;

	(void)err;
	memcpy(k->img + b->offset, b->data, b->len);
	for (p = b->offset / k->ss; p * k->ss < b->offset + b->len; p++)
		k->written[p]++;
	return FG_OK;
}

static int consume_in_order(void *ctx, const struct fg_block *b,
			    struct fg_error *err)
{
	struct sink *k = ctx;

	(void)err;
	if (b->out_of_order || b->offset != k->inorder_next)
		k->inorder_broken = 1;
	k->inorder_next = b->offset + b->len;
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

/* Every sector the map calls finished has reached the sink. */
static int on_checkpoint(void *ctx, const struct fg_map *m,
			 struct fg_error *err)
{
	struct sink *k = ctx;
	size_t i;

	k->checkpoints++;
	for (i = 0; i < fg_map_count(m); i++) {
		const struct fg_map_extent *e = fg_map_extent(m, i);
		uint64_t p;
		if (e->status != FG_MAP_FINISHED)
			continue;
		for (p = e->pos / k->ss; p * k->ss < e->pos + e->size; p++)
			if (k->written[p] == 0)
				k->checkpoint_lies++;
	}
	if (k->fail_checkpoint_at != 0 &&
	    k->checkpoints == k->fail_checkpoint_at)
		return fg_error_set(err, FG_ENOSPC, 28,
				    "map.txt: cannot write: disk full");
	return FG_OK;
}

struct run_args {
	uint32_t ss;
	uint64_t nsect;
	size_t tail;	     /* bytes after the whole sectors */
	unsigned block_sect; /* pipeline block, in sectors */
	unsigned retries;
	int in_order;
	struct fg_map *map; /* NULL: the reader's own */
	volatile sig_atomic_t *stop;
	double checkpoint_s;
	int want_rc;
};

static void src_init(struct fg_source *src, struct script *sc,
		     const struct run_args *a)
{
	memset(src, 0, sizeof(*src));
	src->ops = &script_ops;
	src->priv = sc;
	src->path = "scripted";
	src->sector_size = a->ss;
	src->size = src->total_size = a->nsect * a->ss + a->tail;
}

/* One reader run into k (k->img allocated by the caller). */
static int run1(struct script *sc, const struct run_args *a, struct sink *k,
		struct fg_reader_stats *st, struct fg_error *err)
{
	struct fg_source src;
	struct fg_pipe *p = NULL;
	struct fg_consumer c;
	struct fg_reader_opts o;
	int rc, rc2;

	src_init(&src, sc, a);
	k->nranges = 0;
	k->inorder_next = 0;
	k->inorder_broken = 0;
	memset(&o, 0, sizeof(o));
	o.retries = a->retries;
	o.fill_byte = FILL;
	o.in_order = a->in_order;
	o.map = a->map;
	o.stop = a->stop;
	o.on_bad = on_bad;
	o.on_checkpoint = a->checkpoint_s > 0 ? on_checkpoint : NULL;
	o.checkpoint_s = a->checkpoint_s;
	o.ctx = k;
	fg_error_clear(err);
	CHECK(fg_pipe_new(&p, a->block_sect * a->ss, 4, err) == FG_OK);
	memset(&c, 0, sizeof(c));
	c.name = "image";
	c.consume = consume;
	c.ctx = k;
	fg_pipe_add_consumer(p, &c);
	c.name = "in order";
	c.consume = consume_in_order;
	c.in_order_only = 1;
	fg_pipe_add_consumer(p, &c);
	fg_pipe_start(p, err);
	rc = fg_reader_run(&src, p, &o, st, err);
	rc2 = fg_pipe_finish(p, err);
	CHECK_MSG(rc2 == FG_OK, err);
	fg_pipe_free(p);
	return rc;
}

static void sink_init(struct sink *k, const struct run_args *a)
{
	memset(k, 0, sizeof(*k));
	k->ss = a->ss;
	k->size = a->nsect * a->ss + a->tail;
	k->img = calloc(1, k->size + 1);
}

/* Every sector is either the source's bytes or, exactly for the listed
 * ones, fill; and every sector was written exactly once. */
static int image_ok(const struct sink *k, const int *filled)
{
	uint64_t p;

	for (p = 0; p < k->size; p++) {
		unsigned char want =
		    filled[p / k->ss] ? FILL : byte_at(p, k->ss);
		if (k->img[p] != want) {
			fprintf(stderr,
				"byte %llu (LBA %llu): got %02x want "
				"%02x\n",
				(unsigned long long)p,
				(unsigned long long)(p / k->ss), k->img[p],
				want);
			return 0;
		}
		if (p % k->ss == 0 && k->written[p / k->ss] != 1) {
			fprintf(stderr, "LBA %llu written %d times\n",
				(unsigned long long)(p / k->ss),
				k->written[p / k->ss]);
			return 0;
		}
	}
	return 1;
}

static const struct run_args defaults = {512, 100,  0,	  16, 2,
					 0,   NULL, NULL, 0,  FG_OK};

static void check_bad_case(int in_order)
{
	static struct script sc;
	static int filled[MAXS];
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	int i;

	memset(&sc, 0, sizeof(sc));
	memset(filled, 0, sizeof(filled));
	/* LBA 0, the middle of a block, both ends of block 2 (32..47), a
	 * run of three, the last sector. */
	sc.bad[0] = filled[0] = -1;
	sc.bad[7] = filled[7] = -1;
	sc.bad[32] = filled[32] = -1;
	sc.bad[47] = filled[47] = -1;
	sc.bad[60] = sc.bad[61] = sc.bad[62] = -1;
	filled[60] = filled[61] = filled[62] = 1;
	sc.bad[99] = filled[99] = -1;
	a.in_order = in_order;
	sink_init(&k, &a);
	CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
	CHECK(image_ok(&k, filled));
	CHECK(st.sectors_filled == 8);
	CHECK(k.nranges == 6);
	CHECK(k.ranges[0][0] == 0 && k.ranges[0][1] == 1);
	CHECK(k.ranges[1][0] == 7 && k.ranges[1][1] == 1);
	CHECK(k.ranges[2][0] == 32 && k.ranges[2][1] == 1);
	CHECK(k.ranges[3][0] == 47 && k.ranges[3][1] == 1);
	CHECK(k.ranges[4][0] == 60 && k.ranges[4][1] == 3);
	CHECK(k.ranges[5][0] == 99 && k.ranges[5][1] == 1);
	/* Each bad sector read alone 1 + retries times, no more. */
	CHECK(st.retries == 8 * 2);
	for (i = 0; i < 100; i++)
		if (filled[i])
			CHECK(sc.single[i] == 3);
	CHECK(st.bytes == 100 * 512);
	CHECK(st.sectors_read + st.sectors_filled == 100);
	/* The digests saw exactly the in-order prefix, in order. */
	CHECK(!k.inorder_broken);
	CHECK(k.inorder_next == st.in_order);
	if (in_order)
		CHECK(st.in_order == 100 * 512);
	else
		CHECK(st.in_order < 100 * 512);
	free(k.img);
}

static void test_clean(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	int in_order;

	for (in_order = 0; in_order < 2; in_order++) {
		memset(&sc, 0, sizeof(sc));
		a.in_order = in_order;
		sink_init(&k, &a);
		CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
		CHECK(image_ok(&k, filled));
		CHECK(st.sectors_filled == 0 && k.nranges == 0);
		CHECK(st.bytes == 100 * 512);
		/* A healthy source: one pass, all in order, large reads. */
		CHECK(st.in_order == 100 * 512 && !k.inorder_broken);
		CHECK(sc.nreads == 7);
		free(k.img);
	}
}

static void test_bad_passes(void)
{
	check_bad_case(0);
}

static void test_bad_in_order(void)
{
	check_bad_case(1);
}

static void test_weak_sectors(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	int in_order;

	a.ss = 4096;
	a.nsect = 40;
	for (in_order = 0; in_order < 2; in_order++) {
		a.in_order = in_order;
		/* Sector 5 fails its first 3 reads (the block read + 2
		 * more); sector 9 its first 2 reads alone: read with
		 * retries 3, filled with retries 0. */
		memset(&sc, 0, sizeof(sc));
		memset(filled, 0, sizeof(filled));
		sc.bad[5] = 3;
		sc.weak[9] = 2;
		a.retries = 3;
		sink_init(&k, &a);
		CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
		CHECK(image_ok(&k, filled));
		CHECK(st.sectors_filled == 0 && k.nranges == 0);
		CHECK(sc.single[9] == 3);
		free(k.img);

		memset(&sc, 0, sizeof(sc));
		sc.bad[5] = 3;
		sc.weak[9] = 2;
		filled[5] = filled[9] = 1;
		a.retries = 0;
		sink_init(&k, &a);
		CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
		CHECK(image_ok(&k, filled));
		CHECK(st.sectors_filled == 2 && k.nranges == 2);
		CHECK(sc.single[9] == 1);
		free(k.img);
	}
}

static void test_odd_tail(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	int in_order;

	/* 33 sectors + 100 bytes; the partial last sector is bad. */
	a.nsect = 33;
	a.tail = 100;
	a.retries = 1;
	for (in_order = 0; in_order < 2; in_order++) {
		memset(&sc, 0, sizeof(sc));
		memset(filled, 0, sizeof(filled));
		sc.bad[33] = filled[33] = -1;
		a.in_order = in_order;
		sink_init(&k, &a);
		CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
		CHECK(st.bytes == 33 * 512 + 100);
		CHECK(image_ok(&k, filled));
		CHECK(k.nranges == 1 && k.ranges[0][0] == 33 &&
		      k.ranges[0][1] == 1);
		free(k.img);
	}
}

/* Pass 1 does not stall on a bad area: after a failed block it skips
 * ahead, further while errors continue; the skipped blocks are read in
 * pass 2, and the map ends exact. */
static void test_skip_ahead(void)
{
	static struct script sc;
	static int filled[MAXS];
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	struct fg_map *m = NULL;
	int i;

	memset(&sc, 0, sizeof(sc));
	memset(filled, 0, sizeof(filled));
	/* 400 blocks of 4 sectors: the skip may grow to 1% (4 blocks). */
	a.nsect = 1600;
	a.block_sect = 4;
	a.retries = 0;
	for (i = 8; i < 40; i++) /* blocks 2..9 */
		sc.bad[i] = filled[i] = -1;
	CHECK(fg_map_new(&m, 0, a.nsect * 512, &err) == FG_OK);
	a.map = m;
	sink_init(&k, &a);
	CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
	CHECK(image_ok(&k, filled));
	/* Pass 1: blocks 0, 1, 2 (fails), 4 (skip 1, fails), 7 (skip 2,
	 * fails), 12 (skip 4), 13 ...; then pass 2: 3, 5, 6, 8 ... */
	CHECK(sc.nbig > 6);
	CHECK(sc.big[2] == 2 * 4 * 512);
	CHECK(sc.big[3] == 4 * 4 * 512);
	CHECK(sc.big[4] == 7 * 4 * 512);
	CHECK(sc.big[5] == 12 * 4 * 512);
	CHECK(sc.big[6] == 13 * 4 * 512);
	CHECK(k.nranges == 1 && k.ranges[0][0] == 8 && k.ranges[0][1] == 32);
	CHECK(fg_map_count(m) == 3);
	CHECK(fg_map_bytes(m, FG_MAP_BAD) == 32 * 512);
	CHECK(fg_map_bytes(m, FG_MAP_FINISHED) == 1568 * 512);
	{
		uint64_t pos;
		char ph;
		unsigned pass;
		fg_map_current(m, &pos, &ph, &pass);
		CHECK(ph == FG_MAP_FINISHED && pos == a.nsect * 512);
	}
	fg_map_free(m);
	free(k.img);
}

/* Interrupt after every possible read, resume from the map written out
 * and parsed back, until done: the image, the ranges and every sector's
 * reads alone are those of an uninterrupted run. */
static void test_interrupt_resume(void)
{
	static struct script ref, sc;
	static struct sink k0, k;
	struct run_args a = defaults;
	struct fg_reader_stats st;
	struct fg_error err;
	volatile sig_atomic_t stop = 0;
	unsigned total, at, i;
	int bad_setup[][2] = {{0, -1}, {7, -1},	 {20, 2}, {33, -1}, {34, -1},
			      {47, 1}, {63, -1}, {70, 4}, {99, -1}};
	size_t nb = sizeof(bad_setup) / sizeof(bad_setup[0]);

	a.retries = 3;
	memset(&ref, 0, sizeof(ref));
	for (i = 0; i < nb; i++) {
		if (bad_setup[i][1] < 0)
			ref.bad[bad_setup[i][0]] = -1;
		else
			ref.weak[bad_setup[i][0]] = bad_setup[i][1];
	}
	sc = ref;
	sink_init(&k0, &a);
	CHECK_MSG(run1(&ref, &a, &k0, &st, &err) == FG_OK, &err);
	total = ref.nreads;
	CHECK(k0.nranges == 6); /* 0, 7, 33-34, 63, 70, 99 */
	for (at = 1; at < total; at++) {
		struct fg_map *m = NULL;
		int runs = 0, rc, ranges_ok;

		memset(&sc, 0, sizeof(sc));
		for (i = 0; i < nb; i++) {
			if (bad_setup[i][1] < 0)
				sc.bad[bad_setup[i][0]] = -1;
			else
				sc.weak[bad_setup[i][0]] = bad_setup[i][1];
		}
		sink_init(&k, &a);
		CHECK(fg_map_new(&m, 0, a.nsect * 512, &err) == FG_OK);
		sc.stop = &stop;
		sc.stop_at = at;
		do {
			char *text;
			struct fg_map *m2 = NULL;

			stop = 0;
			a.map = m;
			a.stop = &stop;
			rc = run1(&sc, &a, &k, &st, &err);
			/* Through the mapfile text, as --resume does. */
			text = fg_map_format(m, "# test\n");
			CHECK(text != NULL);
			CHECK_MSG(fg_map_parse(&m2, text, strlen(text), "map",
					       &err) == FG_OK,
				  &err);
			free(text);
			fg_map_free(m);
			m = m2;
			sc.stop_at = 0;
			runs++;
		} while (rc == FG_EINTR && runs < 5 && m != NULL);
		CHECK(rc == FG_OK);
		CHECK(runs == 2);
		CHECK(memcmp(k.img, k0.img, k.size) == 0);
		ranges_ok =
		    k.nranges == k0.nranges &&
		    memcmp(k.ranges, k0.ranges,
			   sizeof(k.ranges[0]) * (size_t)k0.nranges) == 0;
		CHECK(ranges_ok);
		for (i = 0; i < a.nsect; i++)
			if (sc.single[i] != ref.single[i] &&
			    (ref.bad[i] || ref.weak[i])) {
				fprintf(stderr,
					"stop at read %u: LBA %u read "
					"alone %d times, want %d\n",
					at, i, sc.single[i], ref.single[i]);
				unit_failures++;
				break;
			}
		if (memcmp(k.img, k0.img, k.size) != 0 || !ranges_ok) {
			fprintf(stderr, "stop at read %u of %u differs\n", at,
				total);
			break;
		}
		fg_map_free(m);
		free(k.img);
		k.img = NULL;
	}
	free(k.img);
	free(k0.img);
}

/* The stop flag is obeyed within one read, also in the middle of the
 * retries of the in-order way, and the block being split is not handed
 * on (nothing reported). */
static void test_stop_in_order(void)
{
	static struct script sc;
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	volatile sig_atomic_t stop = 0;
	unsigned before;

	memset(&sc, 0, sizeof(sc));
	sc.bad[20] = -1;
	a.in_order = 1;
	a.retries = 1000;
	a.stop = &stop;
	sc.stop = &stop;
	sc.stop_at = 40; /* well inside the retries of LBA 20 */
	sink_init(&k, &a);
	CHECK(run1(&sc, &a, &k, &st, &err) == FG_EINTR);
	before = sc.nreads;
	CHECK(before == 40);
	CHECK(k.nranges == 0 && st.sectors_filled == 0);
	CHECK(st.bytes == 16 * 512); /* block 0 only */
	free(k.img);
}

/* Checkpoints come with the pipeline drained: everything the map calls
 * finished is in the sink; a failing checkpoint stops the reader. */
static void test_checkpoints(void)
{
	static struct script sc;
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;

	memset(&sc, 0, sizeof(sc));
	sc.bad[5] = sc.bad[40] = -1;
	a.checkpoint_s = 1e-9;
	sink_init(&k, &a);
	CHECK_MSG(run1(&sc, &a, &k, &st, &err) == FG_OK, &err);
	CHECK(k.checkpoints > 10);
	CHECK(k.checkpoint_lies == 0);
	free(k.img);

	memset(&sc, 0, sizeof(sc));
	sink_init(&k, &a);
	k.fail_checkpoint_at = 3;
	CHECK(run1(&sc, &a, &k, &st, &err) == FG_ENOSPC);
	CHECK(strstr(err.msg, "disk full") != NULL);
	free(k.img);
}

/* A source that goes away is not a drive full of bad sectors. */
static void test_source_gone(void)
{
	static struct script sc;
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	int in_order;

	for (in_order = 0; in_order < 2; in_order++) {
		memset(&sc, 0, sizeof(sc));
		sc.gone_at = 3;
		a.in_order = in_order;
		sink_init(&k, &a);
		CHECK(run1(&sc, &a, &k, &st, &err) == FG_ESOURCE);
		CHECK(strstr(err.msg, "LBA 32 (scripted)") != NULL);
		CHECK(strstr(err.msg, "No such device") != NULL);
		CHECK(strstr(err.msg, "the source was removed or went "
				      "offline") != NULL);
		CHECK(st.sectors_filled == 0 && k.nranges == 0);
		free(k.img);
	}
}

/* An unplugged drive's last reads fail with EIO before it reads as gone
 * or empty: the message names where the bytes not acquired begin, not
 * only the read that found it gone (the QEMU rig's hot-unplugged NVMe
 * drive: "ended at offset 6291456" with nothing read after 4194304). */
static void test_source_gone_after_errors(void)
{
	static struct script sc;
	struct run_args a = defaults;
	struct sink k;
	struct fg_reader_stats st;
	struct fg_error err;
	int ended;

	for (ended = 0; ended < 2; ended++) {
		memset(&sc, 0, sizeof(sc));
		/* reads 1, 2: LBA 0-31; read 3 (LBA 32-47) fails with EIO,
		 * pass 1 skips 16 sectors; read 4 at LBA 64 finds it gone */
		sc.eio_at = 3;
		if (ended)
			sc.ended_at = 4;
		else
			sc.gone_at = 4;
		sink_init(&k, &a);
		CHECK(run1(&sc, &a, &k, &st, &err) == FG_ESOURCE);
		CHECK(strstr(err.msg, ended ? "the source ended at offset "
					      "32768,"
					    : "read error at LBA 64 ") != NULL);
		CHECK(strstr(err.msg, "; nothing from offset 16384 up to "
				      "there was acquired") != NULL);
		CHECK(st.sectors_filled == 0 && k.nranges == 0);
		free(k.img);
	}
	/* Gone at once: nothing to add. */
	memset(&sc, 0, sizeof(sc));
	sc.ended_at = 3;
	sink_init(&k, &a);
	CHECK(run1(&sc, &a, &k, &st, &err) == FG_ESOURCE);
	CHECK(strstr(err.msg, "ended at offset 16384, before its size of "
			      "51200 bytes: was it removed, or did the device "
			      "change?") != NULL);
	CHECK(strstr(err.msg, "nothing from") == NULL);
	free(k.img);
}

int main(void)
{
	unit_run("clean source: one pass, in order", test_clean);
	unit_run("bad sectors, passes: exact fill and ranges", test_bad_passes);
	unit_run("bad sectors, in order: exact fill and ranges",
		 test_bad_in_order);
	unit_run("weak sectors and retries", test_weak_sectors);
	unit_run("odd-sized tail", test_odd_tail);
	unit_run("pass 1 skips ahead over a bad area", test_skip_ahead);
	unit_run("interrupt after every read, resume: same result",
		 test_interrupt_resume);
	unit_run("stop inside the retries (in order)", test_stop_in_order);
	unit_run("checkpoints only over written data", test_checkpoints);
	unit_run("source gone: stop, do not fill", test_source_gone);
	unit_run("source gone after failed reads: where the gap begins",
		 test_source_gone_after_errors);
	return unit_done();
}
