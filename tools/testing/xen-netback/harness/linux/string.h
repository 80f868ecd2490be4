/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/string.h>. */
#ifndef _HARNESS_LINUX_STRING_H
#define _HARNESS_LINUX_STRING_H

#include <string.h>

static inline long strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	if (n == size) {
		if (size) {
			memcpy(dst, src, size - 1);
			dst[size - 1] = '\0';
		}
		return -7;	/* -E2BIG */
	}
	memcpy(dst, src, n + 1);
	return n;
}

#endif
