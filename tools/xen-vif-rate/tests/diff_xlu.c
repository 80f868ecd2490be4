// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of rate_spec_parse() against Debian's libxlutil
 * xlu_vif_parse_rate(): every string xl accepts must give identical
 * bytes-per-interval and interval, every string xl rejects must be
 * rejected (except our own "&..." and "...pps" extensions, whose byte
 * part is compared against xl separately).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "../rate_spec.h"

static XLU_Config *cfg;
static int passed, failed;
static unsigned long compared, xl_accepted;

static int xl_parse(const char *s, uint64_t *bytes, uint32_t *usec)
{
	libxl_device_nic nic;
	int rc;

	libxl_device_nic_init(&nic);
	/* xl tests a stale errno for ERANGE; start from a clean slate. */
	errno = 0;
	rc = xlu_vif_parse_rate(cfg, s, &nic);
	*bytes = nic.rate_bytes_per_interval;
	*usec = nic.rate_interval_usecs;
	libxl_device_nic_dispose(&nic);
	return rc;
}

static int is_extension(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);

	if (strchr(s, '&'))
		return 1;
	for (size_t i = 0; i + 3 <= n; i++)
		if (!memcmp(s + i, "pps", 3))
			return 1;
	return 0;
}

/* Compare one string; returns 0 if ours and xl agree. */
static int diff_one(const char *s, int verbose)
{
	struct rate_spec rs;
	const char *why = "";
	uint64_t xb;
	uint32_t xu;
	int xrc, orc;

	compared++;
	xrc = xl_parse(s, &xb, &xu);
	orc = rate_spec_parse(s, &rs, &why);
	if (!xrc) {
		xl_accepted++;
		if (orc || !rs.has_bytes || rs.has_packets || rs.bytes != xb ||
		    rs.bytes_usec != xu) {
			if (verbose)
				printf("DIFF '%s': xl %" PRIu64 ",%" PRIu32
				       ", ours %s %" PRIu64 ",%" PRIu32 "\n",
				       s, xb, xu, orc ? why : "ok", rs.bytes,
				       rs.bytes_usec);
			return 1;
		}
		return 0;
	}
	if (!orc && !is_extension(s)) {
		if (verbose)
			printf("DIFF '%s': xl rejects, ours %" PRIu64 ",%"
			       PRIu32 "\n", s, rs.bytes, rs.bytes_usec);
		return 1;
	}
	return 0;
}

/*
 * "A&P": our byte values must equal xl's for A, with P's interval
 * appended when only P names one.
 */
/*
 * "A&P" against xl's "A" with P's interval when A has none (@xat instead
 * if not NULL: the byte part takes 1ms for a packet interval below it).
 */
static int diff_joined(const char *a, const char *p, const char *xat,
		       int verbose)
{
	char s[512], x[512];
	const char *pat = xat ? xat : strchr(p, '@');
	struct rate_spec rs;
	const char *why = "";
	uint64_t xb;
	uint32_t xu;
	int xrc, orc;

	compared++;
	snprintf(s, sizeof(s), "%s&%s", a, p);
	snprintf(x, sizeof(x), "%s%s", a, !strchr(a, '@') && pat ? pat : "");
	xrc = xl_parse(x, &xb, &xu);
	/* Beside a packet rate, 0 bytes per interval is refused. */
	if (!xrc && !xb)
		xrc = -1;
	orc = rate_spec_parse(s, &rs, &why);
	/* The packet part is valid by construction, so only A decides. */
	if ((xrc != 0) != (orc != 0) ||
	    (!orc && (rs.bytes != xb || rs.bytes_usec != xu))) {
		if (verbose)
			printf("DIFF '%s' vs xl '%s': xl %s, ours %s\n", s, x,
			       xrc ? "rejects" : "accepts", orc ? why : "ok");
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

#define BADX(s)	{ s, 0, 0, 0 }

/* Cases and expectations from Xen's tools/xl/check-xl-vif-parse. */
static const struct {
	const char *s;
	int ok;
	uint64_t bytes;
	uint32_t usec;
} xen_cases[] = {
	BADX("foo"),
	BADX("10MB"),
	BADX("10MB/m"),
	BADX("10ZB"),
	BADX("10ZB/s"),
	BADX("10ZB/m"),
	{ "16000000b/s", 1, 100000, 50000 },
	{ "16000000b/s@50ms", 1, 100000, 50000 },
	{ "2000000B/s", 1, 100000, 50000 },
	{ "2000000B/s@50ms", 1, 100000, 50000 },
	{ "16Kb/s", 1, 100, 50000 },
	{ "16Kb/s@50ms", 1, 100, 50000 },
	{ "2KB/s", 1, 100, 50000 },
	{ "2KB/s@50ms", 1, 100, 50000 },
	{ "16Mb/s", 1, 100000, 50000 },
	{ "16Mb/s@50ms", 1, 100000, 50000 },
	{ "2MB/s", 1, 100000, 50000 },
	{ "2MB/s@50ms", 1, 100000, 50000 },
	{ "8Gb/s", 1, 50000000, 50000 },
	{ "8Gb/s@50ms", 1, 50000000, 50000 },
	{ "1GB/s", 1, 50000000, 50000 },
	{ "1GB/s@50ms", 1, 50000000, 50000 },
	BADX("4294967296b/s"),
	BADX("4294967296Kb/s"),
	BADX("4294967296Mb/s"),
	BADX("4294967296Gb/s"),
	BADX("0B/s"),
	BADX("10Mb/s@foo"),
	BADX("10Mb/s@10h"),
	BADX("10MB/s@foo"),
	BADX("10MB/s@10h"),
	{ "80Mb/s@1s", 1, 10000000, 1000000 },
	{ "10MB/s@1s", 1, 10000000, 1000000 },
	BADX("1B/s@4294967296us"),
	BADX("1B/s@4294968ms"),
	BADX("1B/s@4295s"),
	BADX("1B/s@0us"),
	BADX("4294967295GB/s@5us"),
	BADX("4296MB/s@4294s"),
	BADX("@"),
};

static const char *const nums[] = {
	"0", "1", "7", "8", "9", "10", "01", "010", "017", "0178", "018",
	"08", "09", "00", "0019", "99", "100", "125", "1000", "4294",
	"4295", "4294967", "4294968", "4294967295", "4294967296",
	"18446744073709551615", "18446744073709551616", "",
};
static const char *const rate_units[] = {
	"B/s", "b/s", "KB/s", "Kb/s", "MB/s", "Mb/s", "GB/s", "Gb/s",
	"kB/s", "TB/s", "B/S", "B", "Bps", "b/s/", " B/s", "Mb/ s",
};
static const char *const ival_units[] = {
	"", "s", "ms", "us", "m", "u", "Ms", "h", "mss", "su", " ms",
};

int main(void)
{
	static const char alpha[] = "0123456789GMKBbs/@mu&pKx ";
	unsigned long diffs, n, i, j, k;
	char s[512], a[256], iv[64];
	uint64_t xb;
	uint32_t xu;
	FILE *null = fopen("/dev/null", "w");

	/* xl reports every parse error on cfg's stream: silence it. */
	cfg = xlu_cfg_init(null ? null : stderr, "diff_xlu");
	if (!cfg) {
		printf("cannot init libxlutil\n0 passed, 1 failed\n");
		return 1;
	}

	/* Xen's own cases: xl must match the script, and we must match xl. */
	for (i = 0; i < ARRAY_SIZE(xen_cases); i++) {
		int xrc = xl_parse(xen_cases[i].s, &xb, &xu);

		snprintf(s, sizeof(s), "xen case '%s'", xen_cases[i].s);
		check(s, (xrc == 0) == xen_cases[i].ok &&
		      (!xen_cases[i].ok || (xb == xen_cases[i].bytes &&
					    xu == xen_cases[i].usec)) &&
		      !diff_one(xen_cases[i].s, 1));
	}

	/* Generated: number x unit x optional interval (number x unit). */
	diffs = 0;
	n = compared;
	for (i = 0; i < ARRAY_SIZE(nums); i++)
		for (j = 0; j < ARRAY_SIZE(rate_units); j++) {
			snprintf(a, sizeof(a), "%s%s", nums[i], rate_units[j]);
			diffs += diff_one(a, diffs < 20);
			for (k = 0; k < ARRAY_SIZE(nums); k++)
				for (size_t l = 0; l < ARRAY_SIZE(ival_units);
				     l++) {
					snprintf(s, sizeof(s), "%s@%s%s", a,
						 nums[k], ival_units[l]);
					diffs += diff_one(s, diffs < 20);
				}
		}
	printf("generated grid: %lu strings, %lu differences\n",
	       compared - n, diffs);
	check("generated grid", diffs == 0);

	/* Joined with a packet part, with and without intervals. */
	diffs = 0;
	n = compared;
	for (i = 0; i < ARRAY_SIZE(nums); i++)
		for (j = 0; j < ARRAY_SIZE(rate_units); j++)
			for (k = 0; k < 4; k++) {
				static const char *const iv4[] = {
					"", "@20ms", "@010", "@0ms",
				};

				snprintf(a, sizeof(a), "%s%s%s", nums[i],
					 rate_units[j], iv4[k]);
				diffs += diff_joined(a, "20Kpps", NULL,
						     diffs < 20);
				diffs += diff_joined(a, "20Kpps@1s", NULL,
						     diffs < 20);
				diffs += diff_joined(a, "100Kpps:5@7ms", NULL,
						     diffs < 20);
				diffs += diff_joined(a, "20Kpps@500us", "@1ms",
						     diffs < 20);
			}
	printf("joined grid: %lu strings, %lu differences\n",
	       compared - n, diffs);
	check("joined grid", diffs == 0);

	/* Random strings over the grammar's alphabet (fixed seed). */
	diffs = 0;
	n = compared;
	srandom(20241121);
	for (i = 0; i < 300000; i++) {
		size_t len = 1 + random() % 14;

		for (j = 0; j < len; j++)
			s[j] = alpha[random() % (sizeof(alpha) - 1)];
		s[len] = 0;
		diffs += diff_one(s, diffs < 20);
	}
	/* Random well-formed byte specs with random numbers. */
	for (i = 0; i < 300000; i++) {
		static const char *const ru[] = {
			"B/s", "b/s", "KB/s", "Kb/s", "MB/s", "Mb/s", "GB/s",
			"Gb/s",
		};
		static const char *const iu[] = { "", "s", "ms", "us", "m",
						  "u" };
		unsigned long long r = (unsigned long long)random() <<
				       (random() % 34);
		unsigned long long t = (unsigned long long)random() >>
				       (random() % 31);

		iv[0] = 0;
		if (random() % 4)
			snprintf(iv, sizeof(iv), "@%s%llu%s",
				 random() % 8 ? "" : "0", t,
				 iu[random() % 6]);
		snprintf(s, sizeof(s), "%s%llu%s%s", random() % 8 ? "" : "0",
			 r, ru[random() % 8], iv);
		diffs += diff_one(s, diffs < 20);
	}
	printf("random: %lu strings, %lu differences\n", compared - n, diffs);
	check("random strings", diffs == 0);

	/* The comparison itself must be able to fail. */
	{
		struct rate_spec rs;

		check("self-test: xl and ours see 10Mb/s@20ms alike",
		      !xl_parse("10Mb/s@20ms", &xb, &xu) && xb == 25000 &&
		      xu == 20000 &&
		      !rate_spec_parse("10Mb/s@20ms", &rs, NULL) &&
		      rs.bytes == 25000);
		check("self-test: xl rejects our extension 20Kpps",
		      xl_parse("20Kpps", &xb, &xu) != 0);
	}

	printf("diff_xlu: compared %lu strings, %lu accepted by xl\n",
	       compared, xl_accepted);
	printf("diff_xlu: %d passed, %d failed\n", passed, failed);
	xlu_cfg_destroy(cfg);
	if (null)
		fclose(null);
	return failed ? 1 : 0;
}
