// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the xen-netback transmit credit (credit.h).
 *
 * Time is simulated: every test passes "now" in and never sleeps.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "credit.h"

#define NS_PER_US	1000ULL
#define NS_PER_S	1000000000ULL

static const u64 one_packet[XENVIF_CREDIT_NR] = { 60, 1 };
static const u64 no_bytes[XENVIF_CREDIT_NR] = { 0, 1 };

static void cfg_off(struct xenvif_credit_cfg *cfg)
{
	int i;

	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		xenvif_credit_cfg_off(&cfg[i], XENVIF_CREDIT_OFF);
}

static void reset_all(struct xenvif_credit *c,
		      const struct xenvif_credit_cfg *cfg, u64 now)
{
	int i;

	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		xenvif_credit_reset(&c[i], &cfg[i], now);
}

/*
 * One NAPI poll as netback runs it: an allowance for the batch, whose
 * packets bound the loop and whose bytes each request spends; the slow
 * path when either runs short; what was taken charged at the end.  Returns
 * the packets sent; *refused and *wait say whether and how long to sleep.
 */
static unsigned int poll_batch(struct xenvif_credit *c,
			       const struct xenvif_credit_cfg *cfg, u64 now,
			       unsigned int budget, bool *refused, u64 *wait)
{
	struct xenvif_credit_allow a;
	unsigned int n = 0;

	*refused = false;
	xenvif_credit_refill_all(c, cfg, now);
	xenvif_credit_open(&a, c, cfg, 0, budget);
	for (;;) {
		while (n < xenvif_credit_bound(&a)) {
			if (!xenvif_credit_try(&a, 60)) {
				/* Bytes ran short: admit this one request. */
				xenvif_credit_close(&a, c, cfg, n);
				if (!xenvif_credit_admit(c, cfg, now,
							 one_packet, wait)) {
					*refused = true;
					goto out;
				}
				xenvif_credit_uncharge_packet(c, cfg);
				xenvif_credit_open(&a, c, cfg, n, budget);
			}
			n++;
		}
		if (!xenvif_credit_packets_short(&a, n))
			break;
		/* Packets ran short: wait for one, then take it as usual. */
		xenvif_credit_close(&a, c, cfg, n);
		if (!xenvif_credit_admit(c, cfg, now, no_bytes, wait)) {
			*refused = true;
			break;
		}
		xenvif_credit_uncharge_packet(c, cfg);
		xenvif_credit_open(&a, c, cfg, n, budget);
	}
out:
	xenvif_credit_close(&a, c, cfg, n);
	return n;
}

/*
 * The same, a packet at a time, for one of several queues: its allowance is
 * on its stash and *taken counts its packets.
 */
static bool queue_admit(struct xenvif_credit_allow *a,
			struct xenvif_credit *local, struct xenvif_credit *pool,
			const struct xenvif_credit_cfg *cfg, u64 now,
			u64 *taken, u64 *wait)
{
	bool ok;

	if (*taken < xenvif_credit_bound(a) && xenvif_credit_try(a, 60)) {
		(*taken)++;
		return true;
	}
	xenvif_credit_close(a, local, cfg, *taken);
	ok = xenvif_credit_admit_pool(local, pool, cfg, now, one_packet, wait);
	if (ok) {
		/* Its bytes are charged; the packet is counted below. */
		xenvif_credit_uncharge_packet(local, cfg);
	}
	xenvif_credit_open(a, local, cfg, *taken, U64_MAX);
	if (ok)
		(*taken)++;
	return ok;
}

/* ---- Parsers ---------------------------------------------------------- */

struct parse_case {
	const char *name;
	const char *str;
	bool packets;		/* rate-packets (else rate) */
	int err;
	u64 amount, usec, burst;
};

static const struct parse_case parse_cases[] = {
	/* Valid */
	{ "bytes plain", "25000,20000", false, 0, 25000, 20000, 131072 },
	{ "bytes above min burst", "1000000,50000", false, 0, 1000000, 50000,
	  1000000 },
	{ "bytes sub-ms", "62,500", false, 0, 62, 500, 131072 },
	{ "bytes max usec", "1,4294967295", false, 0, 1, 4294967295ULL,
	  131072 },
	{ "bytes u64 max", "18446744073709551615,1", false, 0,
	  18446744073709551615ULL, 1, 18446744073709551615ULL },
	{ "packets default burst", "400,20000", true, 0, 400, 20000, 400 },
	{ "packets burst", "20,1000,500", true, 0, 20, 1000, 500 },
	{ "packets burst 1", "1,1,1", true, 0, 1, 1, 1 },
	{ "packets leading zeros", "007,0100", true, 0, 7, 100, 7 },
	/* Malformed: the list */
	{ "word", "abc", true, -EINVAL },
	{ "one field", "10", true, -EINVAL },
	{ "trailing comma", "10,", true, -EINVAL },
	{ "negative", "-5,1000", true, -EINVAL },
	{ "zero packets", "0,1000", true, -EINVAL },
	{ "zero usec", "5,0", true, -EINVAL },
	{ "past 64 bits", "18446744073709551616,1000", true, -ERANGE },
	{ "trailing junk", "10,1000x", true, -EINVAL },
	/* Malformed: more */
	{ "empty", "", true, -EINVAL },
	{ "comma only", ",", true, -EINVAL },
	{ "leading comma", ",1000", true, -EINVAL },
	{ "plus sign", "+5,1000", true, -EINVAL },
	{ "leading space", " 5,1000", true, -EINVAL },
	{ "inner space", "5, 1000", true, -EINVAL },
	{ "trailing space", "5,1000 ", true, -EINVAL },
	{ "trailing newline", "5,1000\n", true, -EINVAL },
	{ "hex", "0x10,1000", true, -EINVAL },
	{ "float", "1.5,1000", true, -EINVAL },
	{ "usec past u32", "5,4294967296", true, -ERANGE },
	{ "usec past 64 bits", "5,99999999999999999999", true, -ERANGE },
	{ "burst past 64 bits", "5,1000,18446744073709551616", true, -ERANGE },
	{ "zero burst", "5,1000,0", true, -EINVAL },
	{ "empty burst", "5,1000,", true, -EINVAL },
	{ "four fields", "5,1000,10,1", true, -EINVAL },
	{ "negative burst", "5,1000,-1", true, -EINVAL },
	{ "double comma", "5,,1000", true, -EINVAL },
	{ "semicolon", "5;1000", true, -EINVAL },
	{ "units", "5pps,1000", true, -EINVAL },
	{ "xl syntax", "20Kpps@1ms", true, -EINVAL },
	{ "nul inside", "5\0,1000", true, -EINVAL },
	{ "bytes burst not allowed", "25000,20000,5", false, -EINVAL },
	{ "bytes zero", "0,20000", false, -EINVAL },
	{ "bytes zero usec", "25000,0", false, -EINVAL },
	{ "bytes negative", "-1,20000", false, -EINVAL },
	{ "bytes one field", "25000", false, -EINVAL },
	{ "bytes overflow", "99999999999999999999,20000", false, -ERANGE },
	{ "bytes junk", "25000,20000ms", false, -EINVAL },
};

static void parse_case_desc(const struct parse_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void credit_parse_test(struct kunit *test)
{
	const struct parse_case *t = test->param_value;
	struct xenvif_credit_cfg cfg, before;
	int err;

	memset(&cfg, 0xa5, sizeof(cfg));
	before = cfg;
	if (t->packets)
		err = xenvif_credit_parse_packets(t->str, &cfg);
	else
		err = xenvif_credit_parse_bytes(t->str, &cfg);
	KUNIT_ASSERT_EQ_MSG(test, err, t->err, "\"%s\"", t->str);
	if (err) {
		/* A bad value leaves the limit in force alone. */
		KUNIT_EXPECT_MEMEQ(test, &cfg, &before, sizeof(cfg));
		return;
	}
	KUNIT_EXPECT_EQ(test, cfg.mode, XENVIF_CREDIT_ON);
	KUNIT_EXPECT_EQ(test, cfg.amount, t->amount);
	KUNIT_EXPECT_EQ(test, (u64)cfg.usec, t->usec);
	KUNIT_EXPECT_EQ(test, cfg.burst, t->burst);
	KUNIT_EXPECT_GE(test, cfg.unit, 1ULL);
	KUNIT_EXPECT_GT(test, cfg.size, 0LL);
	KUNIT_EXPECT_LE(test, cfg.size, XENVIF_CREDIT_MAX);
}

/* ---- Refill and burst ------------------------------------------------- */

struct burst_case {
	const char *name;
	u64 amount, usec, burst;
};

static const struct burst_case burst_cases[] = {
	{ "1000 pps, burst 50", 50, 50000, 50 },
	{ "20 per ms, burst 500", 20, 1000, 500 },
	{ "1 per 10 s, burst 1", 1, 10000000, 1 },
	{ "2 per 100 us, burst 2", 2, 100, 2 },
};

static void burst_case_desc(const struct burst_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(burst, burst_cases, burst_case_desc);

static void credit_burst_test(struct kunit *test)
{
	const struct burst_case *t = test->param_value;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 now = 5 * NS_PER_S, wait, n, per_unit;

	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0,
			xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_PACKETS],
					       t->amount, t->usec, t->burst));
	reset_all(c, cfg, now);

	/* A full bucket lets exactly one burst through at once. */
	for (n = 0; xenvif_credit_admit(c, cfg, now, one_packet, &wait); n++)
		KUNIT_ASSERT_LE(test, n, t->burst);
	KUNIT_EXPECT_EQ(test, n, t->burst);
	KUNIT_EXPECT_GT(test, wait, 0ULL);

	/* Refused: nothing charged, the same answer again. */
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						     &wait));

	/* One unit's time later, exactly one more. */
	per_unit = div64_u64(t->usec * NS_PER_US, t->amount);
	now += per_unit + 1;
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						    &wait));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						     &wait));

	/* A long idle time refills to the burst, not beyond. */
	now += 1000 * NS_PER_S;
	for (n = 0; xenvif_credit_admit(c, cfg, now, one_packet, &wait); n++)
		KUNIT_ASSERT_LE(test, n, t->burst);
	KUNIT_EXPECT_EQ(test, n, t->burst);
}

/* The wake-up the core asks for is when the packet can go, not before. */
static void credit_wait_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 now = 0, wait, wait2;

	cfg_off(cfg);
	/* 1000 pps, burst 8: a quarter bucket is 2 packets. */
	KUNIT_ASSERT_EQ(test, 0,
			xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_PACKETS],
					       1, 1000, 8));
	reset_all(c, cfg, now);
	while (xenvif_credit_admit(c, cfg, now, one_packet, &wait))
		;
	/* Wakes for a quarter bucket, though one packet could go sooner. */
	KUNIT_EXPECT_EQ(test, wait, 2000000ULL);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, now + 999999,
						     one_packet, &wait2));
	KUNIT_EXPECT_EQ(test, wait2, 1000001ULL);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, now + wait,
						    one_packet, &wait2));
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, now + wait,
						    one_packet, &wait2));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, now + wait,
						     one_packet, &wait2));
}

/* ---- Both credits ----------------------------------------------------- */

struct both_case {
	const char *name;
	u64 bytes, packets;	/* per second */
	u64 size;
	u64 expect_pps;		/* the lower limit rules */
};

static const struct both_case both_cases[] = {
	/* 125000 B/s of 60-byte frames is 2083 pps */
	{ "bytes rule", 125000, 5000, 60, 2083 },
	{ "packets rule", 125000, 1000, 60, 1000 },
	{ "bytes rule, big frames", 1500000, 5000, 1500, 1000 },
	{ "equal", 60000, 1000, 60, 1000 },
};

static void both_case_desc(const struct both_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(both, both_cases, both_case_desc);

static void credit_both_test(struct kunit *test)
{
	const struct both_case *t = test->param_value;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 units[XENVIF_CREDIT_NR] = { t->size, 1 };
	u64 now = 0, wait, n = 0, end, expect, slack;

	KUNIT_ASSERT_EQ(test, 0,
			xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_BYTES],
					       t->bytes / 20, 50000,
					       max_t(u64, t->bytes / 20,
						     XENVIF_CREDIT_BYTES_MIN_BURST)));
	KUNIT_ASSERT_EQ(test, 0,
			xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_PACKETS],
					       t->packets / 20, 50000,
					       t->packets / 20));
	reset_all(c, cfg, now);

	/* Drain the initial bursts, then count 100 s of flood. */
	while (xenvif_credit_admit(c, cfg, now, units, &wait))
		;
	end = now + 100 * NS_PER_S;
	while (now < end) {
		if (xenvif_credit_admit(c, cfg, now, units, &wait))
			n++;
		else
			now += wait;
	}
	/* Within 0.1% of the lower limit, plus what one bucket holds. */
	expect = t->expect_pps * 100;
	slack = div64_u64(XENVIF_CREDIT_BYTES_MIN_BURST, t->size) +
		t->packets / 20;
	KUNIT_EXPECT_LE(test, n, expect + expect / 1000 + slack + 2);
	KUNIT_EXPECT_GE(test, n, expect - expect / 1000 - 2);
}

/* Refusal by one credit charges neither. */
static void credit_refusal_charges_nothing_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR], before[XENVIF_CREDIT_NR];
	u64 units[XENVIF_CREDIT_NR] = { 200000, 1 };
	u64 wait;

	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_bytes("1000,1000",
							   &cfg[0]));
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_packets("10,1000",
							     &cfg[1]));
	reset_all(c, cfg, 0);
	c[0].credit = 0;	/* bytes exhausted, packets full */
	memcpy(before, c, sizeof(c));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 0, units, &wait));
	KUNIT_EXPECT_MEMEQ(test, c, before, sizeof(c));
	/* 128 KiB at 1000 B/ms: the full bucket is 131.072 ms away. */
	KUNIT_EXPECT_EQ(test, wait, 131072000ULL);
}

/* ---- GSO debt --------------------------------------------------------- */

static void credit_gso_debt_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 now = 0, wait, n;

	cfg_off(cfg);
	/* 1000 pps, burst 10 */
	KUNIT_ASSERT_EQ(test, 0,
			xenvif_credit_parse_packets("10,10000", &cfg[1]));
	reset_all(c, cfg, now);

	/* A 64 KiB GSO packet of 1448-byte segments becomes 46 packets. */
	KUNIT_ASSERT_TRUE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						    &wait));
	xenvif_credit_spend(&c[1], xenvif_credit_cost(&cfg[1], 45));
	KUNIT_EXPECT_LT(test, c[1].credit, 0LL);
	/* Debt of 36 packets: 36 ms to pay, 37 ms to the next packet. */
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						     &wait));
	KUNIT_EXPECT_EQ(test, wait, 38500000ULL);	/* quarter bucket */
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 36999999,
						     one_packet, &wait));
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, 37000000,
						    one_packet, &wait));

	/* Long term, GSO packets count as their segments. */
	now = 1 * NS_PER_S;
	reset_all(c, cfg, now);
	for (n = 0; now < 11 * NS_PER_S; ) {
		if (xenvif_credit_admit(c, cfg, now, one_packet, &wait)) {
			xenvif_credit_spend(&c[1],
					    xenvif_credit_cost(&cfg[1], 9));
			n += 10;
		} else {
			now += wait;
		}
	}
	/* 10 s at 1000 pps, plus the first burst and one packet's debt */
	KUNIT_EXPECT_LE(test, n, 10000ULL + 10 + 10);
	KUNIT_EXPECT_GE(test, n, 10000ULL - 10);
}

/* A packet larger than the bucket still goes, once the bucket is full. */
static void credit_jumbo_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 units[XENVIF_CREDIT_NR] = { 65535, 1 };
	u64 wait;

	cfg_off(cfg);
	/* 100 bytes per 1 ms, burst 128 KiB: 65535 fits twice */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_bytes("100,1000",
							   &cfg[0]));
	reset_all(c, cfg, 0);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, 0, units, &wait));
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, 0, units, &wait));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 0, units, &wait));

	/* Burst of 1 packet, cost 3 packets: goes when full, leaves debt. */
	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_packets("1,1000,1",
							     &cfg[1]));
	reset_all(c, cfg, 0);
	units[1] = 3;
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, 0, units, &wait));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 0, units, &wait));
	KUNIT_EXPECT_EQ(test, wait, 3000000ULL);
}

/* ---- Long-term rate for every interval -------------------------------- */

struct rate_case {
	const char *name;
	u64 amount, usec, burst;
	u64 seconds;		/* simulated */
	u64 jitter_ns;		/* late wake-ups, as a loaded host has */
};

static const struct rate_case rate_cases[] = {
	{ "100 us, 20 kpps", 2, 100, 2, 20 },
	{ "100 us, 10 kpps, late wake-ups", 1, 100, 8, 20, 30000 },
	{ "480 us, 2083 pps", 1, 480, 1, 50 },
	{ "1 ms, 5 kpps", 5, 1000, 5, 20 },
	{ "1 ms, 1 kpps, late wake-ups", 1, 1000, 4, 50, 200000 },
	{ "50 ms, 1 kpps", 50, 50000, 50, 100 },
	{ "50 ms, 5 kpps", 250, 50000, 250, 40 },
	{ "50 ms, 1 kpps, late wake-ups", 50, 50000, 50, 100, 30000000 },
	{ "1 s, 3 pps", 3, 1000000, 3, 2000 },
	{ "10 s, 100 pps", 1000, 10000000, 1000, 20000 },
	{ "10 s, 7 per interval", 7, 10000000, 7, 100000 },
	{ "1 us, 1 Mpps", 1, 1, 1, 2 },
	{ "71 min (u32 us), 1 per interval", 1, 4294967295ULL, 1, 429497 },
};

static void rate_case_desc(const struct rate_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rate, rate_cases, rate_case_desc);

static void credit_rate_test(struct kunit *test)
{
	const struct rate_case *t = test->param_value;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 now = 3, end = 3 + t->seconds * NS_PER_S, wait, n = 0;
	u64 expect, tol, k = 0;
	bool refused;

	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0,
			xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_PACKETS],
					       t->amount, t->usec, t->burst));
	reset_all(c, cfg, now);

	/*
	 * A guest that always has a packet ready, served in NAPI batches of
	 * 64 as netback does; the timer wakes us.
	 */
	while (now < end) {
		n += poll_batch(c, cfg, now, 64, &refused, &wait);
		if (refused) {
			KUNIT_ASSERT_NE(test, wait, U64_MAX);
			KUNIT_ASSERT_GT(test, wait, 0ULL);
			/* Deterministic lateness, up to jitter_ns. */
			now += wait + (t->jitter_ns ? (k++ * 7919) %
				       t->jitter_ns : 0);
		}
	}
	expect = div64_u64(t->seconds * 1000000 * t->amount, t->usec) +
		 t->burst;
	tol = div64_u64(expect, 1000) + 1;	/* 0.1% */
	KUNIT_EXPECT_LE_MSG(test, n, expect + tol, "expected %llu", expect);
	/* The last wake-up may fall past the end with a quarter bucket. */
	KUNIT_EXPECT_GE_MSG(test, n, expect - tol - t->burst / 4,
			    "expected %llu", expect);
}

/* ---- Wrap and overflow ------------------------------------------------ */

static void credit_overflow_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 units[XENVIF_CREDIT_NR] = { 65535, 1 };
	u64 wait, now;
	int i;

	cfg_off(cfg);
	/* The fastest rate there is: saturates, stays a limit. */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[0], U64_MAX, 1,
							U64_MAX));
	KUNIT_EXPECT_EQ(test, cfg[0].unit, 1ULL);
	KUNIT_EXPECT_EQ(test, cfg[0].size, XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_EQ(test, cfg[0].mode, XENVIF_CREDIT_ON);

	/* The slowest: 1 byte per 71 minutes; a 64 KiB cost saturates. */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[0], 1, U32_MAX,
							131072));
	KUNIT_EXPECT_EQ(test, xenvif_credit_cost(&cfg[0], 65535),
			XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_EQ(test, cfg[0].size, XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_EQ(test, xenvif_credit_cost(&cfg[0], U64_MAX),
			XENVIF_CREDIT_MAX);

	/* Debt is bounded, never wraps to credit. */
	reset_all(c, cfg, 0);
	for (i = 0; i < 10; i++)
		xenvif_credit_spend(&c[0], XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_EQ(test, c[0].credit, -XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 1, units, &wait));

	/* Years of idle time refill to the bucket, no further. */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_bytes("1000,1000",
							   &cfg[0]));
	reset_all(c, cfg, 0);
	c[0].credit = -XENVIF_CREDIT_MAX;
	xenvif_credit_refill(&c[0], &cfg[0], U64_MAX / 2);
	KUNIT_EXPECT_EQ(test, c[0].credit, cfg[0].size);

	/* The clock wrapping around u64 is elapsed time, not a jump back. */
	now = U64_MAX - 500;
	reset_all(c, cfg, now);
	c[0].credit = 0;
	xenvif_credit_refill(&c[0], &cfg[0], now + 1000);	/* wraps */
	KUNIT_EXPECT_EQ(test, c[0].credit, 1000LL << XENVIF_CREDIT_SHIFT);

	/* Time going back (another CPU's clock) adds nothing. */
	reset_all(c, cfg, 1000000);
	c[0].credit = 0;
	xenvif_credit_refill(&c[0], &cfg[0], 999000);
	KUNIT_EXPECT_EQ(test, c[0].credit, 0LL);
	KUNIT_EXPECT_EQ(test, c[0].stamp, 1000000ULL);

	/* Out of range at init leaves the config alone. */
	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg[1], 1, 1ULL << 32,
						     1), -ERANGE);
	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg[1], 0, 1, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg[1], 1, 1, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cfg[1].mode, XENVIF_CREDIT_OFF);
}

/* An allowance pays whole units of what its buckets hold, and no more. */
static void credit_allow_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	struct xenvif_credit_allow a;
	unsigned int n = 0;
	s64 bytes0;

	/* No limit: everything goes, the caller's limit bounds the batch. */
	cfg_off(cfg);
	reset_all(c, cfg, 0);
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, a.bytes, U64_MAX);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 64ULL);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_try(&a, 65535));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_packets_short(&a, 64));
	xenvif_credit_close(&a, c, cfg, 64);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_BYTES].credit, 0LL);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit, 0LL);
	xenvif_credit_open_all(&a, 10, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 64ULL);
	xenvif_credit_open_all(&a, 70, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 64ULL);
	xenvif_credit_open_all(&a, 5, U64_MAX);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), U64_MAX);

	/* 1000 bytes and 10 packets per ms, full buckets. */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[0], 1000, 1000,
							1000));
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[1], 10, 1000,
							10));
	reset_all(c, cfg, 0);
	bytes0 = c[XENVIF_CREDIT_BYTES].credit;
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, a.bytes, 1000ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 10ULL);
	while (n < xenvif_credit_bound(&a) && xenvif_credit_try(&a, 60))
		n++;
	/* The packets rule: ten of 60 bytes. */
	KUNIT_EXPECT_EQ(test, n, 10U);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_packets_short(&a, n));
	xenvif_credit_close(&a, c, cfg, n);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_BYTES].credit,
			bytes0 - 600 * (s64)cfg[0].unit);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit, 0LL);
	/* Closing again charges nothing. */
	xenvif_credit_close(&a, c, cfg, n);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_BYTES].credit,
			bytes0 - 600 * (s64)cfg[0].unit);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit, 0LL);
	/* A count that went back (a caller's bug) charges nothing either. */
	xenvif_credit_close(&a, c, cfg, 3);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit, 0LL);

	/* The bytes rule: 1 ms later, two of 400 bytes, not a third. */
	xenvif_credit_refill_all(c, cfg, NS_PER_S / 1000);
	xenvif_credit_open(&a, c, cfg, 10, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 20ULL);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_try(&a, 400));
	KUNIT_EXPECT_TRUE(test, xenvif_credit_try(&a, 400));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_try(&a, 400));
	KUNIT_EXPECT_EQ(test, a.bytes, 200ULL);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_packets_short(&a, 12));
	xenvif_credit_close(&a, c, cfg, 12);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_BYTES].credit,
			200 * (s64)cfg[0].unit);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit,
			8 * (s64)cfg[1].unit);

	/*
	 * A count beyond the bound (a request that failed after admission
	 * is charged too) leaves a debt, never a wrap.
	 */
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 8ULL);
	xenvif_credit_close(&a, c, cfg, 9);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit,
			-(s64)cfg[1].unit);
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 0ULL);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_packets_short(&a, 0));

	/* Whole units only; debt and a closed credit pay for nothing. */
	c[XENVIF_CREDIT_PACKETS].credit = cfg[1].unit * 5 / 2;
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 2ULL);
	c[XENVIF_CREDIT_PACKETS].credit = -1;
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 0ULL);
	xenvif_credit_cfg_off(&cfg[1], XENVIF_CREDIT_CLOSED);
	reset_all(c, cfg, 0);
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 0ULL);

	/* A bucket of 2^61 fixed-point ns, the largest, does not overflow. */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[0], U64_MAX, 1,
							U64_MAX));
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[1], U64_MAX, 1,
							U64_MAX));
	reset_all(c, cfg, 0);
	xenvif_credit_open(&a, c, cfg, 0, U64_MAX);
	KUNIT_EXPECT_EQ(test, a.bytes, div64_u64(XENVIF_CREDIT_MAX,
						 cfg[0].unit));
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a),
			div64_u64(XENVIF_CREDIT_MAX, cfg[1].unit));
	xenvif_credit_close(&a, c, cfg, 0);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_BYTES].credit, XENVIF_CREDIT_MAX);
	/* Its bound near the top of the caller's count saturates. */
	xenvif_credit_open(&a, c, cfg, U64_MAX - 5, U64_MAX);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), U64_MAX);
}

/*
 * What xenvif_credit_admit() charged for a packet comes back whole, so a
 * caller that counts its packets itself charges each exactly once.
 */
static void credit_uncharge_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	s64 before;
	u64 wait;

	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_packets("3,1000",
							     &cfg[1]));
	reset_all(c, cfg, 0);
	before = c[XENVIF_CREDIT_PACKETS].credit;
	KUNIT_ASSERT_TRUE(test, xenvif_credit_admit(c, cfg, 0, no_bytes,
						    &wait));
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit,
			before - (s64)cfg[1].unit);
	xenvif_credit_uncharge_packet(c, cfg);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit, before);
	/* No packet limit: nothing to give back. */
	cfg_off(cfg);
	reset_all(c, cfg, 0);
	xenvif_credit_uncharge_packet(c, cfg);
	KUNIT_EXPECT_EQ(test, c[XENVIF_CREDIT_PACKETS].credit, 0LL);
}

/* A closed credit (malformed at connect) lets nothing go, ever. */
static void credit_closed_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR], pool[XENVIF_CREDIT_NR];
	struct xenvif_credit_allow a;
	u64 wait;

	cfg_off(cfg);
	xenvif_credit_cfg_off(&cfg[1], XENVIF_CREDIT_CLOSED);
	reset_all(c, cfg, 0);
	reset_all(pool, cfg, 0);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 1, one_packet,
						     &wait));
	KUNIT_EXPECT_EQ(test, wait, U64_MAX);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 100 * NS_PER_S,
						     one_packet, &wait));
	xenvif_credit_open(&a, c, cfg, 0, 64);
	KUNIT_EXPECT_EQ(test, xenvif_credit_bound(&a), 0ULL);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_packets_short(&a, 0));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit(c, cfg, 1, no_bytes,
						     &wait));
	KUNIT_EXPECT_EQ(test, wait, U64_MAX);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_admit_pool(c, pool, cfg, 1,
							  one_packet, &wait));
	KUNIT_EXPECT_EQ(test, wait, U64_MAX);

	/* No limit at all: everything goes. */
	cfg_off(cfg);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, 0, one_packet,
						    &wait));
}

/* ---- Shared across queues --------------------------------------------- */

struct share_case {
	const char *name;
	unsigned int queues;
	u64 amount, usec, burst;
	bool bytes;		/* limit bytes instead of packets */
};

static const struct share_case share_cases[] = {
	{ "2 queues, 1000 pps", 2, 50, 50000, 50 },
	{ "2 queues, 5000 pps, 1 ms", 2, 5, 1000, 5 },
	{ "4 queues, 2000 pps", 4, 100, 50000, 100 },
	{ "8 queues, 20 kpps, burst 1", 8, 1, 50, 1 },
	{ "2 queues, 1Mb/s bytes", 2, 6250, 50000, 131072, true },
	{ "2 queues, 1Mb/s@500us bytes", 2, 62, 500, 131072, true },
};

static void share_case_desc(const struct share_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(share, share_cases, share_case_desc);

static void credit_share_test(struct kunit *test)
{
	const struct share_case *t = test->param_value;
	int type = t->bytes ? XENVIF_CREDIT_BYTES : XENVIF_CREDIT_PACKETS;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit pool[XENVIF_CREDIT_NR];
	struct xenvif_credit local[8][XENVIF_CREDIT_NR];
	struct xenvif_credit_allow allow[8];
	u64 wake[8], taken[8], seconds = 20, end, n = 0, expect, over, under;
	u64 wait;
	unsigned int q, i;

	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_cfg_init(&cfg[type], t->amount,
							t->usec, t->burst));
	reset_all(pool, cfg, 0);
	for (q = 0; q < t->queues; q++) {
		memset(local[q], 0, sizeof(local[q]));
		taken[q] = 0;
		xenvif_credit_open(&allow[q], local[q], cfg, 0, U64_MAX);
		wake[q] = 0;
	}

	/* Every queue floods; each sleeps until the time it was told. */
	end = seconds * NS_PER_S;
	for (;;) {
		u64 now = U64_MAX;

		for (i = 0, q = 0; i < t->queues; i++)
			if (wake[i] < now) {
				now = wake[i];
				q = i;
			}
		if (now >= end)
			break;
		if (queue_admit(&allow[q], local[q], pool, cfg, now, &taken[q],
				&wait)) {
			n++;
			/* Round robin: the next queue gets a turn. */
			wake[q] = now + 1;
		} else {
			KUNIT_ASSERT_NE(test, wait, U64_MAX);
			wake[q] = now + wait;
		}
	}
	/* The whole vif gets the rate once, not once per queue. */
	expect = div64_u64(seconds * 1000000 * t->amount, t->usec);
	/* Above: the first burst.  Below: what stashes and the pool still
	 * hold at the end (an eighth of a bucket a queue, a quarter bucket).
	 */
	over = t->burst;
	under = div64_u64(t->burst * (t->queues + 2), 8);
	if (t->bytes) {
		expect = div64_u64(expect, 60);
		over = div64_u64(over, 60);
		under = div64_u64(under, 60);
	}
	over += t->queues;
	under += t->queues;
	KUNIT_EXPECT_LE_MSG(test, n, expect + div64_u64(expect, 1000) + over,
			    "expected %llu", expect);
	KUNIT_EXPECT_GE_MSG(test, n, expect - div64_u64(expect, 1000) - under,
			    "expected %llu", expect);
}

/* Every queue gets a share when all flood. */
static void credit_share_fair_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit pool[XENVIF_CREDIT_NR];
	struct xenvif_credit local[2][XENVIF_CREDIT_NR] = {};
	struct xenvif_credit_allow allow[2];
	u64 wake[2] = { 0, 0 }, n[2] = { 0, 0 }, wait;
	unsigned int q;

	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_packets("50,50000",
							     &cfg[1]));
	reset_all(pool, cfg, 0);
	for (q = 0; q < 2; q++)
		xenvif_credit_open(&allow[q], local[q], cfg, 0, U64_MAX);
	for (;;) {
		/* Both CPUs run at once: a tie goes to the one served less. */
		q = wake[0] < wake[1] ||
		    (wake[0] == wake[1] && n[0] <= n[1]) ? 0 : 1;
		if (wake[q] >= 10 * NS_PER_S)
			break;
		if (queue_admit(&allow[q], local[q], pool, cfg, wake[q], &n[q],
				&wait))
			wake[q] += 1;
		else
			wake[q] += wait;
	}
	/* No starvation: the core promises a share, not an equal one. */
	KUNIT_EXPECT_GT(test, n[0], 2000ULL);
	KUNIT_EXPECT_GT(test, n[1], 2000ULL);
	KUNIT_EXPECT_LE(test, n[0] + n[1], 10000ULL + 50 + 14 + 10);
}

/* ---- A limit changed while throttled ---------------------------------- */

struct change_case {
	const char *name;
	const char *from, *to;
	u64 expect_pps;
};

static const struct change_case change_cases[] = {
	{ "5000 to 1000 pps", "250,50000", "50,50000", 1000 },
	{ "1000 to 5000 pps", "50,50000", "250,50000", 5000 },
	{ "1 pps in debt to 2000 pps", "1,1000000", "100,50000", 2000 },
	{ "2000 pps to 100 us interval", "100,50000", "1,500", 2000 },
};

static void change_case_desc(const struct change_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(change, change_cases, change_case_desc);

static void credit_change_test(struct kunit *test)
{
	const struct change_case *t = test->param_value;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit c[XENVIF_CREDIT_NR];
	u64 now = 0, wait, n = 0, start;

	cfg_off(cfg);
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_packets(t->from,
							     &cfg[1]));
	reset_all(c, cfg, now);
	/* Throttled, and in debt from a GSO packet. */
	while (xenvif_credit_admit(c, cfg, now, one_packet, &wait))
		;
	xenvif_credit_spend(&c[1], xenvif_credit_cost(&cfg[1], 40));
	KUNIT_ASSERT_FALSE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						     &wait));

	/* The new limit: what the driver does on a generation change. */
	KUNIT_ASSERT_EQ(test, 0, xenvif_credit_parse_packets(t->to, &cfg[1]));
	reset_all(c, cfg, now);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_admit(c, cfg, now, one_packet,
						    &wait));
	while (xenvif_credit_admit(c, cfg, now, one_packet, &wait))
		;
	now += wait;
	start = now;
	while (now < start + 10 * NS_PER_S) {
		if (xenvif_credit_admit(c, cfg, now, one_packet, &wait))
			n++;
		else
			now += wait;
	}
	KUNIT_EXPECT_LE(test, n, t->expect_pps * 10 + t->expect_pps / 100 + 1);
	KUNIT_EXPECT_GE(test, n, t->expect_pps * 10 - t->expect_pps / 100 - 1);
}

static struct kunit_case xen_netback_credit_cases[] = {
	KUNIT_CASE_PARAM(credit_parse_test, parse_gen_params),
	KUNIT_CASE_PARAM(credit_burst_test, burst_gen_params),
	KUNIT_CASE(credit_wait_test),
	KUNIT_CASE_PARAM(credit_both_test, both_gen_params),
	KUNIT_CASE(credit_refusal_charges_nothing_test),
	KUNIT_CASE(credit_gso_debt_test),
	KUNIT_CASE(credit_jumbo_test),
	KUNIT_CASE_PARAM(credit_rate_test, rate_gen_params),
	KUNIT_CASE(credit_overflow_test),
	KUNIT_CASE(credit_allow_test),
	KUNIT_CASE(credit_uncharge_test),
	KUNIT_CASE(credit_closed_test),
	KUNIT_CASE_PARAM(credit_share_test, share_gen_params),
	KUNIT_CASE(credit_share_fair_test),
	KUNIT_CASE_PARAM(credit_change_test, change_gen_params),
	{}
};

static struct kunit_suite xen_netback_credit_suite = {
	.name = "xen_netback_credit",
	.test_cases = xen_netback_credit_cases,
};

kunit_test_suite(xen_netback_credit_suite);

MODULE_DESCRIPTION("KUnit tests for the xen-netback transmit credit");
MODULE_LICENSE("GPL");
