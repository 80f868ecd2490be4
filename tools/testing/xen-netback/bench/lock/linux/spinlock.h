/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fast-path replay's <linux/spinlock.h>, found before the harness's
 * single-threaded depth counter (Makefile: -Ilock before -I../harness).
 *
 * As x86's out-of-line _raw_spin_lock() and _raw_spin_unlock(): the
 * preempt count (preempt_disable()/_enable(), CONFIG_PREEMPT_COUNT=y in
 * Debian's 6.12) around an atomic lock, here glibc's pthread spinlock
 * (lock; decl to take it, a store to release it).  With -DBENCH_NOLOCK the
 * lock is a no-op, to show what the lock itself costs.
 */
#ifndef _BENCH_LINUX_SPINLOCK_H
#define _BENCH_LINUX_SPINLOCK_H

#include <pthread.h>

/*
 * this_cpu's __preempt_count as x86 keeps it: PREEMPT_NEED_RESCHED is an
 * inverted bit in it, so that preempt_enable() is one decrement and test
 * (the replay starts it at 0x80000000: no reschedule ever pending).
 */
extern unsigned int bench_preempt_count;
void bench_preempt_schedule(void);

#ifdef BENCH_NOLOCK
typedef struct {
	int unused;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	(void)l;
}

static inline void spin_lock(spinlock_t *l)
{
	(void)l;
}

static inline void spin_unlock(spinlock_t *l)
{
	(void)l;
}
#else
typedef struct {
	pthread_spinlock_t l;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_spin_init(&l->l, PTHREAD_PROCESS_PRIVATE);
}

static inline void spin_lock(spinlock_t *l)
{
	bench_preempt_count++;
	__asm__ __volatile__("" ::: "memory");
	pthread_spin_lock(&l->l);
}

static inline void spin_unlock(spinlock_t *l)
{
	pthread_spin_unlock(&l->l);
	__asm__ __volatile__("" ::: "memory");
	if (__builtin_expect(--bench_preempt_count == 0, 0))
		bench_preempt_schedule();
}
#endif

#endif
