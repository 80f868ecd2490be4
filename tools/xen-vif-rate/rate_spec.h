/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate specification parser for xen-vif-rate.
 *
 * Pure functions only (no I/O, no allocation) so that the parser can be
 * unit tested, compared against libxlutil and fuzzed in isolation.
 */
#ifndef XEN_VIF_RATE_SPEC_H
#define XEN_VIF_RATE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* xl's default replenishment interval. */
#define RATE_SPEC_DEFAULT_USEC	50000U
/*
 * A stock netback counts the byte interval in whole milliseconds: a
 * shorter one is none, and it does not hold the byte limit.
 */
#define RATE_SPEC_STOCK_MIN_USEC	1000U

struct rate_spec {
	bool has_bytes;
	uint64_t bytes;		/* per interval, as xl computes it */
	uint32_t bytes_usec;

	bool has_packets;
	uint64_t packets;	/* packets per interval */
	uint32_t packets_usec;
	bool has_burst;
	uint64_t burst;		/* packets */
};

/* Longest string any of the formatters below produce, plus the NUL. */
#define RATE_SPEC_STRLEN	128

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Parse SPEC (see xen-vif-rate.8).  Returns 0 and fills @out, or -1 with a
 * static, human readable reason in *@why.
 */
int rate_spec_parse(const char *spec, struct rate_spec *out,
		    const char **why);

/*
 * Parse the xenstore values "BYTES,USEC" and "PACKETS,USEC[,BURST]" as
 * written by rate_spec_format_raw_*(), accepting exactly what netback
 * accepts: decimal digits only, every field at least 1, amounts and burst
 * up to 2^64 - 1, USEC up to 2^32 - 1.  Returns 0 or -1.
 */
int rate_spec_parse_raw_bytes(const char *val, struct rate_spec *out);
int rate_spec_parse_raw_packets(const char *val, struct rate_spec *out);

/*
 * The first number of @spec that xl reads as octal (a 0 followed by
 * more digits), or NULL; *@len gets its length.  Only the byte rate and
 * the intervals can hold one in a SPEC that rate_spec_parse() accepts.
 */
const char *rate_spec_octal(const char *spec, size_t *len);

/* The xenstore values; @buf must hold RATE_SPEC_STRLEN bytes. */
void rate_spec_format_raw_bytes(const struct rate_spec *rs, char *buf);
void rate_spec_format_raw_packets(const struct rate_spec *rs, char *buf);

/*
 * Format the parts present in @rs back into SPEC syntax that parses to
 * exactly the same values.  Returns 0, or -1 if some value has no exact
 * representation (e.g. an interval of 0, or more bytes per interval than
 * any rate can give); @buf must hold RATE_SPEC_STRLEN bytes.
 */
int rate_spec_format(const struct rate_spec *rs, char *buf);

#endif
