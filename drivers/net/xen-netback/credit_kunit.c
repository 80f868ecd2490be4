// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the xen-netback transmit credit (credit.c, credit.h).
 *
 * The tests drive the credit's own functions in the order netback's NAPI
 * poll does (xenvif_credit_begin(), _take() per request until the batch's
 * budget or a refusal, _end(), then _gso_refund() per GSO skb as
 * xenvif_tx_submit() does), over simulated time: no test sleeps.  The
 * userspace harness in tools/testing/xen-netback/harness compiles this
 * same file against a small KUnit stand-in, under ASan and UBSan.
 *
 *   ./tools/testing/kunit/kunit.py run --kunitconfig=drivers/net/xen-netback
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "credit.h"

#define NSEC_PER_USEC_ULL	1000ULL
#define NSEC_PER_SEC_ULL	1000000000ULL
#define B			XENVIF_CREDIT_BYTES
#define P			XENVIF_CREDIT_PACKETS

/*
 * The tests' clock: xenvif_credit_take() reads it on its slow path.
 * t_begin() sets it to the time a batch begins; a test that lets a batch
 * run long moves it on.
 */
static u64 credit_test_now;
static u64 credit_test_clock_reads;

static u64 credit_test_clock(void)
{
	credit_test_clock_reads++;
	return credit_test_now;
}

/*
 * These buckets are locked in process context with bottom halves on, the
 * driver's in NAPI.  One lockdep class for both would be taken both ways
 * (inconsistent lock state, and lockdep off for the rest of the boot, when
 * the suite runs in the driver): the tests' buckets get their own.
 */
static struct lock_class_key credit_test_lock_key;

static void t_bucket_init(struct xenvif_credit_bucket *b,
			  const struct xenvif_credit_cfg *cfg, u64 now)
{
	xenvif_credit_bucket_init(b, cfg, now);
	lockdep_set_class(&b->lock, &credit_test_lock_key);
}

static void t_begin(struct xenvif_credit_batch *bt,
		    struct xenvif_credit_bucket *b,
		    struct xenvif_credit_queue *q, u64 now)
{
	credit_test_now = now;
	xenvif_credit_begin(bt, b, q, now);
}

static bool t_take(struct xenvif_credit_batch *bt, u64 bytes, u64 packets)
{
	return xenvif_credit_take(bt, bytes, packets, credit_test_clock);
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

/* ---- A simulated vif: netback's poll over simulated time -------------- */

#define SIM_BUDGET	64	/* NAPI weight: skbs per poll */
#define SIM_MAX_Q	8
#define SIM_GAP_NS	5000	/* a poll that used its budget polls again */
#define SIM_HDR		66	/* real headers of the TCP packets below */
#define SIM_MAX_POLLS	20000000ULL

enum sim_shape {
	SHAPE_60B,	/* 60-byte frames */
	SHAPE_SEG3,	/* GSO, 3 segments */
	SHAPE_TSO45,	/* 64 KiB TSO, 45 segments of 1448 */
	SHAPE_MIXED,	/* 60-byte frames between GSO of 1..45 segments */
	SHAPE_TINY_MSS,	/* GSO of 64 KiB with gso_size 1 */
	/*
	 * Save up one credit type while the other refuses, then spend it:
	 * 64 KiB frames under a byte limit, then 64 KiB of one-byte
	 * segments; or 4 KiB of one-byte segments under a packet limit,
	 * then 64 KiB frames.  A queue switches after its head request
	 * once s->switch_at has come.
	 */
	SHAPE_SAVE_PKTS,
	SHAPE_SAVE_BYTES,
};

struct sim {
	struct xenvif_credit_bucket bucket;
	struct xenvif_credit_queue q[SIM_MAX_Q];
	unsigned int nq;
	enum sim_shape shape;
	u64 next[SIM_MAX_Q];	/* ns of the queue's next poll */
	u64 seq[SIM_MAX_Q];	/* packets the queue took so far */
	u64 last[SIM_MAX_Q];	/* ns of its last admission */
	u64 max_gap[SIM_MAX_Q];	/* longest time between two admissions */
	bool woken[SIM_MAX_Q];	/* this poll follows a refusal */
	u64 wire;		/* wire packets (segments) passed */
	u64 bytes;
	u64 empty_wakes;	/* polls after a refusal that passed nothing */
	u64 polls;
	bool runaway;
	s64 excess;		/* most units passed beyond burst + rate x t */
	/*
	 * The same from s->switch_at on, less what the queues could hold
	 * then (their refused head packets, paid for before, and their GSO
	 * refunds): no queue saves up credit.
	 */
	u64 switch_at;
	u64 switch_seq[SIM_MAX_Q];
	bool in_window;
	u64 win_wire, win_bytes;
	u64 win_held[XENVIF_CREDIT_NR];
	s64 win_excess;
	/*
	 * Most units a queue held after a poll beyond its refused head
	 * request's cost and its GSO refunds: it must hold nothing else.
	 */
	s64 hoard;
	u64 may_hold[SIM_MAX_Q][XENVIF_CREDIT_NR];
	u64 jitter;		/* wake-ups come up to this many ns late */
	u64 rnd;
	/*
	 * Light load: a queue has @demand packets to send every @gap ns (0:
	 * it floods).  With @overlap, every other queue due to poll within
	 * @overlap ns polls while this one's batch is open, on another CPU.
	 */
	unsigned int demand;
	u64 gap;
	u64 overlap;
	bool nested;
	/* A poll's requests, here rather than on a 32-bit kernel's stack. */
	u64 size[SIM_MAX_Q][SIM_BUDGET], mss[SIM_MAX_Q][SIM_BUDGET];
};

static void sim_packet(const struct sim *s, unsigned int qi, u64 seq,
		       u64 *size, u64 *mss)
{
	bool later = seq >= s->switch_seq[qi];
	u64 k;

	*mss = 0;
	switch (s->shape) {
	case SHAPE_SAVE_PKTS:
		*size = 65535;
		*mss = later ? 1 : 0;
		return;
	case SHAPE_SAVE_BYTES:
		*size = later ? 65535 : 4096;
		*mss = later ? 0 : 1;
		return;
	case SHAPE_60B:
		*size = 60;
		return;
	case SHAPE_SEG3:
		*mss = 1448;
		*size = SIM_HDR + 3 * 1448;
		return;
	case SHAPE_TSO45:
		*mss = 1448;
		*size = SIM_HDR + 45 * 1448;
		return;
	case SHAPE_MIXED:
		if ((seq + qi) % 2 == 0) {
			*size = 60;
			return;
		}
		div64_u64_rem(seq / 2 + qi * 7, 45, &k);
		k++;
		*mss = 1448;
		*size = SIM_HDR + k * 1448;
		return;
	case SHAPE_TINY_MSS:
		*mss = 1;
		*size = 65535;
		return;
	}
}

/* What netback's xenvif_tx_submit() finds once the headers are known. */
static u64 sim_segs(u64 size, u64 mss)
{
	return mss ? div64_u64(size - SIM_HDR + mss - 1, mss) : 1;
}

static void sim_init(struct sim *s, const struct xenvif_credit_cfg *cfg,
		     unsigned int nq, enum sim_shape shape)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	t_bucket_init(&s->bucket, cfg, 0);
	s->nq = nq;
	s->shape = shape;
	s->rnd = 0x9e3779b97f4a7c15ULL;
	s->switch_at = U64_MAX;
	for (i = 0; i < nq; i++) {
		s->next[i] = i * 1000;
		s->switch_seq[i] = U64_MAX;
	}
}

static u64 sim_rand(struct sim *s)
{
	s->rnd ^= s->rnd << 13;
	s->rnd ^= s->rnd >> 7;
	s->rnd ^= s->rnd << 17;
	return s->rnd;
}

/* Units a full bucket and the rate allow by @t ns: burst + rate x t. */
static s64 sim_allowed(const struct xenvif_credit_cfg *cfg, u64 t)
{
	u64 interval = (u64)cfg->usec * 1000, rem;
	u64 n = div64_u64_rem(t, interval, &rem);

	return cfg->burst + n * cfg->amount +
	       div64_u64(rem * cfg->amount, interval);
}

/* One NAPI poll of queue @qi at @now, in netback's order. */
static void sim_poll(struct sim *s, unsigned int qi, u64 now)
{
	const struct xenvif_credit_cfg *cfg = s->bucket.cfg;
	u64 *size = s->size[qi], *mss = s->mss[qi];
	u64 may_hold[XENVIF_CREDIT_NR] = {};
	struct xenvif_credit_batch bt;
	unsigned int n = 0, i;

	if (now >= s->switch_at && s->switch_seq[qi] == U64_MAX)
		s->switch_seq[qi] = s->seq[qi] + 1;
	if (!s->in_window && now >= s->switch_at) {
		s->in_window = true;
		s->switch_at = now;
		s->win_wire = s->wire;
		s->win_bytes = s->bytes;
		for (i = 0; i < s->nq; i++) {
			s->win_held[P] += s->may_hold[i][P];
			s->win_held[B] += s->may_hold[i][B];
		}
	}
	t_begin(&bt, &s->bucket, &s->q[qi], now);
	while (n < (s->demand ?: SIM_BUDGET)) {
		sim_packet(s, qi, s->seq[qi], &size[n], &mss[n]);
		if (!t_take(&bt, size[n],
			    mss[n] ? xenvif_credit_gso_segs(size[n], mss[n]) :
				     1))
			break;
		s->seq[qi]++;
		n++;
	}
	if (s->overlap && !s->nested) {
		s->nested = true;
		for (i = 0; i < s->nq; i++)
			if (i != qi && s->next[i] <= now + s->overlap)
				sim_poll(s, i, now);
		s->nested = false;
	}
	if (xenvif_credit_end(&bt))
		/* The driver polls every throttled queue at once. */
		for (i = 0; i < s->nq; i++)
			if (i != qi && s->woken[i] && s->next[i] != U64_MAX)
				s->next[i] = min(s->next[i], now);
	if (bt.refused) {
		may_hold[B] = size[n];
		may_hold[P] = mss[n] ? xenvif_credit_gso_segs(size[n], mss[n]) :
				       1;
	}
	for (i = 0; i < n; i++) {
		u64 segs = sim_segs(size[i], mss[i]);

		if (mss[i]) {
			xenvif_credit_gso_refund(&s->q[qi], size[i], mss[i],
						 segs);
			may_hold[P] += xenvif_credit_gso_segs(size[i], mss[i]) -
				       max_t(u64, segs, 1);
		}
		s->wire += segs;
		s->bytes += size[i];
	}
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		s->may_hold[qi][i] = may_hold[i];
		if (cfg[i].mode == XENVIF_CREDIT_ON)
			s->hoard = max_t(s64, s->hoard,
					 (s64)(s->q[qi].held.units[i] -
					       may_hold[i]));
	}

	s->polls++;
	if (n) {
		s->max_gap[qi] = max(s->max_gap[qi], now - s->last[qi]);
		s->last[qi] = now;
	} else if (s->woken[qi]) {
		s->empty_wakes++;
	}
	if (cfg[P].mode == XENVIF_CREDIT_ON)
		s->excess = max_t(s64, s->excess,
				  (s64)s->wire - sim_allowed(&cfg[P], now));
	if (cfg[B].mode == XENVIF_CREDIT_ON)
		s->excess = max_t(s64, s->excess,
				  (s64)s->bytes - sim_allowed(&cfg[B], now));
	if (s->in_window && cfg[P].mode == XENVIF_CREDIT_ON)
		s->win_excess = max_t(s64, s->win_excess,
				      (s64)(s->wire - s->win_wire) -
				      sim_allowed(&cfg[P], now - s->switch_at) -
				      (s64)s->win_held[P]);
	if (s->in_window && cfg[B].mode == XENVIF_CREDIT_ON)
		s->win_excess = max_t(s64, s->win_excess,
				      (s64)(s->bytes - s->win_bytes) -
				      sim_allowed(&cfg[B], now - s->switch_at) -
				      (s64)s->win_held[B]);

	s->woken[qi] = bt.refused;
	if (!bt.refused) {
		s->next[qi] = now + (s->gap ?: SIM_GAP_NS);
	} else if (bt.wait == U64_MAX) {
		s->next[qi] = U64_MAX;
	} else {
		u64 late = 0;

		if (s->jitter)
			div64_u64_rem(sim_rand(s), s->jitter, &late);
		s->next[qi] = now + bt.wait + late;
	}
}

/*
 * Poll the queues in time order until @end ns.  A credit that made the
 * queues spin (polls that pass nothing and wake at once) ends the run
 * with s->runaway set rather than hang the suite.
 */
static void sim_run(struct sim *s, u64 end)
{
	for (;;) {
		unsigned int i, qi = 0;

		for (i = 1; i < s->nq; i++)
			if (s->next[i] < s->next[qi])
				qi = i;
		if (s->next[qi] >= end)
			break;
		if (s->polls >= SIM_MAX_POLLS) {
			s->runaway = true;
			break;
		}
		sim_poll(s, qi, s->next[qi]);
	}
}

static void sim_cfg(struct kunit *test, struct xenvif_credit_cfg *cfg,
		    u64 bytes, u64 bytes_usec, u64 pkts, u64 pkts_usec,
		    u64 burst)
{
	u64 burst_b = max_t(u64, bytes, XENVIF_CREDIT_BYTES_MIN_BURST);
	int err;

	xenvif_credit_cfg_off(&cfg[B], XENVIF_CREDIT_OFF);
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_OFF);
	if (bytes) {
		err = xenvif_credit_cfg_init(&cfg[B], bytes, bytes_usec, burst_b);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	if (pkts) {
		err = xenvif_credit_cfg_init(&cfg[P], pkts, pkts_usec,
					     burst ?: pkts);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
}

/* ---- Long-run rate, burst and progress ------------------------------- */

struct rate_case {
	const char *name;
	u64 bytes, bytes_usec;	/* byte limit, 0: none */
	u64 pkts, pkts_usec, burst;	/* packet limit, 0: none */
	unsigned int nq;
	enum sim_shape shape;
	u64 secs;		/* simulated time */
	u64 jitter_us;		/* wake-ups late by up to this */
};

/* Shapes whose limits take turns: no long-run rate to compare with. */
static bool shape_switches(enum sim_shape shape)
{
	return shape == SHAPE_SAVE_PKTS || shape == SHAPE_SAVE_BYTES;
}

static const struct rate_case rate_cases[] = {
	{ "60B 5kpps 1q", 0, 0, 100, 20000, 0, 1, SHAPE_60B, 20 },
	{ "60B 20kpps 2q", 0, 0, 400, 20000, 0, 2, SHAPE_60B, 20 },
	{ "60B 20kpps 8q", 0, 0, 400, 20000, 0, 8, SHAPE_60B, 20 },
	{ "60B 1kpps burst 1 1q", 0, 0, 1, 1000, 1, 1, SHAPE_60B, 20 },
	{ "60B 2kpps 2q late wakes", 0, 0, 40, 20000, 0, 2, SHAPE_60B, 20,
	  3000 },
	/* The stall: 2 queues, GSO, a bucket of 100 and of 400 */
	{ "seg3 100/20ms 2q", 0, 0, 100, 20000, 0, 2, SHAPE_SEG3, 60 },
	{ "tso45 400/20ms 2q", 0, 0, 400, 20000, 0, 2, SHAPE_TSO45, 60 },
	{ "tso45 100/20ms 2q", 0, 0, 100, 20000, 0, 2, SHAPE_TSO45, 60 },
	{ "tso45 5kpps 1q", 0, 0, 100, 20000, 0, 1, SHAPE_TSO45, 60 },
	{ "tso45 20kpps 8q", 0, 0, 400, 20000, 0, 8, SHAPE_TSO45, 60 },
	/* Bursts 1 .. 400 under GSO of 1..45 segments mixed with frames */
	{ "mixed burst 1 1q", 0, 0, 1000, 1000000, 1, 1, SHAPE_MIXED, 600 },
	{ "mixed burst 1 2q", 0, 0, 1000, 1000000, 1, 2, SHAPE_MIXED, 600 },
	{ "mixed burst 7 2q", 0, 0, 5000, 1000000, 7, 2, SHAPE_MIXED, 120 },
	{ "mixed burst 64 8q", 0, 0, 5000, 1000000, 64, 8, SHAPE_MIXED, 120 },
	{ "mixed burst 400 1q", 0, 0, 400, 20000, 0, 1, SHAPE_MIXED, 60 },
	{ "mixed burst 400 2q", 0, 0, 400, 20000, 0, 2, SHAPE_MIXED, 60 },
	{ "mixed burst 400 8q", 0, 0, 400, 20000, 0, 8, SHAPE_MIXED, 60 },
	{ "mixed 20kpps 2q late wakes", 0, 0, 400, 20000, 0, 2, SHAPE_MIXED,
	  60, 5000 },
	/* Byte limits, and both */
	{ "bytes 1Mb/s 1q", 125000, 1000000, 0, 0, 0, 1, SHAPE_60B, 60 },
	{ "bytes 1Mb/s@500us 2q", 62, 500, 0, 0, 0, 2, SHAPE_60B, 60 },
	{ "bytes 10Mb/s tso45 2q", 1250000, 1000000, 0, 0, 0, 2, SHAPE_TSO45,
	  120 },
	{ "bytes+pkts pkts rule 2q", 1250000, 1000000, 100, 20000, 0, 2,
	  SHAPE_60B, 20 },
	{ "bytes+pkts bytes rule 2q", 125000, 1000000, 5000, 1000000, 0, 2,
	  SHAPE_60B, 60 },
	{ "bytes+pkts mixed 8q", 2500000, 1000000, 5000, 1000000, 0, 8,
	  SHAPE_MIXED, 120 },
	/* Save up the credit that did not refuse, then spend it */
	{ "save pkts under bytes 1q", 62500, 50000, 1000, 50000, 0, 1,
	  SHAPE_SAVE_PKTS, 60 },
	{ "save pkts under bytes 2q", 62500, 50000, 1000, 50000, 0, 2,
	  SHAPE_SAVE_PKTS, 60 },
	{ "save bytes under pkts 1q", 62500, 50000, 1000, 50000, 0, 1,
	  SHAPE_SAVE_BYTES, 60 },
	{ "save bytes under pkts 2q", 62500, 50000, 1000, 50000, 0, 2,
	  SHAPE_SAVE_BYTES, 60 },
	/* Very slow and very fast */
	{ "pkts 1/s 1q", 0, 0, 1, 1000000, 0, 1, SHAPE_60B, 3600 },
	{ "pkts 1/s tso45 2q", 0, 0, 1, 1000000, 0, 2, SHAPE_TSO45, 36000 },
	{ "pkts 1us interval 1q", 0, 0, 1, 1, 64, 1, SHAPE_60B, 1 },
};

static void rate_case_desc(const struct rate_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rate, rate_cases, rate_case_desc);

/*
 * Under a flood the vif passes the configured rate within 0.1% over the
 * run, never more than burst + rate x t at any poll (GSO segments
 * included), nor in the second half of the run more than burst + rate x t
 * plus what the queues held when it began, a queue never holds more than
 * its refused head packet's cost and its GSO refunds (no queue saves up
 * credit), and a queue woken after a refusal always passes something: it
 * paid for its head packet before it slept, so no other queue can starve
 * it.
 */
static void credit_rate_test(struct kunit *test)
{
	const struct rate_case *t = test->param_value;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	u64 end = t->secs * NSEC_PER_SEC_ULL;
	u64 want_b = 0, want_p = 0, low_p;
	struct sim *s;
	unsigned int i;

	sim_cfg(test, cfg, t->bytes, t->bytes_usec, t->pkts, t->pkts_usec,
		t->burst);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	sim_init(s, cfg, t->nq, t->shape);
	s->jitter = t->jitter_us * NSEC_PER_USEC_ULL;
	s->switch_at = end / 2;
	sim_run(s, end);

	KUNIT_EXPECT_FALSE(test, s->runaway);
	KUNIT_EXPECT_EQ(test, s->empty_wakes, 0ULL);
	KUNIT_EXPECT_LE_MSG(test, s->excess, 0LL,
			    "passed more than burst + rate x t");
	KUNIT_EXPECT_TRUE(test, s->in_window);
	KUNIT_EXPECT_LE_MSG(test, s->win_excess, 0LL,
			    "second half: more than burst + rate x t");
	KUNIT_EXPECT_LE_MSG(test, s->hoard, 0LL,
			    "a queue held more than its head packet's cost");
	if (shape_switches(t->shape))
		goto progress;
	if (t->pkts)
		want_p = div64_u64(div_u64(end, 1000) * t->pkts, t->pkts_usec);
	if (t->bytes)
		want_b = div64_u64(div_u64(end, 1000) * t->bytes,
				   t->bytes_usec);
	/* The tighter limit rules; the other is met with room. */
	/* Each queue may end with a packet paid for, not yet sent. */
	low_p = want_p - min_t(u64, want_p,
			       t->nq * sim_segs(SIM_HDR + 45 * 1448, 1448));
	if (t->pkts && (!t->bytes || s->wire * 1000 >= low_p * 999)) {
		KUNIT_EXPECT_GE_MSG(test, s->wire * 1000, low_p * 999,
				    "wire %llu, want %llu", s->wire, want_p);
		KUNIT_EXPECT_LE_MSG(test, s->wire * 1000,
				    (want_p + cfg[P].burst) * 1001,
				    "wire %llu, want %llu", s->wire, want_p);
	} else {
		KUNIT_EXPECT_GE_MSG(test, s->bytes * 1000, want_b * 999,
				    "bytes %llu, want %llu", s->bytes, want_b);
		KUNIT_EXPECT_LE_MSG(test, s->bytes * 1000,
				    (want_b + cfg[B].burst) * 1001,
				    "bytes %llu, want %llu", s->bytes, want_b);
	}
progress:
	/* Every queue takes part. */
	for (i = 0; i < t->nq; i++)
		KUNIT_EXPECT_GT_MSG(test, s->seq[i], 0ULL, "queue %u", i);
}

/*
 * A GSO packet of 65481 one-byte segments under one packet per second
 * (the case, where a debt floor once let 1.86 pps through): it
 * waits until its segments are paid for, so over 60 s nothing passes,
 * and over hours the rate holds within 1%.
 */
static void credit_tiny_mss_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	u64 segs = sim_segs(65535, 1);
	struct sim *s;

	sim_cfg(test, cfg, 0, 0, 1, 1000000, 0);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	sim_init(s, cfg, 2, SHAPE_TINY_MSS);
	sim_run(s, 60 * NSEC_PER_SEC_ULL);
	KUNIT_EXPECT_FALSE(test, s->runaway);
	KUNIT_EXPECT_EQ(test, s->wire, 0ULL);

	/* Ten packets' worth of time: ten packets, give or take one. */
	sim_run(s, 10 * segs * NSEC_PER_SEC_ULL + NSEC_PER_SEC_ULL);
	KUNIT_EXPECT_GE(test, s->wire, 9 * segs);
	KUNIT_EXPECT_LE(test, s->wire, 10 * segs + 1);
	KUNIT_EXPECT_LE(test, s->excess, 0LL);
}

/*
 * One packet per 71 minutes and a packet costing 65481 of them: 9 years
 * of credit, far past the 2^61 fixed-point ns one step can hold.  It is
 * paid for in steps, and still waits its whole cost.
 */
static void credit_huge_cost_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	u64 now = 0, cost = 65481, steps = 0;
	/* 2^32 us per packet, in ns */
	u64 per = (u64)U32_MAX * 1000;

	sim_cfg(test, cfg, 0, 0, 1, U32_MAX, 0);
	t_bucket_init(&b, cfg, 0);
	for (;;) {
		t_begin(&bt, &b, &q, now);
		if (t_take(&bt, 60, cost)) {
			xenvif_credit_end(&bt);
			break;
		}
		xenvif_credit_end(&bt);
		KUNIT_ASSERT_NE(test, bt.wait, U64_MAX);
		KUNIT_ASSERT_GE(test, b.credit[P], -XENVIF_CREDIT_MAX);
		now += bt.wait;
		KUNIT_ASSERT_LT(test, ++steps, 1000000ULL);
	}
	/* The first packet of the bucket was free: cost - 1 to wait for. */
	KUNIT_EXPECT_GE(test, now, (cost - 1) * per - per);
	KUNIT_EXPECT_GT(test, steps, 1ULL);
}

/*
 * A closed credit passes nothing, not even a request of no bytes (which
 * netback answers with an error), and says to wait for the toolstack.
 */
static void credit_closed_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	int i;

	xenvif_credit_cfg_off(&cfg[B], XENVIF_CREDIT_OFF);
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_CLOSED);
	t_bucket_init(&b, cfg, 0);
	for (i = 0; i < 3; i++) {
		t_begin(&bt, &b, &q, (u64)i * NSEC_PER_SEC_ULL);
		KUNIT_EXPECT_FALSE(test, t_take(&bt, 60, 1));
		KUNIT_EXPECT_EQ(test, bt.wait, U64_MAX);
		KUNIT_EXPECT_FALSE(test, t_take(&bt, 0, 1));
		xenvif_credit_end(&bt);
	}
	/* Closed bytes too, whatever the packet credit says. */
	xenvif_credit_cfg_off(&cfg[B], XENVIF_CREDIT_CLOSED);
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_OFF);
	t_bucket_init(&b, cfg, 0);
	memset(&q, 0, sizeof(q));	/* as netback does for a new limit */
	t_begin(&bt, &b, &q, NSEC_PER_SEC_ULL);
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 60, 1));
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 0, 1));
	KUNIT_EXPECT_EQ(test, bt.wait, U64_MAX);
	xenvif_credit_end(&bt);
	/* ... and beside a packet limit, whose bucket it leaves alone. */
	sim_cfg(test, cfg, 0, 0, 1000, 1000000, 0);
	xenvif_credit_cfg_off(&cfg[B], XENVIF_CREDIT_CLOSED);
	t_bucket_init(&b, cfg, 0);
	memset(&q, 0, sizeof(q));
	for (i = 0; i < 3; i++) {
		t_begin(&bt, &b, &q, (u64)i * NSEC_PER_SEC_ULL);
		KUNIT_EXPECT_FALSE(test, t_take(&bt, 0, 1));
		KUNIT_EXPECT_EQ(test, bt.wait, U64_MAX);
		xenvif_credit_end(&bt);
	}
	KUNIT_EXPECT_EQ(test, b.credit[P], cfg[P].size);
	KUNIT_EXPECT_EQ(test, q.held.units[P], 0ULL);
}

/* With no limit of a type, its allowance outlasts any batch. */
static void credit_off_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	int i;

	sim_cfg(test, cfg, 0, 0, 1000, 1000000, 0);
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt, &b, &q, 0);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_TRUE(test, t_take(&bt, 65535, 1));
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 60, 1));
	xenvif_credit_end(&bt);
	/* It paid for one more packet, into debt. */
	KUNIT_EXPECT_EQ(test, q.held.units[P], 1ULL);
	KUNIT_EXPECT_LT(test, b.credit[P], 0LL);
}

/*
 * A batch gives back what it does not spend, up to a full bucket; a
 * refused queue keeps what it paid for and sends it first when it wakes.
 */
static void credit_end_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q0 = {}, q1 = {};
	struct xenvif_credit_batch bt0, bt1;
	u64 ms = 1000000;

	sim_cfg(test, cfg, 0, 0, 100, 20000, 0);	/* 5 per ms */
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt0, &b, &q0, 0);
	KUNIT_EXPECT_EQ(test, bt0.allow.units[P], 100ULL);
	/* Another queue meanwhile finds the buckets empty: it pays. */
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_EQ(test, bt1.wait, 5 * ms + 200000);
	xenvif_credit_end(&bt1);
	KUNIT_EXPECT_EQ(test, q1.held.units[P], 1ULL);
	/* The first spends 10 and gives 90 back: the debt of 1 stays. */
	KUNIT_EXPECT_TRUE(test, t_take(&bt0, 60, 10));
	xenvif_credit_end(&bt0);
	KUNIT_EXPECT_EQ(test, div64_s64(b.credit[P], cfg[P].unit), 89LL);
	/* Its wake-up: what it paid for, and the full bucket (89 + 25). */
	t_begin(&bt1, &b, &q1, 5 * ms);
	KUNIT_EXPECT_EQ(test, bt1.allow.units[P], 1ULL + 100);
	KUNIT_EXPECT_EQ(test, q1.held.units[P], 0ULL);
	xenvif_credit_end(&bt1);
	KUNIT_EXPECT_EQ(test, b.credit[P], cfg[P].size);
}

/*
 * A queue refused while another queue's batch holds the units is woken
 * when that batch gives back a quarter of a bucket, not left asleep for
 * its whole wait (a quarter of the burst's time: 250 ms at 1000 pps).
 */
static void credit_wake_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q0 = {}, q1 = {};
	struct xenvif_credit_batch bt0, bt1;
	u64 ms = 1000000;

	sim_cfg(test, cfg, 0, 0, 1000, 1000000, 0);	/* 1 per ms */
	t_bucket_init(&b, cfg, 0);
	/* Nobody waits: a batch that gives back wakes nobody. */
	t_begin(&bt0, &b, &q0, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt0, 60, 1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt0));

	/* q0's batch holds all; q1 is refused for 250 ms. */
	t_begin(&bt0, &b, &q0, 0);
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_EQ(test, bt1.wait, 251 * ms);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_ready(&b));
	/* q0 spends 10 and gives 989 back: q1 is woken. */
	KUNIT_EXPECT_TRUE(test, t_take(&bt0, 60, 10));
	KUNIT_EXPECT_TRUE(test, xenvif_credit_end(&bt0));
	KUNIT_EXPECT_TRUE(test, xenvif_credit_ready(&b));
	/* q1 polls at once and sends what it paid for, and more. */
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_TRUE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	/* It waits no more: the next batch's end wakes nobody. */
	t_begin(&bt0, &b, &q0, 0);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt0));
	KUNIT_EXPECT_EQ(test, b.waiters, 0U);

	/* A queue's own refusal: its next batch wakes nobody. */
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt1, 60, bt1.allow.units[P]));
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	KUNIT_EXPECT_EQ(test, b.waiters, 1U);
	t_begin(&bt1, &b, &q1, 300 * ms);
	KUNIT_EXPECT_EQ(test, b.waiters, 0U);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	/* Nor does a queue that goes: it waits no more. */
	t_begin(&bt1, &b, &q1, 300 * ms);
	KUNIT_EXPECT_TRUE(test, t_take(&bt1, 60, bt1.allow.units[P]));
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	xenvif_credit_queue_release(&b, &q1);
	KUNIT_EXPECT_EQ(test, b.waiters, 0U);
	t_begin(&bt0, &b, &q0, 600 * ms);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt0));

	/* A batch that spends all it held wakes nobody: q1 sleeps on. */
	t_begin(&bt0, &b, &q0, 1000 * ms);
	t_begin(&bt1, &b, &q1, 1000 * ms);
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	KUNIT_EXPECT_TRUE(test, t_take(&bt0, 60, bt0.allow.units[P]));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt0));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_ready(&b));
	/* Nor one that leaves the bucket below a quarter. */
	t_begin(&bt0, &b, &q0, 1200 * ms);
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt0));
	/* The first batch once it is a quarter full does. */
	t_begin(&bt0, &b, &q0, 1260 * ms);
	KUNIT_EXPECT_TRUE(test, xenvif_credit_end(&bt0));

	/* A closed credit is never ready: its queues wait for the toolstack. */
	xenvif_credit_cfg_off(&cfg[P], XENVIF_CREDIT_CLOSED);
	t_bucket_init(&b, cfg, 0);
	memset(&q1, 0, sizeof(q1));	/* a new limit: the queue starts afresh */
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 60, 1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_end(&bt1));
	KUNIT_EXPECT_FALSE(test, xenvif_credit_ready(&b));
}

/*
 * Two lightly loaded queues (2 packets per ms each, far below the limit)
 * whose polls overlap: the second finds the buckets lent to the first's
 * batch and is refused, every time.  It must be polled again when that
 * batch gives the units back, not sleep a quarter of the burst's time
 * (250 ms here): no queue goes more than a poll gap without sending, and
 * all the demand passes.
 */
static void credit_overlap_test(struct kunit *test)
{
	static const struct {
		u64 bytes, pkts;
	} lim[] = {
		{ 0, 100000 },		/* 100 kpps, burst 1 s */
		{ 125000000, 0 },	/* 1 Gbit/s, burst 1 s */
		{ 125000000, 100000 },
	};
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	u64 end = 2 * NSEC_PER_SEC_ULL, ms = 1000000;
	struct sim *s;
	unsigned int i, k;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (k = 0; k < ARRAY_SIZE(lim); k++) {
		sim_cfg(test, cfg, lim[k].bytes, 1000000, lim[k].pkts, 1000000,
			0);
		sim_init(s, cfg, 2, SHAPE_60B);
		s->demand = 2;
		s->gap = ms;
		s->overlap = 10000;
		sim_run(s, end);
		KUNIT_EXPECT_FALSE(test, s->runaway);
		KUNIT_EXPECT_EQ(test, s->empty_wakes, 0ULL);
		KUNIT_EXPECT_LE(test, s->excess, 0LL);
		for (i = 0; i < 2; i++) {
			KUNIT_EXPECT_LE_MSG(test, s->max_gap[i], ms,
					    "limit %u, queue %u", k, i);
			KUNIT_EXPECT_GE_MSG(test, s->seq[i], 2 * 2000ULL - 2,
					    "limit %u, queue %u", k, i);
		}
	}
}

/*
 * A new value for one key keeps the other type's bucket, refilled to the
 * present, debt included: rewriting "rate-packets" must not hand out a
 * fresh byte burst, nor forgive byte debt.  The changed type starts full.
 */
static void credit_carry_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket old, b;
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	u64 ms = 1000000;
	s64 held;

	/* 1 MB/s (burst 1 MB), 1000 pps (burst 1000) */
	sim_cfg(test, cfg, 1000000, 1000000, 1000, 1000000, 0);
	t_bucket_init(&old, cfg, 0);
	t_begin(&bt, &old, &q, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt, 600000, 600));
	xenvif_credit_end(&bt);
	/* 100 ms later: 400000 + 100000 bytes, 400 + 100 packets. */
	sim_cfg(test, cfg, 1000000, 1000000, 2000, 1000000, 0);
	t_bucket_init(&b, cfg, 100 * ms);
	xenvif_credit_bucket_carry(&b, &old, 100 * ms);
	KUNIT_EXPECT_EQ(test, div64_s64(b.credit[B], cfg[B].unit), 500000LL);
	KUNIT_EXPECT_EQ(test, b.credit[P], cfg[P].size);
	/* Moved: a batch of the old limit finds no bytes there. */
	KUNIT_EXPECT_EQ(test, old.credit[B], 0LL);

	/* Debt moves too: a request refused on bytes paid into it. */
	memset(&q, 0, sizeof(q));
	t_begin(&bt, &b, &q, 100 * ms);
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 600000, 1));
	xenvif_credit_end(&bt);
	held = b.credit[B];
	KUNIT_EXPECT_LT(test, held, 0LL);
	sim_cfg(test, cfg, 1000000, 1000000, 3000, 1000000, 0);
	t_bucket_init(&old, cfg, 100 * ms);
	xenvif_credit_bucket_carry(&old, &b, 100 * ms);
	KUNIT_EXPECT_EQ(test, old.credit[B], held);
	KUNIT_EXPECT_EQ(test, b.credit[B], held);

	/* A changed type, or one with no limit, starts afresh. */
	sim_cfg(test, cfg, 2000000, 1000000, 0, 0, 0);
	t_bucket_init(&b, cfg, 100 * ms);
	xenvif_credit_bucket_carry(&b, &old, 100 * ms);
	KUNIT_EXPECT_EQ(test, b.credit[B], cfg[B].size);
	KUNIT_EXPECT_EQ(test, b.credit[P], 0LL);
}

/*
 * A limit change while a queue is throttled: the queue gives what it paid
 * for its head request to the new limit (xenvif_credit_queue_move(), at
 * its next batch), so the request is charged once.  Dropped instead, a
 * change of the other key every 40 ms made each change cost a 45-segment
 * packet on top of the carried debt, and the vif passed its first burst
 * and then nothing (990 wire packets in 10 s).
 */
static void credit_change_throttled_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket bk[2];
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	u64 ms = 1000000, t, next = 0, wire = 0;
	unsigned int i;
	int cur = 0, k = 0;

	/* 1000 pps, burst 1000; "rate" rewritten every 40 ms */
	sim_cfg(test, cfg, 125000000, 1000000, 1000, 1000000, 0);
	t_bucket_init(&bk[0], cfg, 0);
	for (i = 0; i < 10000; i++) {
		t = i * ms;
		if (i && i % 40 == 0) {
			sim_cfg(test, cfg, 125000000 + (++k & 1), 1000000,
				1000, 1000000, 0);
			t_bucket_init(&bk[!cur], cfg, t);
			xenvif_credit_bucket_carry(&bk[!cur], &bk[cur], t);
			cur = !cur;
			/* netback's next batch: the generation changed */
			xenvif_credit_queue_move(&bk[cur], &q);
			next = t;	/* xenvif_set_rate() polls the queue */
		}
		if (t < next)
			continue;
		t_begin(&bt, &bk[cur], &q, t);
		while (t_take(&bt, 54 + 45 * 1448, 45))
			wire += 45;
		xenvif_credit_end(&bt);
		next = t + bt.wait;
	}
	/* burst + 10 s at 1000 pps, and at most one packet's overshoot */
	KUNIT_EXPECT_GE(test, wire, 10000ULL);
	KUNIT_EXPECT_LE(test, wire, 11000ULL + 45);
}

/*
 * Between xenvif_credit_bucket_carry() and the new limit coming into
 * force, queues may still poll under the old buckets: those refill no
 * more, so that the time from the carry is spent once, under the new
 * limit.  Before, 10 ms with both in use passed 20 packets at 1000 pps.
 */
static void credit_carry_retire_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket old, b;
	struct xenvif_credit_queue q1 = {}, q2 = {};
	struct xenvif_credit_batch bt;
	u64 ms = 1000000, n = 0;

	sim_cfg(test, cfg, 125000000, 1000000, 1000, 1000000, 0);
	t_bucket_init(&old, cfg, 0);
	old.credit[P] = 0;			/* a flood emptied it */
	sim_cfg(test, cfg, 125000001, 1000000, 1000, 1000000, 0);
	t_bucket_init(&b, cfg, 0);
	xenvif_credit_bucket_carry(&b, &old, 0);
	/* 10 ms later: one queue still under the old limit, one under b */
	t_begin(&bt, &old, &q1, 10 * ms);
	while (t_take(&bt, 60, 1))
		n++;
	xenvif_credit_end(&bt);
	KUNIT_EXPECT_EQ(test, n, 0ULL);
	t_begin(&bt, &b, &q2, 10 * ms);
	while (t_take(&bt, 60, 1))
		n++;
	xenvif_credit_end(&bt);
	KUNIT_EXPECT_EQ(test, n, 10ULL);
}

/*
 * A queue refused on one type keeps of the other what its packet costs
 * and gives the rest back, so that refusal after refusal it cannot save
 * up more than a burst.
 */
static void credit_refuse_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	u64 ms = 1000000;
	int i;

	/* 1 MB/s (the 128 KiB minimum bucket) and 1000 packets per ms */
	sim_cfg(test, cfg, 1000000, 1000000, 1000, 1000, 0);
	t_bucket_init(&b, cfg, 0);
	for (i = 0; i < 10; i++) {
		s64 sent = 0, held = q.held.units[P];

		/* 100 ms: a full bucket of packets, whatever it held */
		t_begin(&bt, &b, &q, i * 100 * ms);
		while (t_take(&bt, 65535, 1))
			sent++;
		xenvif_credit_end(&bt);
		KUNIT_ASSERT_TRUE(test, bt.refused);
		KUNIT_EXPECT_GT(test, sent, 0LL);
		/* One packet's worth held, the rest back in the bucket. */
		KUNIT_EXPECT_EQ(test, q.held.units[P], 1ULL);
		KUNIT_EXPECT_EQ(test, b.credit[P],
				cfg[P].size -
				(sent + 1 - held) * (s64)cfg[P].unit);
	}
	/* A packet refused on its segments keeps only its bytes. */
	memset(&q, 0, sizeof(q));
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt, &b, &q, 0);
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 4096, 5000));
	xenvif_credit_end(&bt);
	KUNIT_EXPECT_EQ(test, q.held.units[B], 4096ULL);
	KUNIT_EXPECT_EQ(test, q.held.units[P], 5000ULL);
	KUNIT_EXPECT_EQ(test, b.credit[B], cfg[B].size - 4096 * (s64)cfg[B].unit);
}

/*
 * A queue that goes away while it waits gives back what it paid for the
 * request at its head, so that the queue its frontend connects next does
 * not pay for it a second time; never beyond a full bucket.
 */
static void credit_release_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q = {}, q2 = {};
	struct xenvif_credit_batch bt;
	u64 ms = 1000000;

	/* 10 packets per second, burst 1, and 1 MB/s */
	sim_cfg(test, cfg, 1000000, 1000000, 10, 1000000, 1);
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt, &b, &q, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt, 1000, 1));
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 1000, 1));
	xenvif_credit_end(&bt);
	KUNIT_ASSERT_EQ(test, q.held.units[P], 1ULL);
	KUNIT_ASSERT_EQ(test, q.held.units[B], 1000ULL);
	KUNIT_EXPECT_EQ(test, b.credit[P], -(s64)cfg[P].unit);

	/* The ring goes; 100 ms later the new queue's packet goes. */
	xenvif_credit_queue_release(&b, &q);
	KUNIT_EXPECT_EQ(test, q.held.units[P], 0ULL);
	KUNIT_EXPECT_EQ(test, q.held.units[B], 0ULL);
	KUNIT_EXPECT_EQ(test, b.credit[P], 0LL);
	KUNIT_EXPECT_EQ(test, b.credit[B], cfg[B].size - 1000 * (s64)cfg[B].unit);
	t_begin(&bt, &b, &q2, 100 * ms);
	KUNIT_EXPECT_TRUE(test, t_take(&bt, 1000, 1));
	KUNIT_EXPECT_FALSE(test, t_take(&bt, 1000, 1));
	xenvif_credit_end(&bt);

	/* Released into a full bucket, held units are not saved up. */
	t_begin(&bt, &b, &q2, 10000 * ms);
	KUNIT_EXPECT_EQ(test, bt.allow.units[P], 1ULL + 1);
	xenvif_credit_end(&bt);
	KUNIT_EXPECT_EQ(test, b.credit[P], cfg[P].size);
	q2.held.units[P] = 5;
	xenvif_credit_queue_release(&b, &q2);
	KUNIT_EXPECT_EQ(test, b.credit[P], cfg[P].size);
	KUNIT_EXPECT_EQ(test, q2.held.units[P], 0ULL);
}

/*
 * A TSO packet charged as if its headers were 54 bytes long is 46
 * segments; once the skb shows 66 bytes of headers, one comes back.
 */
static void credit_gso_test(struct kunit *test)
{
	struct xenvif_credit_queue q = {};

	KUNIT_EXPECT_EQ(test, xenvif_credit_gso_segs(66 + 45 * 1448, 1448),
			46ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_gso_segs(54 + 45 * 1448, 1448),
			45ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_gso_segs(60, 1448), 1ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_gso_segs(10, 1), 1ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_gso_segs(65535, 1), 65481ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_gso_segs(65535, 0), 1ULL);
	xenvif_credit_gso_refund(&q, 66 + 45 * 1448, 1448, 45);
	KUNIT_EXPECT_EQ(test, q.held.units[P], 1ULL);
	/* Nothing back for a packet charged what it has. */
	xenvif_credit_gso_refund(&q, 54 + 45 * 1448, 1448, 45);
	KUNIT_EXPECT_EQ(test, q.held.units[P], 1ULL);
	/* Headers and no payload (0 segments): still one frame. */
	xenvif_credit_gso_refund(&q, 54, 1400, 0);
	KUNIT_EXPECT_EQ(test, q.held.units[P], 1ULL);
}

/*
 * Units a batch gives back never cancel the debt another queue paid
 * into the bucket: with a bucket capped at 2^61 fixed-point ns, a batch
 * that spent nothing once refilled it whole.
 */
static void credit_debt_kept_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q0 = {}, q1 = {};
	struct xenvif_credit_batch bt0, bt1;
	u64 full;

	/* 1 packet per second, a burst longer than 2^61 ns can hold */
	sim_cfg(test, cfg, 0, 0, 1, 1000000, 40000);
	KUNIT_ASSERT_EQ(test, cfg[P].size, XENVIF_CREDIT_MAX);
	full = cfg[P].max_units;
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt0, &b, &q0, 0);
	KUNIT_EXPECT_EQ(test, bt0.allow.units[P], full);
	/* Another queue pays into debt for a packet of 65481 segments. */
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_FALSE(test, t_take(&bt1, 65535, 65481));
	xenvif_credit_end(&bt1);
	KUNIT_EXPECT_LT(test, b.credit[P], 0LL);
	/* The first spends nothing: what it gives back meets that debt. */
	xenvif_credit_end(&bt0);
	KUNIT_EXPECT_LT(test, b.credit[P], (s64)cfg[P].unit);
	KUNIT_EXPECT_GE(test, b.credit[P], 0LL);
}

/*
 * A batch that runs long asks the buckets at the present time.  Another
 * queue's batch gives back a full bucket while this one is open; taking
 * from it without refilling to the present first (with the time the batch
 * began) let the next refill count the time the bucket sat full once
 * more: 19 packets in a window of 10 us that allows 11.
 */
static void credit_slow_path_time_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q0 = {}, q1 = {}, q2 = {};
	struct xenvif_credit_batch bt0, bt1, bt2;
	u64 us = NSEC_PER_USEC_ULL;
	int sent = 0;

	/* 100 kpps, a burst of 10: a unit every 10 us */
	sim_cfg(test, cfg, 0, 0, 100, 1000, 10);
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt1, &b, &q1, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt1, 60, 1));
	/* Opened at 1 us, finds the bucket empty, builds for 150 us. */
	t_begin(&bt0, &b, &q0, 1 * us);
	KUNIT_EXPECT_EQ(test, bt0.allow.units[P], 0ULL);
	xenvif_credit_end(&bt1);
	/* The window [150 us, 160 us]: the bucket full, nobody holding. */
	credit_test_now = 150 * us;
	while (t_take(&bt0, 60, 1))
		sent++;
	xenvif_credit_end(&bt0);
	KUNIT_EXPECT_EQ(test, bt0.now, 150 * us);
	t_begin(&bt2, &b, &q2, 160 * us);
	while (t_take(&bt2, 60, 1))
		sent++;
	xenvif_credit_end(&bt2);
	/* burst + rate x 10 us */
	KUNIT_EXPECT_LE(test, sent, 11);
	KUNIT_EXPECT_GE(test, sent, 10);
}

/*
 * A refused queue's wake-up counts from the present, not from when its
 * batch began: the buckets may have been refilled since by another
 * queue, and a timer counted from the older time fired while the bucket
 * was still deep in debt.
 */
static void credit_wait_from_now_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q0 = {}, q1 = {};
	struct xenvif_credit_batch bt0, bt1;
	u64 us = NSEC_PER_USEC_ULL;

	/* 100 kpps, a burst of 5: a unit every 10 us */
	sim_cfg(test, cfg, 0, 0, 100000, 1000000, 5);
	t_bucket_init(&b, cfg, 0);
	t_begin(&bt0, &b, &q0, 0);
	KUNIT_EXPECT_TRUE(test, t_take(&bt0, 60, 5));
	/* Another queue refills the bucket at 50 us and takes it all. */
	t_begin(&bt1, &b, &q1, 50 * us);
	KUNIT_EXPECT_EQ(test, bt1.allow.units[P], 5ULL);
	/* At 50 us too, the first asks for a GSO packet of 20 segments. */
	credit_test_now = 50 * us;
	KUNIT_EXPECT_FALSE(test, t_take(&bt0, 29000, 20));
	xenvif_credit_end(&bt0);
	xenvif_credit_end(&bt1);
	/* 20 units of debt, then a quarter bucket: 212.5 us after 50 us. */
	KUNIT_EXPECT_EQ(test, bt0.now + bt0.wait, 50 * us + 212500);
}

/*
 * While its allowance lasts, a batch never reads the clock: not for a
 * type with no limit, whatever its packets cost, nor for one whose
 * bucket held enough.  The first packet the allowance cannot cover takes
 * the slow path, which reads it once.
 */
static void credit_fast_path_test(struct kunit *test)
{
	static const struct {
		u64 bytes, pkts;	/* per second, 0: no limit */
	} limits[] = {
		{ 0, 0 }, { 0, 1000 }, { 1000000, 0 }, { 1000000, 1000 },
	};
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q;
	struct xenvif_credit_batch bt;
	unsigned int i, n;
	u64 reads;

	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		sim_cfg(test, cfg, limits[i].bytes, 1000000, limits[i].pkts,
			1000000, 0);
		t_bucket_init(&b, cfg, 0);
		memset(&q, 0, sizeof(q));
		t_begin(&bt, &b, &q, 0);
		reads = credit_test_clock_reads;
		/* 983025 bytes and 960 packets: within both buckets */
		for (n = 0; n < 15; n++)
			KUNIT_EXPECT_TRUE(test, t_take(&bt, 65535, 64));
		KUNIT_EXPECT_EQ(test, credit_test_clock_reads, reads);
		if (limits[i].bytes || limits[i].pkts) {
			KUNIT_EXPECT_FALSE(test, t_take(&bt, 65535, 64));
			KUNIT_EXPECT_EQ(test, credit_test_clock_reads,
					reads + 1);
		} else {
			/* 2^32 bytes and packets: no end in sight */
			for (n = 0; n < 65536; n++)
				KUNIT_ASSERT_TRUE(test,
						  t_take(&bt, 65535, 65535));
			KUNIT_EXPECT_EQ(test, credit_test_clock_reads, reads);
		}
		xenvif_credit_end(&bt);
	}
}

/* A unit never costs less than its share of the interval. */
static void credit_unit_round_test(struct kunit *test)
{
	static const u64 amounts[] = { 1, 3, 7, 1253, 8500, 65535, 1000003,
				       1ULL << 40, U64_MAX };
	static const u64 usecs[] = { 1, 3, 1000, 50000, 999999, U32_MAX };
	struct xenvif_credit_cfg cfg;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(amounts); i++) {
		for (j = 0; j < ARRAY_SIZE(usecs); j++) {
			u64 interval = (usecs[j] * 1000) << XENVIF_CREDIT_SHIFT;
			int err;

			err = xenvif_credit_cfg_init(&cfg, amounts[i], usecs[j],
						     1);
			KUNIT_ASSERT_EQ(test, err, 0);
			/* unit > 1 only if amount < interval: no overflow */
			if (cfg.unit == 1)
				KUNIT_EXPECT_GE(test, amounts[i], interval);
			else
				KUNIT_EXPECT_GE_MSG(test,
						    cfg.unit * amounts[i],
						    interval, "%llu,%llu",
						    amounts[i], usecs[j]);
			KUNIT_EXPECT_LT(test, (cfg.unit - 1) * amounts[i],
					interval);
		}
	}
}

/* The clock going back, standing still, or jumping by years. */
static void credit_clock_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit_bucket b;
	struct xenvif_credit_queue q = {};
	struct xenvif_credit_batch bt;
	u64 t0 = U64_MAX - NSEC_PER_SEC_ULL;

	sim_cfg(test, cfg, 125000, 1000000, 1000, 1000000, 10);
	t_bucket_init(&b, cfg, t0);
	t_begin(&bt, &b, &q, t0);
	KUNIT_EXPECT_EQ(test, bt.allow.units[P], 10ULL);
	KUNIT_EXPECT_TRUE(test, t_take(&bt, 60, 10));
	xenvif_credit_end(&bt);
	/* Back in time: nothing. */
	t_begin(&bt, &b, &q, t0 - NSEC_PER_SEC_ULL);
	KUNIT_EXPECT_EQ(test, bt.allow.units[P], 0ULL);
	xenvif_credit_end(&bt);
	/* Across the wrap of the clock: 2 ms later, 2 packets. */
	t_begin(&bt, &b, &q, t0 + 2000000);
	KUNIT_EXPECT_EQ(test, bt.allow.units[P], 2ULL);
	xenvif_credit_end(&bt);
	/* Years later: a full bucket, no more. */
	t_begin(&bt, &b, &q, t0 + (1ULL << 62));
	KUNIT_EXPECT_EQ(test, bt.allow.units[P], 10ULL);
	KUNIT_EXPECT_EQ(test, bt.allow.units[B], 131072ULL);
	xenvif_credit_end(&bt);
}

/* Absurd limits saturate rather than wrap, and never lift the limit. */
static void credit_saturate_test(struct kunit *test)
{
	struct xenvif_credit_cfg cfg;

	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg, U64_MAX, 1, U64_MAX),
			0);
	KUNIT_EXPECT_EQ(test, cfg.unit, 1ULL);
	KUNIT_EXPECT_EQ(test, cfg.size, XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg, 1, U32_MAX, U64_MAX),
			0);
	KUNIT_EXPECT_EQ(test, cfg.size, XENVIF_CREDIT_MAX);
	KUNIT_EXPECT_GE(test, cfg.max_units, 1ULL);
	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg, 1, 1ULL << 32, 1),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, xenvif_credit_cfg_init(&cfg, 0, 1, 1), -EINVAL);
}

static struct kunit_case xen_netback_credit_cases[] = {
	KUNIT_CASE_PARAM(credit_parse_test, parse_gen_params),
	KUNIT_CASE_PARAM(credit_rate_test, rate_gen_params),
	KUNIT_CASE(credit_tiny_mss_test),
	KUNIT_CASE(credit_huge_cost_test),
	KUNIT_CASE(credit_closed_test),
	KUNIT_CASE(credit_off_test),
	KUNIT_CASE(credit_end_test),
	KUNIT_CASE(credit_wake_test),
	KUNIT_CASE(credit_overlap_test),
	KUNIT_CASE(credit_carry_test),
	KUNIT_CASE(credit_change_throttled_test),
	KUNIT_CASE(credit_carry_retire_test),
	KUNIT_CASE(credit_refuse_test),
	KUNIT_CASE(credit_release_test),
	KUNIT_CASE(credit_gso_test),
	KUNIT_CASE(credit_debt_kept_test),
	KUNIT_CASE(credit_slow_path_time_test),
	KUNIT_CASE(credit_wait_from_now_test),
	KUNIT_CASE(credit_fast_path_test),
	KUNIT_CASE(credit_unit_round_test),
	KUNIT_CASE(credit_clock_test),
	KUNIT_CASE(credit_saturate_test),
	{}
};

static struct kunit_suite xen_netback_credit_suite = {
	.name = "xen-netback-credit",
	.test_cases = xen_netback_credit_cases,
};

kunit_test_suite(xen_netback_credit_suite);

/* Built into xen-netback.ko when the driver is built: it names itself. */
#if !IS_ENABLED(CONFIG_XEN_NETDEV_BACKEND)
MODULE_DESCRIPTION("KUnit tests of the xen-netback transmit credit");
MODULE_LICENSE("GPL");
#endif
