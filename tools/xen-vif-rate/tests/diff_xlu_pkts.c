// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of the PATCHED libxlutil (patches/xen/, built by
 * scripts/xen-toolstack.sh) against rate_spec_parse(), the reference of
 * xen-vif-rate: for every string, both accept or both refuse, and an
 * accepted one gives the same five libxl_device_nic fields (byte limit,
 * its interval, packets per interval, their interval, burst).  Run by
 * scripts/xen-toolstack-check.sh; diff_xlu.c does the same for the byte
 * part against Debian's unpatched libxlutil.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "../rate_spec.h"

#ifndef LIBXL_HAVE_NIC_RATE_PACKETS
#error "needs the libxl.h of the patched toolstack (patches/xen/)"
#endif

static XLU_Config *cfg;
static int passed, failed;
static unsigned long compared, accepted;

struct five {
	uint64_t bytes;
	uint32_t usec, packets, pusec, burst;
};

static int xl_parse(const char *s, struct five *f)
{
	libxl_device_nic nic;
	int rc;

	libxl_device_nic_init(&nic);
	errno = 0;	/* xlu tests a stale errno for ERANGE */
	rc = xlu_vif_parse_rate(cfg, s, &nic);
	f->bytes = nic.rate_bytes_per_interval;
	f->usec = nic.rate_interval_usecs;
	f->packets = nic.rate_packets_per_interval;
	f->pusec = nic.rate_packets_interval_usecs;
	f->burst = nic.rate_packets_burst;
	libxl_device_nic_dispose(&nic);
	return rc;
}

/* rate_spec's result as the nic fields libxl would get. */
static void ours_five(const struct rate_spec *rs, struct five *f)
{
	memset(f, 0, sizeof(*f));
	if (rs->has_bytes) {
		f->bytes = rs->bytes;
		f->usec = rs->bytes_usec;
	}
	if (rs->has_packets) {
		f->packets = rs->packets;
		f->pusec = rs->packets_usec;
		f->burst = rs->has_burst ? rs->burst : 0;
	}
}

static int diff_one(const char *s, int verbose)
{
	struct five x, o;
	struct rate_spec rs;
	const char *why = "";
	int xrc, orc;

	compared++;
	xrc = xl_parse(s, &x);
	orc = rate_spec_parse(s, &rs, &why);
	if (xrc || orc) {
		if ((xrc != 0) == (orc != 0))
			return 0;
		if (verbose)
			printf("DIFF '%s': xlu %s, xen-vif-rate %s\n", s,
			       xrc ? "refuses" : "accepts",
			       orc ? why : "accepts");
		return 1;
	}
	accepted++;
	ours_five(&rs, &o);
	if (memcmp(&x, &o, sizeof(x))) {
		if (verbose)
			printf("DIFF '%s': xlu %" PRIu64 ",%u %u,%u,%u;"
			       " xen-vif-rate %" PRIu64 ",%u %u,%u,%u\n", s,
			       x.bytes, x.usec, x.packets, x.pusec, x.burst,
			       o.bytes, o.usec, o.packets, o.pusec, o.burst);
		return 1;
	}
	return 0;
}

static void check(const char *name, int ok)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s\n", name);
	}
}

/* Named cases: xlu's exact fields (bytes, usec, packets, pusec, burst). */
static const struct {
	const char *s;
	int ok;
	struct five f;
} cases[] = {
	{ "10Mb/s&20Kpps@20ms", 1, { 25000, 20000, 400, 20000, 0 } },
	{ "10Mb/s@20ms&20Kpps", 1, { 25000, 20000, 400, 20000, 0 } },
	{ "20Kpps", 1, { 0, 0, 1000, 50000, 0 } },
	{ "10Mb/s@20ms&20Kpps@10ms", 1, { 25000, 20000, 200, 10000, 0 } },
	{ "10Mb/s&5Kpps", 1, { 62500, 50000, 250, 50000, 0 } },
	{ "1Mpps:5000", 1, { 0, 0, 50000, 50000, 5000 } },
	{ "5Kpps:250@50ms", 1, { 0, 0, 250, 50000, 250 } },
	{ "1pps@1s", 1, { 0, 0, 1, 1000000, 0 } },
	{ "10Mb/s@500us&20Kpps", 1, { 625, 500, 10, 500, 0 } },
	{ "10Mb/s&20Kpps@500us", 1, { 1250, 1000, 10, 500, 0 } },
	{ "7Kb/s&20Kpps@100us", 0, { 0 } },
	{ "1B/s@1ms&20Kpps", 0, { 0 } },
	{ "7Kb/s@100us", 1, { 0, 100, 0, 0, 0 } },
	{ "1Mb/s&5Kpps", 1, { 6250, 50000, 250, 50000, 0 } },
	{ "10Mb/s", 1, { 62500, 50000, 0, 0, 0 } },
	{ "1pps", 0, { 0 } },
	{ "0pps", 0, { 0 } },
	{ "020Kpps", 0, { 0 } },
	{ "20Kpps:0", 0, { 0 } },
	{ "20Kpps:", 0, { 0 } },
	{ "4294967296pps", 0, { 0 } },
	{ "4294967295Mpps", 0, { 0 } },
	{ "20Kpps:4294967296", 0, { 0 } },
	{ "10Kpps&10Mb/s", 0, { 0 } },
	{ "10Mb/s&", 0, { 0 } },
	{ "&20Kpps", 0, { 0 } },
	{ "10Mb/s&10Mb/s", 0, { 0 } },
	{ "10Mb/s&20Kpps&1Kpps", 0, { 0 } },
	{ "20kpps", 0, { 0 } },
	{ "20Kpps@0ms", 0, { 0 } },
	{ "1Mb/s@0&1Kpps", 0, { 0 } },
};

static const char *const bparts[] = {
	"", "10Mb/s", "1MB/s", "0B/s", "017Kb/s", "08Kb/s", "1b/s",
	"4294967295GB/s", "4294967296b/s", "10Mb", "@", "10Mb/s@",
	"10Mb/s@20ms", "10Mb/s@500us", "10Mb/s@1", "10Mb/s@010",
	"10Mb/s@0ms", "10Mb/s@4295s", "1B/s@4294967295us", "20Kpps",
};
static const char *const pnums[] = {
	"", "0", "1", "7", "19", "20", "01", "999", "1000", "4294967",
	"4294967295", "4294967296", "18446744073709551616",
};
static const char *const punits[] = {
	"pps", "Kpps", "Mpps", "kpps", "Gpps", "pp", "ppss", "Kpps ", "",
};
static const char *const bursts[] = {
	"", ":1", ":250", ":0", ":01", ":", ":4294967295", ":4294967296",
	":x", "::1",
};
static const char *const ivals[] = {
	"", "@20ms", "@1s", "@1", "@500us", "@0ms", "@010", "@foo", "@",
	"@4295s", "@4294967295us", "@20ms@1s",
};

int main(void)
{
	static const char alpha[] = "0123456789GMKBbps/@mu&:Kx";
	char s[512];
	unsigned long diffs, n, i, j, k, l, m;
	struct five x;
	FILE *null = fopen("/dev/null", "w");

	cfg = xlu_cfg_init(null ? null : stderr, "diff_xlu_pkts");
	if (!cfg) {
		printf("cannot init libxlutil\n0 passed, 1 failed\n");
		return 1;
	}

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc = xl_parse(cases[i].s, &x);

		snprintf(s, sizeof(s), "case '%s'", cases[i].s);
		check(s, (rc == 0) == cases[i].ok &&
		      (!cases[i].ok || !memcmp(&x, &cases[i].f, sizeof(x))) &&
		      !diff_one(cases[i].s, 1));
	}

	/* [BYTES&]NUM UNIT [BURST] [@IVAL], and each packet part alone. */
	diffs = 0;
	n = compared;
	for (i = 0; i < ARRAY_SIZE(bparts); i++)
		for (j = 0; j < ARRAY_SIZE(pnums); j++)
			for (k = 0; k < ARRAY_SIZE(punits); k++)
				for (l = 0; l < ARRAY_SIZE(bursts); l++)
					for (m = 0; m < ARRAY_SIZE(ivals);
					     m++) {
						snprintf(s, sizeof(s),
							 "%s%s%s%s%s%s",
							 bparts[i],
							 *bparts[i] ? "&" : "",
							 pnums[j], punits[k],
							 bursts[l], ivals[m]);
						diffs += diff_one(s,
								  diffs < 20);
					}
	printf("generated grid: %lu strings, %lu differences\n",
	       compared - n, diffs);
	check("generated grid", diffs == 0);

	/* Random strings over the grammar's alphabet (fixed seed). */
	diffs = 0;
	n = compared;
	srandom(20261201);
	for (i = 0; i < 100000; i++) {
		size_t len = 1 + random() % 18;

		for (j = 0; j < len; j++)
			s[j] = alpha[random() % (sizeof(alpha) - 1)];
		s[len] = 0;
		diffs += diff_one(s, diffs < 20);
	}
	/* Random well-formed specs with random numbers. */
	for (i = 0; i < 100000; i++) {
		static const char *const pu[] = { "pps", "Kpps", "Mpps" };
		static const char *const iu[] = { "", "s", "ms", "us" };
		char b[64] = "", bi[32] = "", p[64], pb[32] = "", pi[32] = "";

		if (random() % 2)
			snprintf(b, sizeof(b), "%luMb/s", 1 + random() % 1000);
		if (*b && random() % 2)
			snprintf(bi, sizeof(bi), "@%lu%s", random() % 100000,
				 iu[random() % 4]);
		snprintf(p, sizeof(p), "%llu%s",
			 (unsigned long long)random() >> (random() % 31),
			 pu[random() % 3]);
		if (random() % 3 == 0)
			snprintf(pb, sizeof(pb), ":%lu", random() % 100000);
		if (random() % 2)
			snprintf(pi, sizeof(pi), "@%lu%s", random() % 100000,
				 iu[random() % 4]);
		snprintf(s, sizeof(s), "%s%s%s%s%s%s", b, bi, *b ? "&" : "",
			 p, pb, pi);
		diffs += diff_one(s, diffs < 20);
	}
	printf("random: %lu strings, %lu differences\n", compared - n, diffs);
	check("random strings", diffs == 0);

	/* The comparison itself must be able to fail. */
	{
		struct rate_spec rs;
		struct five o;

		rate_spec_parse("10Mb/s&20Kpps@20ms", &rs, NULL);
		ours_five(&rs, &o);
		xl_parse("10Mb/s&20Kpps@10ms", &x);
		check("self-test: 20ms and 10ms differ", memcmp(&x, &o,
							     sizeof(x)) != 0);
	}

	printf("diff_xlu_pkts: compared %lu strings, %lu accepted\n",
	       compared, accepted);
	printf("diff_xlu_pkts: %d passed, %d failed\n", passed, failed);
	xlu_cfg_destroy(cfg);
	if (null)
		fclose(null);
	return failed ? 1 : 0;
}
