// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of the xen-netback transmit credit core.
 *
 * drivers/net/xen-netback/credit.h is compiled unchanged against the stub
 * headers in ./linux; every case below is one function in the table at the
 * end.  A failed check prints its expression and values; the last line is
 * "N passed, N failed" and the exit status is non-zero on any failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../../drivers/net/xen-netback/credit.h"

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_SEC	1000000000ULL
#define B		XENVIF_CREDIT_BYTES
#define P		XENVIF_CREDIT_PACKETS

static int failures;	/* failed checks of the running case */

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("  %s:%d: CHECK(%s) failed\n",			\
		       __FILE__, __LINE__, #cond);			\
		failures++;						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		printf("  %s:%d: %s == %s: %lld != %lld\n",		\
		       __FILE__, __LINE__, #a, #b, __a, __b);		\
		failures++;						\
	}								\
} while (0)

#define CHECK_ULL_EQ(a, b) do {						\
	unsigned long long __a = (a), __b = (b);			\
	if (__a != __b) {						\
		printf("  %s:%d: %s == %s: %llu != %llu\n",		\
		       __FILE__, __LINE__, #a, #b, __a, __b);		\
		failures++;						\
	}								\
} while (0)

/* |got - want| <= tol * want */
#define CHECK_NEAR(got, want, tol) do {					\
	double __g = (double)(got), __w = (double)(want);		\
	double __e = __w ? (__g - __w) / __w : __g;			\
	if (__e > (tol) || __e < -(tol)) {				\
		printf("  %s:%d: %s ~ %s (tol %g): %.1f vs %.1f, "	\
		       "error %.5f%%\n", __FILE__, __LINE__, #got,	\
		       #want, (double)(tol), __g, __w, __e * 100);	\
		failures++;						\
	}								\
} while (0)

/* Byte and packet limits; a zero amount leaves that type off. */
static void setup(struct xenvif_credit_cfg *cfg, u64 bytes, u64 bytes_usec,
		  u64 pkts, u64 pkts_usec, u64 pkts_burst)
{
	xenvif_credit_cfg_off(&cfg[B], XENVIF_CREDIT_OFF);
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_OFF);
	if (bytes)
		CHECK_EQ(xenvif_credit_cfg_init(&cfg[B], bytes, bytes_usec,
			 max_t(u64, bytes, XENVIF_CREDIT_BYTES_MIN_BURST)), 0);
	if (pkts)
		CHECK_EQ(xenvif_credit_cfg_init(&cfg[P], pkts, pkts_usec,
						pkts_burst ?: pkts), 0);
}

struct flood {
	u64 bytes;	/* admitted */
	u64 pkts;
	u64 refused;
	u64 first;	/* ns of the first admission */
	u64 last;	/* ns of the last admission */
};

/*
 * A single queue floods with @size-byte packets for @duration ns: a
 * refused packet waits the time admit() tells it, an admitted one is
 * followed at once by the next (now moves per batch of 64, as NAPI).
 * The rate is measured from the first to the last admission: the flood
 * empties the bucket at that instant, so what went is the first burst
 * plus the rate times the elapsed time, less at most one packet.
 */
static struct flood flood_one(const struct xenvif_credit_cfg *cfg,
			      u64 size, u64 duration)
{
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	struct flood f = { 0 };
	u64 now = 1000, end = now + duration, wait;
	const u64 units[XENVIF_CREDIT_NR] = { size, 1 };
	int batch = 0;

	xenvif_credit_reset(&c[B], &cfg[B], now);
	xenvif_credit_reset(&c[P], &cfg[P], now);
	while (now < end) {
		if (xenvif_credit_admit(c, cfg, now, units, &wait)) {
			if (!f.pkts)
				f.first = now;
			f.last = now;
			f.bytes += size;
			f.pkts++;
			if (++batch == 64) {
				batch = 0;
				now += 100;	/* the next poll */
			}
			continue;
		}
		f.refused++;
		if (wait == 0 || wait == U64_MAX) {
			printf("  refused with wait %llu\n",
			       (unsigned long long)wait);
			failures++;
			break;
		}
		now += wait;
		batch = 0;
	}
	return f;
}

/* Units per ns of @cfg times the elapsed time of @f */
static double expect(const struct xenvif_credit_cfg *cfg,
		     const struct flood *f)
{
	return (double)cfg->amount * (f->last - f->first) /
	       ((double)cfg->usec * NSEC_PER_USEC);
}

/* Long-term byte rate within 0.1% for one interval. */
static void rate_case(u64 usec, u64 bytes, u64 size, u64 intervals)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	u64 duration = usec * NSEC_PER_USEC * intervals;
	struct flood f;

	setup(cfg, bytes, usec, 0, 0, 0);
	f = flood_one(cfg, size, duration);
	CHECK(f.refused > 0);
	CHECK(f.last - f.first > duration / 2);
	/* What the full bucket let go at once is not part of the rate. */
	CHECK_NEAR(f.bytes - max_t(u64, bytes, XENVIF_CREDIT_BYTES_MIN_BURST),
		   expect(&cfg[B], &f), 0.001);
}

static void test_rate_100us(void)
{
	/* 1.25 GB/s (10 Gbit/s) in 100 us windows: stock netback can't. */
	rate_case(100, 125000, 1514, 20000);
}

static void test_rate_1ms(void)
{
	rate_case(1000, 125000, 1514, 5000);
}

static void test_rate_50ms(void)
{
	/* xl's default interval; 60-byte frames */
	rate_case(50000, 625000, 60, 400);
}

static void test_rate_10s(void)
{
	rate_case(10 * 1000 * 1000, 10 * 1000 * 1000, 1514, 200);
}

/* An odd rate that is no multiple of anything, 100 us windows. */
static void test_rate_odd(void)
{
	rate_case(100, 7919, 60, 200000);
}

/* Packet credit: long-term packet rate within 0.1% for every interval. */
static void test_rate_packets(void)
{
	static const u64 usecs[] = { 100, 1000, 50000, 10 * 1000 * 1000 };
	unsigned int i;

	for (i = 0; i < sizeof(usecs) / sizeof(usecs[0]); i++) {
		struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
		u64 pkts = 1000, intervals = usecs[i] >= 1000000 ? 100 : 2000;
		struct flood f;

		setup(cfg, 0, 0, pkts, usecs[i], 0);
		f = flood_one(cfg, 60, usecs[i] * NSEC_PER_USEC * intervals);
		CHECK_NEAR(f.pkts - pkts, expect(&cfg[P], &f), 0.001);
	}
}

/* A fresh bucket lets exactly one burst go at once, then nothing. */
static void test_burst(void)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	const u64 units[XENVIF_CREDIT_NR] = { 1000, 1 };
	u64 wait, n = 0;

	/* bytes: 1 MB per second, bucket 1 MB: 1000 packets of 1000 */
	setup(cfg, 1000000, 1000000, 0, 0, 0);
	xenvif_credit_reset(&c[B], &cfg[B], 0);
	xenvif_credit_reset(&c[P], &cfg[P], 0);
	while (n < 5000 && xenvif_credit_admit(c, cfg, 0, units, &wait))
		n++;
	CHECK_EQ(n, 1000);
	/* a quarter of the bucket: 250 ms */
	CHECK_ULL_EQ(wait, 250 * 1000 * 1000);

	/* packets: 10 per ms with a burst of 64 */
	setup(cfg, 0, 0, 10, 1000, 64);
	xenvif_credit_reset(&c[B], &cfg[B], 0);
	xenvif_credit_reset(&c[P], &cfg[P], 0);
	for (n = 0; n < 1000 && xenvif_credit_admit(c, cfg, 0, units, &wait);)
		n++;
	CHECK_EQ(n, 64);
	/* 16 packets of 100 us */
	CHECK_ULL_EQ(wait, 1600 * 1000);
	/* after 1 ms exactly 10 more, then refused */
	for (n = 0; n < 1000 && xenvif_credit_admit(c, cfg, 1000000, units,
						    &wait);)
		n++;
	CHECK_EQ(n, 10);

	/* the byte bucket never holds less than 128 KiB */
	setup(cfg, 1000, 1000, 0, 0, 0);
	CHECK_EQ(cfg[B].size, (s64)XENVIF_CREDIT_BYTES_MIN_BURST * cfg[B].unit);
}

/* A packet larger than the bucket goes when it is full and leaves debt. */
static void test_oversize(void)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 big[XENVIF_CREDIT_NR] = { 200000, 1 }, small[XENVIF_CREDIT_NR] = {
		60, 1 };
	u64 wait;

	/* 131072 B per 1 ms: the bucket is 131072 B */
	setup(cfg, 131072, 1000, 0, 0, 0);
	xenvif_credit_reset(&c[B], &cfg[B], 0);
	CHECK(xenvif_credit_admit(c, cfg, 0, big, &wait));
	CHECK(c[B].credit < 0);
	CHECK_EQ(c[B].credit, (131072LL - 200000) * (s64)cfg[B].unit);
	CHECK(!xenvif_credit_admit(c, cfg, 0, small, &wait));
	/* debt 68928 B + a quarter bucket 32768 B at 131.072 B/us */
	CHECK_NEAR(wait, (68928.0 + 32768) * 1000000 / 131072, 0.0001);
	CHECK(xenvif_credit_admit(c, cfg, wait, small, &wait));
}

/* Both credits: the tighter one holds; a refusal charges neither. */
static void test_both(void)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	const u64 units[XENVIF_CREDIT_NR] = { 1000, 1 };
	struct flood f;
	s64 bytes_before;
	u64 wait;

	/* 10 MB/s and 100 pkt/ms: 60-byte packets are held by the count */
	setup(cfg, 10000000, 1000000, 100, 1000, 0);
	f = flood_one(cfg, 60, 10 * NSEC_PER_SEC);
	CHECK_NEAR(f.pkts - 100, expect(&cfg[P], &f), 0.001);
	CHECK(f.bytes < expect(&cfg[B], &f));
	/* and 1500-byte packets by the bytes */
	f = flood_one(cfg, 1500, 10 * NSEC_PER_SEC);
	CHECK_NEAR(f.bytes - 10000000, expect(&cfg[B], &f), 0.001);
	CHECK(f.pkts < expect(&cfg[P], &f));

	/* packets run out first: the byte bucket is not charged */
	xenvif_credit_reset(&c[B], &cfg[B], 0);
	xenvif_credit_reset(&c[P], &cfg[P], 0);
	while (xenvif_credit_admit(c, cfg, 0, units, &wait))
		;
	bytes_before = c[B].credit;
	CHECK_EQ(bytes_before, cfg[B].size - 100 * 1000 * (s64)cfg[B].unit);
	CHECK(!xenvif_credit_admit(c, cfg, 0, units, &wait));
	CHECK_EQ(c[B].credit, bytes_before);
	/* wait is the packet credit's: a quarter of 100 packets = 250 us */
	CHECK_ULL_EQ(wait, 250 * 1000);

	/* a closed credit lets nothing go and never wakes */
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_CLOSED);
	CHECK(!xenvif_credit_admit(c, cfg, NSEC_PER_SEC, units, &wait));
	CHECK_ULL_EQ(wait, U64_MAX);
	CHECK_EQ(c[B].credit, bytes_before);

	/* no limit at all: everything goes, nothing is touched */
	xenvif_credit_cfg_off(&cfg[B], XENVIF_CREDIT_OFF);
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_OFF);
	CHECK(xenvif_credit_admit(c, cfg, 0, units, &wait));
	CHECK_ULL_EQ(wait, 0);
	CHECK_EQ(c[B].credit, bytes_before);
}

/*
 * GSO: the driver admits the packet at a cost of one, then charges the
 * other segs - 1 as debt with xenvif_credit_spend(); the long-term rate
 * counts segments.
 */
static void test_gso_debt(void)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	const u64 units[XENVIF_CREDIT_NR] = { 64000, 1 };
	const u64 segs = 44;
	u64 now = 0, end = 10 * NSEC_PER_SEC, wait, admitted = 0;

	/* 1000 pkt/ms (1 Mpps), burst 1000; no byte limit */
	setup(cfg, 0, 0, 1000, 1000, 0);
	xenvif_credit_reset(&c[P], &cfg[P], now);
	CHECK(xenvif_credit_admit(c, cfg, now, units, &wait));
	xenvif_credit_spend(&c[P], xenvif_credit_cost(&cfg[P], segs - 1));
	CHECK_EQ(c[P].credit, cfg[P].size - (s64)segs * (s64)cfg[P].unit);

	/* the debt is paid before anything else goes */
	setup(cfg, 0, 0, 10, 1000, 10);
	xenvif_credit_reset(&c[P], &cfg[P], now);
	CHECK(xenvif_credit_admit(c, cfg, now, units, &wait));
	xenvif_credit_spend(&c[P], xenvif_credit_cost(&cfg[P], segs - 1));
	CHECK(c[P].credit < 0);
	CHECK(!xenvif_credit_admit(c, cfg, now, units, &wait));
	/* 34 packets of debt + a quarter bucket (2.5) at 10 per ms */
	CHECK_NEAR(wait, 36.5 * 100 * 1000, 0.0001);
	CHECK(!xenvif_credit_admit(c, cfg, now + 3400 * 1000 - 1, units,
				   &wait));
	CHECK(xenvif_credit_admit(c, cfg, now + 3500 * 1000, units, &wait));

	/* long-term: segments per second match the packet rate */
	setup(cfg, 0, 0, 1000, 1000, 0);
	xenvif_credit_reset(&c[P], &cfg[P], now);
	while (now < end) {
		if (xenvif_credit_admit(c, cfg, now, units, &wait)) {
			xenvif_credit_spend(&c[P],
					    xenvif_credit_cost(&cfg[P],
							       segs - 1));
			admitted++;
			continue;
		}
		CHECK(wait > 0 && wait != U64_MAX);
		if (!wait || wait == U64_MAX)
			break;
		now += wait;
	}
	/* 10 s at 1 Mpps = 1e7 segments, plus the first burst of 1000 */
	CHECK_NEAR(admitted * segs, 10000000.0 + 1000, 0.001);
	/* debt is bounded: it never wraps */
	xenvif_credit_spend(&c[P], XENVIF_CREDIT_MAX);
	xenvif_credit_spend(&c[P], XENVIF_CREDIT_MAX);
	CHECK_EQ(c[P].credit, -XENVIF_CREDIT_MAX);
}

/*
 * @nq queues share one limit: each admits from its stash, and takes the
 * pool only when the stash runs short, as xenvif_tx_credit() does.  Every
 * queue floods (one packet per 50 ns when it may send); the queue that is
 * due first goes.  The interface as a whole must get the configured rate.
 *
 * How the rate is split between the queues is printed, not checked:
 * credit.h promises no fairness, and under this flood it shows none when
 * the bucket is small (see the report of the bench).
 */
static void share_case(unsigned int nq, u64 size)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit pool[XENVIF_CREDIT_NR];
	struct xenvif_credit local[4][XENVIF_CREDIT_NR];
	struct xenvif_credit_allow allow[4];
	u64 t[4], pkts[4] = { 0 }, pool_calls = 0, refused = 0, total = 0;
	const u64 units[XENVIF_CREDIT_NR] = { size, 1 };
	const u64 end = 10 * NSEC_PER_SEC;
	struct flood f = { 0 };
	double takes = 0;
	unsigned int q, i;
	int bind;

	/* 100 MB/s in 1 ms windows and 500 kpkt/s */
	setup(cfg, 100000, 1000, 500, 1000, 0);
	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		xenvif_credit_reset(&pool[i], &cfg[i], 0);
	for (q = 0; q < nq; q++) {
		memset(local[q], 0, sizeof(local[q]));
		xenvif_credit_open(&allow[q], local[q], cfg, 0, U64_MAX);
		t[q] = q;	/* staggered */
	}
	for (;;) {
		u64 wait = 0;
		bool ok;

		for (q = 0, i = 1; i < nq; i++)
			if (t[i] < t[q])
				q = i;
		if (t[q] >= end)
			break;
		/*
		 * As netback: the allowance (its packets bound the queue's
		 * count, its bytes each request), else settle it and ask the
		 * pool, which charges the bytes; the packet is counted here.
		 */
		ok = pkts[q] < xenvif_credit_bound(&allow[q]) &&
		     xenvif_credit_try(&allow[q], units[0]);
		if (!ok) {
			pool_calls++;
			xenvif_credit_close(&allow[q], local[q], cfg, pkts[q]);
			ok = xenvif_credit_admit_pool(local[q], pool, cfg,
						      t[q], units, &wait);
			if (ok)
				xenvif_credit_uncharge_packet(local[q], cfg);
			xenvif_credit_open(&allow[q], local[q], cfg, pkts[q],
					   U64_MAX);
		}
		if (ok) {
			if (!total)
				f.first = t[q];
			f.last = t[q];
			pkts[q]++;
			total++;
			t[q] += 50;	/* 20 Mpps per queue offered */
			continue;
		}
		refused++;
		CHECK(wait > 0 && wait != U64_MAX);
		if (!wait || wait == U64_MAX)
			return;
		t[q] += wait;
	}
	/* The interface, not each queue, gets the rate; it starts full. */
	bind = size * 500 < 100000 ? P : B;
	f.pkts = total;
	f.bytes = total * size;
	if (bind == P)
		CHECK_NEAR(f.pkts - 500, expect(&cfg[P], &f), 0.001);
	else
		CHECK_NEAR(f.bytes - XENVIF_CREDIT_BYTES_MIN_BURST,
			   expect(&cfg[B], &f), 0.001);
	/*
	 * The lock: once per wake-up (each refusal is followed by one) plus
	 * once per eighth of a bucket of either type.
	 */
	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		takes += (double)total * units[i] * cfg[i].unit /
			 (cfg[i].size >> 3);
	CHECK(pool_calls <= 2 * refused + takes + nq);
	/* no stash holds more than an eighth of a bucket and a packet */
	for (q = 0; q < nq; q++)
		xenvif_credit_close(&allow[q], local[q], cfg, pkts[q]);
	for (q = 0; q < nq; q++)
		for (i = 0; i < XENVIF_CREDIT_NR; i++)
			CHECK(local[q][i].credit <=
			      (cfg[i].size >> 3) + xenvif_credit_cost(&cfg[i],
								    units[i]));
	printf("  info: %u queues, %llu-byte packets (%s bind): %llu pool "
	       "calls, %llu refusals for %llu packets; share", nq,
	       (unsigned long long)size, bind == P ? "packets" : "bytes",
	       (unsigned long long)pool_calls, (unsigned long long)refused,
	       (unsigned long long)total);
	for (q = 0; q < nq; q++)
		printf(" %.1f%%", 100.0 * pkts[q] / total);
	printf("\n");
}

static void test_share_2(void)
{
	share_case(2, 60);	/* packet credit binds */
	share_case(2, 1500);	/* byte credit binds */
}

static void test_share_4(void)
{
	share_case(4, 60);
	share_case(4, 1500);
}

/* The fast path on a stash: an allowance opened on it. */
static bool try_on(const struct xenvif_credit *c,
		   const struct xenvif_credit_cfg *cfg, u64 size)
{
	struct xenvif_credit_allow a;

	xenvif_credit_open(&a, c, cfg, 0, 1);
	return xenvif_credit_bound(&a) > 0 && xenvif_credit_try(&a, size);
}

/* One queue gives its stash back to the pool when it has to wait. */
static void test_share_giveback(void)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit pool[XENVIF_CREDIT_NR];
	struct xenvif_credit local[XENVIF_CREDIT_NR] = { { 0 } };
	const u64 units[XENVIF_CREDIT_NR] = { 60, 1 };
	u64 wait;

	setup(cfg, 0, 0, 80, 1000, 0);	/* 80 pkts per ms, bucket 80 */
	xenvif_credit_reset(&pool[P], &cfg[P], 0);
	/* a stash takes an eighth: 10 packets */
	CHECK(!try_on(local, cfg, units[0]));
	CHECK(xenvif_credit_admit_pool(local, pool, cfg, 0, units, &wait));
	CHECK_EQ(local[P].credit, 9 * (s64)cfg[P].unit);
	CHECK_EQ(pool[P].credit, 70 * (s64)cfg[P].unit);
	/* drain the pool through another stash */
	pool[P].credit = 0;
	local[P].credit = (s64)cfg[P].unit / 2;
	CHECK(!try_on(local, cfg, units[0]));
	CHECK(!xenvif_credit_admit_pool(local, pool, cfg, 0, units, &wait));
	CHECK_EQ(local[P].credit, 0);
	CHECK_EQ(pool[P].credit, (s64)cfg[P].unit / 2);
	/* wait for a quarter bucket (20 packets of 12.5 us) less the half */
	CHECK_NEAR(wait, 19.5 * 12500, 0.0001);
}

struct parse_case {
	const char *s;
	bool packets;	/* "rate-packets" (BURST allowed) */
	int err;
	u64 amount, usec, burst;
};

static const struct parse_case parse_cases[] = {
	{ "10000,50000", false, 0, 10000, 50000, 131072 },
	{ "1000000,50000", false, 0, 1000000, 50000, 1000000 },
	{ "1,1", false, 0, 1, 1, 131072 },
	{ "18446744073709551615,4294967295", false, 0, U64_MAX, 4294967295ULL,
	  U64_MAX },
	{ "100,1000", true, 0, 100, 1000, 100 },
	{ "100,1000,7", true, 0, 100, 1000, 7 },
	{ "00100,01000,0007", true, 0, 100, 1000, 7 },
	{ "", false, -EINVAL, 0, 0, 0 },
	{ ",", false, -EINVAL, 0, 0, 0 },
	{ "1", false, -EINVAL, 0, 0, 0 },
	{ "1,", false, -EINVAL, 0, 0, 0 },
	{ ",1", false, -EINVAL, 0, 0, 0 },
	{ "0,1", false, -EINVAL, 0, 0, 0 },
	{ "1,0", false, -EINVAL, 0, 0, 0 },
	{ "1,1,1", false, -EINVAL, 0, 0, 0 },	/* "rate" has no burst */
	{ "1,1,0", true, -EINVAL, 0, 0, 0 },
	{ "1,1,", true, -EINVAL, 0, 0, 0 },
	{ "1,1,1,1", true, -EINVAL, 0, 0, 0 },
	{ " 1,1", false, -EINVAL, 0, 0, 0 },
	{ "1 ,1", false, -EINVAL, 0, 0, 0 },
	{ "1,1 ", false, -EINVAL, 0, 0, 0 },
	{ "+1,1", false, -EINVAL, 0, 0, 0 },
	{ "-1,1", false, -EINVAL, 0, 0, 0 },
	{ "1a,1", false, -EINVAL, 0, 0, 0 },
	{ "0x10,1", false, -EINVAL, 0, 0, 0 },
	{ "1,1\n", false, -EINVAL, 0, 0, 0 },
	{ "1,4294967296", false, -ERANGE, 0, 0, 0 },
	{ "18446744073709551616,1", false, -ERANGE, 0, 0, 0 },
	{ "99999999999999999999999,1", false, -ERANGE, 0, 0, 0 },
	{ "1,1,18446744073709551616", true, -ERANGE, 0, 0, 0 },
};

static void test_parse(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *pc = &parse_cases[i];
		struct xenvif_credit_cfg cfg = { .mode = XENVIF_CREDIT_CLOSED,
						 .amount = 12345 };
		int err;

		err = pc->packets ? xenvif_credit_parse_packets(pc->s, &cfg) :
				    xenvif_credit_parse_bytes(pc->s, &cfg);
		if (err != pc->err)
			printf("  case \"%s\" (%s):\n", pc->s,
			       pc->packets ? "packets" : "bytes");
		CHECK_EQ(err, pc->err);
		if (err) {
			/* left untouched */
			CHECK_EQ(cfg.mode, XENVIF_CREDIT_CLOSED);
			CHECK_ULL_EQ(cfg.amount, 12345);
			continue;
		}
		CHECK_EQ(cfg.mode, XENVIF_CREDIT_ON);
		CHECK_ULL_EQ(cfg.amount, pc->amount);
		CHECK_ULL_EQ(cfg.usec, pc->usec);
		CHECK_ULL_EQ(cfg.burst, pc->burst);
		CHECK(cfg.unit >= 1);
	}
}

/* cfg_init: errors, rounding, saturation. */
static void test_cfg_init(void)
{
	struct xenvif_credit_cfg cfg, cfg2;

	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 0, 1, 1), -EINVAL);
	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 1, 0, 1), -EINVAL);
	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 1, 1, 0), -EINVAL);
	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 1, (u64)U32_MAX + 1, 1),
		 -ERANGE);
	/* 3 units per us: 333.33 ns each, rounded to nearest fixed point */
	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 3, 1, 3), 0);
	CHECK_ULL_EQ(cfg.unit, (1000ULL * 65536 + 1) / 3);
	/* beyond 2^16 units per ns the unit stays 1 */
	CHECK_EQ(xenvif_credit_cfg_init(&cfg, U64_MAX, 1, U64_MAX), 0);
	CHECK_ULL_EQ(cfg.unit, 1);
	CHECK_EQ(cfg.size, XENVIF_CREDIT_MAX);
	CHECK_EQ(xenvif_credit_cost(&cfg, U64_MAX), XENVIF_CREDIT_MAX);
	/* the longest interval, one unit: no overflow */
	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 1, U32_MAX, 1), 0);
	CHECK_ULL_EQ(cfg.unit, (u64)U32_MAX * 1000 << 16);
	CHECK_EQ(xenvif_credit_cost(&cfg, 2), (s64)cfg.unit * 2);
	CHECK_EQ(xenvif_credit_cost(&cfg, 1ULL << 40), XENVIF_CREDIT_MAX);
	/* equality looks at what the toolstack wrote */
	CHECK_EQ(xenvif_credit_cfg_init(&cfg2, 1, U32_MAX, 1), 0);
	CHECK(xenvif_credit_cfg_equal(&cfg, &cfg2));
	CHECK_EQ(xenvif_credit_cfg_init(&cfg2, 1, U32_MAX, 2), 0);
	CHECK(!xenvif_credit_cfg_equal(&cfg, &cfg2));
}

/* Refill: time that stands still or goes back adds nothing; years fill. */
static void test_refill(void)
{
	struct xenvif_credit_cfg cfg;
	struct xenvif_credit c;

	CHECK_EQ(xenvif_credit_cfg_init(&cfg, 1000, 1000, 1000), 0);
	xenvif_credit_reset(&c, &cfg, 5000);
	c.credit = 0;
	xenvif_credit_refill(&c, &cfg, 4000);
	CHECK_EQ(c.credit, 0);
	CHECK_ULL_EQ(c.stamp, 5000);
	xenvif_credit_refill(&c, &cfg, 5000);
	CHECK_EQ(c.credit, 0);
	xenvif_credit_refill(&c, &cfg, 5001);
	CHECK_EQ(c.credit, 1 << XENVIF_CREDIT_SHIFT);
	xenvif_credit_refill(&c, &cfg, 5001 + 100ULL * 365 * 86400 *
					    NSEC_PER_SEC);
	CHECK_EQ(c.credit, cfg.size);
	/* the refund never overfills */
	xenvif_credit_refund(&c, &cfg, cfg.unit);
	CHECK_EQ(c.credit, cfg.size);
	/* the wait is rounded up to whole ns */
	CHECK_ULL_EQ(xenvif_credit_wait(&cfg, 0, 1), 250 * 1000);
	CHECK_ULL_EQ(xenvif_credit_wait(&cfg, cfg.size - 1, cfg.size), 1);
}

struct test_case {
	const char *name;
	void (*fn)(void);
};

static const struct test_case cases[] = {
	{ "rate_100us", test_rate_100us },
	{ "rate_1ms", test_rate_1ms },
	{ "rate_50ms", test_rate_50ms },
	{ "rate_10s", test_rate_10s },
	{ "rate_odd", test_rate_odd },
	{ "rate_packets", test_rate_packets },
	{ "burst", test_burst },
	{ "oversize", test_oversize },
	{ "both_credits", test_both },
	{ "gso_debt", test_gso_debt },
	{ "share_2_queues", test_share_2 },
	{ "share_4_queues", test_share_4 },
	{ "share_giveback", test_share_giveback },
	{ "parse", test_parse },
	{ "cfg_init", test_cfg_init },
	{ "refill", test_refill },
};

int main(int argc, char **argv)
{
	unsigned int i, passed = 0, failed = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		failures = 0;
		cases[i].fn();
		if (failures) {
			printf("FAIL %s (%d checks)\n", cases[i].name,
			       failures);
			failed++;
		} else {
			printf("ok   %s\n", cases[i].name);
			passed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
