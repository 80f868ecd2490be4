/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/spinlock.h>.  The harness is single
 * threaded: a lock is a depth count, and taking a held lock or releasing
 * a free one aborts, which catches unbalanced locking in credit.c.
 */
#ifndef _HARNESS_LINUX_SPINLOCK_H
#define _HARNESS_LINUX_SPINLOCK_H

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	int held;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	l->held = 0;
}

/* No lockdep here: a class is accepted and ignored. */
struct lock_class_key {
	int unused;
};

#define lockdep_set_class(lock, key)	do { (void)(lock); (void)(key); } while (0)

static inline void spin_lock(spinlock_t *l)
{
	if (l->held++) {
		fprintf(stderr, "spin_lock: lock already held\n");
		abort();
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	if (--l->held) {
		fprintf(stderr, "spin_unlock: lock not held\n");
		abort();
	}
}

#endif
