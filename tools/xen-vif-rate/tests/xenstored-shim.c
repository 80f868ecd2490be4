// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim letting Debian's real xenstored (4.17) run on a plain
 * Linux host for xenstore.sh.  xenstored 4.17 only creates its node
 * database on the hypervisor path (its -D option leaves it unset and the
 * first request crashes), so the few hypervisor interfaces it touches at
 * start-up are stubbed here: the control, event channel and grant table
 * handles, and dom0's /proc/xen/xsd_port and xsd_kva.  Everything the
 * client sees (nodes, transactions, permissions, wire protocol) is
 * xenstored's own code; clients connect through its Unix socket.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int dummy;
static int evfd[2] = { -1, -1 };

void *xc_interface_open(void *l, void *dl, unsigned int f)
{
	return &dummy;
}

void *xenevtchn_open(void *l, unsigned int f)
{
	/* A pipe nobody writes: the event channel never fires. */
	if (evfd[0] < 0 && pipe(evfd))
		return NULL;
	return &dummy;
}

void *xenevtchn_fdopen(void *l, int fd, unsigned int f)
{
	return xenevtchn_open(l, f);
}

int xenevtchn_fd(void *x)
{
	return evfd[0];
}

int xenevtchn_bind_virq(void *x, unsigned int virq)
{
	return 1;
}

int xenevtchn_bind_interdomain(void *x, uint32_t dom, uint32_t port)
{
	return 2;
}

int xenevtchn_notify(void *x, uint32_t port)
{
	return 0;
}

int xenevtchn_unbind(void *x, uint32_t port)
{
	return 0;
}

int xenevtchn_pending(void *x)
{
	return -1;
}

int xenevtchn_unmask(void *x, uint32_t port)
{
	return 0;
}

void *xengnttab_open(void *l, unsigned int f)
{
	return &dummy;
}

int xengnttab_set_max_grants(void *x, uint32_t n)
{
	return 0;
}

void *xengnttab_map_grant_ref(void *x, uint32_t dom, uint32_t ref, int prot)
{
	return calloc(1, 4096);
}

int xengnttab_unmap(void *x, void *addr, uint32_t n)
{
	return 0;
}

/* Every domain asked about exists (xc_dominfo_t starts with the domid). */
int xc_domain_getinfo(void *xch, uint32_t first, unsigned int max,
		      void *info)
{
	memset(info, 0, 64);
	*(uint32_t *)info = first;
	return 1;
}

int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode;
	va_list ap;
	int fd;

	if (!strcmp(path, "/proc/xen/xsd_port")) {
		fd = memfd_create("xsd_port", 0);
		if (fd >= 0 && (write(fd, "3", 1) != 1 ||
				lseek(fd, 0, SEEK_SET)))
			return -1;
		return fd;
	}
	if (!strcmp(path, "/proc/xen/xsd_kva")) {
		/* dom0's ring page: all zeroes, i.e. no requests. */
		fd = memfd_create("xsd_kva", 0);
		if (fd >= 0 && ftruncate(fd, 4096))
			return -1;
		return fd;
	}
	if (!real)
		real = (int (*)(const char *, int, ...))
		       dlsym(RTLD_NEXT, "open");
	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	return real(path, flags, mode);
}
