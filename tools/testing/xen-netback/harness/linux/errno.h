/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/errno.h>: the uapi header holds every
 * value credit.h returns.  glibc's <errno.h> reaches this file through
 * <bits/errno.h> as well, hence #include_next rather than <errno.h>.
 */
#ifndef _HARNESS_LINUX_ERRNO_H
#define _HARNESS_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
