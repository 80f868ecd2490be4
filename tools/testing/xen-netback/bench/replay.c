// SPDX-License-Identifier: GPL-2.0
/*
 * Fast-path cost of the xen-netback transmit credit, like for like.
 *
 * Replays the admission decisions of the NAPI transmit path
 * (xenvif_tx_build_gops()) in simulated time, with one of:
 *
 *   stock  the byte-only credit of stock linux-6.12 netback.c: per request
 *          "txreq.size > remaining_credit && tx_credit_exceeded()", then
 *          the subtraction; tx_credit_exceeded() reads jiffies
 *          (get_jiffies_64()), converts the window (__msecs_to_jiffies(),
 *          out of line in the kernel), tests timer_pending(), may refill
 *          (tx_add_credit()) and arms the timer (mod_timer()); the timer's
 *          callback, xenvif_tx_credit_callback(), refills and wakes the
 *          queue, once per window
 *   ours   the patched driver: per batch the hrtimer_is_queued() test
 *          (a throttled poll returns there), WRITE_ONCE(rate_limited),
 *          rcu_read_lock(), rcu_dereference() of vif->rate, the generation
 *          test, one ktime_get_ns() and xenvif_credit_begin(); per request
 *          xenvif_credit_take() (xenvif_credit_gso_segs() first for a GSO
 *          request), on refusal xenvif_tx_credit_throttle() (statistics,
 *          hrtimer_start(), smp_mb(), the rate and bucket re-checks); per
 *          batch xenvif_credit_end() (and, when it gave back what a
 *          throttled queue waits for, xenvif_tx_credit_wake()) and
 *          rcu_read_unlock(); per GSO skb
 *          xenvif_credit_gso_refund() (in xenvif_tx_submit()); the
 *          hrtimer's callback, xenvif_tx_credit_callback(), per wake-up.
 *          With no limit, a test of vif->rate per request: no
 *          allowance, no bucket.
 *
 * Each side's batch is xenvif_tx_build_gops() itself, its credit lines as
 * in the driver, inline in the request loop: cnt_stock_batch(),
 * cnt_ours_batch().  What the loop does besides is two noipa calls per
 * request, skip_ring_get() and skip_build(), that callgrind does not count
 * (their names match a --toggle-collect pattern too, so collection stops
 * inside them).  The loop and those calls are counted once more, alone, in
 * cnt_null_batch() (the same loop with no credit at all), run in the same
 * pattern as a side's batches by "replay --shadow": subtracting it leaves
 * what the credit costs, register pressure included.  Counted for each
 * side (valgrind --tool=callgrind --toggle-collect='cnt_SIDE_*'
 * --toggle-collect='skip_*', and xenvif_credit_gso_refund for ours):
 *   cnt_stock_batch(), cnt_stock_timer()
 *   cnt_ours_batch(), cnt_ours_timer(), xenvif_credit_gso_refund()
 * with every function they call: credit.c, linked in as its own object as
 * in the module, and the stand-ins for the kernel services, the same on
 * both sides:
 *   ktime_get_ns(), get_jiffies_64()  a noipa call reading a volatile
 *                      counter (the simulated clock)
 *   hrtimer_start(), mod_timer()  a noipa call storing expiry and state
 *   hrtimer_is_queued(), timer_pending()  a load, as in the kernel
 *   rcu_read_lock()/_unlock()  noipa __rcu_read_lock()/_unlock() as in
 *                      kernel/rcu/tree_plugin.h (CONFIG_PREEMPT_RCU=y in
 *                      Debian's 6.12): nesting count, special-case test
 *   spin_lock()/_unlock()  lock/linux/spinlock.h: the preempt count and a
 *                      pthread spinlock (replay-spin) or nothing
 *                      (replay-nolock, built with -DBENCH_NOLOCK)
 *   xenvif_napi_schedule_or_enable_events()  a noipa call storing a flag
 *   smp_mb()           x86's lock; addl $0,-4(%rsp)
 * Not counted on either side: the ring and skb work, NAPI, and the timer
 * cores (expiry, softirq).
 *
 * Scenarios (BUDGET 64 requests per poll; a poll takes PKT_NS per packet
 * sent; a refused queue sleeps until its timer fires):
 *   flood       the guest offers far more than the limit: 60-byte frames
 *               every 50 ns (20 Mpps) against "rate=625000,50000" (100
 *               Mbit/s, 208 kpps of such frames) and, for ours,
 *               "rate-packets=12500,50000" (250 kpps)
 *   kick        as flood, and the guest's kicks poll a sleeping queue every
 *               20 us (each such poll is one refused decision)
 *   unthrottled limits far above the offered load (10 GB/s, 100 Mpps)
 *   nolimit     no limit (stock: remaining_credit = ~0UL; ours: vif->rate
 *               is NULL)
 *   gso         TSO packets of 45 segments (65226 bytes, MSS 1448, 66
 *               bytes of headers: charged 46 segments, refunded 1) every
 *               2 us under "rate-packets=12500,50000" alone; stock, which
 *               has no packet credit, under the byte rate of the same wire
 *               packets (18118333 bytes per 50 ms), for reference only
 *
 * Usage: replay-LOCK [--shadow] stock|ours SCENARIO QUEUES [DECISIONS]
 * Prints what it decided and how often each side did what (key=value);
 * --shadow decides the same and also runs cnt_null_batch() per batch.
 * Two queues: each its own CPU and timeline, polls taken in time order;
 * ours share the vif's buckets, stock's each have the full rate (as the
 * stock driver gives every queue "rate").
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/minmax.h>

#include "credit.h"

#define noipa		__attribute__((__noipa__))
#define barrier()	__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
/* arch/x86/include/asm/barrier.h */
#define smp_mb()	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" \
					     ::: "memory", "cc")

#define HZ		250
#define MSEC_PER_SEC	1000
#define NSEC_PER_JIFFY	(1000000000ULL / HZ)
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)
#define BUDGET		64
#define KICK_NS		20000

typedef unsigned int RING_IDX;

/* ---- kernel stand-ins, the same for both sides ------------------------- */

static volatile u64 sim_ns;		/* the clocks the sim advances */
static volatile u64 sim_jiffies;
unsigned int bench_preempt_count = 0x80000000u;	/* lock/linux/spinlock.h */
static volatile void *napi_scheduled;
static unsigned int rcu_read_lock_nesting;	/* current->... */
static volatile int rcu_read_unlock_special_s;

void noipa bench_preempt_schedule(void)
{
	abort();
}

noipa u64 ktime_get_ns(void)
{
	return sim_ns;
}

noipa u64 get_jiffies_64(void)
{
	return sim_jiffies;
}

noipa void rcu_read_unlock_special(void)
{
	abort();
}

noipa void __rcu_read_lock(void)
{
	rcu_read_lock_nesting++;
	barrier();
}

noipa void __rcu_read_unlock(void)
{
	barrier();
	if (--rcu_read_lock_nesting == 0) {
		barrier();
		if (__builtin_expect(READ_ONCE(rcu_read_unlock_special_s), 0))
			rcu_read_unlock_special();
	}
}

#define rcu_read_lock()		__rcu_read_lock()
#define rcu_read_unlock()	__rcu_read_unlock()
#define rcu_dereference(p)	READ_ONCE(p)
#define rcu_access_pointer(p)	READ_ONCE(p)

#define HRTIMER_STATE_ENQUEUED	0x01
enum hrtimer_mode { HRTIMER_MODE_ABS_SOFT, HRTIMER_MODE_REL_SOFT };

struct hrtimer {
	u64 expires;
	u8 state;
};

noipa void hrtimer_start(struct hrtimer *timer, u64 tim,
			 enum hrtimer_mode mode)
{
	timer->expires = mode == HRTIMER_MODE_REL_SOFT ? sim_ns + tim : tim;
	timer->state = HRTIMER_STATE_ENQUEUED;
}

static inline bool hrtimer_is_queued(struct hrtimer *timer)
{
	return READ_ONCE(timer->state) & HRTIMER_STATE_ENQUEUED;
}

struct timer_list {
	void *pprev;			/* entry.pprev: NULL if not pending */
	unsigned long expires;
};

noipa int mod_timer(struct timer_list *timer, unsigned long expires)
{
	timer->expires = expires;
	timer->pprev = timer;
	return 0;
}

static inline bool timer_pending(const struct timer_list *timer)
{
	return READ_ONCE(timer->pprev) != NULL;
}

noipa void xenvif_napi_schedule_or_enable_events(void *queue)
{
	napi_scheduled = queue;
}

/* ---- the ring and the skbs: not counted -------------------------------- */

/*
 * What xenvif_tx_build_gops() does around the credit, reduced to handing
 * out the next request (RING_COPY_REQUEST() and xenvif_get_extras()) and
 * queueing its skb (xenvif_count_requests() to __skb_queue_tail(), which
 * use the request's size and GSO extra whatever the credit).  Both
 * are noipa and match the --toggle-collect pattern too, so that callgrind
 * stops counting inside them: what is left of them, the calls and the
 * loop, is the same on both sides and is counted again, alone, in
 * cnt_null_batch() (skipn_*: the same bodies under other names, so that
 * --shadow counts the null batch alone while the side's batch runs
 * uncounted).
 */
struct txreq {
	unsigned int size;
	unsigned int gso_size;		/* 0: no GSO extra */
};

struct ring {
	unsigned long avail;		/* requests the guest offers */
	struct txreq req;		/* what each of them is */
	unsigned int qlen;		/* skb_queue_len(&queue->tx_queue) */
	u64 t0, pkt_ns;			/* the poll's start, time per packet */
};

#define DEFINE_RING(p)							\
noipa bool p##_ring_get(struct ring *r, struct txreq *req)		\
{									\
	if (!r->avail)							\
		return false;						\
	r->avail--;							\
	*req = r->req;							\
	/* time goes on as the poll sends */				\
	sim_ns = r->t0 + r->qlen * r->pkt_ns;				\
	sim_jiffies = sim_ns / NSEC_PER_JIFFY;				\
	return true;							\
}									\
									\
noipa void p##_build(struct ring *r, unsigned int size,			\
		       unsigned int gso_size)				\
{									\
	(void)size;							\
	(void)gso_size;							\
	r->qlen++;							\
}

DEFINE_RING(skip)
DEFINE_RING(skipn)

/* ---- stock linux-6.12 netback.c ---------------------------------------- */

/* kernel/time/time.c, for HZ dividing 1000 */
noipa unsigned long __msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return (m + (MSEC_PER_SEC / HZ) - 1) / (MSEC_PER_SEC / HZ);
}

#define msecs_to_jiffies(m)	__msecs_to_jiffies(m)
#define time_after_eq64(a, b)	((s64)((a) - (b)) >= 0)

struct stock_queue {
	struct {
		RING_IDX req_cons;
	} tx;
	unsigned long credit_bytes;
	unsigned long credit_usec;
	unsigned long remaining_credit;
	struct timer_list credit_timeout;
	u64 credit_window_start;
	bool rate_limited;
};

static void tx_add_credit(struct stock_queue *queue)
{
	unsigned long max_burst, max_credit;

	/*
	 * Allow a burst big enough to transmit a jumbo packet of up to 128kB.
	 * Otherwise the interface can seize up due to insufficient credit.
	 */
	max_burst = max(131072UL, queue->credit_bytes);

	/* Take care that adding a new chunk of credit doesn't wrap to zero. */
	max_credit = queue->remaining_credit + queue->credit_bytes;
	if (max_credit < queue->remaining_credit)
		max_credit = ULONG_MAX; /* wrapped: clamp to ULONG_MAX */

	queue->remaining_credit = min(max_credit, max_burst);
	queue->rate_limited = false;
}

/* xenvif_tx_credit_callback(), the timer_list's function */
noipa void cnt_stock_timer(struct stock_queue *queue)
{
	tx_add_credit(queue);
	xenvif_napi_schedule_or_enable_events(queue);
}

static bool tx_credit_exceeded(struct stock_queue *queue, unsigned int size)
{
	u64 now = get_jiffies_64();
	u64 next_credit = queue->credit_window_start +
		msecs_to_jiffies(queue->credit_usec / 1000);

	/* Timer could already be pending in rare cases. */
	if (timer_pending(&queue->credit_timeout)) {
		queue->rate_limited = true;
		return true;
	}

	/* Passed the point where we can replenish credit? */
	if (time_after_eq64(now, next_credit)) {
		queue->credit_window_start = now;
		tx_add_credit(queue);
	}

	/* Still too big to send right now? Set a callback. */
	if (size > queue->remaining_credit) {
		mod_timer(&queue->credit_timeout,
			  next_credit);
		queue->credit_window_start = next_credit;
		queue->rate_limited = true;

		return true;
	}

	return false;
}

/*
 * xenvif_tx_build_gops() with nothing but its credit: the ring and skb
 * work are ring_get() and build(), not counted (see the head of this file).
 */
noipa int cnt_stock_batch(struct stock_queue *queue, struct ring *ring,
			  unsigned int budget)
{
	while (ring->qlen < budget) {
		struct txreq txreq;
		RING_IDX idx;

		if (!skip_ring_get(ring, &txreq))
			break;
		idx = queue->tx.req_cons;

		/* Credit-based scheduling. */
		if (txreq.size > queue->remaining_credit &&
		    tx_credit_exceeded(queue, txreq.size))
			break;

		queue->remaining_credit -= txreq.size;

		queue->tx.req_cons = ++idx;
		skip_build(ring, txreq.size, txreq.gso_size);
	}
	return 0;
}

/* ---- patched netback.c ------------------------------------------------- */

struct xenvif_rate {
	struct xenvif_credit_bucket bucket;	/* shared by the vif's queues */
	u64 gen;
};

struct xenvif_queue;

struct xenvif {
	struct xenvif_rate *rate;		/* __rcu */
	struct xenvif_queue *queues;
	unsigned int num_queues;
};

struct xenvif_queue {
	struct xenvif *vif;
	struct {
		RING_IDX req_cons;
	} tx;
	struct xenvif_credit_queue credit;
	u64 credit_gen;
	struct hrtimer credit_timer;
	bool rate_limited;
	bool credit_held;
	RING_IDX credit_held_req;
	struct {
		unsigned long tx_credit_throttle_events;
		unsigned long tx_credit_held_packets;
		unsigned long tx_credit_held_bytes;
	} stats;
};

/* xenvif_tx_credit_callback(), the hrtimer's function */
noipa int cnt_ours_timer(struct xenvif_queue *queue)
{
	xenvif_napi_schedule_or_enable_events(queue);
	return 0;			/* HRTIMER_NORESTART */
}

static void xenvif_tx_credit_begin(struct xenvif_queue *queue,
				   struct xenvif_rate *rate,
				   struct xenvif_credit_batch *credit)
{
	if (unlikely(queue->credit_gen != rate->gen)) {
		xenvif_credit_queue_move(&rate->bucket, &queue->credit);
		queue->credit_gen = rate->gen;
	}
	/* One clock read per batch: refill is by time elapsed. */
	xenvif_credit_begin(credit, &rate->bucket, &queue->credit,
			    ktime_get_ns());
}

static void xenvif_tx_credit_throttle(struct xenvif_queue *queue,
				      struct xenvif_rate *rate,
				      const struct xenvif_credit_batch *credit,
				      unsigned int size)
{
	queue->stats.tx_credit_throttle_events++;
	/* The same request is refused again after each wake-up. */
	if (!queue->credit_held ||
	    queue->credit_held_req != queue->tx.req_cons) {
		queue->credit_held = true;
		queue->credit_held_req = queue->tx.req_cons;
		queue->stats.tx_credit_held_packets++;
		queue->stats.tx_credit_held_bytes += size;
	}
	/* A closed credit waits for the toolstack, not for time. */
	if (credit->wait != U64_MAX)
		hrtimer_start(&queue->credit_timer,
			      credit->now + credit->wait,
			      HRTIMER_MODE_ABS_SOFT);
	WRITE_ONCE(queue->rate_limited, true);
	smp_mb();
	if (unlikely(rcu_access_pointer(queue->vif->rate) != rate) ||
	    xenvif_credit_ready(&rate->bucket))
		hrtimer_start(&queue->credit_timer, 0, HRTIMER_MODE_REL_SOFT);
}

static void xenvif_tx_credit_wake(struct xenvif_queue *self)
{
	struct xenvif *vif = self->vif;
	unsigned int i;

	smp_mb();
	for (i = 0; i < READ_ONCE(vif->num_queues); i++) {
		struct xenvif_queue *queue = &vif->queues[i];

		if (queue != self && READ_ONCE(queue->rate_limited))
			hrtimer_start(&queue->credit_timer, 0,
				      HRTIMER_MODE_REL_SOFT);
	}
}

/*
 * xenvif_tx_build_gops() with nothing but its credit.  -1: the credit
 * timer is queued, the poll returns at once.
 */
noipa int cnt_ours_batch(struct xenvif_queue *queue, struct ring *ring,
			 unsigned int budget)
{
	struct xenvif_credit_batch credit;
	struct xenvif_rate *rate;

	/*
	 * Throttled: the timer polls the queue once the credit is back, and
	 * a guest that kicks the queue meanwhile costs nothing.
	 */
	if (hrtimer_is_queued(&queue->credit_timer))
		return -1;
	WRITE_ONCE(queue->rate_limited, false);

	rcu_read_lock();
	rate = rcu_dereference(queue->vif->rate);
	if (rate)
		xenvif_tx_credit_begin(queue, rate, &credit);

	while (ring->qlen < budget) {
		struct txreq txreq;
		RING_IDX idx, first;

		if (!skip_ring_get(ring, &txreq))
			break;
		first = idx = queue->tx.req_cons;
		queue->tx.req_cons = ++idx;

		if (rate &&
		    !xenvif_credit_take(&credit, txreq.size,
					txreq.gso_size ?
					xenvif_credit_gso_segs(txreq.size,
							       txreq.gso_size) :
					1, ktime_get_ns)) {
			queue->tx.req_cons = first;
			xenvif_tx_credit_throttle(queue, rate, &credit,
						  txreq.size);
			break;
		}

		skip_build(ring, txreq.size, txreq.gso_size);
	}

	if (rate && xenvif_credit_end(&credit))
		xenvif_tx_credit_wake(queue);
	rcu_read_unlock();
	return 0;
}

/* ---- the same without any credit ---------------------------------------- */

/*
 * What both sides share: run in the same pattern as a side's batches
 * (replay --shadow), it is taken off both.
 */
noipa int cnt_null_batch(struct stock_queue *queue, struct ring *ring,
			 unsigned int budget)
{
	while (ring->qlen < budget) {
		struct txreq txreq;
		RING_IDX idx;

		if (!skipn_ring_get(ring, &txreq))
			break;
		idx = queue->tx.req_cons;

		queue->tx.req_cons = ++idx;
		skipn_build(ring, txreq.size, txreq.gso_size);
	}
	return 0;
}

/* ---- the replay -------------------------------------------------------- */

struct scenario {
	const char *name;
	u64 bytes, bytes_usec;		/* ours' "rate"; 0: none */
	u64 pkts, pkts_usec, pkts_burst; /* ours' "rate-packets"; 0: none */
	u64 stock_bytes, stock_usec;	/* stock's "rate"; 0: none */
	unsigned int size, gso_size, hdrlen;
	u64 pkt_ns;			/* per packet sent */
	bool kick;
};

static const struct scenario scenarios[] = {
	{ "flood", 625000, 50000, 12500, 50000, 12500, 625000, 50000,
	  60, 0, 0, 50, false },
	{ "kick", 625000, 50000, 12500, 50000, 12500, 625000, 50000,
	  60, 0, 0, 50, true },
	{ "unthrottled", 500000000, 50000, 5000000, 50000, 5000000,
	  500000000, 50000, 60, 0, 0, 50, false },
	{ "nolimit", 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 50, false },
	/* 12500 * 65226 / 45 bytes: the byte rate of the same wire packets */
	{ "gso", 0, 0, 12500, 50000, 12500, 18118333, 50000,
	  65226, 1448, 66, 2000, false },
};

enum side { STOCK, OURS };

static u64 decisions, admitted, refused, polls, throttled_polls, wakes,
	   clock_reads, timer_starts, wire_packets, admitted_bytes;

static void set_clock(u64 ns)
{
	sim_ns = ns;
	sim_jiffies = ns / NSEC_PER_JIFFY;
}

int main(int argc, char **argv)
{
	static const char *const side_names[] = { "stock", "ours" };
	const struct scenario *sc = NULL;
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	static struct xenvif_rate rate_obj;
	static struct xenvif vif;
	static struct xenvif_queue oq[2];
	static struct stock_queue sq[2], nullq;
	u64 t[2], n = 10 * 1000 * 1000, end = 0;
	unsigned int nq, q, i;
	bool shadow = false;
	int side = -1;

	if (argc > 1 && !strcmp(argv[1], "--shadow")) {
		shadow = true;
		argc--;
		argv++;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: replay [--shadow] stock|ours "
			"flood|kick|unthrottled|nolimit|gso 1|2 [DECISIONS]\n");
		return 2;
	}
	for (i = 0; i < 2; i++)
		if (!strcmp(argv[1], side_names[i]))
			side = (int)i;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[2], scenarios[i].name))
			sc = &scenarios[i];
	nq = (unsigned int)atoi(argv[3]);
	if (side < 0 || !sc || nq < 1 || nq > 2) {
		fprintf(stderr, "bad arguments\n");
		return 2;
	}
	if (argc > 4)
		n = strtoull(argv[4], NULL, 0);

	/* stock: xenvif_init_queue() and xen_net_rate_changed() */
	for (q = 0; q < 2; q++) {
		sq[q].credit_bytes = sq[q].remaining_credit = ~0UL;
		sq[q].credit_usec = 0;
		sq[q].credit_window_start = 0;
		if (sc->stock_bytes) {
			sq[q].credit_bytes = sc->stock_bytes;
			sq[q].remaining_credit = sc->stock_bytes;
			sq[q].credit_usec = sc->stock_usec;
		}
	}
	/* ours: connect() with "rate" and "rate-packets" */
	xenvif_credit_cfg_off(&cfg[XENVIF_CREDIT_BYTES], XENVIF_CREDIT_OFF);
	xenvif_credit_cfg_off(&cfg[XENVIF_CREDIT_PACKETS], XENVIF_CREDIT_OFF);
	if (sc->bytes &&
	    xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_BYTES], sc->bytes,
				   sc->bytes_usec,
				   max_t(u64, sc->bytes,
					 XENVIF_CREDIT_BYTES_MIN_BURST)))
		return 1;
	if (sc->pkts &&
	    xenvif_credit_cfg_init(&cfg[XENVIF_CREDIT_PACKETS], sc->pkts,
				   sc->pkts_usec, sc->pkts_burst))
		return 1;
	if (sc->bytes || sc->pkts) {
		xenvif_credit_bucket_init(&rate_obj.bucket, cfg, 0);
		rate_obj.gen = 1;
		vif.rate = &rate_obj;
	}
	vif.queues = oq;
	vif.num_queues = nq;
	for (q = 0; q < 2; q++) {
		oq[q].vif = &vif;
		t[q] = 1000000 + q * 1000;	/* staggered first polls */
	}

	while (decisions < n) {
		struct ring ring = {
			.avail = ULONG_MAX,	/* the guest floods */
			.req = { sc->size, sc->gso_size },
			.pkt_ns = sc->pkt_ns,
		};
		u64 now, poll_end, wake, next;
		bool stop, pending = false;
		int ret;

		q = nq == 2 && t[1] < t[0];
		now = t[q];
		set_clock(now);
		polls++;

		/* the credit timer fires first (its own softirq) */
		if (side == STOCK && timer_pending(&sq[q].credit_timeout) &&
		    now >= sq[q].credit_timeout.expires * NSEC_PER_JIFFY) {
			sq[q].credit_timeout.pprev = NULL; /* detach_timer() */
			cnt_stock_timer(&sq[q]);
			wakes++;
		} else if (side == OURS &&
			   hrtimer_is_queued(&oq[q].credit_timer) &&
			   now >= oq[q].credit_timer.expires) {
			oq[q].credit_timer.state = 0; /* __run_hrtimer() */
			cnt_ours_timer(&oq[q]);
			wakes++;
		}

		/* xenvif_poll() -> xenvif_tx_action() -> build_gops */
		ring.t0 = now;
		if (side == OURS) {
			ret = cnt_ours_batch(&oq[q], &ring, BUDGET);
			if (ret < 0)
				throttled_polls++;
			else if (vif.rate)
				clock_reads++;
			stop = ret < 0 || ring.qlen < BUDGET;
			if (ret >= 0 && stop)
				timer_starts++;
		} else {
			pending = timer_pending(&sq[q].credit_timeout);
			ret = cnt_stock_batch(&sq[q], &ring, BUDGET);
			stop = ring.qlen < BUDGET;
			/* tx_credit_exceeded() read jiffies to refuse */
			if (stop)
				clock_reads++;
			if (stop && !pending)
				timer_starts++;
		}
		if (shadow && ret >= 0) {
			/* the same poll, ring and skbs only */
			struct ring nring = ring;

			nring.avail = ring.qlen;
			nring.qlen = 0;
			cnt_null_batch(&nullq, &nring, BUDGET);
		}
		admitted += ring.qlen;
		admitted_bytes += (u64)ring.qlen * sc->size;
		decisions += ring.qlen + stop;
		refused += stop;

		/* xenvif_tx_submit(): the skbs' segments are now known */
		for (i = 0; i < ring.qlen; i++) {
			unsigned int segs = 1;

			if (sc->gso_size) {
				segs = (sc->size - sc->hdrlen +
					sc->gso_size - 1) / sc->gso_size;
				if (side == OURS)
					xenvif_credit_gso_refund(&oq[q].credit,
								 sc->size,
								 sc->gso_size,
								 segs);
			}
			wire_packets += segs;
		}

		poll_end = now + ring.qlen * sc->pkt_ns;
		end = max(end, poll_end);
		if (!stop) {
			t[q] = poll_end;	/* the full budget: NAPI polls again */
			continue;
		}
		/* refused: sleep until the timer fires, or the next kick */
		if (side == STOCK && timer_pending(&sq[q].credit_timeout))
			wake = sq[q].credit_timeout.expires * NSEC_PER_JIFFY;
		else if (side == OURS && hrtimer_is_queued(&oq[q].credit_timer))
			wake = oq[q].credit_timer.expires;
		else
			wake = U64_MAX;
		next = max(wake, poll_end);
		if (sc->kick)
			next = min(next, poll_end + KICK_NS);
		if (next == U64_MAX) {
			fprintf(stderr, "queue %u refused with no timer\n", q);
			return 1;
		}
		t[q] = next;
	}

	printf("side=%s scenario=%s queues=%u decisions=%llu admitted=%llu "
	       "refused=%llu polls=%llu throttled_polls=%llu wakes=%llu "
	       "clock_reads=%llu timer_starts=%llu wire_packets=%llu "
	       "sim_ns=%llu bytes_per_s=%llu wire_pps=%llu\n",
	       side_names[side], sc->name, nq, decisions, admitted, refused,
	       polls, throttled_polls, wakes, clock_reads, timer_starts,
	       wire_packets, end - 1000000,
	       (unsigned long long)((unsigned __int128)admitted_bytes *
				    1000000000 / (end - 1000000)),
	       (unsigned long long)((unsigned __int128)wire_packets *
				    1000000000 / (end - 1000000)));
	return 0;
}
