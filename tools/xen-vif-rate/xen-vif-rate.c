// SPDX-License-Identifier: GPL-2.0
/*
 * xen-vif-rate: set, show and clear the byte and packet rate limits of a
 * Xen vif in its netback backend directory in xenstore.
 *
 * Exit status: 0 ok, 1 runtime error (no xenstore, no such vif, no
 * permission), 2 usage or syntax error.
 */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <xenstore.h>
#ifdef HAVE_LIBXL
#include <libxl.h>
#endif

#include "rate_spec.h"

#ifndef VIF_RATE_VERSION
#define VIF_RATE_VERSION	"1.1"
#endif

#define PROG		"xen-vif-rate"
#define KEY_RATE	"rate"
#define KEY_PKTS	"rate-packets"
#define KEY_FEATURE	"feature-rate-packets"
/* First reserved domid (DOMID_FIRST_RESERVED in xen.h). */
#define DOMID_MAX	0x7fefU
/* Give up rather than spin if other writers keep conflicting. */
#define XS_RETRIES	100

static const char *const counter_names[] = {
	"tx_credit_throttle_events",
	"tx_credit_held_packets",
	"tx_credit_held_bytes",
};
#define NR_COUNTERS	ARRAY_SIZE(counter_names)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " parse SPEC\n"
		"       " PROG " set DOMID DEVID SPEC\n"
		"       " PROG " show DOMID DEVID [--json]\n"
		"       " PROG " clear DOMID DEVID [bytes|packets|all]\n"
		"       " PROG " --version | --help\n"
		"DOMID: a domain id or name; options may come anywhere\n"
		"SPEC: RATE[@INTERVAL][&PRATE[:BURST][@INTERVAL]] or\n"
		"      PRATE[:BURST][@INTERVAL], e.g. 10Mb/s@20ms&20Kpps\n"
		"see " PROG "(8)\n");
}

static void err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int parse_id(const char *s, unsigned long max, unsigned int *out)
{
	unsigned long v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

struct vif {
	const char *dom;	/* as given: a domid or a name */
	unsigned int domid, devid;
	unsigned int backend_domid;
	char dir[96];
	char ifname[IFNAMSIZ];
};

/*
 * A domain name: libxl requires only that names be unique, and a name is
 * matched exactly against /local/domain/<domid>/name (domid_of_name()),
 * so any non-empty string that is not all digits is one.
 */
static bool name_ok(const char *s)
{
	return *s != '\0';
}

/* DOMID and DEVID: decimal, leading zeros allowed as for xl; 0 to MAX. */
static int parse_num(const char *s, unsigned long max, unsigned int *out)
{
	while (s[0] == '0' && s[1])
		s++;
	return parse_id(s, max, out);
}

/*
 * Check DOMID and DEVID.  As for xl, a DOMID of digits only is a number
 * (leading zeros allowed) and anything else a domain name, resolved once
 * xenstore is reached (resolve_vif()).  xl reads a DEVID with atoi():
 * leading zeros are allowed there too.
 */
static int parse_vif(const char *d, const char *v, struct vif *vif)
{
	memset(vif, 0, sizeof(*vif));
	vif->dom = d;
	if (*d && !d[strspn(d, "0123456789")]) {
		if (parse_num(d, DOMID_MAX, &vif->domid)) {
			err("invalid DOMID '%s'", vif->dom);
			return -1;
		}
		vif->dom = NULL;
	} else if (!name_ok(d)) {
		err("invalid DOMID '%s'", d);
		return -1;
	}
	if (parse_num(v, INT_MAX, &vif->devid)) {
		err("invalid DEVID '%s'", v);
		return -1;
	}
	return 0;
}

static void set_dir(struct vif *vif, unsigned int be)
{
	vif->backend_domid = be;
	snprintf(vif->dir, sizeof(vif->dir),
		 "/local/domain/%u/backend/vif/%u/%u", be, vif->domid,
		 vif->devid);
	/* Longer names cannot exist as netdevs; the stats lookup then fails. */
	snprintf(vif->ifname, sizeof(vif->ifname), "vif%u.%u",
		 vif->domid, vif->devid);
}

static char *xs_read_path(struct xs_handle *xs, const char *fmt, ...)
{
	char path[160];
	unsigned int len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return xs_read(xs, XBT_NULL, path, &len);
}

/* The domid of the domain named NAME, as xl finds it; -1 if none. */
static int domid_of_name(struct xs_handle *xs, const char *name,
			 unsigned int *domid)
{
	unsigned int n, i, id;
	char **ents = xs_directory(xs, XBT_NULL, "/local/domain", &n);
	int found = -1;

	if (!ents)
		return -1;
	for (i = 0; i < n && found < 0; i++) {
		char *v;

		if (parse_id(ents[i], DOMID_MAX, &id))
			continue;
		v = xs_read_path(xs, "/local/domain/%u/name", id);
		if (v && !strcmp(v, name)) {
			*domid = id;
			found = 0;
		}
		free(v);
	}
	free(ents);
	return found;
}

/*
 * Accept BE as the vif's backend directory only if it is exactly
 * /local/domain/N/backend/vif/DOMID/DEVID for this vif, in canonical form
 * (the one set_dir() builds: no sign, space or leading zero).
 */
static int backend_of(const struct vif *vif, const char *be,
		      unsigned int *be_domid)
{
	char canon[sizeof(((struct vif *)0)->dir)];
	unsigned int n, d, v;
	int end = 0;

	if (!be || sscanf(be, "/local/domain/%u/backend/vif/%u/%u%n", &n, &d,
			  &v, &end) != 3 || be[end] || d != vif->domid ||
	    v != vif->devid || n > DOMID_MAX)
		return -1;
	snprintf(canon, sizeof(canon), "/local/domain/%u/backend/vif/%u/%u",
		 n, d, v);
	if (strcmp(canon, be))
		return -1;
	*be_domid = n;
	return 0;
}

/*
 * The frontend's "backend" key is writable by the guest: follow it only to
 * a backend directory that exists and whose "frontend-id" and "frontend",
 * written there by the toolstack, name this very vif.  Otherwise a guest
 * could point us at a missing directory, or at another vif's, and so keep
 * its own vif from being limited.
 */
static int backend_of_frontend(struct xs_handle *xs, const struct vif *vif,
			       unsigned int *be_domid)
{
	char *be = xs_read_path(xs, "/local/domain/%u/device/vif/%u/backend",
				vif->domid, vif->devid);
	char *fid = NULL, *fe = NULL, want[64];
	unsigned int n, id;
	int ret = -1;

	if (backend_of(vif, be, &n))
		goto out;
	fid = xs_read_path(xs, "%s/frontend-id", be);
	fe = xs_read_path(xs, "%s/frontend", be);
	snprintf(want, sizeof(want), "/local/domain/%u/device/vif/%u",
		 vif->domid, vif->devid);
	if (fid && !parse_id(fid, DOMID_MAX, &id) && id == vif->domid &&
	    fe && !strcmp(fe, want)) {
		*be_domid = n;
		ret = 0;
	}
out:
	free(be);
	free(fid);
	free(fe);
	return ret;
}

/*
 * A network device name as the kernel takes it (dev_valid_name()): 1 to
 * IFNAMSIZ - 1 characters, not "." or "..", no '/', ':' or whitespace.
 */
static bool ifname_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f)
			return false;
	}
	return true;
}

/*
 * Name -> domid, the backend directory and the netdev.  The directory:
 * libxl's record of the vif (dom0 only), else the frontend's "backend" key
 * if the directory it names agrees (backend_of_frontend()), else domain
 * 0's.  Driver domains (xl's backend=) are found by the first two.  The
 * netdev: the backend's "vifname" (xl's vifname=, the hotplug script
 * renames the device to it) if it is a valid name, else vifDOMID.DEVID.
 */
static int resolve_vif(struct xs_handle *xs, struct vif *vif)
{
	unsigned int be = 0;
	char *v;

	if (vif->dom && domid_of_name(xs, vif->dom, &vif->domid)) {
		err("no domain named '%s'", vif->dom);
		return -1;
	}
	v = xs_read_path(xs, "/libxl/%u/device/vif/%u/backend", vif->domid,
			 vif->devid);
	if (backend_of(vif, v, &be) && backend_of_frontend(xs, vif, &be))
		be = 0;
	free(v);
	set_dir(vif, be);
	v = xs_read_path(xs, "%s/vifname", vif->dir);
	if (v && ifname_ok(v))
		snprintf(vif->ifname, sizeof(vif->ifname), "%s", v);
	free(v);
	return 0;
}

static struct xs_handle *xs_connect(void)
{
	struct xs_handle *xs = xs_open(0);

	if (!xs)
		err("cannot connect to xenstore: %s (is xenstored running?)",
		    strerror(errno));
	return xs;
}

/* Explain a failed xenstore access of the backend directory; returns 1. */
static int xs_fail(const struct vif *vif, const char *what)
{
	int e = errno;

	if (e == ENOENT)
		err("no vif %u/%u: backend %s not found (domain or vif missing)",
		    vif->domid, vif->devid, vif->dir);
	else if (e == EACCES || e == EPERM)
		err("%s %s: permission denied (run as root in the backend domain)",
		    what, vif->dir);
	else
		err("%s %s: %s", what, vif->dir, strerror(e));
	return 1;
}

/* Read DIR/KEY; NULL with errno ENOENT if absent. */
static char *xs_get(struct xs_handle *xs, xs_transaction_t t,
		    const struct vif *vif, const char *key)
{
	char path[160];
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", vif->dir, key);
	return xs_read(xs, t, path, &len);
}

/* The backend dir must exist: writing would otherwise create it. */
static int xs_dir_exists(struct xs_handle *xs, xs_transaction_t t,
			 const struct vif *vif)
{
	unsigned int len;
	char *v = xs_read(xs, t, vif->dir, &len);

	if (!v)
		return -1;
	free(v);
	return 0;
}

/* xl reads a number with a leading 0 as octal: say so, we do the same. */
static void warn_octal(const char *spec)
{
	const char *o;
	size_t n;

	o = rate_spec_octal(spec, &n);
	if (o)
		err("warning: '%.*s' in '%s' starts with 0 and is read as "
		    "octal, as xl reads it (up to any 8 or 9)", (int)n, o,
		    spec);
}

static int cmd_parse(int argc, char **argv)
{
	char buf[RATE_SPEC_STRLEN];
	struct rate_spec rs;
	const char *why;

	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (rate_spec_parse(argv[0], &rs, &why)) {
		err("invalid rate '%s': %s", argv[0], why);
		return 2;
	}
	warn_octal(argv[0]);
	if (rs.has_bytes) {
		rate_spec_format_raw_bytes(&rs, buf);
		printf(KEY_RATE "=%s\n", buf);
		if (!rs.bytes)
			err("warning: rate rounds to 0 bytes per interval");
	}
	if (rs.has_packets) {
		rate_spec_format_raw_packets(&rs, buf);
		printf(KEY_PKTS "=%s\n", buf);
	}
	return 0;
}

enum xs_op { OP_SET, OP_CLEAR };

/*
 * Whether the raw value VAL of KEY (rate or rate-packets) is one netback
 * refuses.  Absent (NULL) is not invalid.
 */
static bool raw_invalid(const char *key, const char *val)
{
	struct rate_spec tmp;

	if (!val)
		return false;
	if (!strcmp(key, KEY_RATE))
		return rate_spec_parse_raw_bytes(val, &tmp) != 0;
	return rate_spec_parse_raw_packets(val, &tmp) != 0;
}

/*
 * A backend without KEY_FEATURE may be a stock netback: it ignores
 * KEY_PKTS, and it counts the byte interval in whole milliseconds, so
 * one below 1 ms becomes none: it refills at each packet it would hold
 * back and does not hold the rate (rate=1Mb/s@500us let 47x through in
 * the e2e rig).
 */
static bool stock_drops_bytes(const struct rate_spec *rs)
{
	return rs->has_bytes && rs->bytes_usec < RATE_SPEC_STOCK_MIN_USEC;
}

static void warn_stock(const struct vif *vif, const struct rate_spec *rs)
{
	if (rs->has_packets)
		err("warning: backend of vif %u/%u lacks " KEY_FEATURE
		    " (stock netback?): " KEY_PKTS " written but likely ignored",
		    vif->domid, vif->devid);
	if (stock_drops_bytes(rs))
		err("warning: backend of vif %u/%u lacks " KEY_FEATURE
		    " (stock netback?): it reads an interval below 1 ms as "
		    "none and does not hold this byte limit (%" PRIu32 " us)",
		    vif->domid, vif->devid, rs->bytes_usec);
}

/* Whether SET is one warn_stock() speaks of on a backend lacking it. */
static bool stock_matters(const struct rate_spec *rs)
{
	return rs->has_packets || stock_drops_bytes(rs);
}

/* Run one transaction writing or removing keys; retried on EAGAIN. */
static int xs_apply(struct xs_handle *xs, const struct vif *vif,
		    enum xs_op op, const struct rate_spec *rs, bool rm_bytes,
		    bool rm_pkts)
{
	char path[160], buf[RATE_SPEC_STRLEN];
	bool feature = false, warn = false;
	bool set_b = op == OP_SET ? rs->has_bytes : rm_bytes;
	bool set_p = op == OP_SET ? rs->has_packets : rm_pkts;
	/* The key this change leaves alone, and its value if invalid. */
	const char *other = set_b && !set_p ? KEY_PKTS :
			    set_p && !set_b ? KEY_RATE : NULL;
	char *bad = NULL;
	unsigned int tries = 0;
	xs_transaction_t t;
	int ret = 1;
	char *v;

	for (;;) {
		t = xs_transaction_start(xs);
		if (t == XBT_NULL) {
			ret = xs_fail(vif, "transaction on");
			break;
		}
		if (xs_dir_exists(xs, t, vif)) {
			ret = xs_fail(vif, "cannot read");
			xs_transaction_end(xs, t, true);
			break;
		}
		free(bad);
		bad = other ? xs_get(xs, t, vif, other) : NULL;
		if (!raw_invalid(other, bad)) {
			free(bad);
			bad = NULL;
		}
		if (op == OP_SET && stock_matters(rs)) {
			v = xs_get(xs, t, vif, KEY_FEATURE);
			feature = v && !strcmp(v, "1");
			free(v);
			warn = !feature;
		}
		if (op == OP_SET && rs->has_bytes) {
			snprintf(path, sizeof(path), "%s/" KEY_RATE, vif->dir);
			rate_spec_format_raw_bytes(rs, buf);
			if (!xs_write(xs, t, path, buf, strlen(buf)))
				goto op_fail;
		}
		if (op == OP_SET && rs->has_packets) {
			snprintf(path, sizeof(path), "%s/" KEY_PKTS, vif->dir);
			rate_spec_format_raw_packets(rs, buf);
			if (!xs_write(xs, t, path, buf, strlen(buf)))
				goto op_fail;
		}
		/* xs_rm of an absent key fails with ENOENT: not an error. */
		if (op == OP_CLEAR && rm_bytes) {
			snprintf(path, sizeof(path), "%s/" KEY_RATE, vif->dir);
			if (!xs_rm(xs, t, path) && errno != ENOENT)
				goto op_fail;
		}
		if (op == OP_CLEAR && rm_pkts) {
			snprintf(path, sizeof(path), "%s/" KEY_PKTS, vif->dir);
			if (!xs_rm(xs, t, path) && errno != ENOENT)
				goto op_fail;
		}
		if (xs_transaction_end(xs, t, false)) {
			ret = 0;
			break;
		}
		if (errno == EAGAIN && ++tries < XS_RETRIES)
			continue;
		ret = xs_fail(vif, "cannot commit to");
		break;
op_fail:
		ret = xs_fail(vif, "cannot write to");
		xs_transaction_end(xs, t, true);
		break;
	}
	if (!ret && warn)
		warn_stock(vif, rs);
	/* Not an error: the change asked for is made. */
	if (!ret && bad)
		err("warning: %s of vif %u/%u left invalid (\"%.64s\"): "
		    "netback refuses it, a running vif keeps its previous %s "
		    "limit and at connect nothing passes; set or clear it",
		    other, vif->domid, vif->devid, bad,
		    strcmp(other, KEY_RATE) ? "packet" : "byte");
	free(bad);
	return ret;
}

/*
 * Keep a live change across reboot, save/restore, migration: libxl
 * rebuilds the vif from the configuration it stored at creation.
 */
#ifdef HAVE_LIBXL
/*
 * Apply the change through libxl, which writes the keys and its stored
 * configuration together.  Returns 0 if done, 1 if the caller must write
 * xenstore itself (the reason printed).
 */
static int libxl_apply(const struct vif *vif, enum xs_op op,
		       const struct rate_spec *rs, bool rm_bytes, bool rm_pkts)
{
	bool set_b = op == OP_SET ? rs->has_bytes : rm_bytes;
	bool set_p = op == OP_SET ? rs->has_packets : rm_pkts;
	xentoollog_logger_stdiostream *lg;
	libxl_device_nic nic;
	libxl_ctx *ctx = NULL;
	int rc;

	/* libxl's fields are 32 bits wide; netback takes 64. */
	if (op == OP_SET && rs->has_packets &&
	    (rs->packets > UINT32_MAX || rs->burst > UINT32_MAX)) {
		err("note: the packet limit does not fit libxl's fields: xl's "
		    "stored configuration of domain %u not updated",
		    vif->domid);
		return 1;
	}
	lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
	if (!lg || libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
				   (xentoollog_logger *)lg)) {
		err("note: libxl unavailable: xenstore only, a reboot or "
		    "migration of domain %u restores its configured limit",
		    vif->domid);
		if (lg)
			xtl_logger_destroy((xentoollog_logger *)lg);
		return 1;
	}
	libxl_device_nic_init(&nic);
	nic.devid = vif->devid;
	if (op == OP_SET && rs->has_bytes) {
		nic.rate_bytes_per_interval = rs->bytes;
		nic.rate_interval_usecs = rs->bytes_usec;
	}
	if (op == OP_SET && rs->has_packets) {
		nic.rate_packets_per_interval = rs->packets;
		nic.rate_packets_interval_usecs = rs->packets_usec;
		nic.rate_packets_burst = rs->has_burst ? rs->burst : 0;
	}
	/*
	 * Only the limits that change: libxl keeps the other as its key
	 * holds it, read under its lock, so that a concurrent change of
	 * the other limit is not undone.
	 */
	rc = libxl_device_nic_set_rate(ctx, vif->domid, &nic,
				       (set_b ? LIBXL_NIC_RATE_BYTES : 0) |
				       (set_p ? LIBXL_NIC_RATE_PACKETS : 0));
	libxl_device_nic_dispose(&nic);
	libxl_ctx_free(ctx);
	xtl_logger_destroy((xentoollog_logger *)lg);
	if (rc == ERROR_JSON_CONFIG_EMPTY) {
		err("note: domain %u has no xl configuration (not created by "
		    "xl): xenstore only", vif->domid);
		return 1;
	}
	if (rc == ERROR_INVAL) {
		err("note: libxl refused the change: a limit in force is "
		    "malformed or does not fit libxl's fields: xl's stored "
		    "configuration of domain %u not updated", vif->domid);
		return 1;
	}
	if (rc) {
		err("note: libxl could not update domain %u's stored "
		    "configuration (error %d): xenstore only", vif->domid, rc);
		return 1;
	}
	return 0;
}
#else
/* Without libxl, only say when xl holds a configuration we leave stale. */
static int libxl_apply(const struct vif *vif, enum xs_op op,
		       const struct rate_spec *rs, bool rm_bytes, bool rm_pkts)
{
	return 1;
}
#endif

static void note_stale_config(struct xs_handle *xs, const struct vif *vif)
{
#ifndef HAVE_LIBXL
	char *vm = xs_read_path(xs, "/local/domain/%u/vm", vif->domid);
	char path[256];

	if (vm && !strncmp(vm, "/vm/", 4)) {
		snprintf(path, sizeof(path),
			 "/var/lib/xen/userdata-d.%u.%s.libxl-json",
			 vif->domid, vm + 4);
		if (!access(path, F_OK))
			err("note: built without libxl: xl's stored "
			    "configuration of domain %u keeps its old limit; "
			    "a reboot or migration restores it", vif->domid);
	}
	free(vm);
#endif
}

static int apply(struct vif *vif, enum xs_op op, const struct rate_spec *rs,
		 bool rm_bytes, bool rm_pkts)
{
	struct xs_handle *xs = xs_connect();
	char *v;
	int ret;

	if (!xs)
		return 1;
	if (resolve_vif(xs, vif)) {
		xs_close(xs);
		return 1;
	}
	/* libxl needs the vif to exist: check as xs_apply() does. */
	if (xs_dir_exists(xs, XBT_NULL, vif)) {
		ret = xs_fail(vif, "cannot read");
		xs_close(xs);
		return ret;
	}
	if (!libxl_apply(vif, op, rs, rm_bytes, rm_pkts)) {
		if (op == OP_SET && stock_matters(rs)) {
			v = xs_get(xs, XBT_NULL, vif, KEY_FEATURE);
			if (!v || strcmp(v, "1"))
				warn_stock(vif, rs);
			free(v);
		}
		xs_close(xs);
		return 0;
	}
	ret = xs_apply(xs, vif, op, rs, rm_bytes, rm_pkts);
	if (!ret)
		note_stale_config(xs, vif);
	xs_close(xs);
	return ret;
}

static int cmd_set(int argc, char **argv)
{
	struct rate_spec rs;
	const char *why;
	struct vif vif;

	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	if (parse_vif(argv[0], argv[1], &vif))
		return 2;
	if (rate_spec_parse(argv[2], &rs, &why)) {
		err("invalid rate '%s': %s", argv[2], why);
		return 2;
	}
	warn_octal(argv[2]);
	/*
	 * xl writes such a rate (stock netback then passes nothing); netback
	 * with rate-packets refuses it and keeps the limit in force.  Either
	 * way it is not the limit asked for.
	 */
	if (rs.has_bytes && !rs.bytes) {
		err("invalid rate '%s': rounds to 0 bytes per %" PRIu32
		    " us, which netback refuses (raise the rate or the "
		    "interval)", argv[2], rs.bytes_usec);
		return 2;
	}
	return apply(&vif, OP_SET, &rs, false, false);
}

static int cmd_clear(int argc, char **argv)
{
	bool b = true, p = true;
	struct vif vif;

	if (argc < 2 || argc > 3) {
		usage(stderr);
		return 2;
	}
	if (parse_vif(argv[0], argv[1], &vif))
		return 2;
	if (argc == 3) {
		if (!strcmp(argv[2], "bytes"))
			p = false;
		else if (!strcmp(argv[2], "packets"))
			b = false;
		else if (strcmp(argv[2], "all")) {
			err("clear: expected bytes, packets or all, not '%s'",
			    argv[2]);
			return 2;
		}
	}
	return apply(&vif, OP_CLEAR, NULL, b, p);
}

/*
 * Read the netback throttle counters of IFNAME by name through
 * SIOCETHTOOL.  Returns 0 with all NR_COUNTERS values, or -1 with a
 * reason: no such netdev here, or a module without these statistics.
 */
static int read_counters(const char *ifname, uint64_t *vals,
			 const char **why)
{
	struct ethtool_sset_info *sset = NULL;
	struct ethtool_gstrings *strs = NULL;
	struct ethtool_stats *stats = NULL;
	unsigned int found = 0, n, i, k;
	struct ifreq ifr;
	int fd, ret = -1;

	*why = "no netdev";
	if (if_nametoindex(ifname) == 0)
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		*why = "cannot open socket";
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);

	*why = "ethtool statistics unavailable";
	sset = calloc(1, sizeof(*sset) + sizeof(__u32));
	if (!sset)
		goto out;
	sset->cmd = ETHTOOL_GSSET_INFO;
	sset->sset_mask = 1ULL << ETH_SS_STATS;
	ifr.ifr_data = (void *)sset;
	if (ioctl(fd, SIOCETHTOOL, &ifr) || !(sset->sset_mask &
					      (1ULL << ETH_SS_STATS)))
		goto out;
	n = sset->data[0];
	if (!n || n > 65536)
		goto out;

	strs = calloc(1, sizeof(*strs) + (size_t)n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + (size_t)n * sizeof(__u64));
	if (!strs || !stats)
		goto out;
	strs->cmd = ETHTOOL_GSTRINGS;
	strs->string_set = ETH_SS_STATS;
	strs->len = n;
	ifr.ifr_data = (void *)strs;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		goto out;
	stats->cmd = ETHTOOL_GSTATS;
	stats->n_stats = n;
	ifr.ifr_data = (void *)stats;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		goto out;

	n = strs->len < stats->n_stats ? strs->len : stats->n_stats;
	for (k = 0; k < NR_COUNTERS; k++) {
		for (i = 0; i < n; i++) {
			const char *s = (const char *)strs->data +
					(size_t)i * ETH_GSTRING_LEN;

			if (!strncmp(s, counter_names[k], ETH_GSTRING_LEN)) {
				vals[k] = stats->data[i];
				found++;
				break;
			}
		}
	}
	if (found == NR_COUNTERS)
		ret = 0;
	else
		*why = "no throttle counters (netback without rate-packets)";
out:
	free(sset);
	free(strs);
	free(stats);
	close(fd);
	return ret;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/*
 * Read RAW as a stock netback's xen_net_read_rate() does: digits, a
 * comma, digits, the end, each number by simple_strtoul(), which wraps
 * modulo 2^64 rather than fail.  Returns 0 if it reads a limit.
 */
static int stock_read_rate(const char *raw, uint64_t *bytes, uint64_t *usec)
{
	uint64_t v[2] = { 0, 0 };
	const char *s = raw;
	int i;

	for (i = 0; i < 2; i++) {
		const char *start = s;

		for (; *s >= '0' && *s <= '9'; s++)
			v[i] = v[i] * 10 + (uint64_t)(*s - '0');
		if (s == start || *s != (i ? '\0' : ','))
			return -1;
		s++;
	}
	*bytes = v[0];
	*usec = v[1];
	return 0;
}

/*
 * What the keys leave in force when one of them is invalid, for show:
 * netback refuses a malformed key, so no SPEC can say the limit (see
 * xen_net_read_credit() in netback).  A backend without the feature may
 * be a stock netback, which reads RAW_B by its own, looser rules.  BUF
 * holds NOTE_LEN bytes.
 */
#define NOTE_LEN	512
static void invalid_note(const char *raw_b, bool bad_b, bool bad_p,
			 bool have_p, bool feature, char *buf)
{
	uint64_t sb, su;
	int n;

	n = snprintf(buf, NOTE_LEN,
		     "%s invalid; netback refuses %s: a running vif keeps its "
		     "previous %s, and at connect nothing passes",
		     bad_b && bad_p ? KEY_RATE " and " KEY_PKTS " are" :
		     bad_b ? KEY_RATE " is" : KEY_PKTS " is",
		     bad_b && bad_p ? "them" : "it",
		     bad_b && bad_p ? "limits" :
		     bad_b ? "byte limit" : "packet limit");
	if (!feature && have_p)
		n += snprintf(buf + n, NOTE_LEN - n,
			      "; backend lacks " KEY_FEATURE ": " KEY_PKTS
			      " not enforced");
	if (feature || !bad_b)
		return;
	if (stock_read_rate(raw_b, &sb, &su))
		snprintf(buf + n, NOTE_LEN - n,
			 "; a stock netback (no " KEY_FEATURE ") lifts the "
			 "byte limit for a " KEY_RATE " it cannot parse");
	else if (!sb)
		/* Its credit never grows: no packet of any size fits. */
		snprintf(buf + n, NOTE_LEN - n,
			 "; a stock netback (no " KEY_FEATURE ") reads 0 "
			 "bytes per interval and passes nothing");
	else
		snprintf(buf + n, NOTE_LEN - n,
			 "; a stock netback (no " KEY_FEATURE ") reads %"
			 PRIu64 " bytes per %" PRIu64 " us%s", sb, su,
			 su < RATE_SPEC_STOCK_MIN_USEC ?
			 ", an interval below 1 ms, as none and does not hold "
			 "the byte limit" : "");
}

static int cmd_show(int argc, char **argv, bool json)
{
	char *raw_b = NULL, *raw_p = NULL, *feat = NULL;
	char spec[RATE_SPEC_STRLEN] = "", note[NOTE_LEN] = "";
	struct rate_spec rs = { 0 }, tmp;
	bool ok_b = false, ok_p = false, bad_b, bad_p, feature, have_spec;
	uint64_t cnt[NR_COUNTERS];
	const char *cwhy;
	struct xs_handle *xs;
	xs_transaction_t t;
	struct vif vif;
	int have_cnt;
	unsigned int k;

	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if (parse_vif(argv[0], argv[1], &vif))
		return 2;
	xs = xs_connect();
	if (!xs)
		return 1;
	if (resolve_vif(xs, &vif)) {
		xs_close(xs);
		return 1;
	}
	/* A transaction gives a consistent snapshot of the three keys. */
	t = xs_transaction_start(xs);
	if (t == XBT_NULL || xs_dir_exists(xs, t, &vif)) {
		int e = xs_fail(&vif, "cannot read");

		if (t != XBT_NULL)
			xs_transaction_end(xs, t, true);
		xs_close(xs);
		return e;
	}
	raw_b = xs_get(xs, t, &vif, KEY_RATE);
	raw_p = xs_get(xs, t, &vif, KEY_PKTS);
	feat = xs_get(xs, t, &vif, KEY_FEATURE);
	/* Read only: abort, nothing to commit. */
	xs_transaction_end(xs, t, true);
	xs_close(xs);

	if (raw_b && !rate_spec_parse_raw_bytes(raw_b, &tmp)) {
		ok_b = true;
		rs.has_bytes = true;
		rs.bytes = tmp.bytes;
		rs.bytes_usec = tmp.bytes_usec;
	}
	if (raw_p && !rate_spec_parse_raw_packets(raw_p, &tmp)) {
		ok_p = true;
		rs.has_packets = true;
		rs.packets = tmp.packets;
		rs.packets_usec = tmp.packets_usec;
		rs.has_burst = tmp.has_burst;
		rs.burst = tmp.burst;
	}
	bad_b = raw_b && !ok_b;
	bad_p = raw_p && !ok_p;
	feature = feat && !strcmp(feat, "1");
	/*
	 * A limit is known only if every key present is valid: netback
	 * refuses an invalid one, so the limit in force is not what the
	 * valid key alone says.
	 */
	have_spec = !bad_b && !bad_p && (ok_b || ok_p) &&
		    !rate_spec_format(&rs, spec);
	if (bad_b || bad_p)
		invalid_note(raw_b, bad_b, bad_p, raw_p, feature, note);
	else if (!feature) {
		int n = 0;

		if (raw_p)
			n = snprintf(note, sizeof(note), "packet limit not "
				     "enforced: backend lacks " KEY_FEATURE);
		if (stock_drops_bytes(&rs))
			snprintf(note + n, sizeof(note) - n, "%sa stock netback "
				 "(no " KEY_FEATURE ") reads an interval below "
				 "1 ms as none and does not hold the byte limit",
				 n ? "; " : "");
	}
	have_cnt = !read_counters(vif.ifname, cnt, &cwhy);

	if (json) {
		printf("{\"domid\":%u,\"devid\":%u,\"backend\":",
		       vif.domid, vif.devid);
		json_str(vif.dir);
		printf(",\"backend_domid\":%u,\"spec\":", vif.backend_domid);
		if (have_spec)
			json_str(spec);
		else
			printf("null");
		printf(",\"rate\":");
		if (!raw_b)
			printf("null");
		else {
			printf("{\"raw\":");
			json_str(raw_b);
			if (ok_b)
				printf(",\"bytes\":%" PRIu64
				       ",\"usec\":%" PRIu32,
				       rs.bytes, rs.bytes_usec);
			printf(",\"valid\":%s}", ok_b ? "true" : "false");
		}
		printf(",\"rate_packets\":");
		if (!raw_p)
			printf("null");
		else {
			printf("{\"raw\":");
			json_str(raw_p);
			if (ok_p) {
				printf(",\"packets\":%" PRIu64
				       ",\"usec\":%" PRIu32,
				       rs.packets, rs.packets_usec);
				if (rs.has_burst)
					printf(",\"burst\":%" PRIu64, rs.burst);
			}
			printf(",\"valid\":%s}", ok_p ? "true" : "false");
		}
		printf(",\"feature_rate_packets\":%s,\"packets_enforced\":%s,"
		       "\"limit_note\":", feature ? "true" : "false",
		       !raw_p ? "null" : feature ? "true" : "false");
		if (*note)
			json_str(note);
		else
			printf("null");
		printf(",\"netdev\":");
		json_str(vif.ifname);
		printf(",\"counters\":");
		if (have_cnt) {
			for (k = 0; k < NR_COUNTERS; k++)
				printf("%c\"%s\":%" PRIu64, k ? ',' : '{',
				       counter_names[k], cnt[k]);
			printf("}");
		} else {
			printf("null,\"counters_unavailable\":");
			json_str(cwhy);
		}
		printf("}\n");
	} else {
		printf("vif:          %u/%u (%s)\n", vif.domid, vif.devid,
		       vif.dir);
		if (bad_b || bad_p)
			printf("limit:        unknown: %s\n", note);
		else if (!raw_b && !raw_p)
			printf("limit:        none (unlimited)\n");
		else
			printf("limit:        %s%s%s%s\n",
			       have_spec ? spec : "(no exact xl syntax)",
			       *note ? " (" : "", note, *note ? ")" : "");
		printf(KEY_RATE ":         %s%s\n", raw_b ? raw_b : "(none)",
		       raw_b && !ok_b ? " (invalid)" : "");
		printf(KEY_PKTS ": %s%s\n", raw_p ? raw_p : "(none)",
		       raw_p && !ok_p ? " (invalid)" : "");
		printf(KEY_FEATURE ": %s\n", feat ? feat : "(absent)");
		if (have_cnt) {
			for (k = 0; k < NR_COUNTERS; k++)
				printf("%s: %" PRIu64 "\n", counter_names[k],
				       cnt[k]);
		} else {
			printf("counters:     unavailable for %s: %s\n",
			       vif.ifname, cwhy);
		}
	}
	free(raw_b);
	free(raw_p);
	free(feat);
	return 0;
}

int main(int argc, char **argv)
{
	bool json = false;
	int i, n = 0;

	/* Options may come anywhere; "--" ends them. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++)
				argv[++n] = argv[i];
			break;
		}
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf(PROG " " VIF_RATE_VERSION "%s\n",
#ifdef HAVE_LIBXL
			       " (libxl)"
#else
			       ""
#endif
			       );
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			err("unknown option '%s'", argv[i]);
			usage(stderr);
			return 2;
		} else {
			argv[++n] = argv[i];
		}
	}
	argc = n + 1;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (json && strcmp(argv[1], "show")) {
		err("--json only applies to show");
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "parse"))
		return cmd_parse(argc - 2, argv + 2);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 2, argv + 2);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 2, argv + 2, json);
	if (!strcmp(argv[1], "clear"))
		return cmd_clear(argc - 2, argv + 2);
	usage(stderr);
	return 2;
}
