// SPDX-License-Identifier: GPL-2.0
/*
 * xen-vif-rate: set, show and clear the byte and packet rate limits of a
 * Xen vif in its netback backend directory in xenstore.
 *
 * Exit status: 0 ok, 1 runtime error (no xenstore, no such vif, no
 * permission), 2 usage or syntax error.
 */
#include <errno.h>
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

#include "rate_spec.h"

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
	unsigned int domid, devid;
	char dir[96];
	char ifname[IFNAMSIZ];
};

static int parse_vif(const char *d, const char *v, struct vif *vif)
{
	if (parse_id(d, DOMID_MAX, &vif->domid)) {
		err("invalid DOMID '%s'", d);
		return -1;
	}
	if (parse_id(v, INT_MAX, &vif->devid)) {
		err("invalid DEVID '%s'", v);
		return -1;
	}
	snprintf(vif->dir, sizeof(vif->dir),
		 "/local/domain/0/backend/vif/%u/%u", vif->domid, vif->devid);
	/* Longer names cannot exist as netdevs; the stats lookup then fails. */
	snprintf(vif->ifname, sizeof(vif->ifname), "vif%u.%u",
		 vif->domid, vif->devid);
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

/* Run one transaction writing or removing keys; retried on EAGAIN. */
static int xs_apply(const struct vif *vif, enum xs_op op,
		    const struct rate_spec *rs, bool rm_bytes, bool rm_pkts)
{
	char path[160], buf[RATE_SPEC_STRLEN];
	struct xs_handle *xs = xs_connect();
	bool feature = false, warn = false;
	unsigned int tries = 0;
	xs_transaction_t t;
	int ret = 1;
	char *v;

	if (!xs)
		return 1;
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
		if (op == OP_SET && rs->has_packets) {
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
	xs_close(xs);
	if (!ret && warn)
		err("warning: backend of vif %u/%u lacks " KEY_FEATURE
		    " (stock netback?): " KEY_PKTS " written but likely ignored",
		    vif->domid, vif->devid);
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
	return xs_apply(&vif, OP_SET, &rs, false, false);
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
	return xs_apply(&vif, OP_CLEAR, NULL, b, p);
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

static int cmd_show(int argc, char **argv)
{
	char *raw_b = NULL, *raw_p = NULL, *feat = NULL;
	char spec[RATE_SPEC_STRLEN] = "";
	struct rate_spec rs = { 0 }, tmp;
	bool json = false, ok_b = false, ok_p = false, have_spec;
	uint64_t cnt[NR_COUNTERS];
	const char *cwhy;
	struct xs_handle *xs;
	xs_transaction_t t;
	struct vif vif;
	int have_cnt;
	unsigned int k;

	if (argc == 3 && !strcmp(argv[2], "--json"))
		json = true;
	else if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if (parse_vif(argv[0], argv[1], &vif))
		return 2;
	xs = xs_connect();
	if (!xs)
		return 1;
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
	have_spec = (ok_b || ok_p) && !rate_spec_format(&rs, spec);
	have_cnt = !read_counters(vif.ifname, cnt, &cwhy);

	if (json) {
		printf("{\"domid\":%u,\"devid\":%u,\"backend\":",
		       vif.domid, vif.devid);
		json_str(vif.dir);
		printf(",\"spec\":");
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
				printf(",\"packets\":%" PRIu32
				       ",\"usec\":%" PRIu32,
				       rs.packets, rs.packets_usec);
				if (rs.has_burst)
					printf(",\"burst\":%" PRIu32, rs.burst);
			}
			printf(",\"valid\":%s}", ok_p ? "true" : "false");
		}
		printf(",\"feature_rate_packets\":%s,\"netdev\":",
		       feat && !strcmp(feat, "1") ? "true" : "false");
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
		if (have_spec)
			printf("limit:        %s\n", spec);
		else if (!raw_b && !raw_p)
			printf("limit:        none (unlimited)\n");
		else
			printf("limit:        (no exact xl syntax)\n");
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
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "parse"))
		return cmd_parse(argc - 2, argv + 2);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 2, argv + 2);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 2, argv + 2);
	if (!strcmp(argv[1], "clear"))
		return cmd_clear(argc - 2, argv + 2);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
