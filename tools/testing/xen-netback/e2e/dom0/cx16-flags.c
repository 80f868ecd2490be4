// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-cx16-flags: does CMPXCHG16B leave RFLAGS as the hardware does?
 *
 * QEMU 7.2's TCG (Debian 12's qemu-system-x86) computes the flags of
 * CMPXCHG16B in a helper that reads the lazy-flags operation from the CPU
 * state without the translator writing the current one there first: after
 * a flag-setting instruction in the same translation block it takes the
 * stale one, and when that is "flags as they are" the flags become
 * whatever value the lazy source held, a pointer as like as not (QEMU 8.1
 * inlined the instruction and lost the bug).  Every kmalloc and kfree of
 * a 6.12 kernel runs CMPXCHG16B in SLUB's fast path: an interrupt taken
 * before the next flag-setting instruction saves the garbage and IRET
 * restores it, trap flag, direction flag and all.
 *
 * Prints one line and exits 0 if the CPU has no CMPXCHG16B (nothing can
 * go wrong) or its flags are sane, 1 if they are not.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

static unsigned __int128 mem __attribute__((aligned(16)));

int main(void)
{
	/* TF, DF, NT and more, as a kernel pointer's low bits could be */
	uint64_t garbage = 0x00000000079c4b00ULL;
	uint64_t flags, rcx = 1, rax = 0, rdx = 0, rbx = 0;
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_CMPXCHG16B)) {
		printf("cx16-flags: no CMPXCHG16B on this CPU: not tested\n");
		return 0;
	}
	asm volatile("pushq $0x202\n\t"
		     "popfq\n\t"		/* QEMU: flags as they are; TB ends */
		     "addq %[g], %[c]\n\t"	/* QEMU: lazy ADD, source = g */
		     "cmpxchg16b %[m]\n\t"	/* no LOCK: this_cpu_cmpxchg128 */
		     "pushfq\n\t"
		     "popq %[f]\n\t"
		     : [f] "=r" (flags), [c] "+c" (rcx), "+a" (rax),
		       "+d" (rdx), [m] "+m" (mem)
		     : [g] "r" (garbage), "b" (rbx)
		     : "cc", "memory");
	/*
	 * ZF set (the compare matched), IF and the fixed bit 1 as POPF left
	 * them; the other arithmetic flags (CF PF AF SF OF) are undefined.
	 */
	if ((flags & ~0x895ULL) != 0x242) {
		printf("cx16-flags: CORRUPT: RFLAGS %#llx after CMPXCHG16B (want 0x242, give or take CF PF AF SF OF)\n",
		       (unsigned long long)flags);
		return 1;
	}
	printf("cx16-flags: sane: RFLAGS %#llx after CMPXCHG16B\n",
	       (unsigned long long)flags);
	return 0;
}
