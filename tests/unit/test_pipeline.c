/* test_pipeline.c - every consumer sees every block in order; a failing
 * consumer stops the producer and its error comes back. */
#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <forage/pipeline.h>

#include "unit.h"

struct seen {
	uint64_t next_off;
	uint64_t sum;
	int fail_at; /* block number to fail at, -1 never */
	int count;
};

static int consume(void *ctx, const struct fg_block *b, struct fg_error *err)
{
	struct seen *s = ctx;
	size_t i;

	if (b->offset != s->next_off)
		return fg_error_set(err, FG_EINVAL, 0, "out of order");
	if (s->count == s->fail_at)
		return fg_error_set(err, FG_ENOSPC, 28,
				    "out/HD1.raw: write error: disk full");
	for (i = 0; i < b->len; i++)
		s->sum += b->data[i];
	s->next_off += b->len;
	s->count++;
	return FG_OK;
}

static void test_all_see_all(void)
{
	struct fg_pipe *p = NULL;
	struct seen s[3];
	struct fg_consumer c;
	struct fg_error err;
	uint64_t want = 0;
	int i, k;

	memset(s, 0, sizeof(s));
	CHECK(fg_pipe_new(&p, 4096, 4, &err) == FG_OK);
	for (i = 0; i < 3; i++) {
		s[i].fail_at = -1;
		c.name = "counter";
		c.consume = consume;
		c.ctx = &s[i];
		CHECK(fg_pipe_add_consumer(p, &c) == FG_OK);
	}
	CHECK(fg_pipe_start(p, &err) == FG_OK);
	for (k = 0; k < 1000; k++) {
		struct fg_block *b = fg_pipe_get(p);
		CHECK(b != NULL);
		if (b == NULL)
			break;
		CHECK(((uintptr_t)b->data % 4096) == 0);
		b->offset = (uint64_t)k * 4096;
		b->len = 4096;
		memset(b->data, k & 0xff, 4096);
		want += (uint64_t)(k & 0xff) * 4096;
		fg_pipe_put(p, b);
	}
	CHECK_MSG(fg_pipe_finish(p, &err) == FG_OK, &err);
	for (i = 0; i < 3; i++) {
		CHECK(s[i].count == 1000);
		CHECK(s[i].sum == want);
	}
	fg_pipe_free(p);
}

static void test_failure(void)
{
	struct fg_pipe *p = NULL;
	struct seen good, bad;
	struct fg_consumer c;
	struct fg_error err;
	int k, got_null = 0;

	memset(&good, 0, sizeof(good));
	memset(&bad, 0, sizeof(bad));
	good.fail_at = -1;
	bad.fail_at = 10;
	CHECK(fg_pipe_new(&p, 4096, 4, &err) == FG_OK);
	c.name = "good";
	c.consume = consume;
	c.ctx = &good;
	fg_pipe_add_consumer(p, &c);
	c.name = "bad";
	c.ctx = &bad;
	fg_pipe_add_consumer(p, &c);
	CHECK(fg_pipe_start(p, &err) == FG_OK);
	for (k = 0; k < 1000; k++) {
		struct fg_block *b = fg_pipe_get(p);
		if (b == NULL) {
			got_null = 1;
			break;
		}
		b->offset = (uint64_t)k * 4096;
		b->len = 4096;
		fg_pipe_put(p, b);
	}
	CHECK(got_null);
	CHECK(fg_pipe_finish(p, &err) == FG_ENOSPC);
	CHECK(strstr(err.msg, "disk full") != NULL);
	fg_pipe_free(p);
}

static void test_no_consumer_and_cancel(void)
{
	struct fg_pipe *p = NULL;
	struct fg_error err;
	int k;

	CHECK(fg_pipe_new(&p, 4096, 2, &err) == FG_OK);
	CHECK(fg_pipe_start(p, &err) == FG_OK);
	for (k = 0; k < 10; k++) {
		struct fg_block *b = fg_pipe_get(p);
		CHECK(b != NULL);
		if (b != NULL)
			fg_pipe_put(p, b);
	}
	fg_pipe_cancel(p);
	CHECK(fg_pipe_get(p) == NULL);
	fg_pipe_free(p);
	CHECK(fg_pipe_new(&p, 0, 2, &err) == FG_EINVAL);
}

/* Blocks marked out of order reach every consumer but the in-order-only
 * ones, which see exactly the in-order blocks, in order. */
struct order_seen {
	uint64_t next;
	int blocks, broken;
};

static int consume_order(void *ctx, const struct fg_block *b,
			 struct fg_error *err)
{
	struct order_seen *s = ctx;

	(void)err;
	if (b->offset != s->next)
		s->broken = 1;
	s->next = b->offset + b->len;
	s->blocks++;
	return FG_OK;
}

static int consume_count(void *ctx, const struct fg_block *b,
			 struct fg_error *err)
{
	int *n = ctx;

	(void)b;
	(void)err;
	(*n)++;
	return FG_OK;
}

static void test_out_of_order(void)
{
	struct fg_pipe *p = NULL;
	struct fg_consumer c;
	struct fg_error err;
	struct order_seen digest;
	int all = 0, k;
	/* media offsets in 4 KiB units, as the failing-drive passes hand
	 * them on: 0 1 [5 6 out of order] 2 3 [4 late, out of order] */
	static const struct {
		int unit, out;
	} seq[] = {{0, 0}, {1, 0}, {5, 1}, {6, 1}, {2, 0}, {3, 0}, {4, 1}};

	memset(&digest, 0, sizeof(digest));
	CHECK(fg_pipe_new(&p, 4096, 2, &err) == FG_OK);
	memset(&c, 0, sizeof(c));
	c.name = "digest";
	c.consume = consume_order;
	c.ctx = &digest;
	c.in_order_only = 1;
	fg_pipe_add_consumer(p, &c);
	c.name = "image";
	c.consume = consume_count;
	c.ctx = &all;
	c.in_order_only = 0;
	fg_pipe_add_consumer(p, &c);
	CHECK(fg_pipe_start(p, &err) == FG_OK);
	for (k = 0; k < 7; k++) {
		struct fg_block *b = fg_pipe_get(p);
		CHECK(b != NULL && b->out_of_order == 0);
		if (b == NULL)
			break;
		b->offset = (uint64_t)seq[k].unit * 4096;
		b->len = 4096;
		b->out_of_order = seq[k].out;
		fg_pipe_put(p, b);
	}
	CHECK_MSG(fg_pipe_finish(p, &err) == FG_OK, &err);
	CHECK(all == 7);
	CHECK(digest.blocks == 4 && !digest.broken && digest.next == 4 * 4096);
	fg_pipe_free(p);
}

/* After fg_pipe_drain every block put so far has been consumed (a
 * checkpoint may say it is written); a failure comes back from drain. */
static int consume_slow(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	int *n = ctx;

	(void)b;
	usleep(200);
	if (*n == 30)
		return fg_error_set(err, FG_ENOSPC, 28, "out/HD1.raw: full");
	(*n)++;
	return FG_OK;
}

static void test_drain(void)
{
	struct fg_pipe *p = NULL;
	struct fg_consumer c;
	struct fg_error err;
	int done = 0, k, put = 0, rc = FG_OK;

	CHECK(fg_pipe_new(&p, 4096, 8, &err) == FG_OK);
	memset(&c, 0, sizeof(c));
	c.name = "slow";
	c.consume = consume_slow;
	c.ctx = &done;
	fg_pipe_add_consumer(p, &c);
	CHECK(fg_pipe_start(p, &err) == FG_OK);
	for (k = 0; k < 40 && rc == FG_OK; k++) {
		struct fg_block *b = fg_pipe_get(p);
		if (b == NULL)
			break;
		b->offset = (uint64_t)k * 4096;
		b->len = 4096;
		fg_pipe_put(p, b);
		put++;
		if (k % 7 == 6) {
			rc = fg_pipe_drain(p, &err);
			if (rc == FG_OK)
				CHECK(done == put);
		}
	}
	CHECK(rc == FG_ENOSPC);
	CHECK(strstr(err.msg, "full") != NULL);
	CHECK(done == 30);
	fg_pipe_free(p);
}

/* The nice value of the consumer's thread, as it consumes. */
static int consume_nice(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	int *nice = ctx;

	(void)b;
	(void)err;
	errno = 0;
	*nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	return errno == 0 ? FG_OK : FG_EINVAL;
}

/* With a critical consumer (the MD5 stream), the others give way to it
 * (nice +10 on their own threads); without one, nobody does. */
static void test_critical(void)
{
	int round;

	for (round = 0; round < 2; round++) {
		struct fg_pipe *p = NULL;
		struct fg_consumer c;
		struct fg_block *b;
		struct fg_error err;
		int nice[3] = {-100, -100, -100}, base, i;

		errno = 0;
		base = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
		CHECK(errno == 0);
		CHECK(fg_pipe_new(&p, 4096, 2, &err) == FG_OK);
		for (i = 0; i < 3; i++) {
			memset(&c, 0, sizeof(c));
			c.name = "nice";
			c.consume = consume_nice;
			c.ctx = &nice[i];
			c.critical = round == 0 && i == 1;
			fg_pipe_add_consumer(p, &c);
		}
		CHECK(fg_pipe_start(p, &err) == FG_OK);
		b = fg_pipe_get(p);
		CHECK(b != NULL);
		if (b != NULL) {
			b->len = 1;
			fg_pipe_put(p, b);
		}
		CHECK_MSG(fg_pipe_finish(p, &err) == FG_OK, &err);
		fg_pipe_free(p);
		if (round == 0) {
			int low = base + 10 > 19 ? 19 : base + 10;
			CHECK(nice[1] == base);
			CHECK(nice[0] == low && nice[2] == low);
		} else {
			CHECK(nice[0] == base && nice[1] == base &&
			      nice[2] == base);
		}
	}
}

/* Pipeline depth: 8 slots up to 4 MiB blocks, then within 32 MiB, at
 * least 3. */
static void test_depth_for(void)
{
	CHECK(fg_pipe_depth_for(4096) == 8);
	CHECK(fg_pipe_depth_for(1 << 20) == 8);
	CHECK(fg_pipe_depth_for(4 << 20) == 8);
	CHECK(fg_pipe_depth_for(8 << 20) == 4);
	CHECK(fg_pipe_depth_for(16 << 20) == 3);
	CHECK(fg_pipe_depth_for(64 << 20) == 3);
	CHECK(fg_pipe_depth_for(0) == 8);
}

int main(void)
{
	unit_run("depth for a block size", test_depth_for);
	unit_run("a critical consumer: the others give way",
		 test_critical);
	unit_run("out-of-order blocks skip in-order-only consumers",
		 test_out_of_order);
	unit_run("drain: all consumed, or the failure", test_drain);
	unit_run("all consumers see all blocks", test_all_see_all);
	unit_run("a failing consumer stops the producer", test_failure);
	unit_run("no consumers; cancel", test_no_consumer_and_cancel);
	return unit_done();
}
