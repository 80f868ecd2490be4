// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for "xl -N" (dry run) on a host without Xen, used to
 * run Xen's own tools/xl/check-xl-vif-parse against the xl and libxlutil
 * built by scripts/xen-toolstack.sh.  xl opens a hypervisor handle and
 * asks for the version before any command; a dry-run network-attach
 * needs nothing else from Xen.  Xenstore is Debian's real xenstored,
 * started with xenstored-shim.so as in xenstore.sh.
 */
#include <string.h>

/* Values of xen/include/public/version.h. */
#define XENVER_version		0
#define XENVER_compile_info	2
#define XENVER_pagesize		7
#define XENVER_build_id		10

static int dummy;

void *xc_interface_open(void *l, void *dl, unsigned int f)
{
	return &dummy;
}

int xc_interface_close(void *xch)
{
	return 0;
}

/* Xen 4.17, empty strings, no build id. */
int xc_version(void *xch, int cmd, void *arg)
{
	switch (cmd) {
	case XENVER_version:
		return (4 << 16) | 17;
	case XENVER_pagesize:
		return 4096;
	case XENVER_build_id:
		return 0;
	case XENVER_compile_info:
		memset(arg, 0, 144);
		return 0;
	default:
		if (arg)
			memset(arg, 0, 16);
		return 0;
	}
}

/* xl sizes its cpu and node bitmaps before any command. */
int xc_get_max_cpus(void *xch)
{
	return 2;
}

int xc_get_online_cpus(void *xch)
{
	return 2;
}

int xc_get_max_nodes(void *xch)
{
	return 1;
}
