// SPDX-License-Identifier: GPL-2.0
/*
 * Rate specification parser for xen-vif-rate.
 *
 * The byte part ("RATE[@INTERVAL]") must give exactly what libxlutil's
 * xlu_vif_parse_rate() gives for every string xl accepts, and fail for
 * every string xl rejects, including xl's historical quirks: numbers are
 * read like strtoull(s, &e, 0) (a leading 0 means octal and the scan
 * stops at the first 8 or 9), "b" divides by 8 after the multiplier, and
 * a rate that rounds down to 0 bytes per interval is accepted.  The
 * packet part is new and strict, and so is a byte part beside it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rate_spec.h"

#define U32_MAX		0xffffffffULL
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define USEC_PER_SEC	1000000ULL

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Emulate strtoull(s, &end, 0) on a run of decimal digits s[0..n).
 * Values above U32_MAX are clamped to U32_MAX + 1: every caller rejects
 * them anyway, and clamping keeps the arithmetic overflow free.
 */
static uint64_t xl_strtoull(const char *s, size_t n, size_t *used)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (n > 0 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < n; i++) {
		unsigned int d = s[i] - '0';

		if (d >= base)
			break;
		v = v * base + d;
		if (v > U32_MAX)
			v = U32_MAX + 1;
	}
	*used = i;
	return v;
}

/* xl's "^[0-9]+[GMK]?[Bb]/s$" and its conversion to bytes per second. */
static int xl_bytes_per_sec(const char *s, size_t len, uint64_t *bps,
			    const char **why)
{
	size_t nd = 0, i, used;
	const char *p;
	uint64_t v;

	while (nd < len && is_digit(s[nd]))
		nd++;
	i = nd;
	if (i < len && (s[i] == 'G' || s[i] == 'M' || s[i] == 'K'))
		i++;
	if (nd == 0 || len - i != 3 || (s[i] != 'B' && s[i] != 'b') ||
	    s[i + 1] != '/' || s[i + 2] != 's')
		return fail(why, "invalid byte rate (want e.g. 10Mb/s, 1GB/s)");

	v = xl_strtoull(s, nd, &used);
	if (v == 0 || v > U32_MAX)
		return fail(why, "byte rate is zero or overflows");

	/* Like xl, look at what follows the digits strtoull consumed. */
	p = s + used;
	if (*p == 'G')
		v *= 1000ULL * 1000 * 1000;
	else if (*p == 'M')
		v *= 1000ULL * 1000;
	else if (*p == 'K')
		v *= 1000ULL;
	if (p[0] == 'b' || p[1] == 'b')
		v /= 8;
	*bps = v;
	return 0;
}

/* xl's "^[0-9]+[mu]?s?$", converted to microseconds. */
static int xl_interval_usec(const char *s, size_t len, uint32_t *usec,
			    const char **why)
{
	size_t nd = 0, i, used;
	uint64_t v;

	while (nd < len && is_digit(s[nd]))
		nd++;
	i = nd;
	if (i < len && (s[i] == 'm' || s[i] == 'u'))
		i++;
	if (i < len && s[i] == 's')
		i++;
	if (nd == 0 || i != len)
		return fail(why, "invalid interval (want e.g. 20ms, 500us, 1s)");

	v = xl_strtoull(s, nd, &used);
	if (v == 0 || v > U32_MAX)
		return fail(why, "interval is zero or overflows");

	/* A bare number means seconds; an octal stop means microseconds. */
	if (used == len || s[used] == 's')
		v *= USEC_PER_SEC;
	else if (s[used] == 'm')
		v *= 1000;
	if (v > U32_MAX)
		return fail(why, "interval overflows (max 4294967295us)");
	*usec = v;
	return 0;
}

/* Strict decimal 1..U32_MAX with no leading zero. */
static int pkt_number(const char *s, size_t n, uint32_t *out, const char **why,
		      const char *what)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return fail(why, what);
	if (s[0] == '0') {
		for (i = 0; i < n && s[i] == '0'; i++)
			;
		if (i == n)
			return fail(why, "packet rate or burst is zero");
		/* xl reads such numbers as octal in the byte part: refuse. */
		return fail(why, "leading zero in packet rate or burst");
	}
	for (i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > U32_MAX)
			return fail(why, "packet rate or burst overflows");
	}
	*out = v;
	return 0;
}

/* "N(pps|Kpps|Mpps)[:BURST]" */
static int pkt_rate(const char *s, size_t len, uint64_t *pps, bool *has_burst,
		    uint32_t *burst, const char **why)
{
	static const struct {
		const char *sfx;
		uint64_t mult;
	} units[] = {
		{ "Mpps", 1000000 }, { "Kpps", 1000 }, { "pps", 1 },
	};
	size_t nd = 0, i, k, sl;
	uint32_t n;

	while (nd < len && is_digit(s[nd]))
		nd++;
	i = nd;
	for (k = 0; k < ARRAY_SIZE(units); k++) {
		sl = strlen(units[k].sfx);
		if (len - i >= sl && !memcmp(s + i, units[k].sfx, sl))
			break;
	}
	if (nd == 0 || k == ARRAY_SIZE(units))
		return fail(why, "invalid packet rate (want e.g. 20Kpps)");
	i += sl;
	if (pkt_number(s, nd, &n, why, "invalid packet rate"))
		return -1;
	*pps = (uint64_t)n * units[k].mult;

	*has_burst = false;
	if (i == len)
		return 0;
	if (s[i] != ':')
		return fail(why, "junk after packet rate (burst is :PACKETS)");
	i++;
	for (nd = i; nd < len && is_digit(s[nd]); nd++)
		;
	if (nd != len)
		return fail(why, "invalid packet burst (want :PACKETS)");
	if (pkt_number(s + i, len - i, burst, why, "empty packet burst"))
		return -1;
	*has_burst = true;
	return 0;
}

static bool mem_has(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (!memcmp(s + i, needle, nl))
			return true;
	return false;
}

struct part {
	const char *main;
	size_t main_len;
	const char *ival;	/* NULL when no '@' */
	size_t ival_len;
};

static void split_part(const char *s, size_t len, struct part *p)
{
	const char *at = memchr(s, '@', len);

	p->main = s;
	p->main_len = at ? (size_t)(at - s) : len;
	p->ival = at ? at + 1 : NULL;
	p->ival_len = at ? len - (size_t)(at + 1 - s) : 0;
}

int rate_spec_parse(const char *spec, struct rate_spec *out,
		    const char **why)
{
	struct part bp = { 0 }, pp = { 0 };
	bool have_b = false, have_p = false;
	uint32_t bu = 0, pu = 0, usec_b, usec_p;
	uint64_t bps = 0, pps = 0;
	const char *amp;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!spec || !*spec)
		return fail(why, "empty rate specification");
	len = strlen(spec);
	amp = strchr(spec, '&');
	if (amp) {
		if (strchr(amp + 1, '&'))
			return fail(why, "more than one '&'");
		split_part(spec, amp - spec, &bp);
		split_part(amp + 1, len - (amp + 1 - spec), &pp);
		if (mem_has(bp.main, bp.main_len, "pps"))
			return fail(why, "the packet rate must follow the byte rate");
		if (!pp.main_len)
			return fail(why, "no packet rate after '&'");
		if (!mem_has(pp.main, pp.main_len, "pps"))
			return fail(why, "expected a packet rate (e.g. 20Kpps) after '&'");
		have_b = have_p = true;
	} else {
		split_part(spec, len, &bp);
		if (mem_has(bp.main, bp.main_len, "pps")) {
			pp = bp;
			have_p = true;
		} else {
			have_b = true;
		}
	}

	if (have_b) {
		if (!bp.main_len)
			return fail(why, "no rate specified");
		if (xl_bytes_per_sec(bp.main, bp.main_len, &bps, why))
			return -1;
		if (bp.ival && xl_interval_usec(bp.ival, bp.ival_len, &bu, why))
			return -1;
	}
	if (have_p) {
		uint32_t burst;

		if (pkt_rate(pp.main, pp.main_len, &pps, &out->has_burst,
			     &burst, why))
			return -1;
		out->burst = out->has_burst ? burst : 0;
		/* New syntax: decimal, not xl's octal after a 0. */
		if (pp.ival && pp.ival_len && pp.ival[0] == '0')
			return fail(why, "packet interval with a leading zero");
		if (pp.ival && xl_interval_usec(pp.ival, pp.ival_len, &pu, why))
			return -1;
	}

	/*
	 * An interval binds to its part, or to both if it is the only one;
	 * the byte part never inherits one below 1 ms, which a netback
	 * without packet limits would read as none, lifting the byte limit.
	 */
	usec_b = bu ? bu : pu ? MAX(pu, RATE_SPEC_STOCK_MIN_USEC) :
		 RATE_SPEC_DEFAULT_USEC;
	usec_p = pu ? pu : bu ? bu : RATE_SPEC_DEFAULT_USEC;

	if (have_b) {
		/* xl's own overflow check, kept for identical results. */
		if (bps > UINT64_MAX / usec_b)
			return fail(why, "byte rate overflows for this interval");
		out->has_bytes = true;
		out->bytes = bps * usec_b / USEC_PER_SEC;
		out->bytes_usec = usec_b;
		/*
		 * xl writes "rate=0,USEC" for a byte rate alone, as it always
		 * has; beside a packet rate (new syntax) it is refused, as a
		 * packet rate of 0 per interval is.
		 */
		if (have_p && !out->bytes)
			return fail(why, "byte rate rounds to 0 bytes per interval");
	}
	if (have_p) {
		unsigned __int128 n = pps;

		n = n * usec_p / USEC_PER_SEC;
		if (n > U32_MAX)
			return fail(why, "packets per interval overflow");
		if (n == 0)
			return fail(why, "packet rate rounds to 0 packets per interval");
		out->has_packets = true;
		out->packets = n;
		out->packets_usec = usec_p;
	}
	return 0;
}

const char *rate_spec_octal(const char *spec, size_t *len)
{
	const char *s = spec, *start;

	while (*s) {
		if (!is_digit(*s)) {
			s++;
			continue;
		}
		for (start = s; is_digit(*s); s++)
			;
		if (start[0] == '0' && s - start > 1) {
			*len = s - start;
			return start;
		}
	}
	return NULL;
}

/* Raw xenstore values: decimal, base 10 as netback reads them. */
static const char *raw_number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int d;

	if (!is_digit(*s))
		return NULL;
	for (; is_digit(*s); s++) {
		d = *s - '0';
		if (v > (max - d) / 10)
			return NULL;
		v = v * 10 + d;
	}
	*out = v;
	return s;
}

/*
 * As netback reads them (xenvif_credit_parse()): every field at least 1,
 * amounts and burst up to 64 bits, the interval up to 32.
 */
int rate_spec_parse_raw_bytes(const char *val, struct rate_spec *out)
{
	uint64_t b, u;

	val = raw_number(val, UINT64_MAX, &b);
	if (!val || !b || *val++ != ',')
		return -1;
	val = raw_number(val, U32_MAX, &u);
	if (!val || *val || !u)
		return -1;
	out->has_bytes = true;
	out->bytes = b;
	out->bytes_usec = u;
	return 0;
}

int rate_spec_parse_raw_packets(const char *val, struct rate_spec *out)
{
	uint64_t p, u, b = 0;
	bool has_burst = false;

	val = raw_number(val, UINT64_MAX, &p);
	if (!val || !p || *val++ != ',')
		return -1;
	val = raw_number(val, U32_MAX, &u);
	if (!val || !u)
		return -1;
	if (*val == ',') {
		val = raw_number(val + 1, UINT64_MAX, &b);
		if (!val || !b)
			return -1;
		has_burst = true;
	}
	if (*val)
		return -1;
	out->has_packets = true;
	out->packets = p;
	out->packets_usec = u;
	out->has_burst = has_burst;
	out->burst = b;
	return 0;
}

void rate_spec_format_raw_bytes(const struct rate_spec *rs, char *buf)
{
	snprintf(buf, RATE_SPEC_STRLEN, "%" PRIu64 ",%" PRIu32,
		 rs->bytes, rs->bytes_usec);
}

void rate_spec_format_raw_packets(const struct rate_spec *rs, char *buf)
{
	if (rs->has_burst)
		snprintf(buf, RATE_SPEC_STRLEN,
			 "%" PRIu64 ",%" PRIu32 ",%" PRIu64,
			 rs->packets, rs->packets_usec, rs->burst);
	else
		snprintf(buf, RATE_SPEC_STRLEN, "%" PRIu64 ",%" PRIu32,
			 rs->packets, rs->packets_usec);
}

static int format_interval(uint32_t usec, char *buf, size_t sz)
{
	if (!usec)
		return -1;
	if (usec % USEC_PER_SEC == 0)
		snprintf(buf, sz, "%" PRIu32 "s",
			 usec / (uint32_t)USEC_PER_SEC);
	else if (usec % 1000 == 0)
		snprintf(buf, sz, "%" PRIu32 "ms", usec / 1000);
	else
		snprintf(buf, sz, "%" PRIu32 "us", usec);
	return 0;
}

static unsigned int ndigits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Smallest per-second rate r with floor(r * usec / 1e6) == per_ival. */
static unsigned __int128 rate_min(unsigned __int128 per_ival, uint32_t usec)
{
	return (per_ival * USEC_PER_SEC + usec - 1) / usec;
}

/*
 * Any rate r in [rate_min(n), rate_min(n + 1) - 1] gives n per interval;
 * pick the unit whose smallest fitting mantissa has the fewest digits.
 */
static int format_bytes(uint64_t bytes, uint32_t usec, char *buf, size_t sz)
{
	static const struct {
		uint64_t mult;
		const char *sfx;
		bool bits;
	} units[] = {
		{ 1000000000, "Gb/s", true }, { 1000000000, "GB/s", false },
		{ 1000000, "Mb/s", true }, { 1000000, "MB/s", false },
		{ 1000, "Kb/s", true }, { 1000, "KB/s", false },
		{ 1, "b/s", true }, { 1, "B/s", false },
	};
	unsigned __int128 lo = rate_min(bytes, usec);
	unsigned __int128 hi = rate_min((unsigned __int128)bytes + 1, usec) - 1;
	uint64_t best_n = 0;
	int best = -1;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(units); k++) {
		unsigned __int128 m = units[k].mult, n, r;

		if (units[k].bits)
			n = (lo * 8 + m - 1) / m;
		else
			n = (lo + m - 1) / m;
		if (n == 0)
			n = 1;
		if (n > U32_MAX)
			continue;
		r = units[k].bits ? n * m / 8 : n * m;
		if (r > hi || (r && r > UINT64_MAX / usec))
			continue;
		/* Fewest digits wins; on a tie bytes read better than bits. */
		if (best < 0 || ndigits(n) < ndigits(best_n) ||
		    (ndigits(n) == ndigits(best_n) && units[best].bits &&
		     !units[k].bits)) {
			best = k;
			best_n = n;
		}
	}
	if (best < 0)
		return -1;
	snprintf(buf, sz, "%" PRIu64 "%s", best_n, units[best].sfx);
	return 0;
}

static int format_packets(uint64_t pkts, uint32_t usec, char *buf, size_t sz)
{
	static const struct {
		uint64_t mult;
		const char *sfx;
	} units[] = {
		{ 1000000, "Mpps" }, { 1000, "Kpps" }, { 1, "pps" },
	};
	unsigned __int128 lo = rate_min(pkts, usec);
	unsigned __int128 hi = rate_min((unsigned __int128)pkts + 1, usec) - 1;
	uint64_t best_n = 0;
	int best = -1;
	size_t k;

	/* rate_spec_parse() holds 1 to 2^32 - 1 packets per interval. */
	if (!pkts || pkts > U32_MAX)
		return -1;
	for (k = 0; k < ARRAY_SIZE(units); k++) {
		unsigned __int128 m = units[k].mult, n = (lo + m - 1) / m;

		if (n == 0 || n > U32_MAX || n * m > hi)
			continue;
		if (best < 0 || ndigits(n) < ndigits(best_n)) {
			best = k;
			best_n = n;
		}
	}
	if (best < 0)
		return -1;
	snprintf(buf, sz, "%" PRIu64 "%s", best_n, units[best].sfx);
	return 0;
}

int rate_spec_format(const struct rate_spec *rs, char *buf)
{
	char b[40] = "", bi[16] = "", p[40] = "", pi[16] = "", burst[16] = "";

	if (!rs->has_bytes && !rs->has_packets)
		return -1;
	if (rs->has_bytes &&
	    (format_bytes(rs->bytes, rs->bytes_usec, b, sizeof(b)) ||
	     format_interval(rs->bytes_usec, bi, sizeof(bi))))
		return -1;
	if (rs->has_packets &&
	    (format_packets(rs->packets, rs->packets_usec, p, sizeof(p)) ||
	     format_interval(rs->packets_usec, pi, sizeof(pi))))
		return -1;
	if (rs->has_packets && rs->has_burst) {
		/* xl syntax holds a burst of 1 to 2^32 - 1 packets. */
		if (!rs->burst || rs->burst > U32_MAX)
			return -1;
		snprintf(burst, sizeof(burst), ":%" PRIu64, rs->burst);
	}

	if (rs->has_bytes && rs->has_packets)
		snprintf(buf, RATE_SPEC_STRLEN, "%s@%s&%s%s@%s",
			 b, bi, p, burst, pi);
	else if (rs->has_bytes)
		snprintf(buf, RATE_SPEC_STRLEN, "%s@%s", b, bi);
	else
		snprintf(buf, RATE_SPEC_STRLEN, "%s%s@%s", p, burst, pi);
	return 0;
}
