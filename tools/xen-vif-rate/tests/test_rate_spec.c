// SPDX-License-Identifier: GPL-2.0
/*
 * Table tests for rate_spec.c: SPEC -> xenstore values, error cases, the
 * show formatting and the raw value readers.  Every case is checked
 * against a literal expectation worked out by hand from xl's rules.
 */
#include <stdio.h>
#include <string.h>

#include "../rate_spec.h"

struct pcase {
	const char *name;
	const char *spec;
	const char *rate;	/* expected "rate" value, NULL if absent */
	const char *pkts;	/* expected "rate-packets", NULL if absent */
	int ok;
};

#define OK(n, s, r, p)	{ n, s, r, p, 1 }
#define BAD(n, s)	{ n, s, NULL, NULL, 0 }

static const struct pcase pcases[] = {
	/* Examples from the specification. */
	OK("bits at 20ms", "10Mb/s@20ms", "25000,20000", NULL),
	OK("GB default interval", "1GB/s", "50000000,50000", NULL),
	BAD("Kb overflow", "4294967296Kb/s"),
	BAD("zero rate", "0B/s"),
	OK("500us", "10Mb/s@500us", "625,500", NULL),
	OK("both default", "10Mb/s&20Kpps", "62500,50000", "1000,50000"),
	OK("interval after packets", "10Mb/s&20Kpps@20ms", "25000,20000",
	   "400,20000"),
	OK("interval after bytes", "10Mb/s@20ms&20Kpps", "25000,20000",
	   "400,20000"),
	OK("packets only", "20Kpps", NULL, "1000,50000"),
	OK("packets only 1ms", "20Kpps@1ms", NULL, "20,1000"),
	OK("two intervals", "10Mb/s@10ms&20Kpps@1ms", "12500,10000",
	   "20,1000"),
	/* Bytes never inherit an interval a stock netback reads as none. */
	OK("sub-ms packet interval", "10Mb/s&20Kpps@500us", "1250,1000",
	   "10,500"),
	OK("1ms packet interval", "10Mb/s&20Kpps@1ms", "1250,1000",
	   "20,1000"),
	OK("own sub-ms byte interval", "10Mb/s@500us&20Kpps", "625,500",
	   "10,500"),
	BAD("bytes round to 0 beside packets", "7Kb/s&20Kpps@100us"),
	BAD("packet interval octal", "20Kpps@010ms"),
	BAD("packet interval octal beside bytes", "10Mb/s&20Kpps@010ms"),
	OK("byte interval octal kept", "10Mb/s@010&20Kpps", "10000000,8000000",
	   "160000,8000000"),
	BAD("own interval, 0 bytes beside packets", "1B/s@1ms&20Kpps"),
	OK("burst", "20Kpps:500@1ms", NULL, "20,1000,500"),
	OK("burst both parts", "10Mb/s@20ms&20Kpps:500@1ms", "25000,20000",
	   "20,1000,500"),
	OK("burst default interval", "20Kpps:7", NULL, "1000,50000,7"),
	OK("burst u32 max", "10Kpps:4294967295@1ms", NULL,
	   "10,1000,4294967295"),
	/* Byte units and rounding, as xl does them. */
	OK("8 bits", "8b/s@1s", "1,1000000", NULL),
	OK("Kb", "1Kb/s@1s", "125,1000000", NULL),
	OK("KB", "1KB/s@1s", "1000,1000000", NULL),
	OK("MB", "10MB/s", "500000,50000", NULL),
	OK("Gb 1ms", "1Gb/s@1ms", "125000,1000", NULL),
	OK("round down 5u", "10Mb/s@5u", "6,5", NULL),
	OK("m means ms", "10Mb/s@5m", "6250,5000", NULL),
	OK("bare interval is seconds", "10Mb/s@20", "25000000,20000000",
	   NULL),
	OK("s suffix", "10Mb/s@1s", "1250000,1000000", NULL),
	OK("4294s", "10Mb/s@4294s", "5367500000,4294000000", NULL),
	OK("max us interval", "10Mb/s@4294967295us", "5368709118,4294967295",
	   NULL),
	OK("u32 bytes", "4294967295B/s", "214748364,50000", NULL),
	OK("GB max at 1us", "4294967295GB/s@1us", "4294967295000,1", NULL),
	OK("GB max at 4us", "4294967295GB/s@4us", "17179869180000,4", NULL),
	/* xl accepts rates that round to 0 bytes per interval. */
	OK("1B/s rounds to 0", "1B/s", "0,50000", NULL),
	OK("1b/s rounds to 0", "1b/s@1ms", "0,1000", NULL),
	/* xl reads numbers with strtoull(.., 0): leading 0 is octal. */
	OK("octal rate", "010B/s@1s", "8,1000000", NULL),
	OK("octal stop at 8", "0178B/s@1s", "15,1000000", NULL),
	OK("octal stop then b", "018b/s@1s", "0,1000000", NULL),
	OK("octal interval", "10Mb/s@010ms", "10000,8000", NULL),
	OK("octal stop interval is us", "10Mb/s@0108", "10,8", NULL),
	BAD("octal 09", "09B/s"),
	BAD("octal 00", "00B/s"),
	BAD("octal interval 08ms", "10Mb/s@08ms"),
	/* Byte errors. */
	BAD("GB overflow at 1s", "4294967295GB/s@1s"),
	BAD("GB overflow at 5us", "4294967295GB/s@5us"),
	BAD("rate > u32", "9999999999B/s"),
	BAD("rate erange", "18446744073709551616B/s"),
	BAD("interval > u32 s", "10Mb/s@4295s"),
	BAD("interval erange", "1GB/s@18446744073709551616us"),
	BAD("zero interval", "10Mb/s@0ms"),
	BAD("two @", "10Mb/s@20ms@5"),
	BAD("empty interval", "10Mb/s@"),
	BAD("no rate", "@20ms"),
	BAD("empty", ""),
	BAD("lower m", "10mb/s"),
	BAD("space", "10 Mb/s"),
	BAD("minus", "-10Mb/s"),
	BAD("plus", "+10Mb/s"),
	BAD("bps", "10Mbps"),
	BAD("interval Ms", "10Mb/s@20Ms"),
	BAD("hex", "0x10B/s"),
	BAD("newline", "10Mb/s\n"),
	BAD("no unit", "10"),
	BAD("T unit", "1Tb/s"),
	/* Packet part. */
	OK("1pps at 1s", "1pps@1s", NULL, "1,1000000"),
	OK("20pps default", "20pps", NULL, "1,50000"),
	OK("30pps rounds down", "30pps", NULL, "1,50000"),
	OK("u32 pps at 1s", "4294967295pps@1s", NULL, "4294967295,1000000"),
	OK("Kpps near max", "4294967Kpps@1s", NULL, "4294967000,1000000"),
	OK("max interval pps", "100Kpps@4294967295us", NULL,
	   "429496729,4294967295"),
	OK("Mpps", "1Mpps@1ms", NULL, "1000,1000"),
	OK("interval 1s both", "10Mb/s@1s&30pps", "1250000,1000000",
	   "30,1000000"),
	OK("both explicit", "10KB/s@1s&1pps@1s", "10000,1000000", "1,1000000"),
	BAD("1pps at 1ms rounds to 0", "1pps@1ms"),
	BAD("1pps default rounds to 0", "1pps"),
	BAD("5Kpps at 1us rounds to 0", "5Kpps@1us"),
	BAD("pps overflow", "4294967296pps@1s"),
	BAD("Mpps per interval overflow", "4295Mpps@1s"),
	BAD("Mpps max overflow", "4294967295Mpps@4294967295us"),
	BAD("zero pps", "0pps"),
	BAD("leading zero pps", "010Kpps"),
	BAD("burst zero", "10Kpps:0"),
	BAD("burst empty", "10Kpps:"),
	BAD("burst leading zero", "10Kpps:01"),
	BAD("burst overflow", "10Kpps:4294967296"),
	BAD("burst twice", "10Kpps:5:6"),
	BAD("burst after interval", "10Kpps@20ms:5"),
	BAD("burst not a number", "10Kpps:x"),
	BAD("lower kpps", "10kpps"),
	BAD("upper PPS", "10KPPS"),
	BAD("Gpps", "1Gpps"),
	BAD("no number pps", "Kpps"),
	BAD("pps interval invalid", "10Kpps@1h"),
	/* Joining. */
	BAD("packets first", "10Kpps&10Mb/s"),
	BAD("packets first with intervals", "20Kpps@1ms&10Mb/s"),
	BAD("double amp", "10Mb/s&&20Kpps"),
	BAD("three parts", "10Mb/s&20Kpps&1pps"),
	BAD("trailing amp", "10Mb/s&20Kpps@20ms&"),
	BAD("no byte part", "&20Kpps"),
	BAD("no packet part", "10Mb/s&"),
	BAD("interval only packet part", "10Mb/s&@20ms"),
	BAD("two byte parts", "10Mb/s&20Mb/s"),
	BAD("byte error with packets", "0B/s&20Kpps"),
	BAD("packet error with bytes", "10Mb/s&0pps"),
	BAD("byte interval error", "10Mb/s@0s&20Kpps"),
	BAD("byte overflow from packet interval", "4294967295GB/s&1Mpps@1s"),
};

/* Raw values -> show's SPEC; NULL when there is no exact xl syntax. */
struct fcase {
	const char *name;
	const char *rate;
	const char *pkts;
	const char *spec;
};

static const struct fcase fcases[] = {
	{ "fmt 10Mb/s 20ms both", "25000,20000", "400,20000",
	  "10Mb/s@20ms&20Kpps@20ms" },
	{ "fmt 500us", "625,500", NULL, "10Mb/s@500us" },
	{ "fmt 1GB/s", "50000000,50000", NULL, "1GB/s@50ms" },
	{ "fmt odd interval", "1,3", NULL, "3Mb/s@3us" },
	{ "fmt seconds", "1,1000000", NULL, "1B/s@1s" },
	{ "fmt bytes not bits", "1001,1000000", NULL, "1001B/s@1s" },
	{ "fmt unrepresentable bytes", "1,3000000", NULL, NULL },
	{ "fmt burst", NULL, "20,1000,500", "20Kpps:500@1ms" },
	{ "fmt pps", NULL, "1,1000000", "1pps@1s" },
	{ "fmt packets round", NULL, "1,50000", "20pps@50ms" },
	{ "fmt huge bytes", "18446744073709551615,1", NULL, NULL },
};

struct rcase {
	const char *name;
	const char *val;
	int packets;
	int ok;
};

static const struct rcase rcases[] = {
	{ "raw bytes ok", "25000,20000", 0, 1 },
	{ "raw bytes u64 max", "18446744073709551615,1", 0, 1 },
	{ "raw bytes u64 overflow", "18446744073709551616,1", 0, 0 },
	{ "raw bytes zero usec", "25000,0", 0, 0 },
	{ "raw bytes sign", "-1,5", 0, 0 },
	{ "raw bytes space", "1, 5", 0, 0 },
	{ "raw bytes trailing comma", "1,5,", 0, 0 },
	{ "raw bytes burst", "1,5,6", 0, 0 },
	{ "raw bytes usec overflow", "1,4294967296", 0, 0 },
	{ "raw bytes empty", "", 0, 0 },
	{ "raw pkts ok", "400,20000", 1, 1 },
	{ "raw pkts burst", "400,20000,10", 1, 1 },
	{ "raw pkts zero burst", "400,20000,0", 1, 0 },
	{ "raw pkts above 32 bits", "4294967296,1", 1, 1 },
	{ "raw pkts burst above 32 bits", "1,1,18446744073709551615", 1, 1 },
	{ "raw pkts u64 overflow", "18446744073709551616,1", 1, 0 },
	{ "raw pkts zero", "0,1000", 1, 0 },
	{ "raw pkts zero usec", "1,0", 1, 0 },
	{ "raw bytes zero", "0,1000", 0, 0 },
	{ "raw pkts trailing", "1,2,3,4", 1, 0 },
	{ "raw pkts no usec", "1", 1, 0 },
};

static int passed, failed;

static void result(const char *name, int ok, const char *fmt, const char *a,
		   const char *b)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	printf(fmt, a ? a : "(null)", b ? b : "(null)");
	printf("\n");
}

static int streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static void run_pcase(const struct pcase *c)
{
	char rb[RATE_SPEC_STRLEN], pb[RATE_SPEC_STRLEN];
	char fb[RATE_SPEC_STRLEN], got[2 * RATE_SPEC_STRLEN + 8];
	char want[2 * RATE_SPEC_STRLEN + 8];
	struct rate_spec rs, rs2;
	const char *why = NULL;
	int r = rate_spec_parse(c->spec, &rs, &why);

	if (r) {
		result(c->name, !c->ok, "'%s' rejected: %s", c->spec, why);
		return;
	}
	if (rs.has_bytes)
		rate_spec_format_raw_bytes(&rs, rb);
	if (rs.has_packets)
		rate_spec_format_raw_packets(&rs, pb);
	snprintf(got, sizeof(got), "%s|%s", rs.has_bytes ? rb : "-",
		 rs.has_packets ? pb : "-");
	snprintf(want, sizeof(want), "%s|%s", c->rate ? c->rate : "-",
		 c->pkts ? c->pkts : "-");
	if (!c->ok) {
		result(c->name, 0, "'%s' accepted as %s", c->spec, got);
		return;
	}
	if (!streq(got, want)) {
		result(c->name, 0, "got %s, want %s", got, want);
		return;
	}
	/* show's formatting must give back the same values. */
	if (rate_spec_format(&rs, fb) || rate_spec_parse(fb, &rs2, &why) ||
	    memcmp(&rs, &rs2, sizeof(rs))) {
		result(c->name, 0, "round trip of '%s' failed at '%s'",
		       c->spec, fb);
		return;
	}
	result(c->name, 1, "", NULL, NULL);
}

static void run_fcase(const struct fcase *c)
{
	struct rate_spec rs = { 0 }, rs2;
	char fb[RATE_SPEC_STRLEN];
	const char *why;

	if ((c->rate && rate_spec_parse_raw_bytes(c->rate, &rs)) ||
	    (c->pkts && rate_spec_parse_raw_packets(c->pkts, &rs))) {
		result(c->name, 0, "raw values %s %s rejected", c->rate,
		       c->pkts);
		return;
	}
	if (rate_spec_format(&rs, fb)) {
		result(c->name, !c->spec, "no spec, want %s%s", c->spec, "");
		return;
	}
	if (!streq(fb, c->spec)) {
		result(c->name, 0, "got %s, want %s", fb, c->spec);
		return;
	}
	if (rate_spec_parse(fb, &rs2, &why) || memcmp(&rs, &rs2, sizeof(rs))) {
		result(c->name, 0, "'%s' does not parse back%s", fb, "");
		return;
	}
	result(c->name, 1, "", NULL, NULL);
}

static void run_rcase(const struct rcase *c)
{
	struct rate_spec rs = { 0 };
	char buf[RATE_SPEC_STRLEN];
	int r;

	if (c->packets)
		r = rate_spec_parse_raw_packets(c->val, &rs);
	else
		r = rate_spec_parse_raw_bytes(c->val, &rs);
	if ((r == 0) != c->ok) {
		result(c->name, 0, "'%s' %s", c->val,
		       r ? "rejected" : "accepted");
		return;
	}
	if (r) {
		result(c->name, 1, "", NULL, NULL);
		return;
	}
	if (c->packets)
		rate_spec_format_raw_packets(&rs, buf);
	else
		rate_spec_format_raw_bytes(&rs, buf);
	result(c->name, streq(buf, c->val), "formats as %s, want %s", buf,
	       c->val);
}

/* rate_spec_octal(): the first number xl reads as octal, or none. */
static const struct {
	const char *spec;
	const char *octal;	/* NULL: none */
} ocases[] = {
	{ "10Mb/s@20ms", NULL },
	{ "0B/s", NULL },		/* 0 alone is 0 in any base */
	{ "10Mb/s@010ms", "010" },
	{ "0108B/s", "0108" },
	{ "100Kpps&1Mb/s@00ms", "00" },
	{ "10Mb/s@20ms&20Kpps@007ms", "007" },
	{ "1000Kb/s@1000us&20Kpps:100@1s", NULL },
};

static void run_ocases(void)
{
	char msg[64];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(ocases); i++) {
		const char *o = rate_spec_octal(ocases[i].spec, &n);
		const char *want = ocases[i].octal;
		int ok = want ? o && n == strlen(want) && !memcmp(o, want, n) :
				!o;

		snprintf(msg, sizeof(msg), "octal %s", ocases[i].spec);
		result(msg, ok, "found '%s', want '%s'",
		       o ? o : "none", want ? want : "none");
	}
}

int main(void)
{
	size_t i;

	run_ocases();

	for (i = 0; i < ARRAY_SIZE(pcases); i++)
		run_pcase(&pcases[i]);
	for (i = 0; i < ARRAY_SIZE(fcases); i++)
		run_fcase(&fcases[i]);
	for (i = 0; i < ARRAY_SIZE(rcases); i++)
		run_rcase(&rcases[i]);
	printf("test_rate_spec: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
