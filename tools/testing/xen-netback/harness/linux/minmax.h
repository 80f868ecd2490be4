/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/minmax.h>.  min() and max() keep the
 * kernel's type check in its older, strict form: both sides must have the
 * same type, or the build fails under -Werror ("comparison of distinct
 * pointer types"), so credit.h cannot silently mix signedness here.
 */
#ifndef _HARNESS_LINUX_MINMAX_H
#define _HARNESS_LINUX_MINMAX_H

#include <linux/compiler.h>
#include <linux/types.h>

#define __harness_cmp(x, y, op) ({			\
	__auto_type __x = (x);				\
	__auto_type __y = (y);				\
	(void)(&__x == &__y);				\
	__x op __y ? __x : __y; })

#define min(x, y)	__harness_cmp(x, y, <)
#define max(x, y)	__harness_cmp(x, y, >)

#define min_t(type, x, y) ({				\
	type __tx = (x);				\
	type __ty = (y);				\
	__tx < __ty ? __tx : __ty; })
#define max_t(type, x, y) ({				\
	type __tx = (x);				\
	type __ty = (y);				\
	__tx > __ty ? __tx : __ty; })

#define clamp(val, lo, hi)	min(max(val, lo), hi)

#endif
