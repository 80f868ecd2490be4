// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transmit credit of xen-netback: limits, their parsers, and the slow path
 * of admission.  See credit.h for the model.
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "credit.h"

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
int xenvif_credit_cfg_init(struct xenvif_credit_cfg *cfg, u64 amount,
			   u64 usec, u64 burst)
{
	u64 interval, unit, max_units, rem;

	if (!amount || !usec || !burst)
		return -EINVAL;
	if (usec > XENVIF_CREDIT_USEC_MAX)
		return -ERANGE;

	/* At most 2^32 us << 26 bits: no overflow. */
	interval = (usec * 1000) << XENVIF_CREDIT_SHIFT;
	/*
	 * Rounded up: a unit that cost less than its share of the interval
	 * would let the long-term rate creep above the limit.
	 */
	unit = div64_u64_rem(interval, amount, &rem);
	unit += rem != 0;
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

/* No limit, or a closed credit (nothing passes until a valid value). */
void xenvif_credit_cfg_off(struct xenvif_credit_cfg *cfg,
			   enum xenvif_credit_mode mode)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = mode;
}

bool xenvif_credit_cfg_equal(const struct xenvif_credit_cfg *a,
			     const struct xenvif_credit_cfg *b)
{
	return a->mode == b->mode && a->amount == b->amount &&
	       a->usec == b->usec && a->burst == b->burst;
}

static int xenvif_credit_parse_u64(const char **sp, u64 *val)
{
	const char *s = *sp;
	u64 v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = *s - '0';

		/* Constants only: no 64-bit division on 32-bit builds. */
		if (v > U64_MAX / 10 || (v == U64_MAX / 10 && d > U64_MAX % 10))
			return -ERANGE;
		v = v * 10 + d;
	}
	*sp = s;
	*val = v;
	return 0;
}

/*
 * Parse "AMOUNT,USEC" or, if @burst is not NULL, "AMOUNT,USEC[,BURST]":
 * decimal digits only, no sign, space or trailing junk, every field at
 * least 1.  A missing BURST leaves *@burst at 0.
 *
 * Return: 0, -EINVAL for a malformed string or a zero, -ERANGE for a number
 * that does not fit in 64 bits or too long an interval.
 */
static int xenvif_credit_parse(const char *s, u64 *amount, u64 *usec,
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
int xenvif_credit_parse_bytes(const char *s, struct xenvif_credit_cfg *cfg)
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

/*
 * "PACKETS,USEC[,BURST]", the "rate-packets" key; BURST defaults to one
 * interval's worth.
 */
int xenvif_credit_parse_packets(const char *s, struct xenvif_credit_cfg *cfg)
{
	u64 amount, usec, burst;
	int err;

	err = xenvif_credit_parse(s, &amount, &usec, &burst);
	if (err)
		return err;
	return xenvif_credit_cfg_init(cfg, amount, usec, burst ?: amount);
}

/* Units held: both below 2^62 + 2^61, the sum below 2^63. */
static u64 xenvif_credit_add(u64 a, u64 b)
{
	return min(a + b, XENVIF_CREDIT_UNLIMITED);
}

/* A new limit: its buckets start full, one burst may go at once. */
void xenvif_credit_bucket_init(struct xenvif_credit_bucket *b,
			       const struct xenvif_credit_cfg *cfg, u64 now)
{
	int i;

	spin_lock_init(&b->lock);
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		b->cfg[i] = cfg[i];
		b->credit[i] = cfg[i].mode == XENVIF_CREDIT_ON ? cfg[i].size : 0;
	}
	b->stamp = now;
	b->waiters = 0;
	b->retired = false;
}

/* Add the time elapsed since the last refill, up to a full bucket. */
static void xenvif_credit_refill(struct xenvif_credit_bucket *b, u64 now)
{
	u64 elapsed = now - b->stamp;
	int i;

	/* Time stands still or went back (another CPU's clock): nothing. */
	if ((s64)elapsed <= 0 || b->retired)
		return;
	b->stamp = now;
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		const struct xenvif_credit_cfg *cfg = &b->cfg[i];
		u64 room;

		if (cfg->mode != XENVIF_CREDIT_ON || b->credit[i] >= cfg->size)
			continue;
		room = cfg->size - b->credit[i];
		/* Compare before shifting: elapsed may be years. */
		if (elapsed > room >> XENVIF_CREDIT_SHIFT)
			b->credit[i] = cfg->size;
		else
			b->credit[i] += elapsed << XENVIF_CREDIT_SHIFT;
		b->credit[i] = min(b->credit[i], cfg->size);
	}
}

/**
 * xenvif_credit_bucket_carry - keep the buckets of an unchanged limit
 * @b: the new limit's buckets, from xenvif_credit_bucket_init() at @now
 * @old: the limit in force, which queues may still be using
 * @now: monotonic time in ns
 *
 * A new value for one key must not refill, or forgive the debt of, the
 * bucket of the other: a type whose limit is the same in both moves what
 * its bucket holds, refilled to @now, debt included, to @b.  Moved, not
 * copied: a batch of the old limit still running finds none of it.  What
 * batches or queues of the old limit hold is not carried: the new limit
 * starts with less of that type, never more (a queue gives what it holds
 * to the new limit at its next batch, xenvif_credit_queue_move()).
 *
 * @old refills no more: until the new limit is in force, queues still
 * polling under @old would otherwise spend the time from @now a second
 * time, beside @b.  A queue @old refuses meanwhile is polled again when
 * the new limit is in force.  Takes @old's lock: from process context,
 * with bottom halves disabled.
 */
void xenvif_credit_bucket_carry(struct xenvif_credit_bucket *b,
				struct xenvif_credit_bucket *old, u64 now)
{
	int i;

	spin_lock(&old->lock);
	xenvif_credit_refill(old, now);
	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		if (b->cfg[i].mode == XENVIF_CREDIT_ON &&
		    xenvif_credit_cfg_equal(&b->cfg[i], &old->cfg[i])) {
			b->credit[i] = old->credit[i];
			old->credit[i] = min_t(s64, old->credit[i], 0);
		}
	old->retired = true;
	spin_unlock(&old->lock);
}

/* Malformed at connect: nothing passes until the toolstack acts. */
static bool xenvif_credit_closed(const struct xenvif_credit_bucket *b)
{
	return b->cfg[XENVIF_CREDIT_BYTES].mode == XENVIF_CREDIT_CLOSED ||
	       b->cfg[XENVIF_CREDIT_PACKETS].mode == XENVIF_CREDIT_CLOSED;
}

/* Move the whole units a bucket holds into @a: all of them, no limit. */
static void xenvif_credit_take_all(struct xenvif_credit_bucket *b,
				   struct xenvif_credit_allow *a)
{
	int i;

	/*
	 * A closed credit lends nothing, not even of a type with no limit:
	 * every request then lacks its wire packet and reaches
	 * xenvif_credit_admit(), which refuses it, one of no bytes too.
	 */
	if (xenvif_credit_closed(b))
		return;
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		const struct xenvif_credit_cfg *cfg = &b->cfg[i];
		u64 units;

		if (cfg->mode == XENVIF_CREDIT_OFF) {
			a->units[i] = XENVIF_CREDIT_UNLIMITED;
			continue;
		}
		if (cfg->mode != XENVIF_CREDIT_ON || b->credit[i] <= 0)
			continue;
		units = div64_u64(b->credit[i], cfg->unit);
		b->credit[i] -= units * cfg->unit;
		a->units[i] = xenvif_credit_add(a->units[i], units);
	}
}

/*
 * Give @units of type @i back to the bucket, never beyond a full one; a
 * bucket in debt (another queue paid into it) gets them on top of it.
 * Inline: every batch that ends runs it for each type.
 */
static __always_inline void
xenvif_credit_put(struct xenvif_credit_bucket *b, int i, u64 units)
{
	const struct xenvif_credit_cfg *cfg = &b->cfg[i];
	s64 room;

	if (cfg->mode != XENVIF_CREDIT_ON || !units)
		return;
	/* At most 2^61 + 2^61: no overflow. */
	room = cfg->size - b->credit[i];
	if (room <= 0)
		return;
	/*
	 * Below max_units, units * unit fits; at or above it, a bucket in
	 * debt may still have room for them: divide (rare) rather than
	 * multiply.
	 */
	if (units < cfg->max_units ? (s64)(units * cfg->unit) >= room :
				     units > div64_u64(room - 1, cfg->unit))
		b->credit[i] = cfg->size;
	else
		b->credit[i] += units * cfg->unit;
}

/* A refused queue sleeps until the buckets it paid into hold this much. */
static s64 xenvif_credit_wake_level(const struct xenvif_credit_cfg *cfg)
{
	return cfg->size >> 2;
}

/* What a refused queue sleeps for: every limited bucket a quarter full. */
static bool xenvif_credit_quarter(const struct xenvif_credit_bucket *b)
{
	int i;

	if (xenvif_credit_closed(b))
		return false;
	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		if (b->cfg[i].mode == XENVIF_CREDIT_ON &&
		    b->credit[i] < xenvif_credit_wake_level(&b->cfg[i]))
			return false;
	return true;
}

/* The queue's next batch begins, or it goes: it no longer waits. */
static void xenvif_credit_unwait(struct xenvif_credit_bucket *b,
				 struct xenvif_credit_queue *q)
{
	if (unlikely(q->waiting)) {
		q->waiting = false;
		b->waiters--;
	}
}

/*
 * Give back all of @a, never beyond full buckets, and empty it.
 *
 * Return: true if another queue was refused and sleeps for what the
 * buckets now hold.
 */
static bool xenvif_credit_put_all(struct xenvif_credit_bucket *b,
				  struct xenvif_credit_allow *a)
{
	bool wake;
	int i;

	spin_lock(&b->lock);
	for (i = 0; i < XENVIF_CREDIT_NR; i++)
		xenvif_credit_put(b, i, a->units[i]);
	wake = unlikely(b->waiters) && xenvif_credit_quarter(b);
	spin_unlock(&b->lock);
	memset(a, 0, sizeof(*a));
	return wake;
}

/**
 * xenvif_credit_begin - open a queue's NAPI batch
 * @bt: the batch
 * @b: the vif's buckets
 * @q: the queue's own credit
 * @now: monotonic time in ns, read once per batch
 *
 * The batch gets the units the queue holds and every whole unit the
 * buckets hold; xenvif_credit_end() gives back what it does not spend.
 */
void xenvif_credit_begin(struct xenvif_credit_batch *bt,
			 struct xenvif_credit_bucket *b,
			 struct xenvif_credit_queue *q, u64 now)
{
	bt->bucket = b;
	bt->queue = q;
	bt->now = now;
	bt->wait = 0;
	bt->refused = false;
	bt->allow = q->held;
	memset(&q->held, 0, sizeof(q->held));

	spin_lock(&b->lock);
	xenvif_credit_unwait(b, q);
	xenvif_credit_refill(b, now);
	xenvif_credit_take_all(b, &bt->allow);
	spin_unlock(&b->lock);
}

/* ns until @credit reaches @target */
static u64 xenvif_credit_wait(s64 credit, s64 target)
{
	if (credit >= target)
		return 0;
	return ((u64)(target - credit) + (1 << XENVIF_CREDIT_SHIFT) - 1) >>
	       XENVIF_CREDIT_SHIFT;
}

/**
 * xenvif_credit_admit - the slow path of xenvif_credit_take()
 * @bt: the batch, whose allowance ran short
 * @bytes: the packet's bytes
 * @packets: its wire packets
 * @now: monotonic time in ns, read now: the buckets are refilled to it
 *	before they are taken from, and the wait counts from it
 *
 * Takes what the allowance lacks from the buckets if they hold it.  If
 * not, the queue pays for the packet now, into debt (down to
 * -XENVIF_CREDIT_MAX; a larger cost is paid in several steps) and holds the
 * units until its next batch: it should poll again when the buckets are a
 * quarter full again (@bt->wait), and the packet then goes whatever other
 * queues took meanwhile.  What the batch holds beyond the packet's cost
 * goes back to the buckets.  A closed credit refuses without paying.
 *
 * Return: true if the packet may go; it is then charged.
 */
bool xenvif_credit_admit(struct xenvif_credit_batch *bt, u64 bytes,
			 u64 packets, u64 now)
{
	const u64 cost[XENVIF_CREDIT_NR] = {
		[XENVIF_CREDIT_BYTES] = bytes,
		[XENVIF_CREDIT_PACKETS] = packets,
	};
	struct xenvif_credit_bucket *b = bt->bucket;
	struct xenvif_credit_allow *a = &bt->allow;
	u64 need[XENVIF_CREDIT_NR];
	bool ok = true;
	int i;

	/*
	 * Not the time the batch began: taking from a bucket that filled up
	 * meanwhile without a refill to the present would let the next
	 * refill count the time it sat full a second time.
	 */
	bt->now = now;
	spin_lock(&b->lock);
	xenvif_credit_refill(b, now);
	if (xenvif_credit_closed(b)) {
		/* Only the toolstack can open it: pay nothing. */
		bt->wait = U64_MAX;
		goto refuse;
	}
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		const struct xenvif_credit_cfg *cfg = &b->cfg[i];

		need[i] = cost[i] > a->units[i] ? cost[i] - a->units[i] : 0;
		if (!need[i])
			continue;
		if (need[i] > cfg->max_units ||
		    b->credit[i] < (s64)(need[i] * cfg->unit))
			ok = false;
	}

	if (ok) {
		for (i = 0; i < XENVIF_CREDIT_NR; i++) {
			b->credit[i] -= need[i] * b->cfg[i].unit;
			a->units[i] += need[i] - cost[i];
		}
		/* What is left, for the rest of the batch. */
		xenvif_credit_take_all(b, a);
		spin_unlock(&b->lock);
		return true;
	}

	/* Pay now and sleep until the buckets are a quarter full again. */
	bt->wait = 0;
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		const struct xenvif_credit_cfg *cfg = &b->cfg[i];
		u64 pay;

		if (!need[i])
			continue;
		pay = min(need[i], div64_u64(b->credit[i] + XENVIF_CREDIT_MAX,
					     cfg->unit));
		b->credit[i] -= pay * cfg->unit;
		a->units[i] += pay;
		bt->wait = max(bt->wait,
			       xenvif_credit_wait(b->credit[i],
						  xenvif_credit_wake_level(cfg)));
	}
	/* A step of a very large cost ends with the debt at its floor. */
	bt->wait = max_t(u64, bt->wait, 1);
	/* Another queue's open batch may hold the units: it wakes us. */
	if (!bt->queue->waiting) {
		bt->queue->waiting = true;
		b->waiters++;
	}
refuse:
	/*
	 * The queue keeps what the packet costs and gives the rest back:
	 * units kept beyond that would pile up at each refusal, outside the
	 * bucket's cap, and let it save up far more than a burst of the type
	 * that did not refuse it.
	 */
	for (i = 0; i < XENVIF_CREDIT_NR; i++) {
		if (b->cfg[i].mode != XENVIF_CREDIT_ON || a->units[i] <= cost[i])
			continue;
		xenvif_credit_put(b, i, a->units[i] - cost[i]);
		a->units[i] = cost[i];
	}
	bt->refused = true;
	spin_unlock(&b->lock);
	return false;
}

/**
 * xenvif_credit_end - close a queue's NAPI batch
 * @bt: the batch
 *
 * A refused queue keeps the units paid for the packet it waits to send
 * (xenvif_credit_admit() gave the rest back).  Otherwise the buckets get
 * back what the batch did not spend.
 *
 * A batch holds every whole unit while it runs, so a queue that polls
 * meanwhile may be refused by buckets this batch then mostly refills.
 *
 * Return: true if a refused queue sleeps until the buckets hold what they
 * now do: the caller should poll the vif's throttled queues now.
 */
bool xenvif_credit_end(struct xenvif_credit_batch *bt)
{
	if (bt->refused) {
		bt->queue->held = bt->allow;
		return false;
	}
	return xenvif_credit_put_all(bt->bucket, &bt->allow);
}

/**
 * xenvif_credit_ready - would a refused queue be polled now?
 * @b: the vif's buckets
 *
 * For a queue that was just refused and armed its timer: a batch that
 * ended in between may have given back what it waits for, and woken the
 * throttled queues before this one counted as throttled.
 *
 * Return: true if every limited bucket holds a quarter of its size.
 */
bool xenvif_credit_ready(struct xenvif_credit_bucket *b)
{
	bool ready;

	spin_lock(&b->lock);
	ready = xenvif_credit_quarter(b);
	spin_unlock(&b->lock);
	return ready;
}

/**
 * xenvif_credit_queue_release - a queue goes, with its ring
 * @b: the vif's buckets, those of the limit the queue's credit is for
 * @q: the queue's credit, between batches
 *
 * What the queue holds goes back to the buckets: the units it paid for a
 * request that now never leaves, and its GSO refund.  A vif whose
 * frontend reconnects keeps its buckets; dropping them would make the
 * guest pay twice for that request.
 */
void xenvif_credit_queue_release(struct xenvif_credit_bucket *b,
				 struct xenvif_credit_queue *q)
{
	spin_lock(&b->lock);
	xenvif_credit_unwait(b, q);
	spin_unlock(&b->lock);
	xenvif_credit_put_all(b, &q->held);
}

/**
 * xenvif_credit_queue_move - a queue's first batch under a new limit
 * @b: the new limit's buckets
 * @q: the queue's credit, kept under the limit before
 *
 * What the queue holds goes to @b, never beyond full buckets: the units it
 * paid for the request it was refused, and its GSO refund.  The request is
 * then charged once, under the new limit: a bucket carried over with its
 * debt gets back what the payment took from it, and a changed type's
 * bucket, new and full, takes nothing.  The queue waited on the old
 * buckets, which go.
 */
void xenvif_credit_queue_move(struct xenvif_credit_bucket *b,
			      struct xenvif_credit_queue *q)
{
	q->waiting = false;
	xenvif_credit_put_all(b, &q->held);
}

/**
 * xenvif_credit_gso_segs - the wire packets a GSO packet is charged
 * @size: the packet's size in bytes
 * @gso_size: its segments' payload size (MSS)
 *
 * Its headers are not known until its skb is built: count the segments as
 * if they were the shortest possible, which never undercounts.
 *
 * Return: at least 1.
 */
u64 xenvif_credit_gso_segs(u64 size, u64 gso_size)
{
	u64 payload = size > XENVIF_CREDIT_GSO_MIN_HDR ?
		      size - XENVIF_CREDIT_GSO_MIN_HDR : 0;

	if (!gso_size)
		return 1;
	return max_t(u64, div64_u64(payload + gso_size - 1, gso_size), 1);
}

/**
 * xenvif_credit_gso_refund - give back what a GSO packet was overcharged
 * @q: the queue that took the packet
 * @size: the packet's size, as when it was charged
 * @gso_size: its MSS
 * @segs: the segments it really has, now that its headers are known
 *
 * The queue's next batch gets the difference, so that a GSO packet costs
 * exactly its segments.  It goes to the batch, not to the buckets, where
 * a bucket filled meanwhile would cap it away: a small bucket would then
 * lose rate to every overcharge.  A packet goes out as one frame at
 * least: one whose headers leave no payload (@segs 0) still costs one.
 */
void xenvif_credit_gso_refund(struct xenvif_credit_queue *q, u64 size,
			      u64 gso_size, u64 segs)
{
	u64 charged = xenvif_credit_gso_segs(size, gso_size);
	u64 *held = &q->held.units[XENVIF_CREDIT_PACKETS];

	segs = max_t(u64, segs, 1);
	if (charged > segs)
		*held = xenvif_credit_add(*held, charged - segs);
}
