// SPDX-License-Identifier: GPL-2.0-only
/*
 * Version of the DKMS build of xen-netback.  The stock module has none:
 * with none here either, "dkms install" would find the two versions equal
 * and keep the stock module.  scripts/dkms-src.sh fills it in.
 */
#include <linux/module.h>

MODULE_VERSION("@VERSION@-rate");
