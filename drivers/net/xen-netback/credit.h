/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transmit credit of xen-netback: a token bucket kept as time.
 *
 * A bucket holds the time, in 1/2^XENVIF_CREDIT_SHIFT ns, that its owner
 * may spend at the configured rate, as act_police does.  Refill is then
 * "add the elapsed time" and the cost of a packet one multiplication by
 * the precomputed cost of a unit: nothing is rounded away, so any interval
 * gives the configured long-term rate.  The per-packet path divides
 * nothing: a batch converts its credit into whole units once.
 *
 * This file is pure: no Xen or netdev header, time and cost come in as
 * arguments, and the caller owns locking.  The driver, its KUnit suite and
 * the userspace harness in tools/testing/xen-netback compile this same file.
 */
#ifndef __XEN_NETBACK__CREDIT_H__
#define __XEN_NETBACK__CREDIT_H__

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/types.h>

#define XENVIF_CREDIT_SHIFT	16
/*
 * Credit and debt stay within +-2^61 fixed-point ns (about 9.7 hours of
 * transmission), far from s64 overflow even after adding a whole bucket.
 */
#define XENVIF_CREDIT_MAX	((s64)1 << 61)
/* The longest interval "rate" and "rate-packets" accept, as xl does. */
#define XENVIF_CREDIT_USEC_MAX	U32_MAX
/* As before: a byte bucket always holds a 128 KiB packet. */
#define XENVIF_CREDIT_BYTES_MIN_BURST	131072

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
	u64 max_units;		/* larger costs saturate at XENVIF_CREDIT_MAX */
	s64 size;		/* bucket size, fixed-point ns */
};

struct xenvif_credit {
	s64 credit;		/* fixed-point ns; negative is debt */
	u64 stamp;		/* ns of the last refill */
};

/**
 * xenvif_credit_cfg_init - validate a limit and precompute its bucket
 * @cfg: result; left untouched on error
 * @amount: units per interval, at least 1
 * @usec: interval in microseconds, 1 to XENVIF_CREDIT_USEC_MAX
 * @burst: bucket size in units, at least 1
 *
 * A rate above 2^XENVIF_CREDIT_SHIFT units per ns saturates there, and a
 * bucket longer than XENVIF_CREDIT_MAX is cut to it: both are far beyond
 * any link, and neither lifts the limit.
 *
 * Return: 0, or -EINVAL for a zero field, -ERANGE for too long an interval.
 */
static inline int xenvif_credit_cfg_init(struct xenvif_credit_cfg *cfg,
					 u64 amount, u64 usec, u64 burst)
{
	u64 interval, unit, max_units;

	if (!amount || !usec || !burst)
		return -EINVAL;
	if (usec > XENVIF_CREDIT_USEC_MAX)
		return -ERANGE;

	/* At most 2^32 us << 26 bits: no overflow. */
	interval = (usec * 1000) << XENVIF_CREDIT_SHIFT;
	unit = div64_u64(interval + amount / 2, amount) ?: 1;
	max_units = div64_u64(XENVIF_CREDIT_MAX, unit);

	cfg->mode = XENVIF_CREDIT_ON;
	cfg->amount = amount;
	cfg->usec = usec;
	cfg->burst = burst;
	cfg->unit = unit;
	cfg->max_units = max_units;
	cfg->size = burst > max_units ? XENVIF_CREDIT_MAX : burst * unit;
	return 0;
}

/*
 * No limit, or a closed credit.  Both have an empty bucket; a unit costs
 * nothing when off and something when closed, so that an allowance
 * (xenvif_credit_open()) lets everything through an open credit and
 * nothing through a closed one without looking at the mode.
 */
static inline void xenvif_credit_cfg_off(struct xenvif_credit_cfg *cfg,
					 enum xenvif_credit_mode mode)
{
	*cfg = (struct xenvif_credit_cfg){
		.mode = mode,
		.unit = mode == XENVIF_CREDIT_CLOSED,
		.max_units = U64_MAX,
	};
}

static inline bool xenvif_credit_cfg_equal(const struct xenvif_credit_cfg *a,
					   const struct xenvif_credit_cfg *b)
{
	return a->mode == b->mode && a->amount == b->amount &&
	       a->usec == b->usec && a->burst == b->burst;
}

/* Cost of @units in fixed-point ns; saturates instead of wrapping. */
static inline s64 xenvif_credit_cost(const struct xenvif_credit_cfg *cfg,
				     u64 units)
{
	if (unlikely(units > cfg->max_units))
		return XENVIF_CREDIT_MAX;
	return units * cfg->unit;
}

/*
 * What the bucket must hold before @cost may go.  A packet larger than the
 * bucket goes once the bucket is full and leaves a debt, so that nothing
 * can seize up the ring and the long-term rate stays exact.
 */
static inline s64 xenvif_credit_need(const struct xenvif_credit_cfg *cfg,
				     s64 cost)
{
	return min(cost, cfg->size);
}

/* A bucket starts full: a new limit lets one burst through at once. */
static inline void xenvif_credit_reset(struct xenvif_credit *c,
				       const struct xenvif_credit_cfg *cfg,
				       u64 now)
{
	c->credit = cfg->size;
	c->stamp = now;
}

/* Add the time elapsed since the last refill, up to a full bucket. */
static inline void xenvif_credit_refill(struct xenvif_credit *c,
					const struct xenvif_credit_cfg *cfg,
					u64 now)
{
	u64 room, elapsed;

	/* Time stands still or went back (another CPU's clock): nothing. */
	if ((s64)(now - c->stamp) <= 0)
		return;
	elapsed = now - c->stamp;
	c->stamp = now;
	if (c->credit >= cfg->size)
		return;
	room = cfg->size - c->credit;
	/* Compare before shifting: elapsed may be years. */
	if (elapsed >= (room >> XENVIF_CREDIT_SHIFT) + 1)
		c->credit = cfg->size;
	else
		c->credit = min_t(s64, c->credit +
				  (elapsed << XENVIF_CREDIT_SHIFT), cfg->size);
}

/* Spend @cost, possibly into debt; the debt is bounded, never wraps. */
static inline void xenvif_credit_spend(struct xenvif_credit *c, s64 cost)
{
	c->credit = max(c->credit - cost, -XENVIF_CREDIT_MAX);
}

/* Give back what was taken for a request that turned out to cost nothing. */
static inline void xenvif_credit_refund(struct xenvif_credit *c,
					const struct xenvif_credit_cfg *cfg,
					s64 cost)
{
	c->credit = min(c->credit + cost, cfg->size);
}

/*
 * Nanoseconds until @have reaches what @cost needs.  A throttled owner does
 * not wake for every unit: it waits for a quarter of the bucket (or what
 * @cost needs, if more), which batches the work of a flood, and still
 * wakes three quarters of a bucket before any credit would be lost.
 */
static inline u64 xenvif_credit_wait(const struct xenvif_credit_cfg *cfg,
				     s64 have, s64 cost)
{
	s64 target = max(xenvif_credit_need(cfg, cost), cfg->size >> 2);

	if (have >= target)
		return 0;
	return ((u64)(target - have) + (1 << XENVIF_CREDIT_SHIFT) - 1) >>
	       XENVIF_CREDIT_SHIFT;
}

/*
 * A batch spends from an allowance: the credit of each type converted once
 * into whole units, so that the check per request is one comparison and
 * one subtraction of bytes, as stock netback's byte check was.  Packets
 * cost nothing per request: the caller counts what it takes (netback: the
 * skbs it has queued) and stops at xenvif_credit_bound(), which is at most
 * the packets the allowance holds; closing charges that count.  So the
 * packet limit bounds the batch's loop rather than adding a test to each
 * request.  Closing charges the bytes taken too, so the buckets stay
 * exact.  A refusal is not final: the caller then asks
 * xenvif_credit_admit() (one queue) or xenvif_credit_admit_pool()
 * (several), which refill, decide and say how long to wait.
 */
struct xenvif_credit_allow {
	u64 bytes;		/* bytes the batch may still take */
	u64 bytes_given;	/* bytes it held when opened */
	u64 base;		/* the caller's count of packets when opened */
	u64 bound;		/* the count it may reach */
	u64 limit;		/* the most the caller wants to reach */
};

/* Whole units that @c pays for: U64_MAX when unlimited, 0 when closed. */
static inline u64 xenvif_credit_units(const struct xenvif_credit *c,
				      const struct xenvif_credit_cfg *cfg)
{
	if (!cfg->unit)
		return U64_MAX;
	if (c->credit <= 0)
		return 0;
	return div64_u64(c->credit, cfg->unit);
}

static inline void xenvif_credit_allow_set(struct xenvif_credit_allow *a,
					   u64 bytes, u64 packets, u64 taken,
					   u64 limit)
{
	a->bytes = bytes;
	a->bytes_given = bytes;
	a->base = taken;
	a->limit = limit;
	a->bound = packets < limit - min(taken, limit) ? taken + packets :
							 limit;
}

/**
 * xenvif_credit_open - open an allowance on buckets refilled for this batch
 * @a: the allowance
 * @c: one bucket per credit type
 * @cfg: one limit per credit type
 * @taken: the caller's count of packets taken so far in this batch
 * @limit: the count the caller stops at anyway (netback: the NAPI budget)
 *
 * One division per type.  The caller takes packets while its count is
 * below xenvif_credit_bound().
 */
static inline void xenvif_credit_open(struct xenvif_credit_allow *a,
				      const struct xenvif_credit *c,
				      const struct xenvif_credit_cfg *cfg,
				      u64 taken, u64 limit)
{
	xenvif_credit_allow_set(a,
				xenvif_credit_units(&c[XENVIF_CREDIT_BYTES],
						    &cfg[XENVIF_CREDIT_BYTES]),
				xenvif_credit_units(&c[XENVIF_CREDIT_PACKETS],
						    &cfg[XENVIF_CREDIT_PACKETS]),
				taken, limit);
}

/* An allowance that lets everything through: the vif has no limit. */
static inline void xenvif_credit_open_all(struct xenvif_credit_allow *a,
					  u64 taken, u64 limit)
{
	xenvif_credit_allow_set(a, U64_MAX, U64_MAX, taken, limit);
}

/* The count of packets at which the caller must stop or ask again. */
static inline u64 xenvif_credit_bound(const struct xenvif_credit_allow *a)
{
	return a->bound;
}

/*
 * Did the caller stop at @taken because the allowance ran out of packets
 * (rather than because it reached its own limit)?
 */
static inline bool xenvif_credit_packets_short(const struct xenvif_credit_allow *a,
					       u64 taken)
{
	return taken >= a->bound && a->bound < a->limit;
}

/**
 * xenvif_credit_close - charge what the batch took
 * @a: the allowance
 * @c: the buckets it was opened on
 * @cfg: their limits
 * @taken: the caller's count of packets now
 *
 * Charges the bytes taken from @a and the packets counted since it was
 * opened.  Bytes were taken only while the buckets held them; packets may
 * exceed them by what the caller charged beyond its bound (a debt, paid
 * off before the next packet).  Closing twice charges nothing the second
 * time.
 */
static inline void xenvif_credit_close(struct xenvif_credit_allow *a,
				       struct xenvif_credit *c,
				       const struct xenvif_credit_cfg *cfg,
				       u64 taken)
{
	const struct xenvif_credit_cfg *pcfg = &cfg[XENVIF_CREDIT_PACKETS];
	u64 packets = taken > a->base ? taken - a->base : 0;

	c[XENVIF_CREDIT_BYTES].credit -=
		(s64)((a->bytes_given - a->bytes) *
		      cfg[XENVIF_CREDIT_BYTES].unit);
	if (pcfg->unit && packets)
		xenvif_credit_spend(&c[XENVIF_CREDIT_PACKETS],
				    xenvif_credit_cost(pcfg, packets));
	a->bytes_given = a->bytes;
	a->base = max(a->base, taken);
}

/**
 * xenvif_credit_try - the per-request fast path
 * @a: the batch's allowance
 * @bytes: the request's size; its packet is counted by the caller
 *
 * Return: true if the bytes may go; they are then taken from @a.
 */
static inline bool xenvif_credit_try(struct xenvif_credit_allow *a,
				     u64 bytes)
{
	if (bytes > a->bytes)
		return false;
	a->bytes -= bytes;
	return true;
}

/*
 * xenvif_credit_admit() and _admit_pool() charge a packet with its bytes;
 * a caller that counts its packets itself gives the packet back and
 * counts it when it takes it.
 */
static inline void xenvif_credit_uncharge_packet(struct xenvif_credit *c,
						 const struct xenvif_credit_cfg *cfg)
{
	const struct xenvif_credit_cfg *pcfg = &cfg[XENVIF_CREDIT_PACKETS];

	if (pcfg->mode == XENVIF_CREDIT_ON)
		xenvif_credit_refund(&c[XENVIF_CREDIT_PACKETS], pcfg,
				     xenvif_credit_cost(pcfg, 1));
}

/* Refill every bucket a queue owns; once per batch. */
static inline void xenvif_credit_refill_all(struct xenvif_credit *c,
					    const struct xenvif_credit_cfg *cfg,
					    u64 now)
{
	int i;

	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		xenvif_credit_refill(&c[i], &cfg[i], now);
}

/* Cost per credit type; false if a closed credit lets nothing go. */
static inline bool xenvif_credit_costs(const struct xenvif_credit_cfg *cfg,
				       const u64 *units, s64 *cost)
{
	int i;

	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		cost[i] = 0;
		if (cfg[i].mode == XENVIF_CREDIT_ON)
			cost[i] = xenvif_credit_cost(&cfg[i], units[i]);
		else if (unlikely(cfg[i].mode == XENVIF_CREDIT_CLOSED))
			return false;
	}
	return true;
}

/* Charge every limited type; only after each of them allowed the packet. */
static inline void xenvif_credit_charge(struct xenvif_credit *c,
					const struct xenvif_credit_cfg *cfg,
					const s64 *cost)
{
	int i;

	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		if (cfg[i].mode == XENVIF_CREDIT_ON)
			xenvif_credit_spend(&c[i], cost[i]);
}

/**
 * xenvif_credit_admit - may a packet go now, from buckets its caller owns?
 * @c: one bucket per credit type
 * @cfg: one limit per credit type
 * @now: monotonic time in ns, read once per batch by the caller
 * @units: cost per credit type (bytes, packets)
 * @wait: when refused, ns until the caller should try again; U64_MAX if
 *	no refill will ever let the packet go (a closed credit)
 *
 * The packet goes only if every limited type allows it, and is then
 * charged to every limited type.  Refusal charges nothing.
 *
 * Return: true if the packet may go.
 */
static inline bool xenvif_credit_admit(struct xenvif_credit *c,
				       const struct xenvif_credit_cfg *cfg,
				       u64 now, const u64 *units, u64 *wait)
{
	s64 cost[XENVIF_CREDIT_NR];
	bool ok = true;
	int i;

	*wait = U64_MAX;
	if (!xenvif_credit_costs(cfg, units, cost))
		return false;
	*wait = 0;
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		if (cfg[i].mode != XENVIF_CREDIT_ON)
			continue;
		xenvif_credit_refill(&c[i], &cfg[i], now);
		if (c[i].credit < xenvif_credit_need(&cfg[i], cost[i])) {
			ok = false;
			*wait = max(*wait, xenvif_credit_wait(&cfg[i],
							      c[i].credit,
							      cost[i]));
		}
	}
	if (ok)
		xenvif_credit_charge(c, cfg, cost);
	return ok;
}

/*
 * Several queues share one limit: each queue spends from a stash of its
 * own without any lock (through an allowance), and only when the
 * stash runs short takes the pool's lock and moves credit from the shared
 * pool into it (xenvif_credit_admit_pool()).  Credit is moved, never made,
 * so the interface as a whole keeps the configured rate.  A move takes an
 * eighth of a bucket (or what the packet needs, if more): the lock is taken
 * at most once per eighth of a bucket per queue, plus once per wake-up, and
 * what N stashes hold beyond the pool is at most N/8 of a bucket, plus one
 * packet's debt per queue.  A queue the pool cannot serve gives its stash
 * back before it sleeps.
 */
/**
 * xenvif_credit_admit_pool - admission from the shared pool
 * @local: the queue's stash, one per credit type
 * @pool: the interface's buckets, one per credit type; the caller holds
 *	the lock that serialises every queue's access to them
 * @cfg: one limit per credit type
 * @now: monotonic time in ns
 * @units: cost per credit type
 * @wait: as for xenvif_credit_admit(), from the pool's refill
 *
 * Return: true if the packet may go; it is then charged to @local.
 */
static inline bool xenvif_credit_admit_pool(struct xenvif_credit *local,
					    struct xenvif_credit *pool,
					    const struct xenvif_credit_cfg *cfg,
					    u64 now, const u64 *units,
					    u64 *wait)
{
	s64 cost[XENVIF_CREDIT_NR];
	bool ok = true;
	int i;

	*wait = U64_MAX;
	if (!xenvif_credit_costs(cfg, units, cost))
		return false;
	*wait = 0;
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		s64 need, take;

		if (cfg[i].mode != XENVIF_CREDIT_ON)
			continue;
		need = xenvif_credit_need(&cfg[i], cost[i]);
		if (local[i].credit >= need)
			continue;
		xenvif_credit_refill(&pool[i], &cfg[i], now);
		/* A stash in debt first pays it off. */
		take = need - local[i].credit;
		if (pool[i].credit < take) {
			/*
			 * Hand what the stash holds back to the pool: all
			 * waiting queues then wait for the same credit, and
			 * none strands it while it sleeps.
			 */
			if (local[i].credit > 0) {
				pool[i].credit = min(pool[i].credit +
						     local[i].credit,
						     cfg[i].size);
				local[i].credit = 0;
			}
			ok = false;
			*wait = max(*wait,
				    xenvif_credit_wait(&cfg[i],
						       pool[i].credit +
						       local[i].credit,
						       cost[i]));
			continue;
		}
		take = min(max(take, cfg[i].size >> 3), pool[i].credit);
		pool[i].credit -= take;
		local[i].credit += take;
	}
	if (ok)
		xenvif_credit_charge(local, cfg, cost);
	return ok;
}

/*
 * Parse "AMOUNT,USEC" or, if @burst is not NULL, "AMOUNT,USEC[,BURST]":
 * decimal digits only, no sign, space or trailing junk, every field at
 * least 1.  A missing BURST leaves *@burst at 0.
 *
 * Return: 0, -EINVAL for a malformed string or a zero, -ERANGE for a number
 * that does not fit in 64 bits or too long an interval.
 */
static inline int xenvif_credit_parse_u64(const char **sp, u64 *val)
{
	const char *s = *sp;
	u64 v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = *s - '0';

		if (v > (U64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*sp = s;
	*val = v;
	return 0;
}

static inline int xenvif_credit_parse(const char *s, u64 *amount, u64 *usec,
				      u64 *burst)
{
	u64 a, u, b = 0;
	int err;

	err = xenvif_credit_parse_u64(&s, &a);
	if (err)
		return err;
	if (*s++ != ',')
		return -EINVAL;
	err = xenvif_credit_parse_u64(&s, &u);
	if (err)
		return err;
	if (*s == ',' && burst) {
		s++;
		err = xenvif_credit_parse_u64(&s, &b);
		if (err)
			return err;
		if (!b)
			return -EINVAL;
	}
	if (*s != '\0')
		return -EINVAL;
	if (!a || !u)
		return -EINVAL;
	if (u > XENVIF_CREDIT_USEC_MAX)
		return -ERANGE;

	*amount = a;
	*usec = u;
	if (burst)
		*burst = b;
	return 0;
}

/* "BYTES,USEC", the "rate" key; the bucket holds at least 128 KiB. */
static inline int xenvif_credit_parse_bytes(const char *s,
					    struct xenvif_credit_cfg *cfg)
{
	u64 amount, usec;
	int err;

	err = xenvif_credit_parse(s, &amount, &usec, NULL);
	if (err)
		return err;
	return xenvif_credit_cfg_init(cfg, amount, usec,
				      max_t(u64, amount,
					    XENVIF_CREDIT_BYTES_MIN_BURST));
}

/* "PACKETS,USEC[,BURST]", the "rate-packets" key; BURST defaults to
 * one interval's worth.
 */
static inline int xenvif_credit_parse_packets(const char *s,
					      struct xenvif_credit_cfg *cfg)
{
	u64 amount, usec, burst;
	int err;

	err = xenvif_credit_parse(s, &amount, &usec, &burst);
	if (err)
		return err;
	return xenvif_credit_cfg_init(cfg, amount, usec, burst ?: amount);
}

#endif /* __XEN_NETBACK__CREDIT_H__ */
