// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for rate_spec.c.  Invariants, any violation aborts:
 *  - the parser never crashes and always says why it rejects;
 *  - an accepted SPEC has sane values, formats (as show prints it) back
 *    to a SPEC that parses to the very same values, and its xenstore
 *    values read back identically (a byte rate of 0 per interval is
 *    refused there, as netback refuses it);
 *  - with libxlutil linked in (DIFF_XLU), xl and we agree on every input
 *    that is not one of our extensions;
 *  - the raw xenstore readers round-trip too.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef DIFF_XLU
#include <libxl.h>
#include <libxlutil.h>
#endif

#include "../rate_spec.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define HAVE_ASAN 1
#endif
#endif
#ifndef HAVE_ASAN
#define ASAN_POISON_MEMORY_REGION(a, n)		((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n)	((void)(a), (void)(n))
#endif

/*
 * Inputs are copied into a static buffer with everything past their NUL
 * poisoned: as strict as a malloc()ed copy for ASan, at a fraction of
 * the cost of an ASan malloc per input.
 */
static char inbuf[4096];

static char *copy_input(const uint8_t *data, size_t size)
{
	char *in;

	if (size >= sizeof(inbuf)) {
		in = malloc(size + 1);
	} else {
		in = inbuf;
		ASAN_UNPOISON_MEMORY_REGION(inbuf, sizeof(inbuf));
		ASAN_POISON_MEMORY_REGION(inbuf + size + 1,
					  sizeof(inbuf) - size - 1);
	}
	if (in) {
		memcpy(in, data, size);
		in[size] = 0;
	}
	return in;
}

#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "invariant failed: %s, input '%s'\n", \
				#c, in);				\
			abort();					\
		}							\
	} while (0)

static int same(const struct rate_spec *a, const struct rate_spec *b)
{
	return a->has_bytes == b->has_bytes &&
	       (!a->has_bytes || (a->bytes == b->bytes &&
				  a->bytes_usec == b->bytes_usec)) &&
	       a->has_packets == b->has_packets &&
	       (!a->has_packets || (a->packets == b->packets &&
				    a->packets_usec == b->packets_usec &&
				    a->has_burst == b->has_burst &&
				    (!a->has_burst || a->burst == b->burst)));
}

#ifdef DIFF_XLU
static XLU_Config *cfg;

static int is_extension(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s), i;

	if (strchr(s, '&'))
		return 1;
	for (i = 0; i + 3 <= n; i++)
		if (!memcmp(s + i, "pps", 3))
			return 1;
	return 0;
}

static void diff_xl(const char *in, int orc, const struct rate_spec *rs)
{
	libxl_device_nic nic;
	int xrc;

	if (!cfg) {
		FILE *null = fopen("/dev/null", "w");

		cfg = xlu_cfg_init(null ? null : stderr, "fuzz");
		if (!cfg)
			abort();
	}
	libxl_device_nic_init(&nic);
	errno = 0;
	xrc = xlu_vif_parse_rate(cfg, in, &nic);
	if (!xrc) {
		CHECK(!orc && rs->has_bytes && !rs->has_packets);
		CHECK(rs->bytes == nic.rate_bytes_per_interval);
		CHECK(rs->bytes_usec == nic.rate_interval_usecs);
	} else if (!is_extension(in)) {
		CHECK(orc);
	}
	libxl_device_nic_dispose(&nic);
}
#endif

static void check_raw(const char *in)
{
	struct rate_spec a = { 0 }, b = { 0 }, c;
	char buf[RATE_SPEC_STRLEN], spec[RATE_SPEC_STRLEN];

	if (!rate_spec_parse_raw_bytes(in, &a)) {
		CHECK(a.bytes_usec >= 1);
		rate_spec_format_raw_bytes(&a, buf);
		CHECK(!rate_spec_parse_raw_bytes(buf, &b) && same(&a, &b));
		if (!rate_spec_format(&a, spec))
			CHECK(!rate_spec_parse(spec, &c, NULL) && same(&a, &c));
	}
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (!rate_spec_parse_raw_packets(in, &a)) {
		CHECK(a.packets_usec >= 1 && (!a.has_burst || a.burst >= 1));
		rate_spec_format_raw_packets(&a, buf);
		CHECK(!rate_spec_parse_raw_packets(buf, &b) && same(&a, &b));
		if (!rate_spec_format(&a, spec))
			CHECK(!rate_spec_parse(spec, &c, NULL) && same(&a, &c));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[RATE_SPEC_STRLEN], spec[RATE_SPEC_STRLEN];
	struct rate_spec rs, rs2, raw;
	const char *why = NULL;
	char *in;
	int orc;

	in = copy_input(data, size);
	if (!in)
		return 0;

	orc = rate_spec_parse(in, &rs, &why);
	if (orc) {
		CHECK(why && *why);
	} else {
		CHECK(rs.has_bytes || rs.has_packets);
		CHECK(!rs.has_bytes || rs.bytes_usec >= 1);
		CHECK(!rs.has_packets || (rs.packets >= 1 &&
					  rs.packets_usec >= 1));
		CHECK(!rs.has_burst || (rs.has_packets && rs.burst >= 1));
		/* show's representation parses back to the same values. */
		CHECK(!rate_spec_format(&rs, spec));
		CHECK(!rate_spec_parse(spec, &rs2, &why));
		CHECK(same(&rs, &rs2));
		/*
		 * And so do the xenstore values set writes, but for a byte
		 * rate that rounds to 0 per interval: xl writes it, netback
		 * refuses it, and so do the raw reader and set.
		 */
		memset(&raw, 0, sizeof(raw));
		if (rs.has_bytes) {
			rate_spec_format_raw_bytes(&rs, buf);
			CHECK(!rate_spec_parse_raw_bytes(buf, &raw) ==
			      !!rs.bytes);
		}
		if (rs.has_packets) {
			rate_spec_format_raw_packets(&rs, buf);
			CHECK(!rate_spec_parse_raw_packets(buf, &raw));
		}
		if (!rs.has_bytes || rs.bytes)
			CHECK(same(&rs, &raw));
	}
#ifdef DIFF_XLU
	diff_xl(in, orc, &rs);
#endif
	check_raw(in);
	if (in != inbuf)
		free(in);
	return 0;
}
