/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transmit credit of xen-netback: a token bucket per credit type (bytes,
 * packets) kept as time, shared by the queues of a vif.
 *
 * A bucket holds the time, in 1/2^XENVIF_CREDIT_SHIFT ns, that the vif may
 * spend at the configured rate, as act_police does: refill adds the time
 * elapsed, a unit costs a precomputed amount of it, so any interval gives
 * the configured long-term rate.  A NAPI batch takes whole units out of the
 * buckets once (xenvif_credit_begin()), spends them with one subtraction
 * per credit type and one sign test for both per packet, as act_police
 * tests its tokens (xenvif_credit_take()), and gives back what it did not
 * spend (xenvif_credit_end()).  The clock is read when the batch begins
 * and whenever it asks the buckets for more: never per packet.  A queue
 * refused while another queue's batch held the units is woken when that
 * batch gives them back.
 *
 * A packet is charged in full when it is admitted: its bytes, and its wire
 * packets (a GSO packet as the segments it will become).  A queue the
 * buckets cannot serve pays for the request at its head at once, into
 * debt if need be, and sleeps until the debt is paid: the request then
 * goes whatever the other queues do, and nothing ever passes before it is
 * paid for, whatever its size.
 *
 * This file and credit.c are pure: no Xen or netdev header, time comes in
 * as an argument.  The driver, its KUnit suite and the userspace harness
 * in tools/testing/xen-netback compile the same two files.
 */
#ifndef __XEN_NETBACK__CREDIT_H__
#define __XEN_NETBACK__CREDIT_H__

#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define XENVIF_CREDIT_SHIFT	16
/*
 * Credit and debt stay within +-2^61 fixed-point ns (about 9.7 hours of
 * transmission), far from s64 overflow even after adding a whole bucket.
 * A request that costs more is paid for in several such steps.
 */
#define XENVIF_CREDIT_MAX	((s64)1 << 61)
/*
 * The units a batch holds of a type with no limit: more than any batch
 * spends.  Every allowance stays below 2^63 (a bucket's units are at most
 * 2^61), so that xenvif_credit_take() can test both types at once.
 */
#define XENVIF_CREDIT_UNLIMITED	((u64)1 << 62)
/* The longest interval "rate" and "rate-packets" accept, as xl does. */
#define XENVIF_CREDIT_USEC_MAX	U32_MAX
/* As before: a byte bucket always holds a 128 KiB packet. */
#define XENVIF_CREDIT_BYTES_MIN_BURST	131072
/*
 * The shortest headers of a TCP GSO packet (Ethernet, IPv4, TCP): a GSO
 * packet of @size bytes is charged as if only they preceded the payload,
 * which never undercounts its segments; xenvif_credit_gso_refund() gives
 * back the difference once the skb's real headers are known.
 */
#define XENVIF_CREDIT_GSO_MIN_HDR	54

enum xenvif_credit_type {
	XENVIF_CREDIT_BYTES,
	XENVIF_CREDIT_PACKETS,
	XENVIF_CREDIT_NR,
};

enum xenvif_credit_mode {
	XENVIF_CREDIT_OFF,	/* no limit: every packet passes */
	XENVIF_CREDIT_ON,	/* amount units per interval */
	XENVIF_CREDIT_CLOSED,	/* malformed at connect: nothing passes */
};

/* What the toolstack asked for, in units (bytes or packets). */
struct xenvif_credit_cfg {
	enum xenvif_credit_mode mode;
	u64 amount;		/* units per interval */
	u32 usec;		/* interval */
	u64 burst;		/* bucket size in units */
	/* Derived by xenvif_credit_cfg_init() */
	u64 unit;		/* cost of one unit, fixed-point ns, >= 1 */
	u64 max_units;		/* units that cost at most XENVIF_CREDIT_MAX */
	s64 size;		/* bucket size, fixed-point ns */
};

/* A vif's limit and its buckets, shared by all its queues. */
struct xenvif_credit_bucket {
	spinlock_t lock;	/* serialises the batches of the queues */
	struct xenvif_credit_cfg cfg[XENVIF_CREDIT_NR];
	s64 credit[XENVIF_CREDIT_NR];	/* fixed-point ns; negative: debt */
	u64 stamp;		/* ns of the last refill */
	/*
	 * Queues refused that sleep until the buckets are a quarter full,
	 * until their next batch: a batch of another queue that gives back
	 * enough before then wakes them (xenvif_credit_end()).
	 */
	unsigned int waiters;
	/*
	 * Replaced: a new limit has taken over what it held
	 * (xenvif_credit_bucket_carry()); it refills no more, so that the
	 * time until the new limit is in force is not counted twice.
	 */
	bool retired;
};

/* Whole units of each type that a batch, or a queue, holds. */
struct xenvif_credit_allow {
	u64 units[XENVIF_CREDIT_NR];
};

/*
 * What a queue keeps between its batches: what the request it was
 * refused costs (no more), while it sleeps, and the wire packets its last
 * batch's GSO packets were overcharged (xenvif_credit_gso_refund()).
 * A new limit takes it over (xenvif_credit_queue_move()).
 */
struct xenvif_credit_queue {
	struct xenvif_credit_allow held;
	bool waiting;		/* counted in the bucket's waiters */
};

/* One NAPI batch of one queue: xenvif_credit_begin() to _end(). */
struct xenvif_credit_batch {
	struct xenvif_credit_bucket *bucket;
	struct xenvif_credit_queue *queue;
	struct xenvif_credit_allow allow;	/* what the batch may spend */
	u64 now;		/* ns, at begin and at each slow path */
	/*
	 * After a refusal: ns until the queue should poll again, U64_MAX if
	 * only the toolstack can help (a closed credit).
	 */
	u64 wait;
	bool refused;
};

int xenvif_credit_cfg_init(struct xenvif_credit_cfg *cfg, u64 amount,
			   u64 usec, u64 burst);
void xenvif_credit_cfg_off(struct xenvif_credit_cfg *cfg,
			   enum xenvif_credit_mode mode);
bool xenvif_credit_cfg_equal(const struct xenvif_credit_cfg *a,
			     const struct xenvif_credit_cfg *b);
int xenvif_credit_parse_bytes(const char *s, struct xenvif_credit_cfg *cfg);
int xenvif_credit_parse_packets(const char *s, struct xenvif_credit_cfg *cfg);

void xenvif_credit_bucket_init(struct xenvif_credit_bucket *b,
			       const struct xenvif_credit_cfg *cfg, u64 now);
void xenvif_credit_bucket_carry(struct xenvif_credit_bucket *b,
				struct xenvif_credit_bucket *old, u64 now);
void xenvif_credit_begin(struct xenvif_credit_batch *bt,
			 struct xenvif_credit_bucket *b,
			 struct xenvif_credit_queue *q, u64 now);
bool xenvif_credit_admit(struct xenvif_credit_batch *bt, u64 bytes,
			 u64 packets, u64 now);
bool xenvif_credit_end(struct xenvif_credit_batch *bt);
bool xenvif_credit_ready(struct xenvif_credit_bucket *b);
void xenvif_credit_queue_release(struct xenvif_credit_bucket *b,
				 struct xenvif_credit_queue *q);
void xenvif_credit_queue_move(struct xenvif_credit_bucket *b,
			      struct xenvif_credit_queue *q);
u64 xenvif_credit_gso_segs(u64 size, u64 gso_size);
void xenvif_credit_gso_refund(struct xenvif_credit_queue *q, u64 size,
			      u64 gso_size, u64 segs);

/**
 * xenvif_credit_take - may a packet leave the ring now?
 * @bt: the queue's batch
 * @bytes: the packet's size, below 2^62
 * @packets: its wire packets: 1, or xenvif_credit_gso_segs() for GSO
 * @clock: monotonic time in ns (ktime_get_ns), read on the slow path only
 *
 * The fast path spends from the batch's allowance; when that runs short,
 * xenvif_credit_admit() asks the vif's buckets at the present time: the
 * batch may have run long since it began, and a bucket another queue
 * filled meanwhile must be capped at what it held then.
 *
 * Return: true if the packet may go; it is then charged.  If not, the
 * batch must end and the queue poll again at @bt->now + @bt->wait ns.
 */
static __always_inline bool
xenvif_credit_take(struct xenvif_credit_batch *bt, u64 bytes, u64 packets,
		   u64 (*clock)(void))
{
	struct xenvif_credit_allow *a = &bt->allow;
	u64 b = a->units[XENVIF_CREDIT_BYTES] - bytes;
	u64 p = a->units[XENVIF_CREDIT_PACKETS] - packets;

	/* Both operands below 2^63: a difference below 0 has its sign bit. */
	if (unlikely((s64)(b | p) < 0))
		return xenvif_credit_admit(bt, bytes, packets, clock());
	a->units[XENVIF_CREDIT_BYTES] = b;
	a->units[XENVIF_CREDIT_PACKETS] = p;
	return true;
}

#endif /* __XEN_NETBACK__CREDIT_H__ */
