/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bits.h>: just what credit.h needs. */
#ifndef _HARNESS_LINUX_BITS_H
#define _HARNESS_LINUX_BITS_H

#define BIT_ULL(nr)	(1ULL << (nr))

#endif
