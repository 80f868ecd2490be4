// SPDX-License-Identifier: GPL-2.0
/*
 * Fast-path cost of the xen-netback transmit credit check.
 *
 * Replays the admission decisions of a NAPI-driven transmit path for
 * DECISIONS packets (60-byte frames) with one of these checks:
 *
 *   stock      today's byte-only check, re-implemented from the stock
 *              netback.c: remaining_credit, tx_credit_exceeded() with its
 *              jiffies window (HZ=250, jiffies derived from the ns clock),
 *              tx_add_credit(); the credit timer is a flag plus an expiry
 *              (mod_timer stores both; the timer "fires" when a poll finds
 *              jiffies past the expiry)
 *   one        the patched xenvif_tx_credit() on a single queue: per
 *              batch, refill and xenvif_credit_open(), charged back by
 *              xenvif_credit_close(); per request xenvif_credit_try() on
 *              the allowance's bytes, else xenvif_credit_admit(); the
 *              allowance's packets bound the loop (as netback's loop
 *              bounds its skbs), and xenvif_tx_credit_packets() asks for
 *              more when it stops there; bytes and packets limited
 *   two-spin   the same on two queues: the allowance on the queue's
 *              stash, else a pthread spinlock around
 *              xenvif_credit_admit_pool()
 *   two-nolock the same with a no-op lock
 *   null       a check that admits everything (the cost of the call)
 *
 * Every check is a noipa function, check_<name>(), and the patched ones
 * have their per-batch work in check_<name>_open(), _close() and _more(),
 * so that callgrind counts them alone:
 *   valgrind --tool=callgrind --toggle-collect='check_one*'
 * What the patched driver does per batch outside the credit
 * (rcu_dereference, ktime_get_ns, the generation check) is not counted;
 * the stock driver has no per-batch work.
 *
 * Scenarios:
 *   flood      the guest offers far more than the limit; a poll handles up
 *              to 64 requests, now advances 50 ns per packet sent; a refused
 *              packet ends the poll and the queue sleeps until its timer
 *              (stock: the jiffy of the next window; patched: now + wait)
 *   kick       as flood, and the guest's kicks also poll a sleeping queue
 *              every 20 us (each such poll is one refused decision)
 *   unthrottled a limit far above the offered load: never refused
 *   nolimit    no limit configured (stock: remaining_credit = ~0UL;
 *              patched: vif->rate is NULL)
 *
 * Usage: replay-VARIANT CHECK SCENARIO [DECISIONS]; prints what it decided.
 * Every binary runs "stock" and "null"; replay-one runs "one", and so on.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../../drivers/net/xen-netback/credit.h"

#define noipa		__attribute__((__noipa__))
#define HZ		250
#define NSEC_PER_JIFFY	(1000000000ULL / HZ)
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)
#define BUDGET		64
#define PKT_NS		50		/* per packet sent: 20 Mpps offered */
#define KICK_NS		20000
#define FRAME		60

/* ---- stock netback.c, as in linux-6.12 -------------------------------- */

static volatile u64 jiffies_64;	/* get_jiffies_64() on 64-bit: a load */

static inline u64 get_jiffies_64(void)
{
	return jiffies_64;
}

/* include/linux/jiffies.h for HZ dividing 1000 */
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return (m + (1000 / HZ) - 1) / (1000 / HZ);
}

#define time_after_eq64(a, b)	((s64)((a) - (b)) >= 0)

struct stock_queue {
	unsigned long credit_bytes;
	unsigned long credit_usec;
	unsigned long remaining_credit;
	u64 credit_window_start;
	bool timer_pending;		/* timer_pending(&credit_timeout) */
	unsigned long timer_expires;
	bool rate_limited;
};

static void tx_add_credit(struct stock_queue *queue)
{
	unsigned long max_burst, max_credit;

	max_burst = max(131072UL, queue->credit_bytes);
	max_credit = queue->remaining_credit + queue->credit_bytes;
	if (max_credit < queue->remaining_credit)
		max_credit = ULONG_MAX;
	queue->remaining_credit = min(max_credit, max_burst);
	queue->rate_limited = false;
}

static inline void mod_timer(struct stock_queue *queue, unsigned long expires)
{
	queue->timer_expires = expires;
	queue->timer_pending = true;
}

static bool tx_credit_exceeded(struct stock_queue *queue, unsigned int size)
{
	u64 now = get_jiffies_64();
	u64 next_credit = queue->credit_window_start +
		msecs_to_jiffies(queue->credit_usec / 1000);

	if (queue->timer_pending) {
		queue->rate_limited = true;
		return true;
	}
	if (time_after_eq64(now, next_credit)) {
		queue->credit_window_start = now;
		tx_add_credit(queue);
	}
	if (size > queue->remaining_credit) {
		mod_timer(queue, next_credit);
		queue->credit_window_start = next_credit;
		queue->rate_limited = true;
		return true;
	}
	return false;
}

/* The lines of xenvif_tx_build_gops() around the check. */
noipa bool check_stock(struct stock_queue *queue, unsigned int size)
{
	if (size > queue->remaining_credit &&
	    tx_credit_exceeded(queue, size))
		return false;
	queue->remaining_credit -= size;
	return true;
}

/* ---- patched netback.c (patches 0003-0006) ----------------------------- */

struct xenvif_rate {
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	struct xenvif_credit pool[XENVIF_CREDIT_NR];
	pthread_spinlock_t lock;
	u64 gen;
};

struct xenvif {
	unsigned int num_queues;
	struct xenvif_rate *rate;
};

struct xenvif_queue {
	struct xenvif *vif;
	struct xenvif_credit credit[XENVIF_CREDIT_NR];
	u64 credit_gen;
	u64 timer_at;			/* hrtimer_start(now + wait) */
	bool rate_limited;
	unsigned long throttle_events;
	u64 qlen;			/* skb_queue_len(&queue->tx_queue) */
};

static inline void xenvif_tx_credit_throttle(struct xenvif_queue *queue,
					     u64 now, u64 wait)
{
	queue->rate_limited = true;
	queue->throttle_events++;
	queue->timer_at = wait == U64_MAX ? U64_MAX : now + wait;
}

/*
 * As netback.c: per batch, the refill (a lone queue) and an allowance
 * opened on the buckets, charged back when the batch ends; per request the
 * allowance's bytes inline, the rest out of line; its packets bound the
 * loop, and check_NAME_more() asks for more when the loop stops at the
 * bound.  check_NAME_open(), _close() and _more() are counted with
 * check_NAME(): the per-batch work is part of the cost.
 */
#define DEFINE_CHECK(name, LOCK, UNLOCK)				\
static noinline bool							\
slow_##name(struct xenvif_queue *queue, struct xenvif_rate *rate,	\
	    u64 now, struct xenvif_credit_allow *allow, u64 bytes)	\
{									\
	const u64 units[XENVIF_CREDIT_NR] = {				\
		[XENVIF_CREDIT_BYTES] = bytes,				\
		[XENVIF_CREDIT_PACKETS] = 1,				\
	};								\
	u64 taken = queue->qlen;					\
	bool ok;							\
	u64 wait;							\
									\
	if (unlikely(!rate)) {						\
		xenvif_credit_open_all(allow, taken, allow->limit);	\
		return true;						\
	}								\
	/* hrtimer_is_queued(): the replay clears it when it fires */	\
	if (queue->rate_limited)					\
		return false;						\
	xenvif_credit_close(allow, queue->credit, rate->cfg, taken);	\
	if (queue->vif->num_queues == 1) {				\
		ok = xenvif_credit_admit(queue->credit, rate->cfg, now,	\
					 units, &wait);			\
	} else {							\
		LOCK;							\
		ok = xenvif_credit_admit_pool(queue->credit, rate->pool, \
					      rate->cfg, now, units,	\
					      &wait);			\
		UNLOCK;							\
	}								\
	if (!ok) {							\
		xenvif_tx_credit_throttle(queue, now, wait);		\
		return false;						\
	}								\
	xenvif_credit_uncharge_packet(queue->credit, rate->cfg);	\
	xenvif_credit_open(allow, queue->credit, rate->cfg, taken,	\
			   allow->limit);				\
	return true;							\
}									\
									\
noipa bool check_##name##_open(struct xenvif_queue *queue,		\
			       struct xenvif_rate *rate, u64 now,	\
			       struct xenvif_credit_allow *allow,	\
			       int budget)				\
{									\
	if (rate) {							\
		/* hrtimer_is_queued(): a throttled poll does nothing */ \
		if (queue->rate_limited)				\
			return false;					\
		if (queue->vif->num_queues == 1)			\
			xenvif_credit_refill_all(queue->credit,		\
						 rate->cfg, now);	\
		xenvif_credit_open(allow, queue->credit, rate->cfg,	\
				   queue->qlen, budget);		\
	} else {							\
		xenvif_credit_open_all(allow, queue->qlen, budget);	\
	}								\
	return true;							\
}									\
									\
noipa void check_##name##_close(struct xenvif_queue *queue,		\
				struct xenvif_rate *rate,		\
				struct xenvif_credit_allow *allow)	\
{									\
	if (rate)							\
		xenvif_credit_close(allow, queue->credit, rate->cfg,	\
				    queue->qlen);			\
}									\
									\
noipa bool check_##name(struct xenvif_queue *queue,			\
			struct xenvif_rate *rate, u64 now,		\
			struct xenvif_credit_allow *allow,		\
			unsigned int size)				\
{									\
	if (likely(xenvif_credit_try(allow, size)))			\
		return true;						\
	return slow_##name(queue, rate, now, allow, size);		\
}									\
									\
/* After the loop: the inline test, then xenvif_tx_credit_packets() */	\
noipa bool check_##name##_more(struct xenvif_queue *queue,		\
			       struct xenvif_rate *rate, u64 now,	\
			       struct xenvif_credit_allow *allow,	\
			       int budget)				\
{									\
	if (likely(xenvif_credit_bound(allow) >= (u64)budget))		\
		return false;						\
	/* The guest always has requests: no ring test, no peek. */	\
	if (!rate ||							\
	    !xenvif_credit_packets_short(allow, queue->qlen))		\
		return false;						\
	/* a packet's credit; its bytes when the loop takes it */	\
	return slow_##name(queue, rate, now, allow, 0);			\
}

/*
 * One patched check per binary (make builds replay-one, replay-two-spin,
 * replay-two-nolock): as in netback.c, xenvif_credit_try(), _admit()
 * and _admit_pool() then have one caller each, and the compiler inlines them as
 * it would there.  With three callers it keeps them out of line.
 */
#if defined(CHECK_ONE)
DEFINE_CHECK(one, pthread_spin_lock(&rate->lock),
	     pthread_spin_unlock(&rate->lock))
#define check_patched check_one
#define check_patched_open check_one_open
#define check_patched_close check_one_close
#define check_patched_more check_one_more
#define PATCHED "one"
#elif defined(CHECK_TWO_SPIN)
DEFINE_CHECK(two_spin, pthread_spin_lock(&rate->lock),
	     pthread_spin_unlock(&rate->lock))
#define check_patched check_two_spin
#define check_patched_open check_two_spin_open
#define check_patched_close check_two_spin_close
#define check_patched_more check_two_spin_more
#define PATCHED "two-spin"
#elif defined(CHECK_TWO_NOLOCK)
DEFINE_CHECK(two_nolock, (void)0, (void)0)
#define check_patched check_two_nolock
#define check_patched_open check_two_nolock_open
#define check_patched_close check_two_nolock_close
#define check_patched_more check_two_nolock_more
#define PATCHED "two-nolock"
#else
#error "build with -DCHECK_ONE, -DCHECK_TWO_SPIN or -DCHECK_TWO_NOLOCK"
#endif

noipa bool check_null(struct xenvif_queue *queue, struct xenvif_rate *rate,
		      u64 now, struct xenvif_credit_allow *allow,
		      unsigned int size)
{
	(void)queue; (void)rate; (void)now; (void)allow; (void)size;
	return true;
}

/* ---- the replay -------------------------------------------------------- */

enum scenario { FLOOD, KICK, UNTHROTTLED, NOLIMIT };

struct limits {
	u64 bytes, bytes_usec, pkts, pkts_usec;
};

/*
 * flood/kick: 100 Mbit/s as "rate=625000,50000" (xl's 50 ms default),
 * and 250 kpps as "rate-packets=12500,50000": 60-byte frames are held by
 * the bytes (208 kpps) in both the stock and the patched check.
 * unthrottled: 10 GB/s and 100 Mpps, far above the 20 Mpps offered.
 */
static const struct limits limits[] = {
	[FLOOD] = { 625000, 50000, 12500, 50000 },
	[KICK] = { 625000, 50000, 12500, 50000 },
	[UNTHROTTLED] = { 500000000, 50000, 5000000, 50000 },
	[NOLIMIT] = { 0, 0, 0, 0 },
};

struct sim {
	u64 t;			/* next poll of this queue */
	u64 wake;		/* timer expiry while throttled, else 0 */
	bool throttled;
};

static u64 decisions, admitted, refused, polls, timer_fires;

int main(int argc, char **argv)
{
	static const char *const scen_names[] = { "flood", "kick",
		"unthrottled", "nolimit" };
	int sc = -1;
	const char *check;
	u64 n = 10 * 1000 * 1000;
	unsigned int nq, q, i;
	bool patched;

	if (argc < 3) {
		fprintf(stderr, "usage: %s stock|one|two-spin|two-nolock|null "
			"flood|kick|unthrottled|nolimit [DECISIONS]\n",
			argv[0]);
		return 2;
	}
	check = argv[1];
	for (i = 0; i < 4; i++)
		if (!strcmp(argv[2], scen_names[i]))
			sc = (int)i;
	if (sc < 0) {
		fprintf(stderr, "unknown scenario %s\n", argv[2]);
		return 2;
	}
	if (argc > 3)
		n = strtoull(argv[3], NULL, 0);
	patched = !strcmp(check, PATCHED);
	if (!patched && strcmp(check, "stock") && strcmp(check, "null")) {
		fprintf(stderr, "this binary runs stock, null or %s\n",
			PATCHED);
		return 2;
	}
	nq = !strncmp(check, "two", 3) ? 2 : 1;

	const struct limits *l = &limits[sc];
	struct stock_queue sq[2];
	struct xenvif_rate prate;
	struct xenvif vif = { .num_queues = nq, .rate = NULL };
	struct xenvif_queue pq[2];
	struct xenvif_credit_allow allow;
	struct sim s[2];

	memset(sq, 0, sizeof(sq));
	memset(&prate, 0, sizeof(prate));
	memset(pq, 0, sizeof(pq));
	memset(s, 0, sizeof(s));
	pthread_spin_init(&prate.lock, PTHREAD_PROCESS_PRIVATE);

	/* stock: xenvif_init_queue() + xen_net_rate_changed() */
	for (q = 0; q < 2; q++) {
		sq[q].credit_bytes = sq[q].remaining_credit = ~0UL;
		sq[q].credit_usec = 0;
		if (l->bytes) {
			sq[q].credit_bytes = l->bytes;
			sq[q].remaining_credit = l->bytes;
			sq[q].credit_usec = l->bytes_usec;
		}
	}
	/* patched: connect() with "rate" and "rate-packets" */
	if (l->bytes) {
		if (xenvif_credit_cfg_init(&prate.cfg[XENVIF_CREDIT_BYTES],
					   l->bytes, l->bytes_usec,
					   max_t(u64, l->bytes,
						 XENVIF_CREDIT_BYTES_MIN_BURST)) ||
		    xenvif_credit_cfg_init(&prate.cfg[XENVIF_CREDIT_PACKETS],
					   l->pkts, l->pkts_usec, l->pkts))
			return 1;
		vif.rate = &prate;
	}
	for (q = 0; q < 2; q++) {
		pq[q].vif = &vif;
		s[q].t = 1000000 + q * 1000;	/* staggered polls */
	}
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		/* one queue owns full buckets; several start empty stashes */
		if (nq == 1)
			xenvif_credit_reset(&pq[0].credit[i], &prate.cfg[i], 0);
		xenvif_credit_reset(&prate.pool[i], &prate.cfg[i], 0);
	}

	while (decisions < n) {
		u64 now;
		int sent = 0;

		q = nq == 2 && s[1].t < s[0].t;
		now = s[q].t;
		polls++;

		if (!strcmp(check, "stock")) {
			jiffies_64 = now / NSEC_PER_JIFFY;
			/* the credit timer fires before this poll */
			if (sq[q].timer_pending &&
			    time_after_eq64(jiffies_64, sq[q].timer_expires)) {
				sq[q].timer_pending = false;
				tx_add_credit(&sq[q]);
				timer_fires++;
			}
		} else if (pq[q].rate_limited && now >= pq[q].timer_at) {
			pq[q].rate_limited = false;
			timer_fires++;
		}
		/* per batch, as xenvif_tx_build_gops() */
		if (patched &&
		    !check_patched_open(&pq[q], vif.rate, now, &allow,
					BUDGET)) {
			/* throttled: the poll refuses before any request */
			decisions++;
			refused++;
			goto sleep;
		}

		for (;;) {
			bool stop = false;

			/* the loop's own test, outside the counted checks */
			while ((patched ?
				pq[q].qlen < xenvif_credit_bound(&allow) :
				sent < BUDGET) && decisions < n) {
				bool ok;

				decisions++;
				if (check[0] == 's')
					ok = check_stock(&sq[q], FRAME);
				else if (patched)
					ok = check_patched(&pq[q], vif.rate,
							   now, &allow, FRAME);
				else
					ok = check_null(&pq[q], vif.rate, now,
							&allow, FRAME);
				if (!ok) {
					refused++;
					stop = true;
					break;
				}
				admitted++;
				sent++;
				pq[q].qlen++;	/* __skb_queue_tail() */
			}
			if (!patched || stop || decisions >= n)
				break;
			if (check_patched_more(&pq[q], vif.rate, now, &allow,
					       BUDGET))
				continue;
			if (sent < BUDGET) {
				/* packets ran short and the queue waits */
				decisions++;
				refused++;
			}
			break;
		}
		if (patched)
			check_patched_close(&pq[q], vif.rate, &allow);
		pq[q].qlen = 0;		/* xenvif_tx_submit() */

		if (sent == BUDGET || decisions >= n) {
			s[q].t = now + sent * PKT_NS;
			continue;
		}
sleep:
		/* refused: sleep until the timer, or the next kick */
		if (check[0] == 's')
			s[q].wake = sq[q].timer_pending ?
				sq[q].timer_expires * NSEC_PER_JIFFY :
				now + PKT_NS;
		else
			s[q].wake = pq[q].timer_at;
		if (s[q].wake <= now)
			s[q].wake = now + PKT_NS;
		if (sc == KICK && s[q].wake > now + sent * PKT_NS + KICK_NS)
			s[q].t = now + sent * PKT_NS + KICK_NS;
		else
			s[q].t = s[q].wake;
	}

	printf("check=%s scenario=%s queues=%u decisions=%llu admitted=%llu "
	       "refused=%llu polls=%llu timer_fires=%llu sim_ns=%llu\n",
	       check, scen_names[sc], nq, (unsigned long long)decisions,
	       (unsigned long long)admitted, (unsigned long long)refused,
	       (unsigned long long)polls, (unsigned long long)timer_fires,
	       (unsigned long long)(nq == 2 ? max(s[0].t, s[1].t) : s[0].t));
	return 0;
}
